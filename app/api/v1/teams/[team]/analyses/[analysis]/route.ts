import { authedRoute } from "@/lib/server/http/route";
import { getAnalysis } from "@/lib/server/services/analyses";

type P = { team: string; analysis: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/analyses/[analysis]", ({ actor, params }) => getAnalysis(actor, params.team, params.analysis));
