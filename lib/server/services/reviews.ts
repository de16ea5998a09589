// Error-budget reviews (docs/reviews.md): reads a team's (or one service's) data for a period and
// the previous one, maps the rows to domain values once, and hands them to lib/domain/review.ts.
// Compliance and budget come from the same counts (sli-data.ts countRange, time slices) and
// formulas (computeRemainingBudget, burndown) as every status; incidents' budget from the
// incident pages' own function. The minutes (status, notes, decisions) are stored per period.
import { renderMarkdown } from "../../domain/markdown";
import { burndown } from "../../domain/burndown";
import type { Counts } from "../../domain/burn-rate";
import { computeReview, type ReviewInput } from "../../domain/review";
import { localDayOf, PeriodError, previousPeriod, resolvePeriod, type ReviewPeriod } from "../../domain/review-period";
import { countTimeSlices } from "../../domain/time-slice";
import type { Priority, Severity } from "../../domain/postmortem";
import type { SloDefinition } from "../../domain/slo-definition";
import type { ReviewQuery, ReviewRecordView, ReviewSettingsInput, ReviewView, SaveReviewInput } from "../../schemas/reviews";
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { AppError, isDatabaseUnavailable } from "../errors";
import { bucketSeries, countRange, minuteBuckets } from "../sli-data";
import { clockNow } from "../clock";
import type { Actor, TeamAccess } from "./actor";
import { requirePersonInTeam, requireTeamRead } from "./access";
import { writeAudit } from "./audit";
import { findService, sloDefinitionOf } from "./catalog";
import { incidentsStartedIn } from "./incidents";

type Scope = { access: TeamAccess; timeZone: string; service: { id: string; slug: string; name: string } | null };

/** The period asked for, or a 422 naming the query field. */
export function periodOf(q: { period?: string; from?: string; to?: string }, timeZone: string, now: Date): ReviewPeriod {
  try {
    return resolvePeriod(q, timeZone, now);
  } catch (e) {
    if (e instanceof PeriodError) throw new AppError("invalid", `${e.field}: ${e.message}`, { [e.field]: e.message });
    throw e;
  }
}

async function scopeOf(access: TeamAccess, service: string | null | undefined): Promise<Scope> {
  const team = await prisma().team.findUniqueOrThrow({ where: { id: access.teamId }, select: { timeZone: true } });
  const svc = service ? await findService(access, service) : null;
  return { access, timeZone: team.timeZone, service: svc ? { id: svc.id, slug: svc.slug, name: svc.name } : null };
}

/** Good and valid events (or slices) of an SLO over [from, to): the counts every status reads. */
async function countsOf(def: SloDefinition, from: Date, to: Date): Promise<Counts> {
  if (to <= from) return { good: 0, total: 0 };
  const sli = { id: def.sli.id, serviceId: def.serviceId };
  if (def.sli.timeSlice === null) return countRange(sli, from, to);
  return countTimeSlices(await minuteBuckets(sli, from, to), def.sli.timeSlice.minutes, def.sli.timeSlice.target);
}

const earlier = (a: Date, b: Date) => (a < b ? a : b);

/** Each SLO's counts for both periods and its burndown through this one; an SLO whose data cannot be read shows why. */
async function sloFigures(scope: Scope, period: ReviewPeriod, previous: ReviewPeriod, now: Date) {
  const rows = await prisma().slo.findMany({
    where: { service: { teamId: scope.access.teamId, archivedAt: null }, archivedAt: null, ...(scope.service ? { serviceId: scope.service.id } : {}) },
    include: { sli: true, service: { select: { slug: true, name: true } } },
    orderBy: [{ service: { name: "asc" } }, { name: "asc" }],
  });
  const end = earlier(period.to, now);
  const periodMinutes = Math.round((period.to.getTime() - period.from.getTime()) / 60_000);
  // Hourly points up to ~5 weeks, daily beyond (as on an SLO's page).
  const step = periodMinutes <= 35 * 1440 ? 60 : 1440;
  return Promise.all(
    rows.map(async (row) => {
      const base = { service: row.service, slo: { slug: row.slug, name: row.name } };
      try {
        const def = sloDefinitionOf(row);
        const [current, prev, series] = await Promise.all([
          countsOf(def, period.from, end),
          countsOf(def, previous.from, earlier(previous.to, now)),
          def.sli.timeSlice === null && end > period.from ? bucketSeries({ id: def.sli.id, serviceId: def.serviceId }, period.from, end, step) : Promise.resolve([]),
        ]);
        return { ...base, def, current, previous: prev, burndown: burndown(def.objective, period.from, periodMinutes, series, step), error: null };
      } catch (e) {
        if (isDatabaseUnavailable(e)) throw e;
        return { ...base, def: null, current: { good: 0, total: 0 }, previous: { good: 0, total: 0 }, burndown: [], error: `its data could not be read (${(e as Error).message})` };
      }
    }),
  );
}

/** The review of a period for a team, or one service (`query.service`). Viewers and read tokens. */
export async function getReview(actor: Actor, team: string, query: ReviewQuery, now = clockNow()): Promise<ReviewView> {
  const access = await requireTeamRead(actor, team);
  const scope = await scopeOf(access, query.service);
  const period = periodOf(query, scope.timeZone, now);
  return reviewOf(scope, period, now);
}

async function reviewOf(scope: Scope, period: ReviewPeriod, now: Date): Promise<ReviewView> {
  const previous = previousPeriod(period);
  const teamId = scope.access.teamId;
  const svc = scope.service?.id;
  const both = { gte: previous.from, lt: period.to };
  const [slos, incidents, decisions, overrides, freezes, policies, items, record] = await Promise.all([
    sloFigures(scope, period, previous, now),
    incidentsStartedIn(teamId, previous.from, period.to, svc),
    prisma().gateDecision.findMany({ where: { teamId, createdAt: both, ...(svc ? { serviceId: svc } : {}) }, select: { decision: true, createdAt: true } }),
    prisma().gateOverride.findMany({ where: { teamId, createdAt: both, ...(svc ? { serviceId: svc } : {}) }, include: { service: { select: { slug: true } }, grantedBy: { select: { name: true } } }, orderBy: { createdAt: "asc" } }),
    prisma().freeze.findMany({ where: { teamId, startsAt: { lt: period.to }, endsAt: { gt: period.from }, ...(svc ? { OR: [{ serviceId: svc }, { serviceId: null }] } : {}) }, include: { service: { select: { slug: true } } }, orderBy: { startsAt: "asc" } }),
    prisma().policyVersion.findMany({ where: { teamId, createdAt: { gte: period.from, lt: period.to }, ...(svc ? { OR: [{ serviceId: svc }, { serviceId: null }] } : {}) }, include: { createdBy: { select: { name: true } }, service: { select: { slug: true } } }, orderBy: { createdAt: "asc" } }),
    prisma().actionItem.findMany({ where: { teamId, createdAt: { lt: period.to }, ...(svc ? { postmortem: { incident: { slos: { some: { slo: { serviceId: svc } } } } } } : {}) }, include: { recurrences: { select: { detectedAt: true } } } }),
    prisma().errorBudgetReview.findUnique({ where: { teamId_scope_period: { teamId, scope: svc ?? "team", period: period.key } }, include: { heldBy: { select: { name: true } } } }),
  ]);
  // The one mapping from rows to the domain's values.
  const input: ReviewInput = {
    period,
    previous,
    now,
    slos: slos.flatMap((s) => (s.def ? [{ service: s.service.slug, slo: s.slo.slug, name: s.slo.name, objective: s.def.objective, current: s.current, previous: s.previous }] : [])),
    incidents: incidents.map((i) => ({
      id: i.id,
      title: i.title,
      severity: i.severity as Severity,
      startedAt: new Date(i.startedAt),
      detectedAt: i.detectedAt ? new Date(i.detectedAt) : null,
      mitigatedAt: i.mitigatedAt ? new Date(i.mitigatedAt) : null,
      resolvedAt: i.resolvedAt ? new Date(i.resolvedAt) : null,
      impact: i.impact.map((x) => ({ service: x.service.slug, slo: x.slo.slug, budgetSpent: x.budgetSpent })),
    })),
    decisions: decisions.map((d) => ({ decision: d.decision, at: d.createdAt })),
    overrides: overrides.map((o) => ({ service: o.service.slug, environment: o.environment, reason: o.reason, approvedBy: o.approvedBy, grantedBy: o.grantedBy?.name ?? null, createdAt: o.createdAt, expiresAt: o.expiresAt, revokedAt: o.revokedAt })),
    freezes: freezes.map((f) => ({ service: f.service?.slug ?? null, environment: f.environment, reason: f.reason, startsAt: f.startsAt, endsAt: f.endsAt, cancelledAt: f.cancelledAt })),
    policyChanges: policies.map((p) => ({ scope: p.service?.slug ?? "team", version: p.version, at: p.createdAt, by: p.createdBy?.name ?? null, reset: p.body === null })),
    actionItems: items.map((a) => ({ id: a.id, title: a.title, priority: a.priority as Priority, status: a.status, dueDate: a.dueDate?.toISOString().slice(0, 10) ?? null, createdAt: a.createdAt, completedAt: a.completedAt, recurredAt: a.recurrences.map((x) => x.detectedAt) })),
  };
  // Overdue is judged on the day the period ended, or today while it runs.
  const endDay = (p: ReviewPeriod) => localDayOf(earlier(p.to, now), p.timeZone);
  const r = computeReview(input, { period: endDay(period), previous: endDay(previous) });
  const byKey = new Map(r.slos.map((s) => [`${s.service}/${s.slo}`, s]));
  const iso = (d: Date) => d.toISOString();
  const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
  const periodView = (p: ReviewPeriod) => ({ kind: p.kind, key: p.key, label: p.label, from: iso(p.from), to: iso(p.to), timeZone: p.timeZone });
  const itemsView = (x: (typeof r.actionItems)["previous"]) => ({ ...x, oldestOpenP0: x.oldestOpenP0 ? { ...x.oldestOpenP0, createdAt: iso(x.oldestOpenP0.createdAt) } : null });
  const none = { sli: null, met: null, budgetSpent: null };
  return {
    team: { slug: scope.access.slug, name: scope.access.name, role: scope.access.role, timeZone: scope.timeZone },
    service: scope.service ? { slug: scope.service.slug, name: scope.service.name } : null,
    period: periodView(period),
    previous: periodView(previous),
    at: iso(now),
    slos: slos.map((s) => {
      const c = byKey.get(`${s.service.slug}/${s.slo.slug}`);
      return {
        service: s.service,
        slo: s.slo,
        objective: c?.objective ?? "",
        sli: c?.sli ?? null,
        met: c?.met ?? null,
        budgetSpent: c?.budgetSpent ?? null,
        goodEvents: s.current.good,
        totalEvents: s.current.total,
        previous: c?.previous ?? none,
        sliDelta: c?.sliDelta ?? null,
        budgetSpentDelta: c?.budgetSpentDelta ?? null,
        burndown: s.burndown.map((p) => ({ at: iso(p.at), remaining: p.remaining, ideal: p.ideal })),
        error: s.error,
      };
    }),
    slosMet: r.slosMet,
    slosMissed: r.slosMissed,
    incidents: r.incidents.map((i) => ({ ...i, startedAt: iso(i.startedAt), detectedAt: isoOrNull(i.detectedAt), mitigatedAt: isoOrNull(i.mitigatedAt), resolvedAt: isoOrNull(i.resolvedAt) })),
    incidentCount: r.incidentCount,
    decisions: r.decisions,
    overrides: r.overrides.map((o) => ({ ...o, createdAt: iso(o.createdAt), expiresAt: iso(o.expiresAt), revokedAt: isoOrNull(o.revokedAt) })),
    overrideCount: r.overrideCount,
    freezes: r.freezes.map((f) => ({ ...f, startsAt: iso(f.startsAt), endsAt: iso(f.endsAt), cancelledAt: isoOrNull(f.cancelledAt) })),
    policyChanges: r.policyChanges.map((p) => ({ ...p, at: iso(p.at) })),
    actionItems: { ...itemsView(r.actionItems), previous: itemsView(r.actionItems.previous) },
    times: r.times,
    record: recordView(record),
  };
}

type RecordRow = { status: string; notes: string; decisions: unknown; revision: number; heldAt: Date | null; heldBy: { name: string } | null; updatedAt: Date } | null;

function recordView(row: RecordRow): ReviewRecordView {
  if (!row) return { status: "draft", notes: "", notesHtml: "", decisions: [], revision: 0, heldAt: null, heldBy: null, updatedAt: null };
  return {
    status: row.status as ReviewRecordView["status"],
    notes: row.notes,
    notesHtml: renderMarkdown(row.notes),
    decisions: Array.isArray(row.decisions) ? row.decisions.map(String) : [],
    revision: row.revision,
    heldAt: row.heldAt?.toISOString() ?? null,
    heldBy: row.heldBy?.name ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Saves a review's minutes (editors): status, notes and decisions, with its audit record in the
 * same transaction. A save names the revision it started from; one from an older revision is a
 * 409 that says who changed it (docs/architecture.md rule 8). Marking it held records who and when.
 */
export async function saveReview(actor: Actor, team: string, input: SaveReviewInput, now = clockNow()): Promise<ReviewRecordView> {
  const access = await requirePersonInTeam(actor, team, "editor");
  const scope = await scopeOf(access, input.service);
  const period = periodOf({ period: input.period }, scope.timeZone, now);
  const key = { teamId: access.teamId, scope: scope.service?.id ?? "team", period: period.key };
  const userId = actor.kind === "user" ? actor.userId : null;
  const stale = (current: number) => {
    const why = `this review was saved by someone else since you opened it (revision ${current}, yours ${input.baseRevision}); reload to see their changes`;
    return new AppError("conflict", why, { baseRevision: why });
  };
  await prisma().$transaction(async (tx) => {
    const before = await tx.errorBudgetReview.findUnique({ where: { teamId_scope_period: key } });
    const current = before?.revision ?? 0;
    if (input.baseRevision !== current) throw stale(current);
    // Two saves from the same revision at once: the row lock makes the second wait and see the new revision.
    if (before) {
      const locked = await tx.$queryRaw<{ revision: number }[]>`SELECT revision FROM error_budget_reviews WHERE id = ${before.id}::uuid FOR UPDATE`;
      if (locked[0]?.revision !== current) throw stale(locked[0]?.revision ?? current);
    }
    const held = input.status === "held";
    const heldFields = held ? (before?.status === "held" ? {} : { heldAt: now, heldById: userId }) : { heldAt: null, heldById: null };
    const data = { status: input.status, notes: input.notes, decisions: input.decisions, ...heldFields };
    const after = before
      ? await tx.errorBudgetReview.update({ where: { id: before.id }, data: { ...data, revision: { increment: 1 } } })
      : await tx.errorBudgetReview.create({ data: { ...key, serviceId: scope.service?.id ?? null, ...data } });
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: before?.status !== "held" && held ? "review.hold" : "review.save",
      targetType: "error_budget_review",
      targetId: after.id,
      ...(before ? { before: { status: before.status, notes: before.notes, decisions: before.decisions, revision: before.revision } } : {}),
      after: { period: period.key, service: scope.service?.slug ?? null, status: after.status, notes: after.notes, decisions: input.decisions, revision: after.revision },
    });
  }).catch((e: unknown) => {
    // Two first saves at once: the unique key lets one create the review; the other is stale.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw stale(1);
    throw e;
  });
  const row = await prisma().errorBudgetReview.findUniqueOrThrow({ where: { teamId_scope_period: key }, include: { heldBy: { select: { name: true } } } });
  return recordView(row);
}

/** Sets the time zone the team's review periods are cut in (team admins), audited in the same transaction. */
export async function setReviewTimeZone(actor: Actor, team: string, input: ReviewSettingsInput): Promise<{ timeZone: string }> {
  const access = await requirePersonInTeam(actor, team, "admin");
  return prisma().$transaction(async (tx) => {
    const before = await tx.team.findUniqueOrThrow({ where: { id: access.teamId }, select: { timeZone: true } });
    const after = await tx.team.update({ where: { id: access.teamId }, data: { timeZone: input.timeZone }, select: { timeZone: true } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "team.time_zone", targetType: "team", targetId: access.teamId, before, after });
    return after;
  });
}
