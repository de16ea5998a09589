import { describe, expect, it } from "vitest";
import { parseObjective } from "./budget";
import { evaluateAlerts, lookbacks, type Counts } from "./burn-rate";
import { burnRateInstants, burnRateResolutionMinutes, burnRateSeries, burnRateWindows, sliceCountsByBucket } from "./burn-rate-series";
import type { Bucket } from "./burndown";
import { countTimeSlices } from "./time-slice";

const o999 = parseObjective("0.999");
const HOUR = 3_600_000;
const DAY = 1440;
const LONG = [60, 360, 1440, 4320];
const end = new Date("2026-06-04T00:00:00Z");

/** Hourly buckets of 10,000 events over the 4 days before `end`; `bad(i)` fail in the i-th hour before `end` (0 = the last). */
function hours(bad: (hoursBeforeEnd: number) => number, total = () => 10_000): Bucket[] {
  return Array.from({ length: 96 }, (_, k) => {
    const i = 95 - k;
    const t = total();
    return { start: new Date(end.getTime() - (i + 1) * HOUR), good: t - bad(i), total: t };
  });
}

describe("burnRateWindows: each rule's long window with its threshold (Workbook table, Sloth)", () => {
  it.each([
    [30 * DAY, [14.4, 6, 3, 1]],
    [28 * DAY, [13.44, 5.6, 2.8, 2.8 / 3]],
  ])("%i minutes -> %j", (period, factors) => {
    const w = burnRateWindows(period);
    expect(w.map((x) => x.longMinutes)).toEqual(LONG);
    expect(w.map((x) => x.severity)).toEqual(["page", "page", "ticket", "ticket"]);
    w.forEach((x, i) => expect(x.factor).toBeCloseTo(factors[i]!, 12));
  });
});

describe("burnRateResolutionMinutes: whole buckets for every window and the step", () => {
  it.each([
    // step, slice, resolution
    [1, null, 1],
    [5, null, 5],
    [15, null, 15],
    [60, null, 60],
    [180, null, 60],
    [360, null, 60],
    [1440, null, 60],
    [5, 5, 5],
    [1, 5, null], // a 1-minute step cannot hold whole 5-minute slices
    [60, 7, null], // 7-minute slices fill no window
    [1440, 15, 60],
  ] as const)("step %i, slice %s -> %s", (step, slice, r) => expect(burnRateResolutionMinutes(step, LONG, slice)).toBe(r));
});

describe("burnRateInstants: multiples of the step in (from, to]", () => {
  it.each([
    ["2026-06-01T10:03:00Z", "2026-06-01T11:00:00Z", 15, ["10:15", "10:30", "10:45", "11:00"]],
    ["2026-06-01T10:00:00Z", "2026-06-01T10:59:00Z", 15, ["10:15", "10:30", "10:45"]],
    ["2026-06-01T10:00:00Z", "2026-06-01T10:10:00Z", 60, []],
  ] as const)("%s to %s per %i min", (from, to, step, times) => {
    expect(burnRateInstants(new Date(from), new Date(to), step).map((d) => d.toISOString().slice(11, 16))).toEqual(times);
  });
});

describe("burnRateSeries", () => {
  it.each([
    // bad events in the last hour (of 10,000 an hour) -> 1 h, 6 h, 1 d, 3 d burn rates at 99.9 %
    [144, [14.4, 2.4, 0.6, 0.2]], // the page rule's 14.4 on the 1 h window
    [60, [6, 1, 0.25, 1 / 12]],
    [0, [0, 0, 0, 0]],
  ])("%i bad in the last hour -> %j", (bad, rates) => {
    const [p] = burnRateSeries(o999, hours((i) => (i === 0 ? bad : 0)), 60, LONG, [end]);
    expect(p!.at).toEqual(end);
    p!.rates.forEach((r, i) => expect(r).toBeCloseTo(rates[i]!, 12));
  });

  it("an hour earlier the bad hour is not in any window yet", () => {
    const [p] = burnRateSeries(o999, hours((i) => (i === 0 ? 144 : 0)), 60, LONG, [new Date(end.getTime() - HOUR)]);
    expect(p!.rates).toEqual([0, 0, 0, 0]);
  });

  it("a window without events is no data (null), never NaN", () => {
    const [p] = burnRateSeries(o999, hours(() => 0, () => 0), 60, LONG, [end]);
    expect(p!.rates).toEqual([null, null, null, null]);
    expect(burnRateSeries(o999, [], 60, LONG, [end])[0]!.rates).toEqual([null, null, null, null]);
  });

  it("equals the evaluator's long-window burn rates at every instant (same data, same functions)", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const data = hours(() => Math.floor(rand() * 40), () => 5_000 + Math.floor(rand() * 10_000));
    const instants = [0, 5, 17, 23].map((h) => new Date(end.getTime() - h * HOUR));
    const series = burnRateSeries(o999, data, 60, LONG, instants);
    for (const p of series) {
      const countsFor = (m: number): Counts => {
        const since = p.at.getTime() - m * 60_000;
        return data.filter((b) => b.start.getTime() >= since && b.start.getTime() < p.at.getTime()).reduce((a, b) => ({ good: a.good + b.good, total: a.total + b.total }), { good: 0, total: 0 });
      };
      const evaluated = evaluateAlerts(o999, 30 * DAY, countsFor);
      expect(p.rates).toEqual(evaluated.rules.map((r) => r.longBurnRate));
    }
    expect(Object.values(lookbacks)).toEqual(expect.arrayContaining(LONG));
  });
});

describe("sliceCountsByBucket: slices counted as the evaluator counts them", () => {
  const minute = (m: number, good: number, total = 100): Bucket => ({ start: new Date(end.getTime() + m * 60_000), good, total });
  const minutes = [minute(0, 100), minute(1, 98), minute(2, 99), minute(5, 97), minute(6, 100), minute(7, 0, 0)];
  const target = parseObjective("0.99");

  it.each([
    // resolution, slice, counts per bucket
    [5, 1, [{ good: 2, total: 3 }, { good: 1, total: 2 }]],
    [5, 5, [{ good: 1, total: 1 }, { good: 0, total: 1 }]], // 297 of 300 is 99 %: good; 197 of 200 is not
  ])("per %i min of %i-min slices", (res, slice, counts) => {
    const out = sliceCountsByBucket(minutes, res, slice, target, end, new Date(end.getTime() + 10 * 60_000));
    expect(out.map((b) => ({ good: b.good, total: b.total }))).toEqual(counts);
    expect(out.map((b) => b.start.getTime() - end.getTime())).toEqual([0, 5 * 60_000]);
  });

  it("adds up to countTimeSlices over the whole span", () => {
    const out = sliceCountsByBucket(minutes, 5, 1, target, end, new Date(end.getTime() + 10 * 60_000));
    const sum = out.reduce((a, b) => ({ good: a.good + b.good, total: a.total + b.total }), { good: 0, total: 0 });
    expect(sum).toEqual(countTimeSlices(minutes, 1, target));
  });
});
