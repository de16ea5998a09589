import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { policyHistoryQuerySchema } from "@/lib/schemas/policy";
import { policyHistory } from "@/lib/server/services/policy";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/policy/history", ({ req, actor, params }) =>
  policyHistory(actor, params.team, parseQuery(req, policyHistoryQuerySchema).service),
);
