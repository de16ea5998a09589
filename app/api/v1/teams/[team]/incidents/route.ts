import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createIncidentSchema } from "@/lib/schemas/incidents";
import { createIncident, listIncidents } from "@/lib/server/services/incidents";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/incidents", ({ actor, params }) => listIncidents(actor, params.team));
export const POST = authedRoute<P>("/api/v1/teams/[team]/incidents", async ({ req, actor, params }) =>
  created(await createIncident(actor, params.team, await parseJson(req, createIncidentSchema, 64 * 1024))),
);
