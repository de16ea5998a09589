import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { statusQuerySchema } from "@/lib/schemas/catalog";
import { getSloStatus } from "@/lib/server/services/slo-status";

type P = { team: string; service: string; slo: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/services/[service]/slos/[slo]/status", ({ req, actor, params }) =>
  getSloStatus(actor, params.team, params.service, params.slo, parseQuery(req, statusQuerySchema).at),
);
