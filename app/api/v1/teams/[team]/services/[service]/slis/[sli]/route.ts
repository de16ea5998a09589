import { authedRoute, parseJson } from "@/lib/server/http/route";
import { deleteArchivedSchema } from "@/lib/schemas/archive";
import { updateSliSchema } from "@/lib/schemas/catalog";
import { deleteSli } from "@/lib/server/services/archive";
import { getSli, updateSli } from "@/lib/server/services/catalog";

type P = { team: string; service: string; sli: string };
const pattern = "/api/v1/teams/[team]/services/[service]/slis/[sli]";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => getSli(actor, params.team, params.service, params.sli));
export const PATCH = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  updateSli(actor, params.team, params.service, params.sli, await parseJson(req, updateSliSchema, 64 * 1024)),
);
export const DELETE = authedRoute<P>(pattern, async ({ req, actor, params }) => deleteSli(actor, params.team, params.service, params.sli, await parseJson(req, deleteArchivedSchema, 4 * 1024)));
