// Notification channels of a team (team admins manage them; secrets are never shown back) and
// the delivery of one alert-state change to one channel.
import { pagerDutyEvents, slackMessage, type AlertChange, type ChatMessage } from "../../domain/notification";
import type { CreateChannelInput } from "../../schemas/notifications";
import type { ChannelView } from "../../schemas/views";
import { isUuid } from "../../schemas/common";
import { prisma } from "../db/client";
import { notFound } from "../errors";
import type { Actor } from "./actor";
import { requirePersonInTeam } from "./access";
import { writeAudit } from "./audit";

const view = (c: { id: string; name: string; kind: string; url: string; createdAt: Date }): ChannelView => ({
  id: c.id,
  name: c.name,
  kind: c.kind,
  // Webhook URLs embed their secret: show where it goes, not the whole address.
  destination: new URL(c.url).host,
  createdAt: c.createdAt.toISOString(),
});

export async function listChannels(actor: Actor, team: string) {
  const access = await requirePersonInTeam(actor, team, "admin");
  return (await prisma().notificationChannel.findMany({ where: { teamId: access.teamId }, orderBy: { name: "asc" } })).map(view);
}

export async function createChannel(actor: Actor, team: string, input: CreateChannelInput) {
  const access = await requirePersonInTeam(actor, team, "admin");
  return prisma().$transaction(async (tx) => {
    const c = await tx.notificationChannel.create({ data: { teamId: access.teamId, name: input.name, kind: input.kind, url: input.url, routingKey: input.routingKey ?? null } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "channel.create", targetType: "notification_channel", targetId: c.id, after: view(c) });
    return view(c);
  });
}

export async function deleteChannel(actor: Actor, team: string, id: string) {
  const access = await requirePersonInTeam(actor, team, "admin");
  await prisma().$transaction(async (tx) => {
    const c = isUuid(id) ? await tx.notificationChannel.findFirst({ where: { id, teamId: access.teamId } }) : null;
    if (!c) throw notFound("notification channel");
    await tx.notificationChannel.delete({ where: { id: c.id } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "channel.delete", targetType: "notification_channel", targetId: c.id, before: view(c) });
  });
}

export class DeliveryError extends Error {}

/** Sends one alert change or chat message to one channel; throws on any failure so the queue retries with backoff. */
export async function deliver(channelId: string, what: { change: AlertChange } | { message: ChatMessage }, timeoutMs = 10_000) {
  const c = await prisma().notificationChannel.findUnique({ where: { id: channelId } });
  if (!c) return; // deleted since: nothing to do
  let bodies: object[];
  if ("message" in what) bodies = c.kind === "slack" ? [what.message] : [];
  else bodies = c.kind === "slack" ? [slackMessage(what.change)] : pagerDutyEvents(what.change, c.routingKey ?? "");
  for (const body of bodies) {
    const res = await fetch(c.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    }).catch((e: unknown) => {
      throw new DeliveryError(`${c.kind} channel "${c.name}" unreachable: ${e instanceof Error ? e.message : String(e)}`);
    });
    if (!res.ok) throw new DeliveryError(`${c.kind} channel "${c.name}" answered HTTP ${res.status}`);
  }
}
