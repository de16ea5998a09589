import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createSliSchema } from "@/lib/schemas/catalog";
import { createSli, listSlis } from "@/lib/server/services/catalog";

type P = { team: string; service: string };
const pattern = "/api/v1/teams/[team]/services/[service]/slis";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => listSlis(actor, params.team, params.service));
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  created(await createSli(actor, params.team, params.service, await parseJson(req, createSliSchema, 64 * 1024))),
);
