import { authedRoute, parseJson } from "@/lib/server/http/route";
import { deleteArchivedSchema } from "@/lib/schemas/archive";
import { deleteSli } from "@/lib/server/services/archive";

type P = { team: string; service: string; sli: string };
export const DELETE = authedRoute<P>("/api/v1/teams/[team]/services/[service]/slis/[sli]", async ({ req, actor, params }) =>
  deleteSli(actor, params.team, params.service, params.sli, await parseJson(req, deleteArchivedSchema, 4 * 1024)),
);
