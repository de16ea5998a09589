// Prometheus scrape endpoint: authenticate with a `read` token (bearer_token in scrape_config).
import { authedRoute } from "@/lib/server/http/route";
import { renderMetrics } from "@/lib/server/services/metrics";

export const dynamic = "force-dynamic";
export const GET = authedRoute("/metrics", async ({ actor }) =>
  new Response(await renderMetrics(actor), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } }),
);
