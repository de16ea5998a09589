import { describe, expect, it } from "vitest";
import { parseObjective } from "./budget";
import { lookbacks, type Counts, type Lookback } from "./burn-rate";
import { computeSloStatus, failedSloStatus } from "./slo-status";
import { complianceWindow } from "./window";

const at = new Date("2026-06-30T12:00:00Z");
const window30 = complianceWindow({ kind: "rolling", days: 30 }, at);

function lookbackAt(errorRate: number, perMinute = 1000): Record<Lookback, Counts> {
  return Object.fromEntries(
    Object.entries(lookbacks).map(([k, m]) => [k, { total: m * perMinute, good: m * perMinute - Math.round(m * perMinute * errorRate) }]),
  ) as Record<Lookback, Counts>;
}

describe("computeSloStatus (hand-computed)", () => {
  it("99.9 % over 30 days, 1,000,000 events, 500 bad", () => {
    const s = computeSloStatus({
      objective: parseObjective("0.999"),
      window: window30,
      windowCounts: { good: 999_500, total: 1_000_000 },
      lookbackCounts: lookbackAt(0.002), // burn rate 2 everywhere
      minEvents: 0,
    });
    expect(s.sli).toBe(0.9995);
    expect(s.budget).toEqual({ state: "ok", remaining: 0.5, sli: 0.9995 });
    expect(s.badEvents).toBe(500);
    expect(s.allowedBadEvents).toBe(1000); // Google's example
    expect(s.budgetMinutes).toBe(43.2); // 0.1 % of 30 days
    expect(s.spentMinutes).toBe(21.6);
    expect(s.burnRates.window).toBe(0.5);
    expect(s.burnRates["1h"]).toBe(2);
    // 0.5 x 43,200 min / 2 = 10,800 min = 7.5 days
    expect(s.timeToExhaustionMinutes).toBe(10_800);
    expect(s.exhaustionHorizonMinutes).toBe(43_200); // a rolling window: its length
    expect(s.alerts.state).toBe("ticket"); // 2 > 1 on the 3 d / 6 h pair only
    expect(s.tier).toBe("caution"); // exactly 50 %: caution
    expect(s.windowStart.toISOString()).toBe("2026-05-31T12:00:00.000Z");
  });

  it("a calendar window's exhaustion horizon is the time until it resets", () => {
    const s = computeSloStatus({
      objective: parseObjective("0.999"),
      window: complianceWindow({ kind: "calendar", unit: "month", timeZone: "UTC" }, at), // June 30, 12:00
      windowCounts: { good: 999_500, total: 1_000_000 },
      lookbackCounts: lookbackAt(0.0001),
      minEvents: 0,
    });
    expect(s.exhaustionHorizonMinutes).toBe(12 * 60); // until July 1, 00:00
    // 0.5 x 43,200 min / 0.1 = 216,000 min: long after the window resets
    expect(s.timeToExhaustionMinutes).toBe(216_000);
  });

  it("no traffic: no data everywhere, no NaN", () => {
    const zero = Object.fromEntries(Object.keys(lookbacks).map((k) => [k, { good: 0, total: 0 }])) as Record<Lookback, Counts>;
    const s = computeSloStatus({ objective: parseObjective("0.99"), window: window30, windowCounts: { good: 0, total: 0 }, lookbackCounts: zero, minEvents: 0 });
    expect(s.budget).toEqual({ state: "no_data" });
    expect(s.sli).toBeNull();
    expect(s.spentMinutes).toBeNull();
    expect(s.timeToExhaustionMinutes).toBeNull();
    expect(s.alerts.state).toBe("no_data");
    expect(s.tier).toBe("no_data");
    expect(Object.values(s.burnRates).every((r) => r === null)).toBe(true);
    expect(JSON.stringify(s)).not.toContain("NaN");
  });

  it("a breached SLO: negative budget, halted, exhausted now", () => {
    const s = computeSloStatus({
      objective: parseObjective("0.99"),
      window: window30,
      windowCounts: { good: 9_700, total: 10_000 },
      lookbackCounts: lookbackAt(0.2),
      minEvents: 0,
    });
    expect(s.budget).toMatchObject({ remaining: -2 });
    expect(s.tier).toBe("halted");
    expect(s.timeToExhaustionMinutes).toBe(0);
    expect(s.alerts.state).toBe("page");
  });
});

describe("integrity (docs/integrity.md), computed once with the status", () => {
  const base = { objective: parseObjective("0.999"), window: window30, windowCounts: { good: 999_500, total: 1_000_000 }, lookbackCounts: lookbackAt(0.002), minEvents: 0 };
  it("ok without facts, and for a status that could not be evaluated (its error says what is wrong)", () => {
    expect(computeSloStatus(base).integrity).toEqual({ state: "ok", findings: [] });
    expect(failedSloStatus(at, "broken").integrity).toEqual({ state: "ok", findings: [] });
  });
  it("judged over the status's own window and instant: 30-day SLO over 12 days of data", () => {
    const s = computeSloStatus({
      ...base,
      integrity: {
        source: "push",
        queries: [],
        sourceGoodOverTotal: { minutes: 0, first: null },
        sourceNegative: { minutes: 0, first: null },
        storedBadDays: { days: 0, first: null },
        lastHour: null,
        firstDataAt: new Date(at.getTime() - 12 * 86_400_000),
        backfillFrom: null,
        sliCreatedAt: new Date(at.getTime() - 60 * 86_400_000),
        retentionDays: 100,
      },
    });
    expect(s.integrity.state).toBe("uncertain");
    expect(s.integrity.findings[0]!.reason).toMatch(/^30-day SLO over 12 days of data: /);
    // The numbers themselves are computed as usual.
    expect(s.budget).toEqual({ state: "ok", remaining: 0.5, sli: 0.9995 });
  });
});
