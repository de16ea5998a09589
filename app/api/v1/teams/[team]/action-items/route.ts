import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { actionItemSortSchema } from "@/lib/schemas/action-items";
import { teamActionItems } from "@/lib/server/services/action-items";
import { clockNow } from "@/lib/server/clock";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/action-items", ({ req, actor, params }) => teamActionItems(actor, params.team, clockNow(), parseQuery(req, actionItemSortSchema).sort));
