import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createCompositeSchema } from "@/lib/schemas/composites";
import { createComposite } from "@/lib/server/services/composites";

type P = { team: string; service: string };
const pattern = "/api/v1/teams/[team]/services/[service]/composites";
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  created(await createComposite(actor, params.team, params.service, await parseJson(req, createCompositeSchema, 64 * 1024))),
);
