import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createGroupSchema } from "@/lib/schemas/slo-groups";
import { createGroup, listGroups } from "@/lib/server/services/slo-groups";

type P = { team: string; service: string };
const pattern = "/api/v1/teams/[team]/services/[service]/groups";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => listGroups(actor, params.team, params.service));
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  created(await createGroup(actor, params.team, params.service, await parseJson(req, createGroupSchema, 64 * 1024))),
);
