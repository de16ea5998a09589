// Archive, restore and delete of services, SLIs and SLOs (lib/domain/archive.ts decides what may
// be done and says what it does; docs/domain.md, "Archive and delete"). Archive is soft: an
// `archived_at` that every list, the gate, the evaluator, notifications, /metrics, ingestion and
// the Prometheus sync filter on. Archiving a service archives its live SLIs and SLOs at the same
// instant, so restoring it brings back exactly those. Delete is permanent, for archived things only,
// typed out by slug or name, and for team admins. Each change is audited in its transaction.
import {
  confirmationMatches,
  deleteRefusal,
  deletionConsequences,
  restoreRefusal,
  sliArchiveRefusal,
  type CatalogKind,
  type DeletionCounts,
} from "../../domain/archive";
import type { ArchiveInput, ArchivedItem, ArchivedList, DeleteArchivedInput } from "../../schemas/archive";
import type { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { AppError, conflict } from "../errors";
import { requestPrometheusSync } from "../jobs/sync-requests";
import { clockNow } from "../clock";
import type { Actor, TeamAccess } from "./actor";
import { requireDefinitionsWrite, requireTeamRead } from "./access";
import { requireUnchangedSince, writeAudit } from "./audit";
import { findService, findSli, findSlo, serviceView, sliView, sloView } from "./catalog";
import { endMemberOfDeletedSlo } from "./slo-group-members";

type Tx = Prisma.TransactionClient;

// Archive and restore are editors' (they change definitions and are undone); deletion loses data
// for good, so it is for team admins (lib/domain/roles.ts). Tokens with the `definitions` scope may do both.
const editAccess = (actor: Actor, team: string) => requireDefinitionsWrite(actor, team, "editor");
const deleteAccess = (actor: Actor, team: string) => requireDefinitionsWrite(actor, team, "admin");
const userIdOf = (actor: Actor) => (actor.kind === "user" ? actor.userId : null);

function refuse(why: string | null) {
  if (why) throw conflict(why);
}

function requireConfirmation(kind: CatalogKind, target: { slug: string; name: string }, input: DeleteArchivedInput) {
  if (!confirmationMatches(input.confirm, target)) {
    throw new AppError("invalid", `type "${target.slug}" (the ${kind === "service" ? "service" : kind.toUpperCase()}'s slug) or its name to delete it`, { confirm: `must be "${target.slug}" or its name` });
  }
}

// --- services -----------------------------------------------------------------------------------

export async function archiveService(actor: Actor, team: string, service: string, input: ArchiveInput) {
  const access = await editAccess(actor, team);
  return prisma().$transaction(async (tx) => {
    const found = await findService(access, service, tx);
    await requireUnchangedSince(tx, "services", "service", found.id, input.baseUpdatedAt);
    if (found.archivedAt) throw conflict(`service "${found.slug}" is already archived`);
    const at = clockNow();
    const by = userIdOf(actor);
    const [slis, slos] = await Promise.all([
      tx.sli.findMany({ where: { serviceId: found.id, archivedAt: null }, select: { slug: true } }),
      tx.slo.findMany({ where: { serviceId: found.id, archivedAt: null }, select: { slug: true } }),
    ]);
    // The same instant marks what was archived with the service (restoreService brings back those).
    await tx.sli.updateMany({ where: { serviceId: found.id, archivedAt: null }, data: { archivedAt: at, archivedById: by } });
    await tx.slo.updateMany({ where: { serviceId: found.id, archivedAt: null }, data: { archivedAt: at, archivedById: by } });
    const s = await tx.service.update({ where: { id: found.id }, data: { archivedAt: at, archivedById: by } });
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: "service.archive",
      targetType: "service",
      targetId: s.id,
      before: serviceView(found),
      after: { ...serviceView(s), archivedWith: { slis: slis.map((x) => x.slug), slos: slos.map((x) => x.slug) } },
    });
    return serviceView(s);
  });
}

export async function restoreService(actor: Actor, team: string, service: string, input: ArchiveInput) {
  const access = await editAccess(actor, team);
  const { view, promSlis } = await prisma().$transaction(async (tx) => {
    const found = await findService(access, service, tx);
    await requireUnchangedSince(tx, "services", "service", found.id, input.baseUpdatedAt);
    refuse(restoreRefusal("service", found, []));
    const withIt = { serviceId: found.id, archivedAt: found.archivedAt };
    const [slis, slos] = await Promise.all([
      tx.sli.findMany({ where: withIt, select: { id: true, slug: true, source: true } }),
      tx.slo.findMany({ where: withIt, select: { slug: true } }),
    ]);
    await tx.sli.updateMany({ where: withIt, data: { archivedAt: null, archivedById: null } });
    await tx.slo.updateMany({ where: withIt, data: { archivedAt: null, archivedById: null } });
    const s = await tx.service.update({ where: { id: found.id }, data: { archivedAt: null, archivedById: null } });
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: "service.restore",
      targetType: "service",
      targetId: s.id,
      before: serviceView(found),
      after: { ...serviceView(s), restoredWith: { slis: slis.map((x) => x.slug), slos: slos.map((x) => x.slug) } },
    });
    return { view: serviceView(s), promSlis: slis.filter((x) => x.source === "prometheus").map((x) => x.id) };
  });
  // The sync resumes where it stopped, so Prometheus fills what it still holds of the gap.
  if (promSlis.length) requestPrometheusSync(promSlis);
  return view;
}

export async function deleteService(actor: Actor, team: string, service: string, input: DeleteArchivedInput) {
  const access = await deleteAccess(actor, team);
  await prisma().$transaction(async (tx) => {
    const found = await findService(access, service, tx);
    refuse(deleteRefusal("service", found));
    requireConfirmation("service", found, input);
    const counts = (await countsOf(tx, "service", [found.id])).get(found.id)!;
    await tx.service.delete({ where: { id: found.id } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "service.delete", targetType: "service", targetId: found.id, before: { ...serviceView(found), deleted: counts } });
  });
}

// --- SLIs ---------------------------------------------------------------------------------------

export async function archiveSli(actor: Actor, team: string, service: string, sli: string, input: ArchiveInput) {
  const access = await editAccess(actor, team);
  return prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const found = await findSli(svc.id, sli, tx);
    await requireUnchangedSince(tx, "slis", "sli", found.id, input.baseUpdatedAt);
    if (found.archivedAt) throw conflict(`SLI "${found.slug}" is already archived`);
    // Refused rather than archiving them too: an SLO gates deploys, and that should not stop unseen.
    const live = await tx.slo.findMany({ where: { sliId: found.id, archivedAt: null }, select: { slug: true }, orderBy: { slug: "asc" } });
    refuse(sliArchiveRefusal(found, live));
    const s = await tx.sli.update({ where: { id: found.id }, data: { archivedAt: clockNow(), archivedById: userIdOf(actor) } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "sli.archive", targetType: "sli", targetId: s.id, before: sliView(found), after: sliView(s) });
    return sliView(s);
  });
}

export async function restoreSli(actor: Actor, team: string, service: string, sli: string, input: ArchiveInput) {
  const access = await editAccess(actor, team);
  const view = await prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const found = await findSli(svc.id, sli, tx);
    await requireUnchangedSince(tx, "slis", "sli", found.id, input.baseUpdatedAt);
    refuse(restoreRefusal("sli", found, [{ kind: "service", slug: svc.slug, archivedAt: svc.archivedAt }]));
    const s = await tx.sli.update({ where: { id: found.id }, data: { archivedAt: null, archivedById: null } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "sli.restore", targetType: "sli", targetId: s.id, before: sliView(found), after: sliView(s) });
    return sliView(s);
  });
  if (view.source === "prometheus") requestPrometheusSync([view.id]);
  return view;
}

export async function deleteSli(actor: Actor, team: string, service: string, sli: string, input: DeleteArchivedInput) {
  const access = await deleteAccess(actor, team);
  await prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const found = await findSli(svc.id, sli, tx);
    refuse(deleteRefusal("sli", found));
    requireConfirmation("sli", found, input);
    const counts = (await countsOf(tx, "sli", [found.id])).get(found.id)!;
    // Its SLOs are archived (an SLI with live SLOs cannot be archived) and go with it.
    await tx.sli.delete({ where: { id: found.id } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "sli.delete", targetType: "sli", targetId: found.id, before: { ...sliView(found), deleted: counts } });
  });
}

// --- SLOs ---------------------------------------------------------------------------------------

export async function archiveSlo(actor: Actor, team: string, service: string, slo: string, input: ArchiveInput) {
  const access = await editAccess(actor, team);
  return prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const found = await findSlo(svc.id, slo, tx);
    await requireUnchangedSince(tx, "slos", "slo", found.id, input.baseUpdatedAt);
    if (found.archivedAt) throw conflict(`SLO "${found.slug}" is already archived`);
    const s = await tx.slo.update({ where: { id: found.id }, data: { archivedAt: clockNow(), archivedById: userIdOf(actor) }, include: { sli: true } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "slo.archive", targetType: "slo", targetId: s.id, before: sloView(found), after: sloView(s) });
    return sloView(s);
  });
}

export async function restoreSlo(actor: Actor, team: string, service: string, slo: string, input: ArchiveInput) {
  const access = await editAccess(actor, team);
  return prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const found = await findSlo(svc.id, slo, tx);
    await requireUnchangedSince(tx, "slos", "slo", found.id, input.baseUpdatedAt);
    refuse(
      restoreRefusal("slo", found, [
        { kind: "service", slug: svc.slug, archivedAt: svc.archivedAt },
        { kind: "sli", slug: found.sli.slug, archivedAt: found.sli.archivedAt },
      ]),
    );
    const s = await tx.slo.update({ where: { id: found.id }, data: { archivedAt: null, archivedById: null }, include: { sli: true } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "slo.restore", targetType: "slo", targetId: s.id, before: sloView(found), after: sloView(s) });
    return sloView(s);
  });
}

export async function deleteSlo(actor: Actor, team: string, service: string, slo: string, input: DeleteArchivedInput) {
  const access = await deleteAccess(actor, team);
  await prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const found = await findSlo(svc.id, slo, tx);
    refuse(deleteRefusal("slo", found));
    requireConfirmation("slo", found, input);
    const counts = (await countsOf(tx, "slo", [found.id])).get(found.id)!;
    await tx.slo.delete({ where: { id: found.id } });
    // A grouped SLO's member SLI stops taking data with its SLO (docs/grouped-slos.md, "Removing a value").
    await endMemberOfDeletedSlo(tx, actor, access.teamId, found, clockNow());
    await writeAudit(tx, actor, { teamId: access.teamId, action: "slo.delete", targetType: "slo", targetId: found.id, before: { ...sloView(found), deleted: counts } });
  });
}

// --- what is archived, and what deleting it would do ---------------------------------------------

/** Every archived service, SLI and SLO of a team, newest first, with what deleting each would remove. */
export async function listArchived(actor: Actor, team: string): Promise<ArchivedList> {
  const access = await requireTeamRead(actor, team);
  return { team: access.slug, items: await archivedOf(access) };
}

async function archivedOf(access: TeamAccess): Promise<ArchivedItem[]> {
  const db = prisma();
  const by = { archivedBy: { select: { name: true } } } as const;
  const svc = { select: { slug: true, name: true, archivedAt: true } } as const;
  const [services, slis, slos] = await Promise.all([
    db.service.findMany({ where: { teamId: access.teamId, archivedAt: { not: null } }, include: by }),
    db.sli.findMany({ where: { service: { teamId: access.teamId }, archivedAt: { not: null } }, include: { ...by, service: svc } }),
    db.slo.findMany({ where: { service: { teamId: access.teamId }, archivedAt: { not: null } }, include: { ...by, service: svc } }),
  ]);
  const [serviceCounts, sliCounts, sloCounts] = await Promise.all([
    countsOf(db, "service", services.map((s) => s.id)),
    countsOf(db, "sli", slis.map((s) => s.id)),
    countsOf(db, "slo", slos.map((s) => s.id)),
  ]);
  const item = (kind: CatalogKind, row: { id: string; slug: string; name: string; archivedAt: Date | null; archivedBy: { name: string } | null }, service: { slug: string; name: string; archivedAt: Date | null }, counts: DeletionCounts): ArchivedItem => ({
    kind,
    id: row.id,
    slug: row.slug,
    name: row.name,
    service: { slug: service.slug, name: service.name },
    archivedAt: row.archivedAt!.toISOString(),
    archivedBy: row.archivedBy?.name ?? null,
    withService: kind !== "service" && service.archivedAt !== null && service.archivedAt.getTime() === row.archivedAt!.getTime(),
    deletion: deletionConsequences(kind, counts),
  });
  return [
    ...services.map((s) => item("service", s, s, serviceCounts.get(s.id)!)),
    ...slis.map((s) => item("sli", s, s.service, sliCounts.get(s.id)!)),
    ...slos.map((s) => item("slo", s, s.service, sloCounts.get(s.id)!)),
  ].sort((a, b) => b.archivedAt.localeCompare(a.archivedAt) || a.kind.localeCompare(b.kind) || a.slug.localeCompare(b.slug));
}

type CountRow = { id: string; slis: number; slos: number; minutes: number; alert_changes: number; incidents: number; decisions: number };

/** What deleting each of these would remove (and the decisions a service's deletion keeps), counted in one query. */
async function countsOf(tx: Tx, kind: CatalogKind, ids: string[]): Promise<Map<string, DeletionCounts>> {
  if (ids.length === 0) return new Map();
  // The SLIs and SLOs that go with each target: a service's all, an SLI's SLOs, an SLO alone (its SLI stays).
  const scope = {
    service: { slis: "SELECT id FROM slis WHERE service_id = t.id", slos: "SELECT id FROM slos WHERE service_id = t.id" },
    sli: { slis: "SELECT t.id", slos: "SELECT id FROM slos WHERE sli_id = t.id" },
    slo: { slis: "SELECT NULL::uuid WHERE false", slos: "SELECT t.id" },
  }[kind];
  const rows = await tx.$queryRawUnsafe<CountRow[]>(
    `SELECT t.id::text AS id,
       (SELECT count(*)::int FROM (${scope.slis}) x) AS slis,
       (SELECT count(*)::int FROM (${scope.slos}) x) AS slos,
       ${kind === "slo" ? "0" : `(SELECT count(*)::int FROM sli_buckets b WHERE b.sli_id IN (${scope.slis}))`} AS minutes,
       (SELECT count(*)::int FROM slo_alert_changes c WHERE c.slo_id IN (${scope.slos})) AS alert_changes,
       (SELECT count(DISTINCT incident_id)::int FROM incident_slos i WHERE i.slo_id IN (${scope.slos})) AS incidents,
       ${kind === "service" ? "(SELECT count(*)::int FROM gate_decisions d WHERE d.service_id = t.id)" : "0"} AS decisions
     FROM unnest($1::uuid[]) AS t(id)`,
    ids,
  );
  return new Map(rows.map((r) => [r.id, { slis: r.slis, slos: r.slos, minutes: r.minutes, alertChanges: r.alert_changes, incidents: r.incidents, decisions: r.decisions }]));
}
