// The system actor of ticket sync: who changes an action item when its Jira or Linear issue
// moves. It is a user row of its own ("Ticket sync", disabled: it never signs in), so the audit
// log names it like anyone else, with the tracker and issue as the change's source; and it is an
// editor of the one team whose integration received the signed webhook (access.ts), nothing more.
import { prisma } from "../db/client";
import { clockNow } from "../clock";
import type { Actor } from "./actor";

export const TICKET_SYNC_EMAIL = "ticket-sync@system.invalid";

async function systemUserId(): Promise<string> {
  const found = await prisma().user.findUnique({ where: { email: TICKET_SYNC_EMAIL }, select: { id: true } });
  if (found) return found.id;
  try {
    return (await prisma().user.create({ data: { email: TICKET_SYNC_EMAIL, name: "Ticket sync", disabledAt: clockNow() }, select: { id: true } })).id;
  } catch {
    // Another request made it first (the email is unique).
    return (await prisma().user.findUniqueOrThrow({ where: { email: TICKET_SYNC_EMAIL }, select: { id: true } })).id;
  }
}

/** The actor for a change a tracker's webhook asks for; `source` names it in the audit log ("jira:OPS-12"). */
export async function ticketSyncActor(teamId: string, source: string): Promise<Actor> {
  return { kind: "user", userId: await systemUserId(), isSiteAdmin: false, system: { teamId, source } };
}
