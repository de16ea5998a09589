import { describe, expect, it } from "vitest";
import { parseObjective } from "./budget";
import { alertFactor, alertRuleProblems, alertRules, burnRate, effectiveAlertRules, evaluateAlerts, timeToExhaustionMinutes, type AlertRuleOverride, type Counts, type Lookback } from "./burn-rate";

const o999 = parseObjective("0.999");
const DAY = 1440;

describe("burnRate (docs/domain.md: burn rate = (bad/total) / (1 - objective))", () => {
  it.each([
    // good, total, rate
    [1_000_000, 1_000_000, 0],
    [999_000, 1_000_000, 1], // spends the budget exactly by the end of the window
    [998_000, 1_000_000, 2], // in half of it (15 days of 30)
    [990_000, 1_000_000, 10], // in 3 days
    [985_600, 1_000_000, 14.4], // 2 % of a 30-day budget in one hour
    [0, 1000, 1000],
  ])("good=%i total=%i -> %d", (good, total, rate) => {
    expect(burnRate(o999, { good, total })).toBe(rate);
  });
  it("no events is no data, not NaN", () => expect(burnRate(o999, { good: 0, total: 0 })).toBeNull());
  it("14.4 for one hour spends 2 % of a 30-day budget", () => {
    expect((14.4 * 60) / (30 * DAY)).toBeCloseTo(0.02, 12);
  });
});

describe("alertFactor (SRE Workbook table; Sloth's tests)", () => {
  it("30 days -> 14.4, 6, 3, 1", () => {
    expect(alertRules.map((r) => alertFactor(r, 30 * DAY))).toEqual([14.4, 6, 3, 1]);
  });
  it("28 days -> 13.44, 5.6, 2.8, 0.9333...", () => {
    const f = alertRules.map((r) => alertFactor(r, 28 * DAY));
    expect(f.slice(0, 3)).toEqual([13.44, 5.6, 2.8]);
    expect(f[3]).toBeCloseTo(0.9333333333333333, 15);
  });
  it("short window = long / 12", () => {
    for (const r of alertRules) expect(r.shortMinutes * 12).toBe(r.longMinutes);
  });
  it("severities and budget shares as published", () => {
    expect(alertRules.map((r) => [r.severity, r.longMinutes, r.shortMinutes, r.budgetPercent])).toEqual([
      ["page", 60, 5, 2],
      ["page", 360, 30, 5],
      ["ticket", 1440, 120, 10],
      ["ticket", 4320, 360, 10],
    ]);
  });
});

/** Counts per lookback with a uniform error rate, 1,000 events per minute. */
function uniform(errorRate: number, overrides: Record<number, Counts> = {}) {
  return (minutes: number): Counts => overrides[minutes] ?? { total: minutes * 1000, good: Math.round(minutes * 1000 * (1 - errorRate)) };
}

describe("evaluateAlerts", () => {
  const P = 30 * DAY;
  it("pages when both the 1 h and 5 min windows burn above 14.4", () => {
    const e = evaluateAlerts(o999, P, uniform(0.015)); // burn rate 15
    expect(e.state).toBe("page");
    expect(e.rules.filter((r) => r.firing).map((r) => r.longMinutes)).toEqual([60, 360, 1440, 4320]);
  });

  it("does not page when only the long window burns (the short one has recovered)", () => {
    const e = evaluateAlerts(o999, P, uniform(0.015, { 5: { total: 5000, good: 5000 }, 30: { total: 30000, good: 30000 } }));
    expect(e.rules[0]!.firing).toBe(false);
    expect(e.rules[1]!.firing).toBe(false);
    expect(e.state).toBe("ticket"); // 1 d / 2 h and 3 d / 6 h still burn
  });

  it("does not fire at exactly the factor (strictly faster)", () => {
    const e = evaluateAlerts(o999, P, uniform(0.0144)); // burn rate exactly 14.4
    expect(e.rules[0]!.firing).toBe(false);
    expect(e.rules[1]!.firing).toBe(true); // 14.4 > 6
    expect(e.state).toBe("page");
  });

  it("tickets at a slow burn", () => {
    const e = evaluateAlerts(o999, P, uniform(0.0015)); // burn rate 1.5: above 1, below 3
    expect(e.state).toBe("ticket");
    expect(e.rules.map((r) => r.firing)).toEqual([false, false, false, true]);
  });

  it("is ok below every factor", () => {
    expect(evaluateAlerts(o999, P, uniform(0.0005)).state).toBe("ok");
  });

  it("a low-traffic window does not page, and says why", () => {
    const fewEvents = (minutes: number): Counts => ({ total: minutes, good: minutes - Math.ceil(minutes * 0.5) });
    const e = evaluateAlerts(o999, P, fewEvents, 100);
    expect(e.rules[0]).toMatchObject({ firing: false, lowTraffic: true }); // 5-minute window: 5 events < 100
    expect(e.rules[1]).toMatchObject({ firing: false, lowTraffic: true }); // 30-minute window: 30 events < 100
    expect(e.rules[2]).toMatchObject({ firing: true, lowTraffic: false }); // 1 d: 1,440 events
    expect(e.state).toBe("ticket");
  });

  it("no events at all is no data", () => {
    expect(evaluateAlerts(o999, P, () => ({ good: 0, total: 0 })).state).toBe("no_data");
  });

  it("scales factors to a 28-day window", () => {
    const e = evaluateAlerts(o999, 28 * DAY, uniform(0.0139)); // 13.9: above 13.44, below 14.4
    expect(e.rules[0]).toMatchObject({ factor: 13.44, firing: true });
  });
});

describe("timeToExhaustionMinutes (remaining x window / burn rate)", () => {
  const ok = (remaining: number) => ({ state: "ok" as const, remaining, sli: 0.999 });
  it.each([
    [1, 1, 43_200], // burn rate 1 spends a full budget in the whole window
    [0.5, 2, 10_800], // half the budget at 2x: a quarter of the window
    [1, 14.4, 3000], // 14.4x: about 2 days 2 hours
  ])("remaining %d at burn rate %d -> %d min", (remaining, rate, minutes) => {
    expect(timeToExhaustionMinutes(ok(remaining), 43_200, rate)).toBeCloseTo(minutes, 9);
  });
  it("not burning: never", () => expect(timeToExhaustionMinutes(ok(0.7), 43_200, 0)).toBeNull());
  it("already spent: 0", () => expect(timeToExhaustionMinutes(ok(-0.2), 43_200, 3)).toBe(0));
  it("no data: unknown", () => expect(timeToExhaustionMinutes({ state: "no_data" }, 43_200, null)).toBeNull());
});

describe("effectiveAlertRules: the workbook's table with an SLO's overrides (docs/domain.md factor = budget % / 100 x P / long)", () => {
  const P = 30 * DAY;
  it("no overrides: the workbook's rows, each beside itself", () => {
    const rules = effectiveAlertRules({}, P);
    expect(rules.map((r) => [r.longMinutes, r.shortMinutes, r.factor, r.enabled, r.notifies])).toEqual([
      [60, 5, 14.4, true, true],
      [360, 30, 6, true, true],
      [1440, 120, 3, true, true],
      [4320, 360, 1, true, true],
    ]);
    for (const r of rules) expect(r.workbook.factor).toBe(r.factor);
  });
  it.each([
    // override of row 1 (6 h / 30 min, 5 %) -> long, short, factor, budget %
    [{ long: "1d" }, 1440, 120, 1.5, 5], // keeps the 5 % share: 5 x 30 d / 1 d / 100; short = 1 d / 12
    [{ long: "1d", short: "30m" }, 1440, 30, 1.5, 5],
    [{ factor: 10 }, 360, 30, 10, (10 * 100 * 360) / P], // the share a factor of 10 implies
    [{ budgetPercent: 10 }, 360, 30, 12, 10],
    [{ long: "2h", short: "5m", factor: 6 }, 120, 5, 6, (6 * 100 * 120) / P],
  ] as const)("row 1 with %j", (o, long, short, factor, percent) => {
    const r = effectiveAlertRules({ rules: [{}, o] }, P)[1]!;
    expect([r.longMinutes, r.shortMinutes, r.factor, r.budgetPercent]).toEqual([long, short, factor, percent]);
    expect([r.workbook.longMinutes, r.workbook.factor]).toEqual([360, 6]);
  });
  it("a row off does not fire, nor notify; a severity off notifies nothing but its rows still evaluate", () => {
    const rules = effectiveAlertRules({ rules: [{ enabled: false }], ticket: { enabled: false } }, P);
    expect(rules.map((r) => [r.enabled, r.notifies])).toEqual([[false, false], [true, true], [true, false], [true, false]]);
    const e = evaluateAlerts(o999, P, uniform(0.015), 0, rules);
    expect(e.rules.map((r) => r.firing)).toEqual([false, true, true, true]);
    expect(e.state).toBe("page");
  });
});

describe("alertRuleProblems: each names its field", () => {
  it.each([
    [[{ factor: 0 }], "rules[0].factor", "above 0"],
    [[{ factor: 2, budgetPercent: 3 }], "rules[0].factor", "not both"],
    [[{ budgetPercent: 150 }], "rules[0].budgetPercent", "at most 100"],
    [[{}, { short: "6h" }], "rules[1].short", "shorter than the long window (6 h)"],
    [[{}, { long: "1h", short: "1h" }], "rules[1].short", "shorter"],
    [[{ long: "2h" }], "rules[0].short", "2 h / 12"], // 10 min is not counted
    [[{ long: "4h" as Lookback }], "rules[0].long", "5m, 30m, 1h, 2h, 6h, 1d, 3d"],
    [[{}, {}, {}, {}, {}], "rules", "4 rows"],
  ] as [AlertRuleOverride[], string, string][])("%j -> %s", (overrides, field, message) => {
    const problems = alertRuleProblems(overrides);
    expect(problems.map((p) => p.field)).toContain(field);
    expect(problems.find((p) => p.field === field)!.message).toContain(message);
  });
  it.each([[[]], [[{ long: "1d" }]], [[{}, { long: "2h", short: "5m" }]], [[{ factor: 0.5 }, { budgetPercent: 1 }]]] as [AlertRuleOverride[]][])("%j is fine", (overrides) => {
    expect(alertRuleProblems(overrides)).toEqual([]);
  });
});
