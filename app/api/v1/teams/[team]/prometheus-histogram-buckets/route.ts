import { authedRoute, parseJson } from "@/lib/server/http/route";
import { histogramCheckSchema } from "@/lib/schemas/catalog";
import { checkHistogramBuckets } from "@/lib/server/services/histograms";

type P = { team: string };
export const POST = authedRoute<P>("/api/v1/teams/[team]/prometheus-histogram-buckets", async ({ req, actor, params }) =>
  checkHistogramBuckets(actor, params.team, await parseJson(req, histogramCheckSchema)),
);
