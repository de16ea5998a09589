import { describe, expect, it } from "vitest";
import { parseObjective } from "./budget";
import { deployPeriods, deploySpend, formatBudgetTime, formatDeploySpend, formatShare, formatSpendShort, worstSpend } from "./deploy-budget";

const t = (iso: string) => new Date(iso);
const DAY = 1440;

describe("deployPeriods: each deploy until the next of its environment, or now", () => {
  it("cuts periods per environment; the newest runs until now", () => {
    const periods = deployPeriods(
      [
        { id: "p2", environment: "production", deployedAt: t("2026-12-02T10:00:00Z") },
        { id: "s1", environment: "staging", deployedAt: t("2026-12-01T12:00:00Z") },
        { id: "p1", environment: "production", deployedAt: t("2026-12-01T10:00:00Z") },
      ],
      t("2026-12-03T00:00:00Z"),
    );
    expect(periods.get("p1")).toEqual({ id: "p1", from: t("2026-12-01T10:00:00Z"), to: t("2026-12-02T10:00:00Z") });
    expect(periods.get("p2")).toEqual({ id: "p2", from: t("2026-12-02T10:00:00Z"), to: t("2026-12-03T00:00:00Z") });
    // A staging deploy between the two production ones cuts neither.
    expect(periods.get("s1")).toEqual({ id: "s1", from: t("2026-12-01T12:00:00Z"), to: t("2026-12-03T00:00:00Z") });
  });

  it("gives the earlier of two deploys at one instant, and a deploy after now, an empty period", () => {
    const at = t("2026-12-01T10:00:00Z");
    const periods = deployPeriods(
      [
        { id: "a", environment: "prod", deployedAt: at },
        { id: "b", environment: "prod", deployedAt: at },
        { id: "future", environment: "eu", deployedAt: t("2026-12-01T10:04:00Z") },
      ],
      t("2026-12-01T10:02:00Z"),
    );
    expect(periods.get("a")).toEqual({ id: "a", from: at, to: at });
    expect(periods.get("b")).toEqual({ id: "b", from: at, to: t("2026-12-01T10:02:00Z") });
    expect(periods.get("future")!.to).toEqual(t("2026-12-01T10:04:00Z"));
  });
});

// Each row is computed by hand from docs/domain.md: "Budget spent by an interval" (bad in the
// period / allowed bad of the window ending at its end) and the budget in time
// ((1 − objective) × window minutes; Workbook: 99.9 % over 30 days = 43.2 minutes).
describe("deploySpend (docs/domain.md, Budget spent by an interval; Budget figures)", () => {
  it.each([
    {
      // Workbook: 99.9 % of 1,000,000 -> 1,000 allowed; 250 bad = 25 %; 25 % of 43.2 min = 10.8 min.
      name: "99.9% over 30 days, 250 bad of 1,000 allowed",
      objective: "0.999", windowMinutes: 30 * DAY, sliceMinutes: null,
      period: { good: 99_750, total: 100_000 }, window: { good: 999_000, total: 1_000_000 },
      want: { badEvents: 250, totalEvents: 100_000, share: 0.25, minutes: 10.8 },
      short: "burned 10 min (25% of the window)",
    },
    {
      // 99 % over 28 days: 0.01 x 40,320 = 403.2 min; 1 % of 2,000,000 = 20,000 allowed;
      // 3,800 bad = 19 %; 19 % of 403.2 = 76.608 min = 1 h 16 min 36 s.
      name: "99% over 28 days, 3,800 bad of 20,000 allowed",
      objective: "0.99", windowMinutes: 28 * DAY, sliceMinutes: null,
      period: { good: 496_200, total: 500_000 }, window: { good: 1_990_000, total: 2_000_000 },
      want: { badEvents: 3_800, totalEvents: 500_000, share: 0.19, minutes: 76.608 },
      short: "burned 1 h 16 min (19% of the window)",
    },
    {
      // The sentence: 90 % over 18 days = 0.1 x 25,920 = 2,592 min of budget; 19 % of it
      // = 492.48 min = 8 h 12 min. 10 % of 100,000 = 10,000 allowed; 1,900 bad = 19 %.
      name: "90% over 18 days, 1,900 bad of 10,000 allowed",
      objective: "0.9", windowMinutes: 18 * DAY, sliceMinutes: null,
      period: { good: 18_100, total: 20_000 }, window: { good: 95_000, total: 100_000 },
      want: { badEvents: 1_900, totalEvents: 20_000, share: 0.19, minutes: 492.48 },
      short: "burned 8 h 12 min (19% of the window)",
    },
    {
      // OpenSLO: 95 % over 2 weeks of 1-minute slices = 1,008 slices of budget; 84 bad slices =
      // 84 / 1,008 = 1/12 of it, and 84 minutes of budget time (bad slices x slice length).
      name: "time slices: 95% over 14 days, 84 bad 1-minute slices",
      objective: "0.95", windowMinutes: 14 * DAY, sliceMinutes: 1,
      period: { good: 516, total: 600 }, window: { good: 20_076, total: 20_160 },
      want: { badEvents: 84, totalEvents: 600, share: 84 / 1008, minutes: 84 },
      short: "burned 1 h 24 min (8.3% of the window)",
    },
    {
      // 5-minute slices: 14 days = 4,032 slices, 5 % = 201.6 allowed; 12 bad = 5.95 %, 60 minutes.
      name: "time slices: 12 bad 5-minute slices",
      objective: "0.95", windowMinutes: 14 * DAY, sliceMinutes: 5,
      period: { good: 276, total: 288 }, window: { good: 4_020, total: 4_032 },
      want: { badEvents: 12, totalEvents: 288, share: 12 / 201.6, minutes: 60 },
      short: "burned 1 h (6% of the window)",
    },
    {
      name: "a clean deploy spends nothing",
      objective: "0.999", windowMinutes: 30 * DAY, sliceMinutes: null,
      period: { good: 5_000, total: 5_000 }, window: { good: 999_000, total: 1_000_000 },
      want: { badEvents: 0, totalEvents: 5_000, share: 0, minutes: 0 },
      short: "burned no budget",
    },
    {
      // No valid events in the window: "no data", never NaN (docs/domain.md, Remaining budget).
      name: "no events in the window: no figure",
      objective: "0.999", windowMinutes: 30 * DAY, sliceMinutes: null,
      period: { good: 0, total: 0 }, window: { good: 0, total: 0 },
      want: { badEvents: 0, totalEvents: 0, share: null, minutes: null },
      short: "no data in the window",
    },
  ])("$name", ({ objective, windowMinutes, sliceMinutes, period, window, want, short }) => {
    const got = deploySpend({ objective: parseObjective(objective), windowMinutes, sliceMinutes, period, window });
    expect(got.badEvents).toBe(want.badEvents);
    expect(got.totalEvents).toBe(want.totalEvents);
    if (want.share === null) expect(got.share).toBeNull();
    else expect(got.share).toBeCloseTo(want.share, 12);
    if (want.minutes === null) expect(got.minutes).toBeNull();
    else expect(got.minutes).toBeCloseTo(want.minutes, 9);
    expect(formatSpendShort(got)).toBe(short);
  });

  it("a deploy may spend more than the whole budget (over 100 %)", () => {
    const got = deploySpend({ objective: parseObjective("0.999"), windowMinutes: 30 * DAY, sliceMinutes: null, period: { good: 7_000, total: 10_000 }, window: { good: 997_000, total: 1_000_000 } });
    expect(got.share).toBe(3);
    expect(got.minutes).toBeCloseTo(129.6, 9);
    expect(formatDeploySpend(got, { kind: "rolling", days: 30 })).toBe("This deploy burned 2 h 9 min of budget (300% of the 30-day window).");
  });
});

describe("formatting", () => {
  it("says the issue's sentence", () => {
    expect(formatDeploySpend({ badEvents: 1900, share: 0.19, minutes: 492.48 }, { kind: "rolling", days: 18 })).toBe("This deploy burned 8 h 12 min of budget (19% of the 18-day window).");
    expect(formatDeploySpend({ badEvents: 1, share: 0.19, minutes: 492.48 }, { kind: "calendar", unit: "month", timeZone: "UTC" })).toBe("This deploy burned 8 h 12 min of budget (19% of the month).");
    expect(formatDeploySpend({ badEvents: 0, share: 0, minutes: 0 }, { kind: "calendar", unit: "week", timeZone: "UTC" })).toBe("This deploy burned no budget (0% of the week).");
    expect(formatDeploySpend({ badEvents: 0, share: null, minutes: null }, { kind: "rolling", days: 7 })).toBe("No figure for this deploy: the 7-day window has no events yet.");
  });

  it.each([
    [0.5, "30 s"],
    [45, "45 min"],
    [60, "1 h"],
    [492.48, "8 h 12 min"],
    [3120, "2 d 4 h"],
    [1440, "1 d"],
  ])("budget time %s min -> %s", (m, text) => expect(formatBudgetTime(m)).toBe(text));

  it.each([
    [0.19, "19%"],
    [0.025, "2.5%"],
    [0.003, "0.3%"],
    [0.1, "10%"],
    [0, "0%"],
  ])("share %s -> %s", (s, text) => expect(formatShare(s)).toBe(text));

  it("highlights the largest share from 5 % of the budget up, none below", () => {
    expect(worstSpend([{ share: 0.1 }, { share: null }, { share: 0.4 }, { share: 0.2 }])).toBe(2);
    expect(worstSpend([{ share: 0.049 }, { share: 0.05 }])).toBe(1);
    expect(worstSpend([{ share: 0.002 }, { share: 0 }, { share: null }])).toBe(-1);
  });
});
