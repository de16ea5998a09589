// The trackers' webhooks (docs/ticket-sync.md): Jira's `jira:issue_updated` and Linear's Issue
// updates move the linked action item, through updateActionItem with ticket sync's system actor
// (audited as any change, its source naming the issue). No session: the signature of the raw
// body, with the integration's secret, is the authentication; Linear's webhookTimestamp must be
// within a minute (Linear's advice against replays). A webhook that finds the item already in
// step (our own change coming back, a repeat) or older than one already applied changes nothing.
import type { ActionItemStatus } from "../../domain/postmortem";
import { isRemoteStatus, itemStatusFor, linearTimestampProblem, wontDoReasonFrom, type RemoteStatus, type TicketProvider } from "../../domain/ticket-sync";
import { jiraWebhookSchema, linearWebhookSchema, type TicketWebhookAnswer } from "../../schemas/ticket-sync";
import { isUuid } from "../../schemas/common";
import { prisma } from "../db/client";
import { clockNow } from "../clock";
import { AppError, fieldsError, notFound } from "../errors";
import { logger } from "../logger";
import { verifyJiraSignature, verifyLinearSignature } from "../tickets/signatures";
import { updateActionItem } from "./action-items";
import { ticketSyncActor } from "./ticket-actor";

const HEADER = { jira: "X-Hub-Signature", linear: "Linear-Signature" } as const;
const ignored = (why: string): TicketWebhookAnswer => ({ applied: null, ignored: why });

/** What a delivery says, once verified and parsed: the issue, its status, and the tracker's time of the event. */
type Event = { externalId: string; key: string; remote: RemoteStatus; at: Date | null } | { skip: string };

function parse(provider: TicketProvider, raw: string, now: Date): Event {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError("invalid", "body: is not valid JSON", { body: "is not valid JSON" });
  }
  const remoteOf = (s: string | undefined, field: string): RemoteStatus => {
    if (s === undefined || !isRemoteStatus(provider, s)) throw new AppError("invalid", `${field}: is not a ${provider === "jira" ? "Jira status category" : "Linear state type"}`, { [field]: "is not a status we know" });
    return s;
  };
  if (provider === "jira") {
    const p = jiraWebhookSchema.safeParse(json);
    if (!p.success) throw fieldsError("invalid", p.error);
    if (p.data.webhookEvent !== "jira:issue_updated") return { skip: `event ${p.data.webhookEvent} is not handled` };
    const issue = p.data.issue;
    if (!issue) throw new AppError("invalid", "issue: is required for jira:issue_updated", { issue: "is required" });
    // Any edit of the issue carries its status: without a status change it must not undo a change of ours still on its way.
    if (!p.data.changelog?.items.some((i) => i.field === "status")) return { skip: `the update of ${issue.key} did not change its status` };
    return { externalId: issue.id, key: issue.key, remote: remoteOf(issue.fields.status.statusCategory.key, "issue.fields.status.statusCategory.key"), at: p.data.timestamp ? new Date(p.data.timestamp) : null };
  }
  const p = linearWebhookSchema.safeParse(json);
  if (!p.success) throw fieldsError("invalid", p.error);
  // Checked before anything is read: a replayed delivery is refused whatever it says.
  const stale = linearTimestampProblem(p.data.webhookTimestamp, now);
  if (stale) throw new AppError("unauthenticated", `${stale} (Linear advises refusing webhooks more than a minute old)`);
  if (p.data.type !== "Issue" || p.data.action !== "update") return { skip: `${p.data.type} ${p.data.action} is not handled` };
  if (!p.data.data.state) return { skip: "the update carries no workflow state" };
  if (!p.data.updatedFrom || !("stateId" in p.data.updatedFrom)) return { skip: `the update of ${p.data.data.identifier ?? p.data.data.id} did not change its state` };
  return { externalId: p.data.data.id, key: p.data.data.identifier ?? p.data.data.id, remote: remoteOf(p.data.data.state.type, "data.state.type"), at: new Date(p.data.webhookTimestamp) };
}

/**
 * One delivery to /api/v1/webhooks/{provider}/{integrationId}. Refusals: 404 unknown integration,
 * 401 missing or wrong signature (or a stale Linear timestamp), 422 malformed; each logged
 * without secrets, and none changes anything.
 */
export async function handleTicketWebhook(provider: TicketProvider, integrationId: string, signature: string | null, raw: string, now = clockNow()): Promise<TicketWebhookAnswer> {
  const integration = isUuid(integrationId) ? await prisma().ticketIntegration.findFirst({ where: { id: integrationId, provider } }) : null;
  if (!integration) throw notFound(`${provider === "jira" ? "Jira" : "Linear"} integration`);
  const log = logger().child({ ticket_integration: integration.id, provider });
  const valid = provider === "jira" ? verifyJiraSignature(integration.webhookSecret, raw, signature) : verifyLinearSignature(integration.webhookSecret, raw, signature);
  if (!valid) {
    log.warn(`ticket webhook refused: the ${HEADER[provider]} signature is missing or does not match`);
    throw new AppError("unauthenticated", `the ${HEADER[provider]} signature is missing or does not match the integration's webhook secret`);
  }
  const event = parse(provider, raw, now);
  if ("skip" in event) return ignored(event.skip);

  const link = await prisma().ticketLink.findUnique({ where: { integrationId_externalId: { integrationId: integration.id, externalId: event.externalId } }, include: { actionItem: { select: { id: true, status: true } } } });
  if (!link) return ignored(`${event.key} is not linked to an action item`);
  if (event.at && link.remoteEventAt && event.at.getTime() <= link.remoteEventAt.getTime()) return ignored(`an event of ${event.key} as new or newer was applied already`);

  const current = link.actionItem.status as ActionItemStatus;
  const target = itemStatusFor(provider, event.remote, current);
  const seen = { remoteStatus: event.remote, ...(event.at ? { remoteEventAt: event.at } : {}) };
  if (!target) {
    // Our own change coming back, or a repeat: both sides agree already.
    await prisma().ticketLink.update({ where: { actionItemId: link.actionItemId }, data: { ...seen, syncedStatus: current, syncedAt: now, attempts: 0, nextAttemptAt: null, lastError: null } });
    return ignored(`the action item is already ${current}`);
  }
  const actor = await ticketSyncActor(integration.teamId, `${provider}:${event.key}`);
  await updateActionItem(actor, link.actionItemId, { status: target, ...(target === "wont_do" ? { wontDoReason: wontDoReasonFrom(provider, event.key) } : {}) });
  await prisma().ticketLink.update({ where: { actionItemId: link.actionItemId }, data: { ...seen, syncedStatus: target, syncedAt: now, attempts: 0, nextAttemptAt: null, lastError: null } });
  log.info({ action_item: link.actionItemId, key: event.key, from: current, to: target }, "action item moved by its ticket");
  return { applied: target, ignored: null };
}
