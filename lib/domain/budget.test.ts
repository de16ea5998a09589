import { describe, expect, it } from "vitest";
import { allowedBadEvents, budgetFraction, budgetMinutes, computeRemainingBudget, LONGEST_SUMMED_MINUTES, MAX_EVENTS_PER_MINUTE, parseObjective } from "./budget";

describe("parseObjective", () => {
  it.each([
    ["0.999", 99_900_000n],
    ["99.9%", 99_900_000n],
    ["0.9995", 99_950_000n],
    ["0.95", 95_000_000n],
    ["0.99999999", 99_999_999n],
  ])("%s", (text, scaled) => expect(parseObjective(text).scaled).toBe(scaled));

  it.each(["1", "0", "1.5", "abc", "0.999999999", "-0.9", ""])("rejects %j", (text) => {
    expect(() => parseObjective(text)).toThrow(RangeError);
  });

  it("keeps 1 - 0.999 exact (no 0.0010000000000000009)", () => {
    expect(budgetFraction(parseObjective("0.999"))).toBe(0.001);
  });
});

describe("budget in events and time (docs/domain.md, Terms)", () => {
  it("Google: 99.9% over 1,000,000 requests -> 1,000 allowed errors", () => {
    expect(allowedBadEvents(parseObjective("0.999"), 1_000_000)).toBe(1000);
  });
  it("0.1% x 30 d x 24 h x 60 min = 43.2 minutes", () => {
    expect(budgetMinutes(parseObjective("0.999"), 30 * 24 * 60)).toBe(43.2);
  });
  it("OpenSLO: 2 weeks of 1-minute slices at 95% -> 1,008 slices (16 h 48 min)", () => {
    expect(allowedBadEvents(parseObjective("0.95"), 20_160)).toBe(1008);
    expect(budgetMinutes(parseObjective("0.95"), 14 * 24 * 60)).toBe(16 * 60 + 48);
  });
  it("1 week at 99.95% = 5.04 min", () => {
    expect(budgetMinutes(parseObjective("0.9995"), 7 * 24 * 60)).toBe(5.04);
  });
});

describe("computeRemainingBudget", () => {
  const o = parseObjective("0.999");
  it.each([
    // good, total, remaining
    [1_000_000, 1_000_000, 1],
    [999_500, 1_000_000, 0.5],
    [999_000, 1_000_000, 0],
    [998_000, 1_000_000, -1],
    [999_900, 1_000_000, 0.9],
  ])("good=%i total=%i -> %d", (good, total, remaining) => {
    const r = computeRemainingBudget(o, good, total);
    expect(r).toEqual({ state: "ok", remaining, sli: good / total });
  });

  it("no traffic is 'no data', never NaN", () => {
    expect(computeRemainingBudget(o, 0, 0)).toEqual({ state: "no_data" });
  });

  it.each([
    [5, 4],
    [-1, 10],
    [Number.NaN, 10],
    [5, 10.5],
  ])("rejects good=%d total=%d", (good, total) => {
    expect(() => computeRemainingBudget(o, good, total)).toThrow(RangeError);
  });

  it("takes a fractional good: a mean of slice ratios (RatioTimeslices) over whole slices", () => {
    // 99.9 % over 1,000 slices allows 1 bad slice; 999.5 good spends half of it.
    const r = computeRemainingBudget(o, 999.5, 1000);
    expect(r.state === "ok" && r.remaining).toBeCloseTo(0.5, 10);
  });
});

describe("the per-minute bound keeps every sum exact", () => {
  it("the most events a window can sum stays below 2^53 - 1 (JavaScript's exact integers)", () => {
    expect(MAX_EVENTS_PER_MINUTE * LONGEST_SUMMED_MINUTES).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    // 366-day SLO windows and 400-day charts fit; a 366-day window at the bound is still computed.
    expect(LONGEST_SUMMED_MINUTES).toBeGreaterThanOrEqual(366 * 1440);
    const total = MAX_EVENTS_PER_MINUTE * 366 * 1440;
    expect(computeRemainingBudget(parseObjective("0.999"), total - total / 1000, total)).toMatchObject({ state: "ok", remaining: 0 });
  });
});
