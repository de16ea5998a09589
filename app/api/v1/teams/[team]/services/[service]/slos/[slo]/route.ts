import { authedRoute, parseJson } from "@/lib/server/http/route";
import { updateSloSchema } from "@/lib/schemas/catalog";
import { deleteArchivedSchema } from "@/lib/schemas/archive";
import { getSlo, updateSlo } from "@/lib/server/services/catalog";
import { deleteSlo } from "@/lib/server/services/archive";

type P = { team: string; service: string; slo: string };
const pattern = "/api/v1/teams/[team]/services/[service]/slos/[slo]";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => getSlo(actor, params.team, params.service, params.slo));
export const PATCH = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  updateSlo(actor, params.team, params.service, params.slo, await parseJson(req, updateSloSchema, 64 * 1024)),
);
export const DELETE = authedRoute<P>(pattern, async ({ req, actor, params }) => deleteSlo(actor, params.team, params.service, params.slo, await parseJson(req, deleteArchivedSchema, 4 * 1024)));
