import { describe, expect, it } from "vitest";
import { MAX_EVENTS_PER_MINUTE } from "./budget";
import { meetsThreshold, SampleBoundError, samplesToBuckets, thresholdToBuckets } from "./prometheus-samples";

const T = Date.UTC(2026, 0, 1, 12, 0);
const m = (entries: [number, number][]) => new Map(entries.map(([i, v]) => [T + i * 60_000, v]));

describe("samplesToBuckets", () => {
  it("the sample at T fills the minute starting at T - 60 s", () => {
    expect(samplesToBuckets(m([[1, 100]]), m([[1, 98]]), "good")).toEqual([{ start: new Date(T), good: 98, total: 100 }]);
  });
  it("rounds extrapolated values and clamps good to the total", () => {
    expect(samplesToBuckets(m([[1, 99.6], [2, 10.2]]), m([[1, 99.9], [2, 3.4]]), "good")).toEqual([
      { start: new Date(T), good: 100, total: 100 },
      { start: new Date(T + 60_000), good: 3, total: 10 },
    ]);
  });
  it("bad mode: good = total - bad; a missing bad series means no bad events", () => {
    expect(samplesToBuckets(m([[1, 100], [2, 50]]), m([[1, 7]]), "bad")).toEqual([
      { start: new Date(T), good: 93, total: 100 },
      { start: new Date(T + 60_000), good: 50, total: 50 },
    ]);
  });
  it("a missing good series means no good events; a missing total is a gap", () => {
    expect(samplesToBuckets(m([[1, 100]]), m([[2, 5]]), "good")).toEqual([{ start: new Date(T), good: 0, total: 100 }]);
  });
  it("negative values (a counter reset seen by a raw delta) count as zero", () => {
    expect(samplesToBuckets(m([[1, -40]]), m([[1, -41]]), "good")).toEqual([{ start: new Date(T), good: 0, total: 0 }]);
  });
});

describe("pulled samples are held to the same bound as pushed counts", () => {
  const t = Date.parse("2026-11-22T10:01:00Z");
  it("refuses a total or bad sample over 10^10 a minute, naming the query and the minute", () => {
    expect(() => samplesToBuckets(new Map([[t, MAX_EVENTS_PER_MINUTE + 1]]), new Map(), "bad")).toThrow(SampleBoundError);
    expect(() => samplesToBuckets(new Map([[t, 5]]), new Map([[t, Infinity]]), "bad")).toThrow(/^badQuery returned Infinity events for the minute ending 2026-11-22T10:01:00.000Z/);
    expect(samplesToBuckets(new Map([[t, MAX_EVENTS_PER_MINUTE]]), new Map([[t, 1]]), "bad")).toEqual([{ start: new Date(t - 60_000), good: MAX_EVENTS_PER_MINUTE - 1, total: MAX_EVENTS_PER_MINUTE }]);
  });
  it("a NaN total (0/0 in PromQL) is a gap, not a bucket", () => {
    expect(samplesToBuckets(new Map([[t, NaN]]), new Map([[t, NaN]]), "bad")).toEqual([]);
  });
});

describe("thresholdToBuckets (OpenSLO thresholdMetric)", () => {
  it.each([
    ["lt", 0.3, 0.29, true],
    ["lt", 0.3, 0.3, false],
    ["lte", 0.3, 0.3, true],
    ["gt", 2000, 2000, false],
    ["gt", 2000, 2001, true],
    ["gte", 10, 10, true],
    ["gte", 10, 9.99, false],
  ] as const)("%s %s: value %s is good: %s", (op, value, v, good) => {
    expect(meetsThreshold(v, { op, value })).toBe(good);
  });

  it("each sampled minute is one event, good when it meets the threshold; a minute without a sample is a gap", () => {
    // p99 latency in seconds, good under 300 ms: minutes 1 and 3 good, 2 bad, 4 missing, 5 NaN.
    const samples = m([[3, 0.25], [1, 0.1], [2, 0.45], [5, Number.NaN]]);
    expect(thresholdToBuckets(samples, { op: "lt", value: 0.3 })).toEqual([
      { start: new Date(T), good: 1, total: 1 },
      { start: new Date(T + 60_000), good: 0, total: 1 },
      { start: new Date(T + 120_000), good: 1, total: 1 },
    ]);
  });
});
