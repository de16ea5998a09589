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
