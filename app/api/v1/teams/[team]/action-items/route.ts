import { authedRoute } from "@/lib/server/http/route";
import { teamActionItems } from "@/lib/server/services/action-items";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/action-items", ({ actor, params }) => teamActionItems(actor, params.team));
