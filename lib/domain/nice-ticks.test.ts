import { describe, expect, it } from "vitest";
import { decimalsOf, niceAxis, niceStep, niceTimeTicks } from "./nice-ticks";
import { formatPercent } from "./format";

describe("niceStep: 1, 2, 2.5 or 5 x 10^k, the smallest at least the raw step", () => {
  it.each([
    [0.7, 1],
    [1, 1],
    [1.2, 2],
    [2.1, 2.5],
    [3, 5],
    [6, 10],
    [0.0013, 0.002],
    [0.00034, 0.0005],
    [240, 250],
    [14.4 / 5, 5],
  ])("%d -> %d", (raw, step) => expect(niceStep(raw)).toBe(step));
  it("refuses zero and negatives", () => {
    expect(() => niceStep(0)).toThrow(RangeError);
    expect(() => niceStep(-1)).toThrow(RangeError);
  });
});

describe("decimalsOf", () => {
  it.each([
    [5, 0],
    [0.25, 2],
    [0.001, 3],
    [0.0005, 4],
    [2.5, 1],
  ])("%d -> %i", (step, d) => expect(decimalsOf(step)).toBe(d));
});

describe("niceAxis: round ticks covering the data", () => {
  it.each([
    // min, max, maxTicks, domain, ticks
    [0, 14.4, 6, [0, 15], [0, 5, 10, 15]],
    [0, 1, 6, [0, 1], [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [0.96334, 1, 6, [0.96, 1], [0.96, 0.97, 0.98, 0.99, 1]],
    [0.9871, 0.99962, 6, [0.985, 1], [0.985, 0.99, 0.995, 1]],
    [-0.37, 1, 5, [-0.5, 1], [-0.5, 0, 0.5, 1]],
    [0, 1234, 5, [0, 1500], [0, 500, 1000, 1500]],
    [3, 3, 5, [2.6, 3.4], [2.6, 2.8, 3, 3.2, 3.4]], // a flat series: 10 % either side
    [0, 0, 5, [-1, 1], [-1, -0.5, 0, 0.5, 1]],
  ] as [number, number, number, [number, number], number[]][])("[%d, %d] in at most %i ticks -> %j", (min, max, maxTicks, domain, ticks) => {
    const axis = niceAxis(min, max, maxTicks);
    expect(axis.domain).toEqual(domain);
    expect(axis.ticks).toEqual(ticks);
    expect(axis.ticks.length).toBeLessThanOrEqual(maxTicks);
  });

  it("an SLI axis reads 96.3 %, not 96.334 %", () => {
    const axis = niceAxis(0.96334, 0.9669, 5);
    expect(axis.ticks.map((t) => formatPercent(t, axis.decimals - 2))).toEqual(["96.3%", "96.4%", "96.5%", "96.6%", "96.7%"]);
  });

  it("never prints float noise: every tick is its step's multiple, exactly", () => {
    for (const [min, max] of [[0.1, 0.7], [0.993, 0.9999], [0, 3.3], [1e-5, 9e-5]] as const) {
      const { ticks, decimals } = niceAxis(min, max);
      for (const t of ticks) expect(String(t).split(".")[1]?.length ?? 0).toBeLessThanOrEqual(decimals);
      expect(ticks[0]).toBeLessThanOrEqual(min);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
    }
  });

  it("refuses NaN and infinities", () => {
    expect(() => niceAxis(Number.NaN, 1)).toThrow(RangeError);
    expect(() => niceAxis(0, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("niceTimeTicks: round times of the reader's clock", () => {
  const at = (iso: string) => Date.parse(iso);
  const show = (ts: number[], offsetMinutes: number) => ts.map((t) => new Date(t + offsetMinutes * 60_000).toISOString().slice(5, 16).replace("T", " "));
  it.each([
    // from (UTC), to (UTC), max ticks, reader's UTC offset (min), ticks as the reader's clock reads them
    ["2026-12-03T00:11:00Z", "2026-12-04T00:11:00Z", 10, 60, ["12-03 03:00", "12-03 06:00", "12-03 09:00", "12-03 12:00", "12-03 15:00", "12-03 18:00", "12-03 21:00", "12-04 00:00"]], // Berlin, one day: every 3 h
    ["2026-12-03T00:11:00Z", "2026-12-04T00:11:00Z", 10, 0, ["12-03 03:00", "12-03 06:00", "12-03 09:00", "12-03 12:00", "12-03 15:00", "12-03 18:00", "12-03 21:00", "12-04 00:00"]], // UTC
    ["2026-12-03T00:11:00Z", "2026-12-04T00:11:00Z", 10, 330, ["12-03 06:00", "12-03 09:00", "12-03 12:00", "12-03 15:00", "12-03 18:00", "12-03 21:00", "12-04 00:00", "12-04 03:00"]], // Kolkata (+5:30): still on its whole hours
    ["2026-12-03T20:25:00Z", "2026-12-04T00:10:00Z", 10, 60, ["12-03 21:30", "12-03 22:00", "12-03 22:30", "12-03 23:00", "12-03 23:30", "12-04 00:00", "12-04 00:30", "12-04 01:00"]], // a zoomed range: every 30 min
    ["2026-11-04T00:00:00Z", "2026-12-04T00:00:00Z", 10, -300, ["11-09 00:00", "11-16 00:00", "11-23 00:00", "11-30 00:00"]], // New York, 30 days: Mondays at midnight
  ] as const)("%s to %s", (from, to, max, offset, ticks) => {
    const out = niceTimeTicks(at(from), at(to), max, offset);
    expect(show(out, offset)).toEqual(ticks);
    expect(out.length).toBeLessThanOrEqual(max);
  });
  it("an empty range has one tick", () => expect(niceTimeTicks(5, 5, 8, 0)).toEqual([5]));
});
