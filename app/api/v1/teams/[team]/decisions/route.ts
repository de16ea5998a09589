import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { decisionQuerySchema } from "@/lib/schemas/gate";
import { listDecisions } from "@/lib/server/services/gate";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/decisions", ({ req, actor, params }) => listDecisions(actor, params.team, parseQuery(req, decisionQuerySchema)));
