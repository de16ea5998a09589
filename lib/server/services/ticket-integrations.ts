// A team's Jira or Linear (docs/ticket-sync.md): team admins connect, change and remove them.
// The API token and the webhook secret are write-only; a secret we make is shown once, in the
// answer that made it.
import type { TicketProvider } from "../../domain/ticket-sync";
import type { CreateTicketIntegrationInput, TicketConnectionCheck, TicketIntegrationView, UpdateTicketIntegrationInput } from "../../schemas/ticket-sync";
import { isUuid } from "../../schemas/common";
import { prisma } from "../db/client";
import { getConfig } from "../config";
import { assertCallable, type OutboundPolicy } from "../http/outbound";
import { TrackerError } from "../tickets/tracker";
import { trackerOf } from "../tickets/trackers";
import { AppError, conflict, notFound } from "../errors";
import { newWebhookSecret } from "../tickets/signatures";
import type { Actor } from "./actor";
import { requirePersonInTeam } from "./access";
import { writeAudit } from "./audit";

export const webhookUrlOf = (provider: TicketProvider, id: string) => `${getConfig().publicUrl}/api/v1/webhooks/${provider}/${id}`;
const label = (p: TicketProvider) => (p === "jira" ? "Jira" : "Linear");

type Row = { id: string; provider: string; baseUrl: string; email: string; project: string; issueType: string; createdAt: Date; updatedAt: Date; _count: { links: number } };
const viewOf = (r: Row, webhookSecret?: string): TicketIntegrationView => ({
  id: r.id,
  provider: r.provider as TicketProvider,
  baseUrl: r.baseUrl,
  email: r.email,
  project: r.project,
  issueType: r.issueType,
  webhookUrl: webhookUrlOf(r.provider as TicketProvider, r.id),
  ...(webhookSecret ? { webhookSecret } : {}),
  links: r._count.links,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});
const withCount = { _count: { select: { links: true } } } as const;
/** What the audit log keeps of a change: never the token or the secret. */
const auditable = (r: { provider: string; baseUrl: string; email: string; project: string; issueType: string }) => ({ provider: r.provider, baseUrl: r.baseUrl, email: r.email, project: r.project, issueType: r.issueType });

export async function listTicketIntegrations(actor: Actor, team: string): Promise<TicketIntegrationView[]> {
  const access = await requirePersonInTeam(actor, team, "admin");
  const rows = await prisma().ticketIntegration.findMany({ where: { teamId: access.teamId }, include: withCount, orderBy: { provider: "asc" } });
  return rows.map((r) => viewOf(r));
}

export async function createTicketIntegration(actor: Actor, team: string, input: CreateTicketIntegrationInput): Promise<TicketIntegrationView> {
  const access = await requirePersonInTeam(actor, team, "admin");
  assertCallable(input.baseUrl, "baseUrl");
  const made = input.webhookSecret ? undefined : newWebhookSecret();
  const data = {
    teamId: access.teamId,
    provider: input.provider,
    baseUrl: input.baseUrl,
    email: input.provider === "jira" ? input.email : "",
    apiToken: input.apiToken,
    project: input.project,
    issueType: input.provider === "jira" ? input.issueType : "",
    webhookSecret: input.webhookSecret ?? made!,
  };
  const taken = () => conflict(`team "${access.slug}" already has a ${label(input.provider)} integration: change or remove that one`, { provider: "is already connected" });
  if (await prisma().ticketIntegration.findUnique({ where: { teamId_provider: { teamId: access.teamId, provider: input.provider } }, select: { id: true } })) throw taken();
  const row = await prisma()
    .$transaction(async (tx) => {
      const r = await tx.ticketIntegration.create({ data, include: withCount });
      await writeAudit(tx, actor, { teamId: access.teamId, action: "ticket_integration.create", targetType: "ticket_integration", targetId: r.id, after: auditable(r) });
      return r;
    })
    .catch((e: unknown) => {
      throw (e as { code?: unknown }).code === "P2002" ? taken() : e; // made by a concurrent request
    });
  return viewOf(row, made);
}

async function findOwn(teamId: string, id: string) {
  const row = isUuid(id) ? await prisma().ticketIntegration.findFirst({ where: { id, teamId }, include: withCount }) : null;
  if (!row) throw notFound("ticket integration");
  return row;
}

export async function updateTicketIntegration(actor: Actor, team: string, id: string, input: UpdateTicketIntegrationInput): Promise<TicketIntegrationView> {
  const access = await requirePersonInTeam(actor, team, "admin");
  const before = await findOwn(access.teamId, id);
  if (input.baseUrl) assertCallable(input.baseUrl, "baseUrl");
  if (before.provider === "jira" && input.project !== undefined && !/^[A-Z][A-Z0-9_]{1,19}$/.test(input.project)) {
    throw new AppError("invalid", "project: must be the Jira project key, e.g. OPS", { project: "must be the Jira project key, e.g. OPS" });
  }
  if (before.provider === "linear" && (input.email !== undefined || input.issueType !== undefined)) {
    const field = input.email !== undefined ? "email" : "issueType";
    throw new AppError("invalid", `${field}: is for Jira only`, { [field]: "is for Jira only" });
  }
  const made = input.newWebhookSecret ? newWebhookSecret() : undefined;
  const row = await prisma().$transaction(async (tx) => {
    const r = await tx.ticketIntegration.update({
      where: { id: before.id },
      data: {
        ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.apiToken !== undefined ? { apiToken: input.apiToken } : {}),
        ...(input.project !== undefined ? { project: input.project } : {}),
        ...(input.issueType !== undefined ? { issueType: input.issueType } : {}),
        ...(input.webhookSecret !== undefined || made ? { webhookSecret: input.webhookSecret ?? made } : {}),
      },
      include: withCount,
    });
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: "ticket_integration.update",
      targetType: "ticket_integration",
      targetId: r.id,
      before: auditable(before),
      // Only that they changed, never what they are.
      after: { ...auditable(r), apiTokenChanged: input.apiToken !== undefined, webhookSecretChanged: input.webhookSecret !== undefined || Boolean(made) },
    });
    return r;
  });
  return viewOf(row, made);
}

/**
 * Asks the tracker, with the stored settings, for the project (Jira) or team (Linear) issues go
 * to (team admins): the settings page runs it after every save. Nothing is stored or audited; a
 * failure is an answer here (200), in our words, never the tracker's or the token.
 */
export async function testTicketIntegration(actor: Actor, team: string, id: string, policy: OutboundPolicy = {}): Promise<TicketConnectionCheck> {
  const access = await requirePersonInTeam(actor, team, "admin");
  const row = await findOwn(access.teamId, id);
  try {
    await trackerOf(row, policy).check();
    return { ok: true, problem: null, retry: false };
  } catch (e) {
    if (!(e instanceof TrackerError)) throw e;
    return { ok: false, problem: e.message, retry: e.retry };
  }
}

/** Removing a tracker unlinks its items (the issues stay in the tracker). */
export async function deleteTicketIntegration(actor: Actor, team: string, id: string): Promise<void> {
  const access = await requirePersonInTeam(actor, team, "admin");
  const before = await findOwn(access.teamId, id);
  await prisma().$transaction(async (tx) => {
    await tx.ticketIntegration.delete({ where: { id: before.id } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "ticket_integration.delete", targetType: "ticket_integration", targetId: before.id, before: { ...auditable(before), links: before._count.links } });
  });
}
