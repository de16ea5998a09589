import { authedRoute } from "@/lib/server/http/route";
import { getTeam } from "@/lib/server/services/teams";

export const GET = authedRoute<{ team: string }>("/api/v1/teams/[team]", ({ actor, params }) => getTeam(actor, params.team));
