// An action item's issue in Jira or Linear (docs/ticket-sync.md): created from the item by an
// editor, then kept in step. A change of the item's status in Burnrate is pushed by a job
// (pushDueTickets): a link whose item's status differs from the status both sides last agreed on
// is the outbox row, written by the very transaction that changed the item, so nothing is lost
// and the person changing the item never waits on the tracker. A tracker that is down is tried
// again with backoff; a push first reads the issue, so a repeat never moves it twice.
import type { ActionItemStatus } from "../../domain/postmortem";
import { inStep, itemStatusFor, retryDelaySeconds, type RemoteStatus, type TicketProvider } from "../../domain/ticket-sync";
import type { CreateTicketInput, TicketLinkView, TicketState } from "../../schemas/ticket-sync";
import { isUuid } from "../../schemas/common";
import { prisma, withTransaction } from "../db/client";
import { getConfig } from "../config";
import { clockNow } from "../clock";
import { AppError, conflict, notFound, RetryLaterError } from "../errors";
import { logger } from "../logger";
import type { OutboundPolicy } from "../http/outbound";
import { TrackerError } from "../tickets/tracker";
import { trackerOf } from "../tickets/trackers";
import type { Actor } from "./actor";
import { requireAccessToOwned, requireScope, requireUser } from "./access";
import { updateActionItem } from "./action-items";
import { writeAudit } from "./audit";

const label = (p: string) => (p === "jira" ? "Jira" : "Linear");
/** How long a push job holds a link it took: another replica leaves it alone meanwhile. */
const LEASE_SECONDS = 300;

type LinkRow = { externalKey: string; url: string; remoteStatus: string; syncedStatus: string; syncedAt: Date; lastError: string | null; nextAttemptAt: Date | null; integration: { provider: string } };
const linkView = (l: LinkRow, itemStatus: string): TicketLinkView => ({
  provider: l.integration.provider as TicketProvider,
  key: l.externalKey,
  url: l.url,
  remoteStatus: l.remoteStatus as RemoteStatus,
  syncedStatus: l.syncedStatus as ActionItemStatus,
  syncedAt: l.syncedAt.toISOString(),
  pending: itemStatus !== l.syncedStatus,
  lastError: l.lastError,
  nextAttemptAt: l.lastError ? (l.nextAttemptAt?.toISOString() ?? null) : null,
});

async function findItem(id: string) {
  const item = isUuid(id) ? await prisma().actionItem.findUnique({ where: { id }, include: { ticketLink: { include: { integration: { select: { provider: true } } } }, postmortem: { select: { id: true, title: true } } } }) : null;
  if (!item) throw notFound("action item");
  return item;
}

async function stateOf(teamId: string, itemId: string): Promise<TicketState> {
  const [item, integrations] = await Promise.all([
    prisma().actionItem.findUniqueOrThrow({ where: { id: itemId }, select: { status: true, ticketLink: { include: { integration: { select: { provider: true } } } } } }),
    prisma().ticketIntegration.findMany({ where: { teamId }, select: { provider: true }, orderBy: { provider: "asc" } }),
  ]);
  return { link: item.ticketLink ? linkView(item.ticketLink, item.status) : null, providers: integrations.map((i) => i.provider as TicketProvider) };
}

/** The item's issue, if any, and the trackers its team has connected. */
export async function getTicket(actor: Actor, itemId: string): Promise<TicketState> {
  requireScope(actor, "read");
  const item = await findItem(itemId);
  const access = await requireAccessToOwned(actor, { teamId: item.teamId, what: "action item" }, "viewer");
  return stateOf(access.teamId, item.id);
}

/**
 * Creates the item's issue in the team's tracker and links it (audited with the link). The
 * tracker is asked outside any transaction; a tracker that fails leaves nothing behind here.
 */
export async function createTicket(actor: Actor, itemId: string, input: CreateTicketInput, policy: OutboundPolicy = {}): Promise<TicketState> {
  requireUser(actor);
  const found = await findItem(itemId);
  const access = await requireAccessToOwned(actor, { teamId: found.teamId, what: "action item" }, "editor");
  // One creation per item at a time, on every replica: a second click (another tab, a retry) while
  // the tracker is being asked is a 409, never a second issue. The lock is a transaction's, held
  // while the tracker answers (its timeout is well under the idle-in-transaction limit).
  return withTransaction(async (claim) => {
    const { rows } = await claim.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok", [`ticket-create:${found.id}`]);
    if (!rows[0]!.ok) throw conflict("an issue is being created for this action item right now; reload in a moment to see it");
    return createLockedTicket(actor, access, await findItem(itemId), input, policy);
  });
}

async function createLockedTicket(actor: Actor, access: Awaited<ReturnType<typeof requireAccessToOwned>>, item: Awaited<ReturnType<typeof findItem>>, input: CreateTicketInput, policy: OutboundPolicy): Promise<TicketState> {
  if (item.ticketLink) throw conflict(`this action item is already linked to ${item.ticketLink.externalKey}: unlink it first to create another issue`);
  const integration = await prisma().ticketIntegration.findUnique({ where: { teamId_provider: { teamId: access.teamId, provider: input.provider } } });
  if (!integration) {
    const why = `team "${access.slug}" has no ${label(input.provider)} integration; a team admin connects one in the team's settings`;
    throw new AppError("invalid", `provider: ${why}`, { provider: why });
  }
  const pageUrl = `${getConfig().publicUrl}/postmortems/${item.postmortem.id}`;
  const description = [`Action item (${item.type}, ${item.priority}) from the postmortem "${item.postmortem.title}".`, item.dueDate ? `Due ${item.dueDate.toISOString().slice(0, 10)}.` : "", `Burnrate: ${pageUrl}`].join("\n");
  let issue;
  try {
    issue = await trackerOf(integration, policy).createIssue(item.title, description);
  } catch (e) {
    if (!(e instanceof TrackerError)) throw e;
    // Down or busy: try again later (503); refused: the settings need a team admin (422).
    const why = `the ${label(input.provider)} issue was not created: ${e.message}`;
    throw e.retry ? new RetryLaterError("unavailable", why, 30) : new AppError("invalid", `provider: ${why}`, { provider: why });
  }
  const now = clockNow();
  // The status both sides agree on now: the item's, if the new issue's status is the same; else
  // the one the issue stands for, so the push job moves the issue to the item's.
  const synced = itemStatusFor(integration.provider as TicketProvider, issue.remoteStatus, item.status as ActionItemStatus) ?? item.status;
  await prisma()
    .$transaction(async (tx) => {
      await tx.ticketLink.create({
        data: { actionItemId: item.id, integrationId: integration.id, externalId: issue.externalId, externalKey: issue.externalKey, url: issue.url, remoteStatus: issue.remoteStatus, syncedStatus: synced, syncedAt: now },
      });
      await writeAudit(tx, actor, { teamId: access.teamId, action: "action_item.ticket_create", targetType: "action_item", targetId: item.id, after: { provider: integration.provider, key: issue.externalKey, url: issue.url } });
    })
    .catch((e: unknown) => {
      // Two clicks at once: the other link stands; this issue is left unlinked in the tracker.
      if ((e as { code?: unknown }).code === "P2002") throw conflict(`this action item was linked meanwhile; ${issue.externalKey} was created but not linked`);
      throw e;
    });
  logger().info({ action_item: item.id, provider: integration.provider, key: issue.externalKey }, "ticket created for an action item");
  // The item's own "ticket" field shows the issue too, if it named none.
  if (!item.ticketUrl) await updateActionItem(actor, item.id, { ticketUrl: issue.url });
  if (synced !== item.status) await pushTicket(item.id, now, policy);
  return stateOf(access.teamId, item.id);
}

/** Unlinks the item's issue (which stays in the tracker, and no longer follows the item). */
export async function deleteTicket(actor: Actor, itemId: string): Promise<void> {
  requireUser(actor);
  const item = await findItem(itemId);
  const access = await requireAccessToOwned(actor, { teamId: item.teamId, what: "action item" }, "editor");
  const link = item.ticketLink;
  if (!link) throw notFound("ticket of this action item");
  await prisma().$transaction(async (tx) => {
    await tx.ticketLink.delete({ where: { actionItemId: item.id } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "action_item.ticket_unlink", targetType: "action_item", targetId: item.id, before: { provider: link.integration.provider, key: link.externalKey, url: link.url } });
  });
}

/**
 * Pushes every due change (an item whose status moved since both sides agreed, not waiting for
 * a retry) to its tracker; returns what was done. Links are leased first, so replicas share them.
 */
export async function pushDueTickets(now = clockNow(), policy: OutboundPolicy = {}, limit = 50): Promise<{ pushed: number; failed: number }> {
  const due = await prisma().$queryRaw<{ action_item_id: string }[]>`
    WITH due AS (
      SELECT l.action_item_id FROM ticket_links l JOIN action_items a ON a.id = l.action_item_id
      WHERE a.status <> l.synced_status AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= ${now})
      ORDER BY l.next_attempt_at NULLS FIRST LIMIT ${limit} FOR UPDATE OF l SKIP LOCKED)
    UPDATE ticket_links l SET next_attempt_at = ${new Date(now.getTime() + LEASE_SECONDS * 1000)}
    FROM due WHERE l.action_item_id = due.action_item_id RETURNING l.action_item_id`;
  let pushed = 0;
  let failed = 0;
  for (const d of due) {
    if (await pushTicket(d.action_item_id, now, policy)) pushed++;
    else failed++;
  }
  return { pushed, failed };
}

/** One item: reads the issue's status and, unless it already agrees, moves it. False on failure (recorded on the link). */
export async function pushTicket(itemId: string, now: Date, policy: OutboundPolicy = {}): Promise<boolean> {
  const link = await prisma().ticketLink.findUnique({ where: { actionItemId: itemId }, include: { integration: true, actionItem: { select: { status: true } } } });
  if (!link) return true;
  const status = link.actionItem.status as ActionItemStatus;
  const provider = link.integration.provider as TicketProvider;
  const log = logger().child({ action_item: itemId, provider, key: link.externalKey });
  try {
    const tracker = trackerOf(link.integration, policy);
    let remote = await tracker.statusOf(link);
    if (!inStep(provider, status, remote)) remote = await tracker.moveTo(link, status);
    await prisma().ticketLink.update({ where: { actionItemId: itemId }, data: { syncedStatus: status, remoteStatus: remote, syncedAt: now, attempts: 0, nextAttemptAt: null, lastError: null } });
    log.info({ status, remote_status: remote }, "action item status pushed to its ticket");
    return true;
  } catch (e) {
    if (!(e instanceof TrackerError)) throw e;
    const attempts = link.attempts + 1;
    // A refusal that no retry mends (credentials, workflow) is still tried hourly: an admin may fix it.
    const wait = e.retry ? retryDelaySeconds(attempts) : retryDelaySeconds(Number.POSITIVE_INFINITY);
    await prisma().ticketLink.update({ where: { actionItemId: itemId }, data: { attempts, lastError: e.message, nextAttemptAt: new Date(now.getTime() + wait * 1000) } });
    log.warn({ status, attempts, retry_in_s: wait, reason: e.message }, "could not push the action item's status to its ticket; trying again later");
    return false;
  }
}
