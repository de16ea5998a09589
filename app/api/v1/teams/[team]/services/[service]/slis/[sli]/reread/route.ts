import { authedRoute, parseJson } from "@/lib/server/http/route";
import { rereadSchema } from "@/lib/schemas/definition-history";
import { rereadSli } from "@/lib/server/services/definition-history";

type P = { team: string; service: string; sli: string };
export const POST = authedRoute<P>("/api/v1/teams/[team]/services/[service]/slis/[sli]/reread", async ({ req, actor, params }) =>
  rereadSli(actor, params.team, params.service, params.sli, await parseJson(req, rereadSchema, 4 * 1024)),
);
