// Turning Prometheus range-query samples into minute buckets.
// A query evaluated at step time T over a 1-minute range (e.g. increase(x[1m])) counts the events
// of the minute ending at T, so the sample at T fills the bucket that starts at T - 60 s.
// increase() extrapolates, so samples are rarely whole numbers: they are rounded to the nearest
// event, and good is clamped to [0, total] so a bucket is always valid.
import { MAX_EVENTS_PER_MINUTE } from "./budget";
import type { Bucket } from "./burndown";

/** A sample over the per-minute bound (budget.ts): the sync stops with this, naming the query, and stores nothing of the batch. */
export class SampleBoundError extends Error {}

export type Samples = ReadonlyMap<number, number>; // step time (ms since epoch) -> value

export function samplesToBuckets(total: Samples, goodOrBad: Samples, mode: "good" | "bad"): Bucket[] {
  const out: Bucket[] = [];
  const check = (query: string, t: number, v: number | undefined) => {
    if (v !== undefined && !(v <= MAX_EVENTS_PER_MINUTE)) {
      throw new SampleBoundError(`${query} returned ${v} events for the minute ending ${new Date(t).toISOString()}: at most ${MAX_EVENTS_PER_MINUTE.toLocaleString("en-US")} a minute are accepted`);
    }
  };
  for (const [t, rawTotal] of [...total.entries()].sort((a, b) => a[0] - b[0])) {
    // NaN (0/0 in PromQL) is no sample: a gap.
    if (Number.isNaN(rawTotal)) continue;
    const rawOther = goodOrBad.get(t);
    check("totalQuery", t, rawTotal);
    check(mode === "good" ? "goodQuery" : "badQuery", t, rawOther === undefined || Number.isNaN(rawOther) ? undefined : rawOther);
    // A step with total but no good/bad series means "no such events" in PromQL (an empty
    // vector), e.g. no 5xx at all: zero, not a gap. A step without total is a gap: no bucket.
    const n = Math.max(0, Math.round(rawTotal));
    const other = rawOther === undefined ? 0 : Math.max(0, Math.round(rawOther));
    const good = mode === "good" ? (rawOther === undefined ? 0 : Math.min(n, other)) : Math.max(0, n - Math.min(n, other));
    out.push({ start: new Date(t - 60_000), good, total: n });
  }
  return out;
}

export type ThresholdRule = { op: "lt" | "lte" | "gt" | "gte"; value: number };

/** `value op threshold` (OpenSLO thresholdMetric: the objective's op and value). */
export function meetsThreshold(v: number, rule: ThresholdRule): boolean {
  return rule.op === "lt" ? v < rule.value : rule.op === "lte" ? v <= rule.value : rule.op === "gt" ? v > rule.value : v >= rule.value;
}

/**
 * A threshold SLI's samples (OpenSLO thresholdMetric: one series, e.g. a p99 latency) as minute
 * buckets: each minute with a sample is one event, good when the value meets the threshold. The
 * sample at step T fills the bucket starting at T - 60 s, as above; a minute without a sample is
 * a gap, neither good nor bad.
 */
export function thresholdToBuckets(samples: Samples, rule: ThresholdRule): Bucket[] {
  return [...samples.entries()]
    .filter(([, v]) => !Number.isNaN(v))
    .sort((a, b) => a[0] - b[0])
    .map(([t, v]) => ({ start: new Date(t - 60_000), good: meetsThreshold(v, rule) ? 1 : 0, total: 1 }));
}
