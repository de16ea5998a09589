import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createTicketSchema } from "@/lib/schemas/ticket-sync";
import { createTicket, deleteTicket, getTicket } from "@/lib/server/services/ticket-sync";

type P = { item: string };
const path = "/api/v1/action-items/[item]/ticket";
export const GET = authedRoute<P>(path, ({ actor, params }) => getTicket(actor, params.item));
export const POST = authedRoute<P>(path, async ({ req, actor, params }) => created(await createTicket(actor, params.item, await parseJson(req, createTicketSchema, 4 * 1024))));
export const DELETE = authedRoute<P>(path, ({ actor, params }) => deleteTicket(actor, params.item));
