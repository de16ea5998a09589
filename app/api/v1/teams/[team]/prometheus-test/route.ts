import { authedRoute, parseJson } from "@/lib/server/http/route";
import { prometheusSourceSchema } from "@/lib/schemas/catalog";
import { testPrometheusSource } from "@/lib/server/services/prometheus-test";

type P = { team: string };
export const POST = authedRoute<P>("/api/v1/teams/[team]/prometheus-test", async ({ req, actor, params }) =>
  testPrometheusSource(actor, params.team, await parseJson(req, prometheusSourceSchema)),
);
