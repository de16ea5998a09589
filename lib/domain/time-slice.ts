// Window-based (time-slice) SLIs (docs/domain.md "Terms"): the window is cut into slices; a slice is
// good when its own ratio meets the slice target; the SLI is good slices / slices with data
// (OpenSLO's Timeslices). OpenSLO's RatioTimeslices instead averages the slices' own ratios, so a
// half-good slice counts half (OpenSLO README, "budgetingMethod"). The result has the shape of
// event counts (good may be fractional for the mean), so the budget and burn-rate math applies.
import { OBJECTIVE_SCALE, type Objective } from "./budget";
import type { Counts } from "./burn-rate";
import type { Bucket } from "./burndown";

/** Slices are aligned to multiples of their length since the Unix epoch, so they are stable across windows. */
export function sliceStart(at: Date, sliceMinutes: number): number {
  const ms = sliceMinutes * 60_000;
  return Math.floor(at.getTime() / ms) * ms;
}

/**
 * Counts good slices and slices with data among minute buckets (in any order). `sliceTarget` null:
 * the mean of slice ratios (RatioTimeslices), as good = sum of the slices' ratios, total = slices.
 */
export function countTimeSlices(buckets: readonly Bucket[], sliceMinutes: number, sliceTarget: Objective | null): Counts {
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
    if (sliceTarget === null) {
      good += s.good / s.total;
      continue;
    }
    // good / total >= target, in integers: good x 10^8 >= total x target x 10^8
    if (s.good * OBJECTIVE_SCALE >= s.total * Number(sliceTarget.scaled)) good++;
  }
  return { good, total };
}
