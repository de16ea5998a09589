// Window-based (time-slice) SLIs (docs/domain.md "Terms"): the window is cut into slices; a slice is
// good when its own ratio meets the slice target; the SLI is good slices / slices with data.
// The result has the shape of event counts, so all budget and burn-rate math applies unchanged.
import { OBJECTIVE_SCALE, type Objective } from "./budget";
import type { Counts } from "./burn-rate";
import type { Bucket } from "./burndown";

/** Slices are aligned to multiples of their length since the Unix epoch, so they are stable across windows. */
export function sliceStart(at: Date, sliceMinutes: number): number {
  const ms = sliceMinutes * 60_000;
  return Math.floor(at.getTime() / ms) * ms;
}

/** Counts good slices and slices with data among minute buckets (in any order). */
export function countTimeSlices(buckets: readonly Bucket[], sliceMinutes: number, sliceTarget: Objective): Counts {
  const slices = new Map<number, Counts>();
  for (const b of buckets) {
    const key = sliceStart(b.start, sliceMinutes);
    const s = slices.get(key) ?? { good: 0, total: 0 };
    s.good += b.good;
    s.total += b.total;
    slices.set(key, s);
  }
  let good = 0;
  let total = 0;
  for (const s of slices.values()) {
    if (s.total === 0) continue; // a slice without events has no data: neither good nor bad
    total++;
    // good / total >= target, in integers: good x 10^8 >= total x target x 10^8
    if (s.good * OBJECTIVE_SCALE >= s.total * Number(sliceTarget.scaled)) good++;
  }
  return { good, total };
}
