// Notification channels of a team (team admins manage them, and tokens with the `definitions`
// scope, since SLOs name the channels they notify; secrets are never shown back) and
// the delivery of one alert-state change to one channel: Slack-compatible webhooks, PagerDuty
// (Events API v2) and email (SMTP).
import { emailOf, pagerDutyEvents, slackMessage, type AlertChange, type ChatMessage } from "../../domain/notification";
import { alertEventChatMessage, alertEventPagerDuty, type AlertEvent } from "../../domain/alert-kinds";
import type { CreateChannelInput } from "../../schemas/notifications";
import type { ChannelView } from "../../schemas/views";
import { isUuid } from "../../schemas/common";
import { prisma } from "../db/client";
import { notFound } from "../errors";
import { assertCallable, OutboundError, outboundRequest, type OutboundPolicy } from "../http/outbound";
import type { Actor } from "./actor";
import { requireDefinitionsWrite } from "./access";
import { writeAudit } from "./audit";

const view = (c: { id: string; name: string; kind: string; url: string; emailTo: string[]; createdAt: Date }): ChannelView => ({
  id: c.id,
  name: c.name,
  kind: c.kind,
  // Webhook and SMTP URLs embed their secret: show where it goes, not the whole address.
  destination: c.kind === "email" ? `${c.emailTo.join(", ")} via ${new URL(c.url).host}` : new URL(c.url).host,
  createdAt: c.createdAt.toISOString(),
});

export async function listChannels(actor: Actor, team: string) {
  const access = await requireDefinitionsWrite(actor, team, "admin");
  return (await prisma().notificationChannel.findMany({ where: { teamId: access.teamId }, orderBy: { name: "asc" } })).map(view);
}

export async function createChannel(actor: Actor, team: string, input: CreateChannelInput) {
  const access = await requireDefinitionsWrite(actor, team, "admin");
  assertCallable(input.url, "url");
  return prisma().$transaction(async (tx) => {
    const c = await tx.notificationChannel.create({ data: { teamId: access.teamId, name: input.name, kind: input.kind, url: input.url, routingKey: input.routingKey ?? null, emailFrom: input.from ?? null, emailTo: input.to ?? [] } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "channel.create", targetType: "notification_channel", targetId: c.id, after: view(c) });
    return view(c);
  });
}

export async function deleteChannel(actor: Actor, team: string, id: string) {
  const access = await requireDefinitionsWrite(actor, team, "admin");
  await prisma().$transaction(async (tx) => {
    const c = isUuid(id) ? await tx.notificationChannel.findFirst({ where: { id, teamId: access.teamId } }) : null;
    if (!c) throw notFound("notification channel");
    await tx.notificationChannel.delete({ where: { id: c.id } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "channel.delete", targetType: "notification_channel", targetId: c.id, before: view(c) });
  });
}

/** A failed delivery, in our words (the receiver's answer is not repeated: the queue stores this message). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** The receiver said when to come back (429 or 503 with Retry-After), in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * Sends one alert change or chat message to one channel, through the outbound guard (no private
 * addresses unless OUTBOUND_ALLOW, no redirects); throws on any failure so the queue retries with backoff.
 */
export async function deliver(channelId: string, what: { change: AlertChange } | { message: ChatMessage } | { event: AlertEvent }, timeoutMs = 10_000, policy: OutboundPolicy = {}) {
  const c = await prisma().notificationChannel.findUnique({ where: { id: channelId } });
  if (!c) return; // deleted since: nothing to do
  // The chat message: what Slack gets as is, and email as plain text. PagerDuty gets events instead
  // (a chat message alone, e.g. a gate notice, is not an incident there).
  // No-data and budget-below alerts (alert-kinds.ts): to the same channels as burn-rate alerts.
  const chat = "message" in what ? what.message : "event" in what ? alertEventChatMessage(what.event) : slackMessage(what.change);
  if (c.kind === "email") {
    try {
      const { sendOutboundMail } = await mailer();
      await sendOutboundMail(c.url, { from: c.emailFrom ?? "", to: c.emailTo, ...emailOf(chat) }, { ...policy, timeoutMs });
    } catch (e) {
      if (!(e instanceof OutboundError)) throw e;
      // e.message names the server by scheme, host and port (never its credentials).
      throw new DeliveryError(`email channel "${c.name}": ${e.kind === "status" ? `the SMTP server ${e.message}` : `SMTP server unreachable: ${e.message}`}`);
    }
    return;
  }
  let bodies: object[];
  if ("message" in what) bodies = c.kind === "slack" ? [chat] : [];
  else if ("event" in what) bodies = c.kind === "slack" ? [chat] : alertEventPagerDuty(what.event, c.routingKey ?? "");
  else bodies = c.kind === "slack" ? [chat] : pagerDutyEvents(what.change, c.routingKey ?? "");
  for (const body of bodies) {
    try {
      await outboundRequest(c.url, { ...policy, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), timeoutMs, maxBytes: 0 }); // only the status matters
    } catch (e) {
      if (!(e instanceof OutboundError)) throw e;
      // Webhook URLs embed their secret: name the channel, and the failure without the URL.
      throw new DeliveryError(e.kind === "status" ? `${c.kind} channel "${c.name}" answered HTTP ${e.status}` : `${c.kind} channel "${c.name}" unreachable: ${e.reason}`, e.retryAfterSeconds);
    }
  }
}

/** The SMTP client (nodemailer, about 10 MB once loaded) is loaded with the first email, not with the server. */
const mailer = () => import("../http/outbound-mail");
