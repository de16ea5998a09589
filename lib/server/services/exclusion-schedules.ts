// Recurring exclusions (docs/exclusions.md). A schedule's occurrences are stored as ordinary
// exclusions (exclusions.schedule_id) up to SCHEDULE_LIMITS.horizonDays ahead, so every count
// honours them through the same SQL as one-off exclusions (lib/server/sli-data.ts).
//
// What is past is recorded, never rewritten: creating a schedule stores its occurrences from
// DTSTART; an edit replaces only occurrences that start after it; deleting one removes its
// future occurrences and keeps the past ones as one-off exclusions (schedule_id set to null).
// The periodic run (materialiseExclusionSchedules) moves the horizon on and follows label
// matches, again for occurrences that start later than now only.
import { Prisma } from "../../generated/prisma/client";
import { expandSchedule, labelsMatch, localToInstant, parseLabelSelector, parseLocalDateTime, SCHEDULE_LIMITS, describeSchedule, unmatchedExdates, type Occurrence, type ScheduleDefinition } from "../../domain/exclusion-schedule";
import type {
  CreateExclusionScheduleInput,
  ExclusionSchedulePreview,
  ExclusionScheduleView,
  OccurrenceView,
  PreviewExclusionScheduleInput,
  UpdateExclusionScheduleInput,
} from "../../schemas/exclusion-schedules";
import { isUuid } from "../../schemas/common";
import { prisma } from "../db/client";
import { AppError, conflict, notFound } from "../errors";
import { logger } from "../logger";
import { clockNow } from "../clock";
import { servicesChanged } from "../data-generation";
import type { Actor, TeamAccess } from "./actor";
import { requireDefinitionsRead, requireDefinitionsWrite, requireTeamRead } from "./access";
import { requireUnchangedSince, writeAudit } from "./audit";

type Tx = Prisma.TransactionClient;
type Row = Prisma.ExclusionScheduleGetPayload<{ include: typeof include }>;
type Target = { serviceId: string; sliId: string | null; service: string; sli: string | null };

const include = { service: { select: { slug: true } }, sli: { select: { slug: true } } } as const;
const DAY_MS = 86_400_000;
/** Rows one run may store for a schedule: occurrences times the SLIs a label selects. */
const MAX_ROWS = 5_000;

// Changing schedules is changing definitions: editors, or a token with the `definitions` scope.
const writeAccess = (actor: Actor, team: string) => requireDefinitionsWrite(actor, team, "editor");

const invalid = (field: string, problem: string) => new AppError("invalid", `${field}: ${problem}`, { [field]: problem });
const horizonOf = (now: Date) => new Date(now.getTime() + SCHEDULE_LIMITS.horizonDays * DAY_MS);
const definitionOf = (s: { rrule: string; dtstart: string; timeZone: string; durationMinutes: number; exdates: readonly string[] }): ScheduleDefinition => ({ rule: s.rrule, dtstart: s.dtstart, timeZone: s.timeZone, durationMinutes: s.durationMinutes, exdates: [...new Set(s.exdates)].sort() });
const occurrenceView = (o: Occurrence): OccurrenceView => ({ startsAt: o.startsAt.toISOString(), endsAt: o.endsAt.toISOString(), local: o.local, shift: o.shift });

/** Occurrences in (after, horizon), or the domain's refusal as a 422 naming the field. */
function occurrencesOf(def: ScheduleDefinition, after: Date | null, now: Date): Occurrence[] {
  const r = expandSchedule(def, { after, before: horizonOf(now) });
  if (!r.ok) throw invalid(r.field, r.problem);
  return r.occurrences;
}

/** The scope as stored: a service (and maybe one SLI), or a label selector. */
type Scope = { serviceId: string | null; sliId: string | null; labelKey: string | null; labelValue: string | null };

/** Resolves the input's service, SLI and label to ids, as field errors (they come in the body, not the path). */
async function scopeOf(tx: Tx, access: TeamAccess, input: { service?: string | null; sli?: string | null; label?: string | null }): Promise<Scope> {
  if (input.label) {
    const selector = parseLabelSelector(input.label)!;
    return { serviceId: null, sliId: null, labelKey: selector.key, labelValue: selector.value };
  }
  const ref = input.service!;
  const service = await tx.service.findFirst({ where: { teamId: access.teamId, ...(isUuid(ref) ? { id: ref } : { slug: ref }) } });
  if (!service) throw invalid("service", `there is no service "${ref}" in this team`);
  if (service.archivedAt) throw conflict(`service "${service.slug}" is archived: restore it first`, { service: "is archived" });
  if (!input.sli) return { serviceId: service.id, sliId: null, labelKey: null, labelValue: null };
  const sli = await tx.sli.findFirst({ where: { serviceId: service.id, ...(isUuid(input.sli) ? { id: input.sli } : { slug: input.sli }) } });
  if (!sli) throw invalid("sli", `there is no SLI "${input.sli}" in service "${service.slug}"`);
  if (sli.archivedAt) throw conflict(`SLI "${sli.slug}" is archived: restore it first`, { sli: "is archived" });
  return { serviceId: service.id, sliId: sli.id, labelKey: null, labelValue: null };
}

/**
 * The SLIs a scope covers now, live ones only: the service (every SLI, sliId null) or its one
 * SLI; for a label, every SLI with the label and the SLI of every SLO with it, in the team's
 * live services. (lib/domain/exclusion-schedule.ts labelsMatch is the rule; the JSON path filter
 * is its SQL, and the service test holds them together.)
 */
async function targetsOf(tx: Tx, teamId: string, scope: Scope): Promise<Target[]> {
  if (scope.serviceId) {
    const service = await tx.service.findFirst({ where: { id: scope.serviceId, teamId, archivedAt: null }, select: { id: true, slug: true } });
    if (!service) return [];
    if (!scope.sliId) return [{ serviceId: service.id, sliId: null, service: service.slug, sli: null }];
    const sli = await tx.sli.findFirst({ where: { id: scope.sliId, archivedAt: null }, select: { id: true, slug: true } });
    return sli ? [{ serviceId: service.id, sliId: sli.id, service: service.slug, sli: sli.slug }] : [];
  }
  const selector = { key: scope.labelKey!, value: scope.labelValue! };
  const live = { archivedAt: null, service: { teamId, archivedAt: null } };
  const labelled = { labels: { path: [selector.key], equals: selector.value } };
  const [slis, slos] = await Promise.all([
    tx.sli.findMany({ where: { ...live, ...labelled }, select: { id: true, slug: true, labels: true, service: { select: { id: true, slug: true } } } }),
    tx.slo.findMany({ where: { ...live, ...labelled, sli: { archivedAt: null } }, select: { labels: true, sli: { select: { id: true, slug: true, service: { select: { id: true, slug: true } } } } } }),
  ]);
  const found = new Map<string, Target>();
  for (const s of slis) if (labelsMatch(s.labels, selector)) found.set(s.id, { serviceId: s.service.id, sliId: s.id, service: s.service.slug, sli: s.slug });
  for (const o of slos) if (labelsMatch(o.labels, selector)) found.set(o.sli.id, { serviceId: o.sli.service.id, sliId: o.sli.id, service: o.sli.service.slug, sli: o.sli.slug });
  return [...found.values()].sort((a, b) => `${a.service}/${a.sli}`.localeCompare(`${b.service}/${b.sli}`));
}

type Definition = { kind: Row["kind"]; reason: string } & ScheduleDefinition;

/**
 * Makes the schedule's stored occurrences that start after `after` (null: all of them) match
 * the definition and the targets: rows no longer wanted are deleted, missing ones inserted,
 * rows that stay are left as they are. Returns what changed.
 */
async function syncOccurrences(tx: Tx, scheduleId: string, def: Definition, targets: Target[], occurrences: Occurrence[], after: Date | null) {
  if (occurrences.length * targets.length > MAX_ROWS) {
    throw invalid("label", `selects ${targets.length} SLIs; with ${occurrences.length} occurrences that is more than ${MAX_ROWS.toLocaleString("en-US")} exclusions. Narrow the selector or repeat less often`);
  }
  const key = (r: { serviceId: string; sliId: string | null; startsAt: Date; endsAt: Date; kind: string; reason: string }) => `${r.serviceId}|${r.sliId}|${r.startsAt.getTime()}|${r.endsAt.getTime()}|${r.kind}|${r.reason}`;
  const wanted = new Map<string, Prisma.ExclusionCreateManyInput & { startsAt: Date; endsAt: Date }>();
  for (const o of occurrences) {
    for (const t of targets) {
      const row = { serviceId: t.serviceId, sliId: t.sliId, kind: def.kind, reason: def.reason, startsAt: o.startsAt, endsAt: o.endsAt, scheduleId };
      wanted.set(key(row), row);
    }
  }
  const existing = await tx.exclusion.findMany({ where: { scheduleId, ...(after ? { startsAt: { gt: after } } : {}) }, select: { id: true, serviceId: true, sliId: true, startsAt: true, endsAt: true, kind: true, reason: true } });
  const stale = existing.filter((e) => !wanted.delete(key(e)));
  if (stale.length) await tx.exclusion.deleteMany({ where: { id: { in: stale.map((e) => e.id) } } });
  const added = [...wanted.values()];
  if (added.length) await tx.exclusion.createMany({ data: added });
  const services = new Set([...stale, ...added].map((r) => r.serviceId));
  return { added: added.length, removed: stale.length, services };
}

function scheduleView(s: Row, targets: Target[], now: Date): ExclusionScheduleView {
  const def = definitionOf(s);
  const r = expandSchedule(def, { after: now, before: horizonOf(now) });
  return {
    id: s.id,
    service: s.service?.slug ?? null,
    sli: s.sli?.slug ?? null,
    label: s.labelKey === null ? null : `${s.labelKey}=${s.labelValue}`,
    kind: s.kind,
    reason: s.reason,
    rrule: s.rrule,
    dtstart: s.dtstart,
    timeZone: s.timeZone,
    durationMinutes: s.durationMinutes,
    exdates: s.exdates,
    description: describeSchedule(def),
    next: r.ok ? r.occurrences.slice(0, 3).map(occurrenceView) : [],
    targets: targets.map((t) => ({ service: t.service, sli: t.sli })),
    createdById: s.createdById,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    editedAt: s.editedAt?.toISOString() ?? null,
  };
}

const auditFields = (s: Scope & Definition) => ({
  service: s.serviceId,
  sli: s.sliId,
  label: s.labelKey === null ? null : `${s.labelKey}=${s.labelValue}`,
  kind: s.kind,
  reason: s.reason,
  rrule: s.rule,
  dtstart: s.dtstart,
  timeZone: s.timeZone,
  durationMinutes: s.durationMinutes,
  exdates: s.exdates ?? [],
});

async function findSchedule(tx: Tx, access: TeamAccess, id: string, lock: boolean): Promise<Row> {
  if (!isUuid(id)) throw notFound("exclusion schedule");
  // Edits, deletion and the periodic run take the row in turn, so two never sync it at once.
  if (lock) await tx.$queryRaw`SELECT id FROM exclusion_schedules WHERE id = ${id}::uuid AND team_id = ${access.teamId}::uuid FOR UPDATE`;
  const s = await tx.exclusionSchedule.findFirst({ where: { id, teamId: access.teamId }, include });
  if (!s) throw notFound("exclusion schedule");
  return s;
}

/**
 * The team's schedules; with `service`, those that cover it now (its own, and label selectors
 * that select one of its SLIs).
 */
export async function listExclusionSchedules(actor: Actor, team: string, query: { service?: string } = {}, now = clockNow()): Promise<ExclusionScheduleView[]> {
  const access = await requireTeamRead(actor, team);
  const tx = prisma();
  let serviceId: string | null = null;
  if (query.service) {
    const s = await tx.service.findFirst({ where: { teamId: access.teamId, ...(isUuid(query.service) ? { id: query.service } : { slug: query.service }) }, select: { id: true } });
    if (!s) throw notFound(`service "${query.service}"`);
    serviceId = s.id;
  }
  const rows = await tx.exclusionSchedule.findMany({ where: { teamId: access.teamId, ...(serviceId ? { OR: [{ serviceId }, { labelKey: { not: null } }] } : {}) }, include, orderBy: { createdAt: "asc" } });
  const out: ExclusionScheduleView[] = [];
  for (const s of rows) {
    const targets = await targetsOf(tx, access.teamId, s);
    if (serviceId && s.serviceId !== serviceId && !targets.some((t) => t.serviceId === serviceId)) continue;
    out.push(scheduleView(s, targets, now));
  }
  return out;
}

/** What saving this draft would do: its occurrences (past ones too) and the SLIs it covers. Changes nothing. */
export async function previewExclusionSchedule(actor: Actor, team: string, input: PreviewExclusionScheduleInput, now = clockNow()): Promise<ExclusionSchedulePreview> {
  const access = await requireDefinitionsRead(actor, team);
  const scope = await scopeOf(prisma(), access, input);
  const def = definitionOf(input);
  // An edit changes only what starts after it (updateExclusionSchedule); a new schedule starts at DTSTART.
  if (!input.edit) refuseEarlyStart(def, now);
  const all = occurrencesOf(def, input.edit ? now : null, now);
  const targets = await targetsOf(prisma(), access.teamId, scope);
  const upcoming = all.filter((o) => o.startsAt > now);
  return {
    description: describeSchedule(def),
    past: all.length - upcoming.length,
    next: upcoming.slice(0, 10).map(occurrenceView),
    total: all.length,
    horizonDays: SCHEDULE_LIMITS.horizonDays,
    targets: targets.map((t) => ({ service: t.service, sli: t.sli })),
    unmatchedExdates: unmatchedExdates(def, horizonOf(now)),
  };
}

/** A new schedule excludes from DTSTART, also the past: at most a year back, so no old budget is rewritten by accident. */
function refuseEarlyStart(def: ScheduleDefinition, now: Date) {
  const first = localToInstant(parseLocalDateTime(def.dtstart)!, def.timeZone).at;
  if (first.getTime() < now.getTime() - 366 * DAY_MS) throw invalid("dtstart", "is more than a year ago: a new schedule excludes every occurrence from its first start, so start it later");
}

export async function createExclusionSchedule(actor: Actor, team: string, input: CreateExclusionScheduleInput, now = clockNow()): Promise<ExclusionScheduleView> {
  const access = await writeAccess(actor, team);
  const def: Definition = { kind: input.kind, reason: input.reason, ...definitionOf(input) };
  refuseEarlyStart(def, now);
  const occurrences = occurrencesOf(def, null, now);
  const { row, targets, services } = await prisma().$transaction(async (tx) => {
    const scope = await scopeOf(tx, access, input);
    const created = await tx.exclusionSchedule.create({
      data: { teamId: access.teamId, ...scope, kind: def.kind, reason: def.reason, rrule: def.rule, dtstart: def.dtstart, timeZone: def.timeZone, durationMinutes: def.durationMinutes, exdates: [...(def.exdates ?? [])], createdById: actor.kind === "user" ? actor.userId : null },
      include,
    });
    const targets = await targetsOf(tx, access.teamId, scope);
    const sync = await syncOccurrences(tx, created.id, def, targets, occurrences, null);
    await writeAudit(tx, actor, { teamId: access.teamId, action: "exclusion_schedule.create", targetType: "exclusion_schedule", targetId: created.id, after: { ...auditFields({ ...scope, ...def }), occurrences: occurrences.length, exclusions: sync.added } });
    return { row: created, targets, services: sync.services };
  });
  await servicesChanged(services);
  return scheduleView(row, targets, now);
}

/**
 * A new definition from now on: occurrences that started by now stay as they were recorded;
 * later ones are replaced by the new rule's (those that did not change keep their rows).
 */
export async function updateExclusionSchedule(actor: Actor, team: string, id: string, input: UpdateExclusionScheduleInput, now = clockNow()): Promise<ExclusionScheduleView> {
  const access = await writeAccess(actor, team);
  const def: Definition = { kind: input.kind, reason: input.reason, ...definitionOf(input) };
  const occurrences = occurrencesOf(def, now, now);
  const { row, targets, services } = await prisma().$transaction(async (tx) => {
    const before = await findSchedule(tx, access, id, true);
    await requireUnchangedSince(tx, "exclusion_schedules", "exclusion_schedule", before.id, input.baseUpdatedAt);
    const scope = await scopeOf(tx, access, input);
    const updated = await tx.exclusionSchedule.update({
      where: { id: before.id },
      data: { ...scope, kind: def.kind, reason: def.reason, rrule: def.rule, dtstart: def.dtstart, timeZone: def.timeZone, durationMinutes: def.durationMinutes, exdates: [...(def.exdates ?? [])], editedAt: now },
      include,
    });
    const targets = await targetsOf(tx, access.teamId, scope);
    const sync = await syncOccurrences(tx, updated.id, def, targets, occurrences, now);
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: "exclusion_schedule.update",
      targetType: "exclusion_schedule",
      targetId: updated.id,
      before: auditFields({ ...before, ...definitionOf(before) }),
      after: { ...auditFields({ ...scope, ...def }), exclusionsAdded: sync.added, exclusionsRemoved: sync.removed },
    });
    return { row: updated, targets, services: sync.services };
  });
  await servicesChanged(services);
  return scheduleView(row, targets, now);
}

/** Deletes the schedule and its occurrences that start after now; past ones stay, as one-off exclusions. */
export async function deleteExclusionSchedule(actor: Actor, team: string, id: string, now = clockNow()): Promise<void> {
  const access = await writeAccess(actor, team);
  const services = await prisma().$transaction(async (tx) => {
    const before = await findSchedule(tx, access, id, true);
    const future = await tx.exclusion.findMany({ where: { scheduleId: before.id, startsAt: { gt: now } }, select: { id: true, serviceId: true } });
    await tx.exclusion.deleteMany({ where: { id: { in: future.map((e) => e.id) } } });
    const kept = await tx.exclusion.updateMany({ where: { scheduleId: before.id }, data: { scheduleId: null } });
    await tx.exclusionSchedule.delete({ where: { id: before.id } });
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: "exclusion_schedule.delete",
      targetType: "exclusion_schedule",
      targetId: before.id,
      before: auditFields({ ...before, ...definitionOf(before) }),
      after: { exclusionsRemoved: future.length, exclusionsKept: kept.count },
    });
    return new Set(future.map((e) => e.serviceId));
  });
  await servicesChanged(services);
}

export type MaterialiseResult = { schedules: number; added: number; removed: number; failed: { id: string; problem: string }[] };

/**
 * The periodic run (wired into the hourly queue in lib/server/jobs/runner.ts): for every
 * schedule, the occurrences that start after `now` and before the horizon, for the SLIs its
 * scope covers now. Each schedule in its own transaction, audited when something changed.
 * A schedule that cannot be expanded any more (an hourly rule past rrule.js's step bound) keeps
 * its rows and is reported.
 */
export async function materialiseExclusionSchedules(now = clockNow()): Promise<MaterialiseResult> {
  const ids = await prisma().exclusionSchedule.findMany({ select: { id: true, teamId: true }, orderBy: { createdAt: "asc" } });
  const result: MaterialiseResult = { schedules: ids.length, added: 0, removed: 0, failed: [] };
  for (const { id, teamId } of ids) {
    try {
      const services = await prisma().$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM exclusion_schedules WHERE id = ${id}::uuid FOR UPDATE`;
        const s = await tx.exclusionSchedule.findUnique({ where: { id } });
        if (!s) return new Set<string>();
        const def: Definition = { kind: s.kind, reason: s.reason, ...definitionOf(s) };
        // Only what starts after now, and after the last edit (a run that started before it must not undo it).
        const after = s.editedAt && s.editedAt > now ? s.editedAt : now;
        const occurrences = occurrencesOf(def, after, now);
        const sync = await syncOccurrences(tx, s.id, def, await targetsOf(tx, teamId, s), occurrences, after);
        if (sync.added + sync.removed > 0) {
          await writeAudit(tx, null, { teamId, action: "exclusion_schedule.materialise", targetType: "exclusion_schedule", targetId: s.id, after: { exclusionsAdded: sync.added, exclusionsRemoved: sync.removed, horizon: horizonOf(now).toISOString() } });
        }
        result.added += sync.added;
        result.removed += sync.removed;
        return sync.services;
      });
      await servicesChanged(services);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      result.failed.push({ id, problem: e.message });
      logger().warn({ schedule_id: id, problem: e.message }, "an exclusion schedule could not be materialised; its stored occurrences stay");
    }
  }
  return result;
}
