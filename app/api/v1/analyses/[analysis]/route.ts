import { authedRoute } from "@/lib/server/http/route";
import { getAnalysisForToken } from "@/lib/server/services/analyses";

// Argo Rollouts' web metric calls this with the token's team implied (docs/deploy-verification.md).
type P = { analysis: string };
export const GET = authedRoute<P>("/api/v1/analyses/[analysis]", ({ actor, params }) => getAnalysisForToken(actor, params.analysis));
