import { authedRoute } from "@/lib/server/http/route";
import { cancelAnalysis } from "@/lib/server/services/analyses";

type P = { team: string; analysis: string };
export const POST = authedRoute<P>("/api/v1/teams/[team]/analyses/[analysis]/cancel", ({ actor, params }) => cancelAnalysis(actor, params.team, params.analysis));
