import { authedRoute } from "@/lib/server/http/route";
import { deleteTimelineEntry } from "@/lib/server/services/incidents";

type P = { team: string; incident: string; entry: string };
export const DELETE = authedRoute<P>("/api/v1/teams/[team]/incidents/[incident]/timeline/[entry]", ({ actor, params }) => deleteTimelineEntry(actor, params.team, params.incident, params.entry));
