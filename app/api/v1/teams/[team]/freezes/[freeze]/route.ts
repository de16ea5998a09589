import { authedRoute } from "@/lib/server/http/route";
import { cancelFreeze } from "@/lib/server/services/freezes";

type P = { team: string; freeze: string };
export const DELETE = authedRoute<P>("/api/v1/teams/[team]/freezes/[freeze]", ({ actor, params }) => cancelFreeze(actor, params.team, params.freeze));
