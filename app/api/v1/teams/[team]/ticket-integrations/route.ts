import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createTicketIntegrationSchema } from "@/lib/schemas/ticket-sync";
import { createTicketIntegration, listTicketIntegrations } from "@/lib/server/services/ticket-integrations";

type P = { team: string };
const path = "/api/v1/teams/[team]/ticket-integrations";
export const GET = authedRoute<P>(path, ({ actor, params }) => listTicketIntegrations(actor, params.team));
export const POST = authedRoute<P>(path, async ({ req, actor, params }) => created(await createTicketIntegration(actor, params.team, await parseJson(req, createTicketIntegrationSchema, 16 * 1024))));
