import { authedRoute } from "@/lib/server/http/route";
import { listArchived } from "@/lib/server/services/archive";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/archived", ({ actor, params }) => listArchived(actor, params.team));
