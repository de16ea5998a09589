import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createSloSchema } from "@/lib/schemas/catalog";
import { createSlo, listSlos } from "@/lib/server/services/catalog";

type P = { team: string; service: string };
const pattern = "/api/v1/teams/[team]/services/[service]/slos";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => listSlos(actor, params.team, params.service));
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  created(await createSlo(actor, params.team, params.service, await parseJson(req, createSloSchema, 64 * 1024))),
);
