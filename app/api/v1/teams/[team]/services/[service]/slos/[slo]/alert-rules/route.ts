import { authedRoute } from "@/lib/server/http/route";
import { renderSloAlertRules } from "@/lib/server/services/metrics";

type P = { team: string; service: string; slo: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/services/[service]/slos/[slo]/alert-rules", async ({ actor, params }) =>
  new Response(await renderSloAlertRules(actor, params.team, params.service, params.slo), {
    headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": `attachment; filename="${params.slo.replace(/[^a-z0-9-]/gi, "_")}-alerts.yaml"` },
  }),
);
