import { describe, expect, it } from "vitest";
import { formatBurnRate, formatCount, formatDuration, formatExhaustion, formatObjective, formatPercent, formatSli, formatSyncProgress, formatWindow } from "./format";

describe("formatPercent", () => {
  it.each([
    [0.9995, "99.95%"],
    [0.5, "50%"],
    [1, "100%"],
    [-0.125, "-12.5%"],
    [0.123456, "12.35%"],
    [0.00001, "0%"],
    [-0.00001, "0%"],
    [Number.NaN, "—"],
    [Number.POSITIVE_INFINITY, "—"],
  ])("%d -> %s", (f, s) => expect(formatPercent(f)).toBe(s));
});

describe("formatObjective", () => {
  it.each([
    ["0.999", "99.9%"],
    ["0.99900000", "99.9%"],
    ["0.9995", "99.95%"],
    ["0.99", "99%"],
    ["0.95", "95%"],
    ["0.5", "50%"],
    ["0.99999999", "99.999999%"],
  ])("%s -> %s", (o, s) => expect(formatObjective(o)).toBe(s));
});

describe("formatCount", () => {
  it("separates thousands", () => expect(formatCount(1234567)).toBe("1,234,567"));
});

describe("formatWindow", () => {
  it.each([
    [{ kind: "rolling" as const, days: 30 }, "30 days rolling"],
    [{ kind: "rolling" as const, days: 1 }, "1 day rolling"],
    [{ kind: "calendar" as const, unit: "month" as const, timeZone: "UTC" }, "calendar month"],
    [{ kind: "calendar" as const, unit: "quarter" as const, timeZone: "Europe/Berlin" }, "calendar quarter (Europe/Berlin)"],
  ])("%j -> %s", (w, s) => expect(formatWindow(w)).toBe(s));
});

describe("durations, burn rates and SLIs for people", () => {
  it.each([
    [null, "—"],
    [0, "0s"],
    [0.75, "45s"],
    [43.2, "43m 12s"],
    [60, "1h"],
    [312.9, "5h 12m"],
    [3120, "2d 4h"],
    [2880, "2d"],
    [-3, "0s"],
  ])("formatDuration(%s) = %s", (m, out) => {
    expect(formatDuration(m)).toBe(out);
  });

  it.each([
    [null, "—"],
    [0, "0×"],
    [1, "1×"],
    [14.4, "14.4×"], // docs/domain.md: the 1 h page factor for a 30-day window
    [0.25, "0.25×"],
    [2.3456, "2.35×"],
    [123.4, "123×"],
    [Number.NaN, "—"],
  ])("formatBurnRate(%s) = %s", (r, out) => {
    expect(formatBurnRate(r)).toBe(out);
  });

  it("shows SLIs with three decimals of a percent, trailing zeros dropped", () => {
    expect(formatSli(0.99953)).toBe("99.953%");
    expect(formatSli(0.999)).toBe("99.9%");
    expect(formatSli(null)).toBe("—");
  });
});

describe("formatExhaustion", () => {
  const ok = (remaining: number) => ({ state: "ok" as const, remaining });
  it.each([
    [null, { state: "no_data" as const }, 100, "no data"],
    [0, ok(0), 100, "exhausted"],
    [5, ok(-0.2), 100, "exhausted"],
    [null, ok(0.5), 100, "not burning"],
    [3120, ok(0.5), 43_200, "in 2d 4h"],
    [50_000, ok(0.9), 43_200, "not this window"],
  ])("tte %s with budget %j and %i minutes left: %s", (tte, budget, left, out) => {
    expect(formatExhaustion(tte, budget, left)).toBe(out);
  });
});

describe("formatSyncProgress", () => {
  const base = { lastError: null, backfill: "done" as const, daysDone: 30, daysToDo: 30, syncedUntil: null };
  it.each([
    [{ ...base, lastError: "10.1.2.3 is a private (RFC 1918) address" }, "Last sync failed: 10.1.2.3 is a private (RFC 1918) address"],
    [{ ...base, backfill: "pending" as const }, "Waiting for the first sync"],
    [{ ...base, backfill: "backfilling" as const, daysDone: 3 }, "Backfilling: 3 of 30 days"],
    [base, "Synced up to now"],
  ])("%o", (sync, text) => expect(formatSyncProgress(sync)).toBe(text));
});
