// Series for charts and incident impact, from bucketed counts.
import { budgetUnits, OBJECTIVE_SCALE, type Objective } from "./budget";
import { burnRate, type Counts } from "./burn-rate";

export type Bucket = Counts & { start: Date };
export type BurndownPoint = { at: Date; remaining: number | null; ideal: number };

/**
 * Remaining budget through the window so far, against the ideal line that spends exactly 100 %
 * by the end of the period (docs/domain.md: "spend about 100 % of the budget by the end of each
 * window"). Budget is measured against the events of the whole window so far, so the last point
 * equals the SLO's remaining budget; points before the first event are null (no data).
 * `buckets` are in time order, each counted at its end.
 */
export function burndown(o: Objective, windowStart: Date, periodMinutes: number, buckets: readonly Bucket[], stepMinutes: number): BurndownPoint[] {
  const total = buckets.reduce((s, b) => s + b.total, 0);
  const allowedScaled = total * budgetUnits(o); // allowed bad x 10^8
  let bad = 0;
  let seen = 0;
  return buckets.map((b) => {
    bad += b.total - b.good;
    seen += b.total;
    const at = new Date(b.start.getTime() + stepMinutes * 60_000);
    const elapsed = (at.getTime() - windowStart.getTime()) / 60_000;
    const ideal = Math.max(0, 1 - elapsed / periodMinutes);
    const remaining = seen === 0 || allowedScaled === 0 ? null : (allowedScaled - bad * OBJECTIVE_SCALE) / allowedScaled;
    return { at, remaining, ideal };
  });
}

/**
 * Budget spent by an interval (an incident) = bad events in it / allowed bad events of the
 * compliance window that contains it (docs/domain.md). A fraction: 0.23 is 23 % of the budget.
 * null when the window had no events.
 */
export function budgetSpentByInterval(o: Objective, interval: Counts, window: Counts): number | null {
  if (window.total === 0) return null;
  return ((interval.total - interval.good) * OBJECTIVE_SCALE) / (window.total * budgetUnits(o));
}

export type SeriesPoint = { at: Date; good: number; bad: number; total: number; sli: number | null; burnRate: number | null; objective: Objective };

/** An SLO's objective, or the objective in force at each instant (definition history: lib/domain/definition-history.ts objectiveAt). */
export type ObjectiveOverTime = Objective | ((at: Date) => Objective);
export const objectiveAtInstant = (o: ObjectiveOverTime, at: Date): Objective => (typeof o === "function" ? o(at) : o);

/**
 * SLI, bad events and burn rate per step, for the SLI and events charts, each step judged by the
 * objective in force at its start; steps with no events are null (a gap), never NaN.
 */
export function sliSeries(o: ObjectiveOverTime, buckets: readonly Bucket[]): SeriesPoint[] {
  return buckets.map((b) => {
    const objective = objectiveAtInstant(o, b.start);
    return { at: b.start, good: b.good, bad: b.total - b.good, total: b.total, sli: b.total === 0 ? null : b.good / b.total, burnRate: burnRate(objective, b), objective };
  });
}

/** Steps a chart may use, in minutes; aligned to the epoch, so the hour and day steps read the rollups. */
export const CHART_STEPS = [1, 5, 15, 60, 180, 360, 1440] as const;
/** At most this many points per chart: enough detail for a wide screen, little to send. */
export const MAX_CHART_POINTS = 400;

/** The finest step that keeps [from, to) within MAX_CHART_POINTS points. */
export function chartStepMinutes(from: Date, to: Date): number {
  const minutes = (to.getTime() - from.getTime()) / 60_000;
  return CHART_STEPS.find((s) => minutes / s <= MAX_CHART_POINTS) ?? 1440;
}
