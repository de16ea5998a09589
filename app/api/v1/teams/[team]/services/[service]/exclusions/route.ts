import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createExclusionSchema } from "@/lib/schemas/catalog";
import { createExclusion, listExclusions } from "@/lib/server/services/catalog";

type P = { team: string; service: string };
const pattern = "/api/v1/teams/[team]/services/[service]/exclusions";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => listExclusions(actor, params.team, params.service));
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  created(await createExclusion(actor, params.team, params.service, await parseJson(req, createExclusionSchema, 64 * 1024))),
);
