// The figures of an error-budget review (docs/reviews.md): per SLO compliance and budget spent
// over the period, incidents with the budget each spent, deploy decisions by outcome, overrides,
// freezes, policy changes, action items and MTTD/MTTR by severity, each beside the previous
// period. Pure: rows arrive as domain values, the period's bounds and `now` come in.
import { computeRemainingBudget, type Objective } from "./budget";
import type { Counts } from "./burn-rate";
import { isOverdue, severities, type Priority, type Severity } from "./postmortem";
import type { GateDecision } from "./policy";

export type Bounds = { from: Date; to: Date };

export type ReviewSloInput = { service: string; slo: string; name: string; objective: Objective; current: Counts; previous: Counts };
export type ReviewIncidentInput = {
  id: string;
  title: string;
  severity: Severity;
  startedAt: Date;
  detectedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  /** Budget each affected SLO lost in the incident (lib/domain/burndown.ts budgetSpentByInterval), null with no data. */
  impact: { service: string; slo: string; budgetSpent: number | null }[];
};
export type ReviewActionItemInput = {
  id: string;
  title: string;
  priority: Priority;
  status: string;
  dueDate: string | null;
  createdAt: Date;
  completedAt: Date | null;
  /** When a later incident burned its SLO again while it was open (lib/domain/recurrence.ts). */
  recurredAt?: readonly Date[];
};
export type ReviewInput = {
  period: Bounds;
  previous: Bounds;
  /** When the review is read: a period still running is counted up to now. */
  now: Date;
  slos: ReviewSloInput[];
  /** Incidents that started in the period or the previous one. */
  incidents: ReviewIncidentInput[];
  /** Gate decisions of both periods. */
  decisions: { decision: string; at: Date }[];
  overrides: { service: string; environment: string | null; reason: string; approvedBy: string; grantedBy: string | null; createdAt: Date; expiresAt: Date; revokedAt: Date | null }[];
  freezes: { service: string | null; environment: string | null; reason: string; startsAt: Date; endsAt: Date; cancelledAt: Date | null }[];
  policyChanges: { scope: string; version: number; at: Date; by: string | null; reset: boolean }[];
  /** Every action item that existed by the period's end (or is still open). */
  actionItems: ReviewActionItemInput[];
};

const within = (t: Date, b: Bounds) => t >= b.from && t < b.to;
const overlaps = (s: Date, e: Date, b: Bounds) => s < b.to && e > b.from;
const minutes = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000;
const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

/**
 * Compliance over the period: SLI = good / valid, met when SLI >= objective. Budget spent =
 * bad / (valid x (1 - objective)) (docs/domain.md "Remaining budget": spent = 1 - remaining),
 * read from the same function as every remaining budget; null with no events.
 */
export function sloCompliance(objective: Objective, c: Counts) {
  const r = computeRemainingBudget(objective, c.good, c.total);
  if (r.state === "no_data") return { sli: null, met: null, budgetSpent: null, goodEvents: c.good, totalEvents: c.total };
  return { sli: r.sli, met: r.remaining >= 0, budgetSpent: 1 - r.remaining, goodEvents: c.good, totalEvents: c.total };
}

/** The largest share of one SLO's budget the incident spent: what ranks incidents and their action items. */
export function incidentBudgetSpent(impact: readonly { budgetSpent: number | null }[]): number | null {
  const xs = impact.flatMap((i) => (i.budgetSpent === null ? [] : [i.budgetSpent]));
  return xs.length ? Math.max(...xs) : null;
}

export type DecisionCounts = Record<GateDecision, number> & { total: number };

function countDecisions(ds: readonly { decision: string; at: Date }[], b: Bounds): DecisionCounts {
  const inside = ds.filter((d) => within(d.at, b));
  const by = (o: string) => inside.filter((d) => d.decision === o).length;
  return { allow: by("allow"), warn: by("warn"), deny: by("deny"), total: inside.length };
}

/**
 * Mean time to detect (detected - started) and to resolve (resolved - started) per severity,
 * in minutes, over the incidents that started in the period. MTTR runs to resolution, not
 * mitigation; the time to mitigate (mitigated - started) is given beside it.
 */
export function timesBySeverity(incidents: readonly ReviewIncidentInput[], b: Bounds) {
  const inside = incidents.filter((i) => within(i.startedAt, b));
  return severities.map((severity) => {
    const xs = inside.filter((i) => i.severity === severity);
    const after = (pick: (i: ReviewIncidentInput) => Date | null) => xs.flatMap((i) => (pick(i) ? [minutes(i.startedAt, pick(i)!)] : []));
    const detect = after((i) => i.detectedAt);
    const mitigate = after((i) => i.mitigatedAt);
    const resolve = after((i) => i.resolvedAt);
    return { severity, incidents: xs.length, mttdMinutes: mean(detect), detected: detect.length, mttmMinutes: mean(mitigate), mitigated: mitigate.length, mttrMinutes: mean(resolve), resolved: resolve.length };
  });
}

const closedBy = (i: ReviewActionItemInput, t: Date) => (i.status === "done" || i.status === "wont_do") && i.completedAt !== null && i.completedAt < t;

/**
 * Action items over the period: opened in it, done in it, overdue at its end (open then and due
 * before its last day ended: docs/domain.md, an item is overdue the day after its due date), and
 * the oldest P0 still open at its end, with its age in days then; and recurrences found in it:
 * incidents that burned an SLO again while an earlier incident's item on it was open.
 */
export function actionItemFigures(items: readonly ReviewActionItemInput[], b: Bounds, now: Date, endDay: string) {
  const end = now < b.to ? now : b.to;
  const existing = items.filter((i) => i.createdAt < end);
  const openAtEnd = existing.filter((i) => !closedBy(i, end));
  const p0 = openAtEnd.filter((i) => i.priority === "P0").sort((a, c) => a.createdAt.getTime() - c.createdAt.getTime())[0];
  return {
    opened: items.filter((i) => within(i.createdAt, b)).length,
    done: items.filter((i) => i.status === "done" && i.completedAt !== null && within(i.completedAt, b)).length,
    overdue: openAtEnd.filter((i) => isOverdue({ status: "open", dueDate: i.dueDate }, endDay)).length,
    openAtEnd: openAtEnd.length,
    recurrences: items.reduce((n, i) => n + (i.recurredAt ?? []).filter((t) => within(t, b)).length, 0),
    oldestOpenP0: p0 ? { id: p0.id, title: p0.title, createdAt: p0.createdAt, ageDays: (end.getTime() - p0.createdAt.getTime()) / 86_400_000 } : null,
  };
}

/**
 * The whole review. `endDays` are the local days on which the period and the previous one end
 * (exclusive: the day after the last), for the overdue count.
 */
export function computeReview(input: ReviewInput, endDays: { period: string; previous: string }) {
  const { period, previous } = input;
  const slos = input.slos.map((s) => {
    const cur = sloCompliance(s.objective, s.current);
    const prev = sloCompliance(s.objective, s.previous);
    return { service: s.service, slo: s.slo, name: s.name, objective: s.objective.text, ...cur, previous: { sli: prev.sli, met: prev.met, budgetSpent: prev.budgetSpent }, sliDelta: delta(cur.sli, prev.sli), budgetSpentDelta: delta(cur.budgetSpent, prev.budgetSpent) };
  });
  const incidentsOf = (b: Bounds) => input.incidents.filter((i) => within(i.startedAt, b));
  const incidents = incidentsOf(period)
    .map((i) => ({ ...i, budgetSpent: incidentBudgetSpent(i.impact) }))
    .sort((a, b) => (b.budgetSpent ?? -1) - (a.budgetSpent ?? -1) || a.startedAt.getTime() - b.startedAt.getTime());
  const decisions = countDecisions(input.decisions, period);
  const prevDecisions = countDecisions(input.decisions, previous);
  const overridesOf = (b: Bounds) => input.overrides.filter((o) => within(o.createdAt, b));
  const overrides = overridesOf(period).map((o) => ({ ...o, durationMinutes: minutes(o.createdAt, o.revokedAt && o.revokedAt < o.expiresAt ? o.revokedAt : o.expiresAt) }));
  const freezes = input.freezes.filter((f) => overlaps(f.startsAt, f.cancelledAt && f.cancelledAt < f.endsAt ? f.cancelledAt : f.endsAt, period));
  const policyChanges = input.policyChanges.filter((p) => within(p.at, period));
  const items = actionItemFigures(input.actionItems, period, input.now, endDays.period);
  const prevItems = actionItemFigures(input.actionItems, previous, input.now, endDays.previous);
  const times = timesBySeverity(input.incidents, period);
  const prevTimes = timesBySeverity(input.incidents, previous);
  return {
    slos,
    slosMet: slos.filter((s) => s.met === true).length,
    slosMissed: slos.filter((s) => s.met === false).length,
    incidents,
    incidentCount: { current: incidents.length, previous: incidentsOf(previous).length },
    decisions: { ...decisions, previous: prevDecisions },
    overrides,
    overrideCount: { current: overrides.length, previous: overridesOf(previous).length },
    freezes,
    policyChanges,
    actionItems: { ...items, previous: prevItems },
    times: times.map((t, k) => {
      const p = prevTimes[k]!;
      return { ...t, previous: { incidents: p.incidents, mttdMinutes: p.mttdMinutes, mttmMinutes: p.mttmMinutes, mttrMinutes: p.mttrMinutes }, mttdDelta: delta(t.mttdMinutes, p.mttdMinutes), mttrDelta: delta(t.mttrMinutes, p.mttrMinutes) };
    }),
  };
}

export type Review = ReturnType<typeof computeReview>;
