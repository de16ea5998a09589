import { authedRoute, parseJson } from "@/lib/server/http/route";
import { alertBacktestInputSchema } from "@/lib/schemas/alert-settings";
import { runAlertBacktest } from "@/lib/server/services/alert-settings";

type P = { team: string; service: string; slo: string };
// A POST because it carries proposed settings; it changes nothing, so read tokens and viewers may run it.
export const POST = authedRoute<P>("/api/v1/teams/[team]/services/[service]/slos/[slo]/alert-backtest", async ({ req, actor, params }) =>
  runAlertBacktest(actor, params.team, params.service, params.slo, await parseJson(req, alertBacktestInputSchema, 16 * 1024)),
);
