import { authedRoute, parseJson } from "@/lib/server/http/route";
import { archiveSchema } from "@/lib/schemas/archive";
import { archiveService } from "@/lib/server/services/archive";

type P = { team: string; service: string };
export const POST = authedRoute<P>("/api/v1/teams/[team]/services/[service]/archive", async ({ req, actor, params }) =>
  archiveService(actor, params.team, params.service, await parseJson(req, archiveSchema, 4 * 1024)),
);
