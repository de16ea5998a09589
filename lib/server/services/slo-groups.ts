// Grouped SLOs (docs/grouped-slos.md): create, read, change and archive a group of a service.
// Members are ordinary SLI + SLO rows (slo-group-members.ts); a template change here is applied to
// every member in the same transaction, with its definition history, as catalog.updateSlo does.
import { Prisma } from "../../generated/prisma/client";
import type { CreateGroupInput, GroupDetail, GroupView, UpdateGroupInput } from "../../schemas/slo-groups";
import { isUuid } from "../../schemas/common";
import { prisma } from "../db/client";
import { clockNow } from "../clock";
import { conflict, notFound } from "../errors";
import { assertCallable } from "../http/outbound";
import { requestPrometheusSync } from "../jobs/sync-requests";
import type { Actor, TeamAccess } from "./actor";
import { requireDefinitionsWrite, requireTeamRead } from "./access";
import { requireUnchangedSince, writeAudit } from "./audit";
import { findService, windowColumns } from "./catalog";
import { storedWindowOf, trimDecimal } from "./stored-values";
import { recordDefinitionChanges, snapshotMeasures } from "./definition-versions";

type Tx = Prisma.TransactionClient;
type Row = Prisma.SloGroupGetPayload<object>;

const writeAccess = (actor: Actor, team: string) => requireDefinitionsWrite(actor, team, "editor");


export function groupView(g: Row, counts: { live: number; archived: number }): GroupView {
  return {
    id: g.id,
    slug: g.slug,
    name: g.name,
    description: g.description,
    labelKey: g.labelKey,
    kind: g.kind,
    // A group is pushed or pulled (its schema refuses composite sources).
    source: g.source === "prometheus" ? "prometheus" : "push",
    latencyThresholdMs: g.latencyThresholdMs,
    prometheus:
      g.source === "prometheus"
        ? {
            url: g.promUrl,
            goodQuery: g.promGoodQuery,
            badQuery: g.promBadQuery,
            totalQuery: g.promTotalQuery,
            hasAuthHeader: Boolean(g.promAuthHeader),
            syncedUntil: g.syncedUntil?.toISOString() ?? null,
            lastSyncAt: g.lastSyncAt?.toISOString() ?? null,
            lastSyncError: g.lastSyncError,
          }
        : null,
    objective: trimDecimal(g.objective.toString()),
    window: storedWindowOf(g),
    minEvents: g.minEvents,
    maxMembers: g.maxMembers,
    idleDays: g.idleDays,
    memberCount: counts,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
    archivedAt: g.archivedAt?.toISOString() ?? null,
  };
}

async function countsOf(groupIds: string[], tx: Tx = prisma()) {
  const rows = await tx.slo.groupBy({ by: ["groupId", "archivedAt"], where: { groupId: { in: groupIds } }, _count: true });
  const out = new Map<string, { live: number; archived: number }>(groupIds.map((id) => [id, { live: 0, archived: 0 }]));
  for (const r of rows) {
    const c = out.get(r.groupId!)!;
    if (r.archivedAt) c.archived += r._count;
    else c.live += r._count;
  }
  return out;
}

async function findGroup(access: TeamAccess, service: string, group: string, tx: Tx = prisma()) {
  const svc = await findService(access, service, tx);
  const g = await tx.sloGroup.findFirst({ where: { serviceId: svc.id, ...(isUuid(group) ? { id: group } : { slug: group }) } });
  if (!g) throw notFound(`group "${group}"`);
  return { svc, g };
}

export async function listGroups(actor: Actor, team: string, service: string): Promise<GroupView[]> {
  const svc = await findService(await requireTeamRead(actor, team), service);
  const rows = await prisma().sloGroup.findMany({ where: { serviceId: svc.id, archivedAt: null }, orderBy: { name: "asc" } });
  const counts = await countsOf(rows.map((r) => r.id));
  return rows.map((r) => groupView(r, counts.get(r.id)!));
}

/**
 * The service page's groups, the member SLIs it lists under their group instead of with the other
 * SLIs, and its archived groups (named, so their page, where they are restored, can be found).
 */
export async function groupsOfService(
  actor: Actor,
  team: string,
  service: string,
): Promise<{ groups: GroupView[]; memberSliIds: string[]; archived: { slug: string; name: string; archivedAt: string }[] }> {
  const groups = await listGroups(actor, team, service);
  const svc = await findService(await requireTeamRead(actor, team), service);
  const [members, archived] = await Promise.all([
    groups.length ? prisma().sli.findMany({ where: { groupId: { in: groups.map((g) => g.id) } }, select: { id: true } }) : [],
    prisma().sloGroup.findMany({ where: { serviceId: svc.id, archivedAt: { not: null } }, select: { slug: true, name: true, archivedAt: true }, orderBy: { name: "asc" } }),
  ]);
  return { groups, memberSliIds: members.map((m) => m.id), archived: archived.map((g) => ({ slug: g.slug, name: g.name, archivedAt: g.archivedAt!.toISOString() })) };
}

export async function getGroup(actor: Actor, team: string, service: string, group: string): Promise<GroupDetail> {
  return getGroupFor(await requireTeamRead(actor, team), service, group);
}

/** A group with its members, for a caller whose read access is already checked (the group page). */
export async function getGroupFor(access: TeamAccess, service: string, group: string): Promise<GroupDetail> {
  const { g } = await findGroup(access, service, group);
  const members = await prisma().slo.findMany({ where: { groupId: g.id }, include: { sli: { select: { id: true, slug: true } } }, orderBy: { groupValue: "asc" } });
  const counts = (await countsOf([g.id])).get(g.id)!;
  return {
    ...groupView(g, counts),
    members: members.map((m) => ({ value: m.groupValue!, slo: { id: m.id, slug: m.slug }, sli: m.sli, createdAt: m.createdAt.toISOString(), archivedAt: m.archivedAt?.toISOString() ?? null })),
  };
}

export async function createGroup(actor: Actor, team: string, service: string, input: CreateGroupInput): Promise<GroupView> {
  const access = await writeAccess(actor, team);
  // Every outbound request to a user-given address goes through the guard (lib/server/http/outbound.ts).
  if (input.prometheus) assertCallable(input.prometheus.url, "prometheus.url");
  try {
    const g = await prisma().$transaction(async (tx) => {
      const svc = await findService(access, service, tx);
      if (svc.archivedAt) throw conflict(`service "${svc.slug}" is archived: restore it first`);
      const g = await tx.sloGroup.create({
        data: {
          serviceId: svc.id,
          slug: input.slug,
          name: input.name,
          description: input.description,
          labelKey: input.labelKey,
          kind: input.kind,
          latencyThresholdMs: input.latencyThresholdMs ?? null,
          objective: input.objective,
          minEvents: input.minEvents,
          maxMembers: input.maxMembers,
          idleDays: input.idleDays,
          ...windowColumns(input.window),
          ...(input.prometheus
            ? {
                source: "prometheus" as const,
                promUrl: input.prometheus.url,
                promAuthHeader: input.prometheus.authHeader ?? null,
                promGoodQuery: input.prometheus.goodQuery ?? null,
                promBadQuery: input.prometheus.badQuery ?? null,
                promTotalQuery: input.prometheus.totalQuery,
              }
            : {}),
        },
      });
      await writeAudit(tx, actor, { teamId: access.teamId, action: "slo_group.create", targetType: "slo_group", targetId: g.id, after: groupView(g, { live: 0, archived: 0 }) });
      return g;
    });
    // A Prometheus group is first synced at the next tick (jobs/runner.ts), which also finds its values.
    return groupView(g, { live: 0, archived: 0 });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict(`a group with slug "${input.slug}" already exists`, { slug: "is already taken" });
    throw e;
  }
}

export async function updateGroup(actor: Actor, team: string, service: string, group: string, input: UpdateGroupInput): Promise<GroupView> {
  const access = await writeAccess(actor, team);
  const { g, promMembers } = await prisma().$transaction(async (tx) => {
    const { g: found } = await findGroup(access, service, group, tx);
    await requireUnchangedSince(tx, "slo_groups", "slo_group", found.id, input.baseUpdatedAt);
    if (found.archivedAt) throw conflict(`group "${found.slug}" is archived: restore it first`);
    const { baseUpdatedAt: _base, ...rest } = input;
    const template = {
      ...(rest.objective !== undefined ? { objective: rest.objective } : {}),
      ...(rest.minEvents !== undefined ? { minEvents: rest.minEvents } : {}),
      ...(rest.window ? windowColumns(rest.window) : {}),
    };
    const g = await tx.sloGroup.update({
      where: { id: found.id },
      data: { name: rest.name, description: rest.description, maxMembers: rest.maxMembers, idleDays: rest.idleDays, ...template },
    });
    // The template applies to every member, live or aged out, so a restored member judges as the rest.
    const members = await tx.slo.findMany({ where: { groupId: g.id }, select: { id: true, sliId: true } });
    if (Object.keys(template).length && members.length) {
      const measures = await snapshotMeasures(tx, { sloIds: members.map((m) => m.id) });
      await tx.slo.updateMany({ where: { groupId: g.id }, data: template });
      await recordDefinitionChanges(tx, actor, access.teamId, measures, clockNow());
    }
    const counts = (await countsOf([g.id], tx)).get(g.id)!;
    await writeAudit(tx, actor, { teamId: access.teamId, action: "slo_group.update", targetType: "slo_group", targetId: g.id, before: groupView(found, counts), after: groupView(g, counts) });
    return { g, promMembers: rest.window && g.source === "prometheus" ? members.map((m) => m.sliId) : [] };
  });
  // A longer window needs older data: the members' sync extends the backfill.
  if (promMembers.length) requestPrometheusSync(promMembers.slice(0, 1));
  return groupView(g, (await countsOf([g.id])).get(g.id)!);
}

/** Archives the group and its live members (soft, as other archives: data kept); new values are refused meanwhile. */
export async function archiveGroup(actor: Actor, team: string, service: string, group: string): Promise<GroupView> {
  const access = await writeAccess(actor, team);
  return prisma().$transaction(async (tx) => {
    const { g: found } = await findGroup(access, service, group, tx);
    if (found.archivedAt) throw conflict(`group "${found.slug}" is already archived`);
    const now = clockNow();
    const by = actor.kind === "user" ? actor.userId : null;
    const g = await tx.sloGroup.update({ where: { id: found.id }, data: { archivedAt: now } });
    await tx.slo.updateMany({ where: { groupId: g.id, archivedAt: null }, data: { archivedAt: now, archivedById: by } });
    await tx.sli.updateMany({ where: { groupId: g.id, archivedAt: null }, data: { archivedAt: now, archivedById: by } });
    const counts = (await countsOf([g.id], tx)).get(g.id)!;
    await writeAudit(tx, actor, { teamId: access.teamId, action: "slo_group.archive", targetType: "slo_group", targetId: g.id, before: groupView(found, counts), after: groupView(g, counts) });
    return groupView(g, counts);
  });
}

/** Restores an archived group with the members archived with it (the same instant); members that had aged out before stay archived until data comes. */
export async function restoreGroup(actor: Actor, team: string, service: string, group: string): Promise<GroupView> {
  const access = await writeAccess(actor, team);
  return prisma().$transaction(async (tx) => {
    const { svc, g: found } = await findGroup(access, service, group, tx);
    if (!found.archivedAt) throw conflict(`group "${found.slug}" is not archived`);
    if (svc.archivedAt) throw conflict(`service "${svc.slug}" is archived: restore it first`);
    const g = await tx.sloGroup.update({ where: { id: found.id }, data: { archivedAt: null } });
    await tx.slo.updateMany({ where: { groupId: g.id, archivedAt: found.archivedAt }, data: { archivedAt: null, archivedById: null } });
    await tx.sli.updateMany({ where: { groupId: g.id, archivedAt: found.archivedAt }, data: { archivedAt: null, archivedById: null } });
    const counts = (await countsOf([g.id], tx)).get(g.id)!;
    await writeAudit(tx, actor, { teamId: access.teamId, action: "slo_group.restore", targetType: "slo_group", targetId: g.id, before: groupView(found, counts), after: groupView(g, counts) });
    return groupView(g, counts);
  });
}
