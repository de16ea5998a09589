// Series for charts and incident impact, from bucketed counts.
import { budgetUnits, OBJECTIVE_SCALE, type Objective } from "./budget";
import type { Counts } from "./burn-rate";

export type Bucket = Counts & { start: Date };
export type BurndownPoint = { at: Date; remaining: number | null; ideal: number };

/**
 * Remaining budget through the window so far, against the ideal line that spends exactly 100 %
 * by the end of the period (DOMAIN.md: "spend about 100 % of the budget by the end of each
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
 * compliance window that contains it (DOMAIN.md). A fraction: 0.23 is 23 % of the budget.
 * null when the window had no events.
 */
export function budgetSpentByInterval(o: Objective, interval: Counts, window: Counts): number | null {
  if (window.total === 0) return null;
  return ((interval.total - interval.good) * OBJECTIVE_SCALE) / (window.total * budgetUnits(o));
}
