import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { seriesQuerySchema } from "@/lib/schemas/catalog";
import { getSloSeries } from "@/lib/server/services/slo-series";

type P = { team: string; service: string; slo: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/services/[service]/slos/[slo]/series", ({ req, actor, params }) =>
  getSloSeries(actor, params.team, params.service, params.slo, parseQuery(req, seriesQuerySchema)),
);
