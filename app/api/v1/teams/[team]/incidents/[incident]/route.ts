import { authedRoute, parseJson } from "@/lib/server/http/route";
import { updateIncidentSchema } from "@/lib/schemas/incidents";
import { getIncident, updateIncident } from "@/lib/server/services/incidents";

type P = { team: string; incident: string };
const path = "/api/v1/teams/[team]/incidents/[incident]";
export const GET = authedRoute<P>(path, ({ actor, params }) => getIncident(actor, params.team, params.incident));
export const PATCH = authedRoute<P>(path, async ({ req, actor, params }) => updateIncident(actor, params.team, params.incident, await parseJson(req, updateIncidentSchema, 64 * 1024)));
