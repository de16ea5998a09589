import { authedRoute, parseJson } from "@/lib/server/http/route";
import { archiveSchema } from "@/lib/schemas/archive";
import { restoreSlo } from "@/lib/server/services/archive";

type P = { team: string; service: string; slo: string };
export const POST = authedRoute<P>("/api/v1/teams/[team]/services/[service]/slos/[slo]/restore", async ({ req, actor, params }) =>
  restoreSlo(actor, params.team, params.service, params.slo, await parseJson(req, archiveSchema, 4 * 1024)),
);
