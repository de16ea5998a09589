import { authedRoute, parseJson } from "@/lib/server/http/route";
import { updateServiceSchema } from "@/lib/schemas/catalog";
import { deleteArchivedSchema } from "@/lib/schemas/archive";
import { updateService } from "@/lib/server/services/catalog";
import { deleteService } from "@/lib/server/services/archive";
import { getService } from "@/lib/server/services/overview";

type P = { team: string; service: string };
const pattern = "/api/v1/teams/[team]/services/[service]";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => getService(actor, params.team, params.service));
export const PATCH = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  updateService(actor, params.team, params.service, await parseJson(req, updateServiceSchema, 64 * 1024)),
);
export const DELETE = authedRoute<P>(pattern, async ({ req, actor, params }) => deleteService(actor, params.team, params.service, await parseJson(req, deleteArchivedSchema, 4 * 1024)));
