import { describe, expect, it } from "vitest";
import { backtestAlerts, backtestMinutesBefore, compareBacktests, type BacktestIncident } from "./alert-backtest";
import { parseObjective } from "./budget";
import type { Bucket } from "./burndown";
import { effectiveAlertRules, type AlertRuleOverride } from "./burn-rate";

// A generated history: 99.9 % over 7 rolling days, 1,000 events a minute, no errors except
// - incident A: 2 h at a 10x burn (1 % errors: 10 bad a minute), starting day 1;
// - incident B: 6 h at a 3x burn (0.3 %: 3 bad a minute), starting day 5 (more than the longest
//   window, 3 d, after A, so no window holds both);
// - three 10-minute blips at 5x (5 bad a minute) on day 6, 7 h apart (no 6 h window holds two),
//   matching no incident.
// Delays by hand, from docs/domain.md "Multiwindow, multi-burn-rate alerts": factor = budget % /
// 100 x P / long window, P = 7 d = 10,080 min: 1 h -> 3.36, 6 h -> 1.4, 1 d -> 0.7, 3 d -> 0.2333.
// t minutes into a burn of rate b, a long window W still full of clean traffic burns b x t / W;
// a row fires at the first whole minute where that is strictly above its factor (the short window
// is above by then):
//   A (b = 10): 1 h: 10t/60 > 3.36 -> t > 20.16 -> 21;  6 h: 10t/360 > 1.4 -> t > 50.4 -> 51;
//               1 d: 10t/1440 > 0.7 -> t > 100.8 -> 101; 3 d: 10t/4320 > 0.2333 -> 101.
//   B (b = 3):  1 h: 3 < 3.36, never;  6 h: 3t/360 > 1.4 -> t > 168 -> 169;
//               1 d: 3t/1440 > 0.7 -> t > 336 -> 337 (at 336 it equals 0.7: not above); 3 d: 337.
const DAY = 1440;
const MIN = 60_000;
const o999 = parseObjective("0.999");
const P = 7 * DAY;
const from = new Date("2026-03-01T00:00:00Z");
const to = new Date(from.getTime() + 7 * DAY * MIN);
const at = (minutes: number) => new Date(from.getTime() + minutes * MIN);
const A = { start: 1 * DAY, minutes: 120, bad: 10 };
const B = { start: 5 * DAY, minutes: 360, bad: 3 };
const blips = [6 * DAY, 6 * DAY + 420, 6 * DAY + 840].map((start) => ({ start, minutes: 10, bad: 5 }));

function history(bursts: { start: number; minutes: number; bad: number }[], firstMinute: number, lastMinute: number): Bucket[] {
  const out: Bucket[] = [];
  for (let m = firstMinute; m < lastMinute; m++) {
    const b = bursts.find((x) => m >= x.start && m < x.start + x.minutes);
    out.push({ start: at(m), good: 1000 - (b?.bad ?? 0), total: 1000 });
  }
  return out;
}

const minutes = history([A, B, ...blips], -3 * DAY, 7 * DAY);
const incidents: BacktestIncident[] = [
  { id: "a", title: "A: 2 h at 10x", startedAt: at(A.start), resolvedAt: at(A.start + A.minutes) },
  { id: "b", title: "B: 6 h at 3x", startedAt: at(B.start), resolvedAt: at(B.start + B.minutes) },
];
const run = (rules: AlertRuleOverride[] = [], period = P, data = minutes) =>
  backtestAlerts({ objective: o999, periodMinutes: period, rules: effectiveAlertRules({ rules }, period), minEvents: 0, from, to, minutes: data, incidents, noiseMarginMinutes: 60 });

describe("backtestAlerts: the workbook's table on a 7-day SLO (docs/domain.md factors)", () => {
  const r = run();
  it.each([
    // incident, delay per row (1 h, 6 h, 1 d, 3 d), first alert
    ["a", [21, 51, 101, 101], 21],
    ["b", [null, 169, 337, 337], 169],
  ])("incident %s: each row's delay from its start", (id, delays, first) => {
    const i = r.incidents.find((x) => x.id === id)!;
    expect(i.delays.map((d) => d.delayMinutes)).toEqual(delays);
    expect(i.firstAlertMinutes).toBe(first);
  });
  it("the 1 h page on A stops 4 minutes after A ends: its 5-minute window holds 1 bad minute (2x < 3.36)", () => {
    const page = r.firings.find((f) => f.tier === 0)!;
    expect([page.start, page.end]).toEqual([at(A.start + 21), at(A.start + 124)]);
  });
  it("every firing matches an incident; the blips (5x for 10 min) trip no row", () => {
    expect(r.noise).toBe(0);
    expect(r.firings.every((f) => !f.noise)).toBe(true);
  });
  it("unalerted burn: A's first 21 minutes (210), B's first 169 (507), the blips (150) of a budget of 10,080", () => {
    expect(r.badEvents).toBe(1200 + 1080 + 150);
    expect(r.unalerted.badEvents).toBe(210 + 507 + 150);
    expect(r.unalerted.budgetShare).toBeCloseTo(867 / 10_080, 12);
  });
});

describe("backtestAlerts: a twitchy row is noise", () => {
  // Row 1 becomes 30 min / 5 min at 1.5x: a blip's 30-minute window reaches 5 x 10 / 30 = 1.67x
  // at its 10th minute, so each blip fires once, overlapping no incident (margin 60 min).
  const twitchy: AlertRuleOverride[] = [{ long: "30m", short: "5m", factor: 1.5 }];
  const current = run();
  const proposed = run(twitchy);
  it("reports the three blips as noise", () => {
    expect(proposed.noise).toBe(3);
    expect(proposed.firings.filter((f) => f.noise).map((f) => f.start)).toEqual(blips.map((b) => at(b.start + 10)));
  });
  it("pages sooner: A 10t/30 > 1.5 -> 5 min, B 3t/30 > 1.5 -> 16 min", () => {
    expect(proposed.incidents.map((i) => i.firstAlertMinutes)).toEqual([5, 16]);
  });
  it("compareBacktests: current against proposed", () => {
    const c = compareBacktests(current, proposed);
    expect(c.noise).toEqual({ current: 0, proposed: 3 });
    expect(c.incidents.map((i) => [i.id, i.current, i.proposed, i.change])).toEqual([
      ["a", 21, 5, -16],
      ["b", 169, 16, -153],
    ]);
    // Unalerted: A 5 x 10, B 16 x 3, each blip's first 10 minutes (all of it).
    expect(c.unalertedBudgetShare.proposed).toBeCloseTo((50 + 48 + 150) / 10_080, 12);
    expect(c.firings.proposed).toBeGreaterThan(c.firings.current);
  });
});

describe("backtestAlerts: the same history on a 30-day SLO", () => {
  // Factors 14.4, 6, 3, 1 (docs/domain.md). A's 10x never reaches 14.4; its 6 h window peaks at
  // 10 x 120 / 360 = 3.33 < 6; 1 d: 0.83 < 3; 3 d: 0.28 < 1. B's 3x: 6 h 3 < 6, 1 d 0.75 < 3,
  // 3 d 0.25 < 1. Both are missed: the table deliberately stays quiet for burns that spend under
  // 2 % of a month's budget (A 1,200 and B 1,080 bad events of 43,200 allowed).
  const month = 30 * DAY;
  const data = history([A, B, ...blips], -23 * DAY, 7 * DAY);
  const r = run([], month, data);
  it("misses both and reports their whole burn as unalerted", () => {
    expect(r.firings).toEqual([]);
    expect(r.incidents.map((i) => i.firstAlertMinutes)).toEqual([null, null]);
    expect(r.unalerted.badEvents).toBe(2430);
    expect(r.unalerted.budgetShare).toBeCloseTo(2430 / 43_200, 12);
  });
  it("a proposed 6 h row at 2 h / 5 min (same 5 % share: factor 18) still misses; at factor 6 it finds A after 73 min", () => {
    expect(run([{}, { long: "2h", short: "5m" }], month, data).incidents[0]!.firstAlertMinutes).toBeNull();
    // 10t/120 > 6 -> t > 72 -> 73.
    expect(run([{}, { long: "2h", short: "5m", factor: 6 }], month, data).incidents[0]!.delays[1]!.delayMinutes).toBe(73);
  });
});

describe("backtestAlerts: edges", () => {
  it("rows that are off, or of a severity that is off, never fire", () => {
    const rules = effectiveAlertRules({ rules: [{ enabled: false }], ticket: { enabled: false } }, P);
    const r = backtestAlerts({ objective: o999, periodMinutes: P, rules, minEvents: 0, from, to, minutes, incidents, noiseMarginMinutes: 60 });
    expect(new Set(r.firings.map((f) => f.tier))).toEqual(new Set([1]));
  });
  it("minEvents: windows with fewer events do not fire (1,000 a minute: a 5-minute window has 5,000)", () => {
    const r = backtestAlerts({ objective: o999, periodMinutes: P, rules: effectiveAlertRules({}, P), minEvents: 5001, from, to, minutes, incidents, noiseMarginMinutes: 60 });
    expect(r.firings.filter((f) => f.tier === 0)).toEqual([]);
    expect(r.firings.filter((f) => f.tier === 1).length).toBeGreaterThan(0);
  });
  it("no data: nothing fires, no budget share", () => {
    const r = run([], P, []);
    expect([r.firings, r.badEvents, r.unalerted.budgetShare]).toEqual([[], 0, null]);
  });
  it("a firing still on at the range's end has no end", () => {
    const r = backtestAlerts({ objective: o999, periodMinutes: P, rules: effectiveAlertRules({}, P), minEvents: 0, from, to: at(A.start + 60), minutes, incidents, noiseMarginMinutes: 60 });
    expect(r.firings.find((f) => f.tier === 0)!.end).toBeNull();
  });
  it.each([
    // rules, period, range minutes -> minutes read before the range
    [{}, P, P, 4320], // the 3 d window
    [{}, 30 * DAY, P, 23 * DAY], // the rest of the 30-day budget window
    [{ rules: [{}, {}, { enabled: false }, { enabled: false }] }, P, P, 360],
  ])("backtestMinutesBefore(%j, %i, %i) = %i", (settings, period, range, before) => {
    expect(backtestMinutesBefore(effectiveAlertRules(settings, period), period, range)).toBe(before);
  });
});
