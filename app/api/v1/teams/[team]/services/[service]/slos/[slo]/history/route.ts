import { authedRoute } from "@/lib/server/http/route";
import { getDefinitionHistory } from "@/lib/server/services/definition-history";

type P = { team: string; service: string; slo: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/services/[service]/slos/[slo]/history", ({ actor, params }) => getDefinitionHistory(actor, params.team, params.service, params.slo));
