import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { intervalQuerySchema } from "@/lib/schemas/catalog";
import { getBudgetSpent } from "@/lib/server/services/slo-status";

type P = { team: string; service: string; slo: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/services/[service]/slos/[slo]/budget-spent", ({ req, actor, params }) => {
  const { from, to } = parseQuery(req, intervalQuerySchema);
  return getBudgetSpent(actor, params.team, params.service, params.slo, from, to);
});
