// Action items of postmortems, tracked to completion: per team, per owner and "mine", with
// overdue items and completion figures (lib/domain/postmortem.ts trackItems). Action items are
// follow-ups: they stay addable and editable once their postmortem is published.
import { recurrencesOf } from "./recurrences";
import { isOverdue, trackItems, type ActionItemStatus, type Priority } from "../../domain/postmortem";
import { wontDoMessage, type CreateActionItemInput, type UpdateActionItemInput } from "../../schemas/incidents";
import { isUuid } from "../../schemas/common";
import { prisma } from "../db/client";
import { AppError, notFound } from "../errors";
import type { Actor } from "./actor";
import { requireAccessToOwned, requireScope, requireTeamRead, requireUser } from "./access";
import { writeAudit } from "./audit";
import { actionItemInclude, actionItemView, type ActionItemView } from "./postmortems";
import { clockNow } from "../clock";
import { incidentBudgetSpent } from "../../domain/review";
import type { ActionItemDetail } from "../../schemas/action-items";
import { incidentOf, type IncidentView } from "./incidents";

async function requireOwnerInTeam(teamId: string, owner: string | null | undefined) {
  if (!owner) return;
  const m = await prisma().membership.findUnique({ where: { userId_teamId: { userId: owner, teamId } } });
  if (!m) throw new AppError("invalid", "owner: must be a member of the team", { owner: "must be a member of the team" });
}

export async function createActionItem(actor: Actor, postmortemId: string, input: CreateActionItemInput): Promise<ActionItemView> {
  const person = requireUser(actor); // before the lookup: a token learns nothing of which ids exist
  const pm = isUuid(postmortemId) ? await prisma().postmortem.findUnique({ where: { id: postmortemId }, include: { team: { select: { slug: true } } } }) : null;
  if (!pm) throw notFound("postmortem");
  const access = await requireAccessToOwned(person, { teamId: pm.teamId, what: "postmortem" }, "editor");
  await requireOwnerInTeam(access.teamId, input.owner);
  // Relations are read after the commit (Prisma would load them with parallel queries on the transaction's one connection).
  const id = await prisma().$transaction(async (tx) => {
    const a = await tx.actionItem.create({
      data: { teamId: access.teamId, postmortemId: pm.id, title: input.title, type: input.type, priority: input.priority, ownerId: input.owner, dueDate: input.dueDate ? new Date(`${input.dueDate}T00:00:00Z`) : null, ticketUrl: input.ticketUrl },
    });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "action_item.create", targetType: "action_item", targetId: a.id, after: { postmortem: pm.id, ...input } });
    return a.id;
  });
  return actionItemView(await prisma().actionItem.findUniqueOrThrow({ where: { id }, include: actionItemInclude }));
}

export async function updateActionItem(actor: Actor, id: string, input: UpdateActionItemInput): Promise<ActionItemView> {
  const person = requireUser(actor); // before the lookup: a token learns nothing of which ids exist
  const before = isUuid(id) ? await prisma().actionItem.findUnique({ where: { id }, include: { ...actionItemInclude, postmortem: { select: { id: true, title: true, status: true } } } }) : null;
  if (!before) throw notFound("action item");
  const access = await requireAccessToOwned(person, { teamId: before.teamId, what: "action item" }, "editor");
  await requireOwnerInTeam(access.teamId, input.owner);
  if (input.status === "wont_do" && (input.wontDoReason ?? "").trim().length < 3) throw new AppError("invalid", `wontDoReason: ${wontDoMessage}`, { wontDoReason: wontDoMessage });
  const closing = input.status === "done" || input.status === "wont_do";
  await prisma().$transaction(async (tx) => {
    const a = await tx.actionItem.update({
      where: { id: before.id },
      data: {
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.type !== undefined ? { type: input.type } : {}),
        ...(input.priority !== undefined ? { priority: input.priority } : {}),
        ...(input.owner !== undefined ? { ownerId: input.owner } : {}),
        ...(input.dueDate !== undefined ? { dueDate: input.dueDate ? new Date(`${input.dueDate}T00:00:00Z`) : null } : {}),
        ...(input.ticketUrl !== undefined ? { ticketUrl: input.ticketUrl } : {}),
        ...(input.status !== undefined ? { status: input.status, wontDoReason: input.status === "wont_do" ? (input.wontDoReason ?? null) : null, completedAt: closing ? clockNow() : null } : {}),
      },
    });
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: "action_item.update",
      targetType: "action_item",
      targetId: a.id,
      before: actionItemView(before),
      after: { status: a.status, wontDoReason: a.wontDoReason, ownerId: a.ownerId, dueDate: a.dueDate?.toISOString().slice(0, 10) ?? null, ticketUrl: a.ticketUrl, title: a.title, type: a.type, priority: a.priority },
    });
  });
  return actionItemView(await prisma().actionItem.findUniqueOrThrow({ where: { id: before.id }, include: actionItemInclude }));
}

const tracked = (items: ActionItemView[], now: Date) =>
  trackItems(items.map((i) => ({ priority: i.priority as Priority, status: i.status as ActionItemStatus, dueDate: i.dueDate, createdAt: new Date(i.createdAt), completedAt: i.completedAt ? new Date(i.completedAt) : null })), now);

/**
 * The incidents behind these postmortems with their budget impact, each read once (the incident
 * page's own computation), keyed by postmortem.
 */
async function incidentsOfPostmortems(teamId: string, postmortemIds: readonly string[]): Promise<Map<string, IncidentView>> {
  const pms = await prisma().postmortem.findMany({ where: { teamId, id: { in: [...new Set(postmortemIds)] }, incidentId: { not: null } }, select: { id: true, incidentId: true } });
  const ids = [...new Set(pms.map((p) => p.incidentId!))];
  const incidents = new Map((await Promise.all(ids.map((id) => incidentOf(teamId, id)))).map((i) => [i.id, i]));
  return new Map(pms.flatMap((p) => (incidents.has(p.incidentId!) ? [[p.id, incidents.get(p.incidentId!)!] as const] : [])));
}

/**
 * A team's action items with the team's figures and each owner's, and the budget each item's
 * incident spent; `sort: "budget"` puts the items of the costliest incidents first (docs/reviews.md).
 */
export async function teamActionItems(actor: Actor, team: string, now = clockNow(), sort: "due" | "budget" = "due") {
  const access = await requireTeamRead(actor, team);
  const rows = await prisma().actionItem.findMany({ where: { teamId: access.teamId }, include: actionItemInclude, orderBy: [{ dueDate: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }] });
  const items = rows.map(actionItemView);
  const incidentOfPm = await incidentsOfPostmortems(access.teamId, items.map((i) => i.postmortem.id));
  const today = now.toISOString().slice(0, 10);
  const owners = new Map<string, { owner: { id: string; name: string } | null; items: ActionItemView[] }>();
  for (const i of items) {
    const key = i.owner?.id ?? "";
    owners.set(key, { owner: i.owner, items: [...(owners.get(key)?.items ?? []), i] });
  }
  return {
    team: access.slug,
    teamName: access.name,
    tracking: tracked(items, now),
    byOwner: [...owners.values()].map((o) => ({ owner: o.owner, tracking: tracked(o.items, now) })).sort((a, b) => b.tracking.overdue - a.tracking.overdue || b.tracking.open - a.tracking.open),
    sort,
    items: byBudget(
      items.map((i) => {
        const incident = incidentOfPm.get(i.postmortem.id);
        return { ...i, overdue: isOverdue({ status: i.status as ActionItemStatus, dueDate: i.dueDate }, today), incident: incident ? { id: incident.id, title: incident.title } : null, budgetSpent: incident ? incidentBudgetSpent(incident.impact) : null };
      }),
      sort,
    ),
  };
}

/** Most budget first, items without a figure last; the due-date order within ties (the sort is stable). */
const byBudget = <T extends { budgetSpent: number | null }>(items: T[], sort: "due" | "budget") => (sort === "budget" ? [...items].sort((a, b) => (b.budgetSpent ?? -1) - (a.budgetSpent ?? -1)) : items);

/** One action item with its incident's budget impact per SLO (the item's page). */
export async function getActionItem(actor: Actor, id: string, now = clockNow()): Promise<ActionItemDetail> {
  requireScope(actor, "read");
  const row = isUuid(id) ? await prisma().actionItem.findUnique({ where: { id }, include: actionItemInclude }) : null;
  if (!row) throw notFound("action item");
  const access = await requireAccessToOwned(actor, { teamId: row.teamId, what: "action item" }, "viewer");
  const item = actionItemView(row);
  const incident = (await incidentsOfPostmortems(access.teamId, [item.postmortem.id])).get(item.postmortem.id) ?? null;
  return {
    item: { ...item, overdue: isOverdue({ status: item.status as ActionItemStatus, dueDate: item.dueDate }, now.toISOString().slice(0, 10)) },
    incident: incident ? { id: incident.id, title: incident.title, severity: incident.severity, startedAt: incident.startedAt, impact: incident.impact } : null,
    budgetSpent: incident ? incidentBudgetSpent(incident.impact) : null,
    teamName: access.name,
    role: access.role,
    recurrences: await recurrencesOf({ actionItemId: row.id }),
  };
}

/** The caller's own action items across teams. */
export async function myActionItems(actor: Actor, now = clockNow()) {
  const user = requireUser(actor);
  const rows = await prisma().actionItem.findMany({ where: { ownerId: user.userId }, include: actionItemInclude, orderBy: [{ dueDate: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }] });
  const items = rows.map(actionItemView);
  const today = now.toISOString().slice(0, 10);
  return { tracking: tracked(items, now), items: items.map((i) => ({ ...i, overdue: isOverdue({ status: i.status as ActionItemStatus, dueDate: i.dueDate }, today) })) };
}
