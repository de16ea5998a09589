import { describe, expect, it } from "vitest";
import { budgetMinutes, computeRemainingBudget, parseObjective } from "./budget";
import { countTimeSlices } from "./time-slice";

const t0 = Date.UTC(2026, 0, 1);
const minute = (i: number, good: number, total: number) => ({ start: new Date(t0 + i * 60_000), good, total });

describe("countTimeSlices", () => {
  it("a slice is good when its ratio meets the target (inclusive)", () => {
    const target = parseObjective("0.99");
    const c = countTimeSlices([minute(0, 99, 100), minute(1, 98, 100), minute(2, 100, 100)], 1, target);
    expect(c).toEqual({ good: 2, total: 3 });
  });

  it("slices without events have no data", () => {
    const c = countTimeSlices([minute(0, 0, 0), minute(1, 10, 10)], 1, parseObjective("0.95"));
    expect(c).toEqual({ good: 1, total: 1 });
  });

  it("5-minute slices pool their minutes", () => {
    const buckets = [minute(0, 90, 100), minute(1, 100, 100), minute(2, 100, 100), minute(3, 100, 100), minute(4, 100, 100), minute(5, 50, 100)];
    // Slice 1: 490/500 = 98 % >= 95 % (good); slice 2: 50/100 (bad).
    expect(countTimeSlices(buckets, 5, parseObjective("0.95"))).toEqual({ good: 1, total: 2 });
  });

  it("RatioTimeslices: the mean of slice ratios, a half-good slice counts half", () => {
    const buckets = [minute(0, 50, 100), minute(1, 100, 100), minute(2, 0, 0), minute(3, 3, 4)];
    expect(countTimeSlices(buckets, 1, null)).toEqual({ good: 0.5 + 1 + 0.75, total: 3 });
    // Unlike count_good, 5-minute slices pool their minutes first: (50 + 100 + 3) / 204.
    expect(countTimeSlices(buckets, 5, null)).toEqual({ good: 153 / 204, total: 1 });
  });

  it("RatioTimeslices, OpenSLO example numbers: 2 weeks of 1-minute slices at 95 %; 2,016 half-good slices spend the 1,008-slice budget", () => {
    const buckets = Array.from({ length: 20_160 }, (_, i) => minute(i, i < 2016 ? 1 : 2, 2));
    const c = countTimeSlices(buckets, 1, null);
    expect(c).toEqual({ good: 20_160 - 1008, total: 20_160 });
    expect(computeRemainingBudget(parseObjective("0.95"), c.good, c.total)).toMatchObject({ state: "ok", remaining: 0 });
    // A fractional sum (one slice at 1/3) takes the floating-point path and still gives the budget left.
    const third = countTimeSlices([minute(0, 1, 3), ...Array.from({ length: 99 }, (_, i) => minute(i + 1, 1, 1))], 1, null);
    const r = computeRemainingBudget(parseObjective("0.99"), third.good, third.total);
    expect(r.state === "ok" && r.remaining).toBeCloseTo(1 - (2 / 3) / 1, 10);
  });

  it("OpenSLO example: 2 weeks of 1-minute slices = 20,160; at 95 % the budget is 1,008 slices = 16 h 48 min", () => {
    const buckets = Array.from({ length: 20_160 }, (_, i) => minute(i, i < 1008 ? 0 : 1, 1));
    const c = countTimeSlices(buckets, 1, parseObjective("0.99"));
    expect(c).toEqual({ good: 20_160 - 1008, total: 20_160 });
    const r = computeRemainingBudget(parseObjective("0.95"), c.good, c.total);
    expect(r).toMatchObject({ state: "ok", remaining: 0 }); // exactly the 1,008-slice budget spent
    expect(budgetMinutes(parseObjective("0.95"), 20_160)).toBe(1008);
  });
});
