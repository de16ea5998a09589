import { authedRoute } from "@/lib/server/http/route";
import { testTicketIntegration } from "@/lib/server/services/ticket-integrations";

type P = { team: string; integration: string };
const path = "/api/v1/teams/[team]/ticket-integrations/[integration]/test";
export const POST = authedRoute<P>(path, ({ actor, params }) => testTicketIntegration(actor, params.team, params.integration));
