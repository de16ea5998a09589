import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { timelineEntrySchema } from "@/lib/schemas/incidents";
import { addTimelineEntry } from "@/lib/server/services/incidents";

type P = { team: string; incident: string };
export const POST = authedRoute<P>("/api/v1/teams/[team]/incidents/[incident]/timeline", async ({ req, actor, params }) =>
  created(await addTimelineEntry(actor, params.team, params.incident, await parseJson(req, timelineEntrySchema, 16 * 1024))),
);
