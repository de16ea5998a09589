import { authedRoute, parseJson } from "@/lib/server/http/route";
import { updateServiceSchema } from "@/lib/schemas/catalog";
import { deleteService, updateService } from "@/lib/server/services/catalog";
import { getService } from "@/lib/server/services/overview";

type P = { team: string; service: string };
const pattern = "/api/v1/teams/[team]/services/[service]";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => getService(actor, params.team, params.service));
export const PATCH = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  updateService(actor, params.team, params.service, await parseJson(req, updateServiceSchema, 64 * 1024)),
);
export const DELETE = authedRoute<P>(pattern, ({ actor, params }) => deleteService(actor, params.team, params.service));
