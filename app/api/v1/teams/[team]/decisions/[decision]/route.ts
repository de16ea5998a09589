import { authedRoute } from "@/lib/server/http/route";
import { getDecision } from "@/lib/server/services/gate";

type P = { team: string; decision: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/decisions/[decision]", ({ actor, params }) => getDecision(actor, params.team, params.decision));
