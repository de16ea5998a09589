import { authedRoute, parseJson } from "@/lib/server/http/route";
import { updateTicketIntegrationSchema } from "@/lib/schemas/ticket-sync";
import { deleteTicketIntegration, updateTicketIntegration } from "@/lib/server/services/ticket-integrations";

type P = { team: string; integration: string };
const path = "/api/v1/teams/[team]/ticket-integrations/[integration]";
export const PATCH = authedRoute<P>(path, async ({ req, actor, params }) => updateTicketIntegration(actor, params.team, params.integration, await parseJson(req, updateTicketIntegrationSchema, 16 * 1024)));
export const DELETE = authedRoute<P>(path, ({ actor, params }) => deleteTicketIntegration(actor, params.team, params.integration));
