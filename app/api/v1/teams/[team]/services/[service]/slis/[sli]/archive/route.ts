import { authedRoute, parseJson } from "@/lib/server/http/route";
import { archiveSchema } from "@/lib/schemas/archive";
import { archiveSli } from "@/lib/server/services/archive";

type P = { team: string; service: string; sli: string };
export const POST = authedRoute<P>("/api/v1/teams/[team]/services/[service]/slis/[sli]/archive", async ({ req, actor, params }) =>
  archiveSli(actor, params.team, params.service, params.sli, await parseJson(req, archiveSchema, 4 * 1024)),
);
