// Burn rate over time for the SLO page's chart: at each instant, the burn rate of each alert
// rule's long window (1 h, 6 h, 1 d, 3 d) ending there, with burnRate() and alertFactor() of
// burn-rate.ts, the functions the evaluator uses (docs/architecture.md rule 1: no second formula).
// A point equals what the evaluator computed at that instant, since the windows are sums of
// whole, epoch-aligned buckets (docs/domain.md "Multiwindow, multi-burn-rate alerts").
import type { Objective } from "./budget";
import { burnRate, effectiveAlertRules, type AlertRule, type EffectiveAlertRule } from "./burn-rate";
import { CHART_STEPS, objectiveAtInstant, type Bucket, type ObjectiveOverTime } from "./burndown";
import { countTimeSlices } from "./time-slice";

/** The windows drawn, oldest rule first: each rule's long window and its threshold for this compliance period. */
export type BurnRateWindow = Pick<AlertRule, "severity" | "longMinutes" | "budgetPercent"> & { factor: number };

export function burnRateWindows(periodMinutes: number, rules: readonly EffectiveAlertRule[] = effectiveAlertRules({}, periodMinutes)): BurnRateWindow[] {
  return rules.filter((r) => r.enabled).map((r) => ({ severity: r.severity, longMinutes: r.longMinutes, budgetPercent: r.budgetPercent, factor: r.factor }));
}

/**
 * The bucket length to read for a chart of `stepMinutes`: the longest chart step that divides
 * the step and every window (so every window is a sum of whole buckets), and that whole time
 * slices fill (a multiple of `sliceMinutes`). Null when no such length exists.
 */
export function burnRateResolutionMinutes(stepMinutes: number, windowMinutes: readonly number[], sliceMinutes: number | null = null): number | null {
  const fits = (r: number) => stepMinutes % r === 0 && windowMinutes.every((w) => w % r === 0) && (sliceMinutes === null || r % sliceMinutes === 0);
  return [...CHART_STEPS].reverse().find(fits) ?? null;
}

/** The instants a burn-rate chart evaluates: every multiple of the step in (from, to]. */
export function burnRateInstants(from: Date, to: Date, stepMinutes: number): Date[] {
  const ms = stepMinutes * 60_000;
  const out: Date[] = [];
  for (let t = Math.floor(from.getTime() / ms) * ms + ms; t <= to.getTime(); t += ms) out.push(new Date(t));
  return out;
}

export type BurnRatePoint = { at: Date; rates: (number | null)[] };

/**
 * The burn rate of each window ending at each instant. `buckets`: contiguous, oldest first, each
 * `resolutionMinutes` long and aligned to it, covering [instant - longest window, instant) for
 * every instant (the caller reads that span); a window reaching before the first bucket counts
 * only what it holds. A window without events is null ("no data"), never NaN. Each instant is
 * judged by the objective in force then.
 */
export function burnRateSeries(o: ObjectiveOverTime, buckets: readonly Bucket[], resolutionMinutes: number, windowMinutes: readonly number[], instants: readonly Date[]): BurnRatePoint[] {
  const ms = resolutionMinutes * 60_000;
  // Prefix sums: sums of whole buckets are exact integers (docs/domain.md "Bounds").
  const good = [0];
  const total = [0];
  buckets.forEach((b, i) => {
    good.push(good[i]! + b.good);
    total.push(total[i]! + b.total);
  });
  const first = buckets.length ? buckets[0]!.start.getTime() : 0;
  const index = (t: number) => Math.min(buckets.length, Math.max(0, Math.round((t - first) / ms)));
  return instants.map((at) => {
    const objective = objectiveAtInstant(o, at);
    const end = index(at.getTime());
    return {
      at,
      rates: windowMinutes.map((w) => {
        const start = index(at.getTime() - w * 60_000);
        return burnRate(objective, { good: good[end]! - good[start]!, total: total[end]! - total[start]! });
      }),
    };
  });
}

/**
 * Minute buckets of a time-slice SLI as slice counts per bucket of `resolutionMinutes` (a
 * multiple of the slice, so no slice straddles two buckets): the evaluator's countTimeSlices.
 */
export function sliceCountsByBucket(minutes: readonly Bucket[], resolutionMinutes: number, sliceMinutes: number, sliceTarget: Objective | null, from: Date, to: Date): Bucket[] {
  const ms = resolutionMinutes * 60_000;
  const groups = new Map<number, Bucket[]>();
  for (const b of minutes) {
    const key = Math.floor(b.start.getTime() / ms) * ms;
    const g = groups.get(key);
    if (g) g.push(b);
    else groups.set(key, [b]);
  }
  const out: Bucket[] = [];
  for (let t = Math.floor(from.getTime() / ms) * ms; t < to.getTime(); t += ms) {
    out.push({ start: new Date(t), ...countTimeSlices(groups.get(t) ?? [], sliceMinutes, sliceTarget) });
  }
  return out;
}
