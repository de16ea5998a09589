import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { statusQuerySchema } from "@/lib/schemas/catalog";
import { listTeamStatus } from "@/lib/server/services/team-status";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/status", ({ req, actor, params }) =>
  listTeamStatus(actor, params.team, parseQuery(req, statusQuerySchema).at),
);
