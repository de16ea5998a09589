import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createServiceSchema } from "@/lib/schemas/catalog";
import { createService, listServices } from "@/lib/server/services/catalog";

type P = { team: string };
const pattern = "/api/v1/teams/[team]/services";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => listServices(actor, params.team));
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  created(await createService(actor, params.team, await parseJson(req, createServiceSchema, 64 * 1024))),
);
