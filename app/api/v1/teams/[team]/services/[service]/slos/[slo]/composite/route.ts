import { authedRoute, parseJson } from "@/lib/server/http/route";
import { updateCompositeSchema } from "@/lib/schemas/composites";
import { getComposite, updateComposite } from "@/lib/server/services/composites";

type P = { team: string; service: string; slo: string };
const pattern = "/api/v1/teams/[team]/services/[service]/slos/[slo]/composite";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => getComposite(actor, params.team, params.service, params.slo));
export const PUT = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  updateComposite(actor, params.team, params.service, params.slo, await parseJson(req, updateCompositeSchema, 64 * 1024)),
);
