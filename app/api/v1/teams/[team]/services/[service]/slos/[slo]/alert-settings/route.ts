import { authedRoute, parseJson } from "@/lib/server/http/route";
import { alertSettingsInputSchema } from "@/lib/schemas/alert-settings";
import { getAlertSettings, updateAlertSettings } from "@/lib/server/services/alert-settings";

type P = { team: string; service: string; slo: string };
const pattern = "/api/v1/teams/[team]/services/[service]/slos/[slo]/alert-settings";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => getAlertSettings(actor, params.team, params.service, params.slo));
export const PUT = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  updateAlertSettings(actor, params.team, params.service, params.slo, await parseJson(req, alertSettingsInputSchema, 16 * 1024)),
);
