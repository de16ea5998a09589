// Members of grouped SLOs (docs/grouped-slos.md): found, created on first sight of a label value,
// restored when data arrives for an aged-out one, and archived when idle. A member is an ordinary
// SLI + SLO pair with group_id set, so nothing downstream needs a second code path.
import type { Prisma } from "../../generated/prisma/client";
import { admitNewValues, capRefusal, isIdle, labelValueProblem, memberName, memberSlug } from "../../domain/slo-group";
import { prisma } from "../db/client";
import { clockNow } from "../clock";
import { lastBucketsBefore } from "../sli-data";
import type { Actor } from "./actor";
import { writeAudit } from "./audit";

type Tx = Prisma.TransactionClient;
export type GroupRow = Prisma.SloGroupGetPayload<{ include: { service: { select: { slug: true; teamId: true; archivedAt: true } } } }>;

/** Per value: the member's SLI id, or why no member takes its data (`removed`: its SLO was deleted by hand, so the value is left out on purpose). */
export type MemberLookup = Map<string, { sliId: string } | { refused: string; removed?: true }>;

/** "service/group", as people write it in a push. */
export const groupRef = (g: GroupRow) => `${g.service.slug}/${g.slug}`;

/**
 * The member for each value: live ones as they are; aged-out ones restored; new ones created while
 * the group has room (the cap names itself otherwise). New and restored members are made under a
 * per-group lock, so two pushes of the same new value make one member and the cap holds under races.
 */
export async function ensureMembers(group: GroupRow, values: readonly string[], actor: Actor | null, now = clockNow()): Promise<MemberLookup> {
  const out: MemberLookup = new Map();
  const wanted: string[] = [];
  for (const v of new Set(values)) {
    const problem = labelValueProblem(v);
    if (problem) out.set(v, { refused: `label "${group.labelKey}" value ${problem}` });
    else wanted.push(v);
  }
  if (!wanted.length) return out;
  const existing = await prisma().sli.findMany({ where: { groupId: group.id, groupValue: { in: wanted } }, select: { id: true, groupValue: true, archivedAt: true } });
  const live = new Map(existing.filter((s) => !s.archivedAt).map((s) => [s.groupValue!, s.id]));
  for (const [v, id] of live) out.set(v, { sliId: id });
  const missing = wanted.filter((v) => !live.has(v));
  if (!missing.length) return out;

  await prisma().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${group.id}, 0))`;
    // Read again under the lock: another push may have made or restored these meanwhile.
    const rows = await tx.sli.findMany({ where: { groupId: group.id, groupValue: { in: missing } }, select: { id: true, slug: true, groupValue: true, archivedAt: true, _count: { select: { slos: true } } } });
    const byValue = new Map(rows.map((r) => [r.groupValue!, r]));
    // An archived member SLI without an SLO is a value someone removed (deleteSlo -> endMemberOfDeletedSlo): not brought back.
    const removed = new Set(rows.filter((r) => r.archivedAt !== null && r._count.slos === 0).map((r) => r.groupValue!));
    for (const v of removed) out.set(v, { refused: removedRefusal(group, v, byValue.get(v)!.slug), removed: true });
    const fresh = missing.filter((v) => byValue.get(v)?.archivedAt !== null && !removed.has(v));
    for (const v of missing.filter((v) => byValue.get(v)?.archivedAt === null)) out.set(v, { sliId: byValue.get(v)!.id });
    const liveCount = await tx.sli.count({ where: { groupId: group.id, archivedAt: null } });
    const { admitted, refused } = admitNewValues(liveCount, group.maxMembers, fresh);
    for (const v of refused) out.set(v, { refused: capRefusal(groupRef(group), group.maxMembers, v) });
    for (const v of admitted) {
      const row = byValue.get(v);
      out.set(v, row ? await restoreMember(tx, group, row, actor) : await createMember(tx, group, v, actor, now));
    }
  });
  return out;
}

async function createMember(tx: Tx, group: GroupRow, value: string, actor: Actor | null, now: Date): Promise<{ sliId: string } | { refused: string }> {
  const slug = memberSlug(group.slug, value);
  const taken = await tx.sli.findFirst({ where: { serviceId: group.serviceId, slug }, select: { id: true } });
  const takenSlo = await tx.slo.findFirst({ where: { serviceId: group.serviceId, slug }, select: { id: true } });
  if (taken || takenSlo) return { refused: `label value "${value}" would make member "${slug}", a slug another SLI or SLO of the service already has` };
  const name = memberName(group.name, group.labelKey, value);
  const labels = { [group.labelKey]: value };
  const sli = await tx.sli.create({
    data: {
      serviceId: group.serviceId,
      slug,
      name,
      kind: group.kind,
      source: group.source,
      latencyThresholdMs: group.latencyThresholdMs,
      labels,
      groupId: group.id,
      groupValue: value,
      // A Prometheus member is filled by its group's sync, from where the group has synced.
      ...(group.source === "prometheus" ? { backfillFrom: group.backfillFrom, syncedUntil: null } : {}),
    },
  });
  const slo = await tx.slo.create({
    data: {
      serviceId: group.serviceId,
      sliId: sli.id,
      slug,
      name,
      objective: group.objective,
      windowKind: group.windowKind,
      windowDays: group.windowDays,
      calendarUnit: group.calendarUnit,
      timeZone: group.timeZone,
      minEvents: group.minEvents,
      labels,
      groupId: group.id,
      groupValue: value,
    },
  });
  await writeAudit(tx, actor, { teamId: group.service.teamId, action: "slo_group.member_create", targetType: "slo", targetId: slo.id, after: { group: groupRef(group), value, slug, at: now.toISOString() } });
  return { sliId: sli.id };
}

function removedRefusal(group: GroupRow, value: string, sliSlug: string) {
  return `value "${value}" was removed from group "${groupRef(group)}" (its SLO was deleted); delete its archived SLI "${sliSlug}" to let the value make a member again`;
}

async function restoreMember(tx: Tx, group: GroupRow, sli: { id: string; archivedAt: Date | null }, actor: Actor | null): Promise<{ sliId: string }> {
  const sliId = sli.id;
  await tx.sli.update({ where: { id: sliId }, data: { archivedAt: null, archivedById: null } });
  // Only the SLOs archived with the SLI (age-out, the same instant): one archived by hand stays so until restored by hand.
  const slos = await tx.slo.updateManyAndReturn({ where: { sliId, groupId: group.id, archivedAt: sli.archivedAt }, data: { archivedAt: null, archivedById: null }, select: { id: true, groupValue: true } });
  for (const s of slos) await writeAudit(tx, actor, { teamId: group.service.teamId, action: "slo_group.member_restore", targetType: "slo", targetId: s.id, after: { group: groupRef(group), value: s.groupValue, reason: "data arrived again" } });
  return { sliId };
}

/**
 * Archives the members of live groups that had no data for the group's idle days (the hourly
 * job), with an audit record by the system. A member with no data at all ages from its creation.
 */
export async function archiveIdleMembers(now = clockNow()): Promise<{ archived: number }> {
  const groups = await prisma().sloGroup.findMany({ where: { archivedAt: null }, include: { service: { select: { slug: true, teamId: true, archivedAt: true } } } });
  let archived = 0;
  for (const group of groups) {
    const members = await prisma().sli.findMany({ where: { groupId: group.id, archivedAt: null }, select: { id: true, createdAt: true, groupValue: true } });
    if (!members.length) continue;
    const last = await lastBucketsBefore(
      members.map((m) => m.id),
      new Date(now.getTime() + 10 * 60_000),
    );
    const idle = members.filter((m) => isIdle(last.get(m.id) ?? m.createdAt, group.idleDays, now));
    if (!idle.length) continue;
    await prisma().$transaction(async (tx) => {
      const ids = idle.map((m) => m.id);
      await tx.sli.updateMany({ where: { id: { in: ids }, archivedAt: null }, data: { archivedAt: now } });
      const slos = await tx.slo.updateManyAndReturn({ where: { sliId: { in: ids }, groupId: group.id, archivedAt: null }, data: { archivedAt: now }, select: { id: true, groupValue: true } });
      for (const s of slos) {
        await writeAudit(tx, null, { teamId: group.service.teamId, action: "slo_group.member_archive", targetType: "slo", targetId: s.id, after: { group: groupRef(group), value: s.groupValue, reason: `no data for ${group.idleDays} days` } });
      }
      archived += slos.length;
    });
  }
  return { archived };
}

/**
 * Push items naming a group ("service/group") with labels: each gets its member's SLI,
 * made on first sight, or a rejection naming the field. Groups of other teams stay unknown.
 */
export async function resolveGroupItems(actor: Actor & { kind: "token" }, items: readonly { sli: string; labels: Record<string, string> }[], now = clockNow()): Promise<({ sliId: string } | { field: string; reason: string })[]> {
  const refs = [...new Set(items.map((i) => i.sli))];
  const pairs = refs.filter((r) => /^[^/]+\/[^/]+$/.test(r)).map((r) => r.split("/") as [string, string]);
  const groups = pairs.length
    ? await prisma().sloGroup.findMany({
        where: { service: { teamId: actor.teamId }, OR: pairs.map(([service, group]) => ({ slug: group, service: { slug: service } })) },
        include: { service: { select: { slug: true, teamId: true, archivedAt: true } } },
      })
    : [];
  const byRef = new Map(groups.map((g) => [groupRef(g), g]));
  const lookups = new Map<string, MemberLookup>();
  for (const g of groups) {
    if (g.archivedAt || g.service.archivedAt || g.source !== "push") continue;
    const values = items.filter((i) => i.sli === groupRef(g) && i.labels[g.labelKey] !== undefined).map((i) => i.labels[g.labelKey]!);
    lookups.set(g.id, await ensureMembers(g, values, actor, now));
  }
  return items.map((item) => {
    const g = byRef.get(item.sli);
    if (!g) return { field: "sli", reason: `unknown group "${item.sli}": items with labels name a grouped SLO as "service/group" of this token's team` };
    if (g.archivedAt) return { field: "sli", reason: `group "${item.sli}" is archived: restore it first` };
    if (g.service.archivedAt) return { field: "sli", reason: `service "${g.service.slug}" is archived: restore it first` };
    if (g.source !== "push") return { field: "sli", reason: `group "${item.sli}" takes its data from Prometheus, not from pushes` };
    const value = item.labels[g.labelKey];
    if (value === undefined) return { field: "labels", reason: `labels has no "${g.labelKey}", the label group "${item.sli}" fans out by` };
    const found = lookups.get(g.id)?.get(value);
    if (!found) return { field: "labels", reason: `no member for "${value}"` };
    return "sliId" in found ? found : { field: "labels", reason: found.refused };
  });
}

/**
 * Deleting a member's SLO by hand removes the value from its group (docs/grouped-slos.md, "Removing
 * a value"): the member SLI, whose only use was that SLO, is archived in the same transaction, so it
 * stops taking data (its minutes are kept, as an SLO's deletion promises), and pushes or pulls of the
 * value are left out until someone deletes that archived SLI. An SLI another SLO still reads is left as it is.
 */
export async function endMemberOfDeletedSlo(tx: Tx, actor: Actor, teamId: string, slo: { sliId: string; groupId: string | null; groupValue: string | null }, now: Date): Promise<void> {
  if (!slo.groupId) return;
  if (await tx.slo.count({ where: { sliId: slo.sliId } })) return;
  const sli = await tx.sli.update({ where: { id: slo.sliId }, data: { archivedAt: now, archivedById: actor.kind === "user" ? actor.userId : null }, include: { group: { select: { slug: true, service: { select: { slug: true } } } } } });
  await writeAudit(tx, actor, {
    teamId,
    action: "slo_group.member_archive",
    targetType: "sli",
    targetId: sli.id,
    after: { group: `${sli.group!.service.slug}/${sli.group!.slug}`, value: slo.groupValue, reason: "its SLO was deleted: the value is left out until this SLI is deleted" },
  });
}
