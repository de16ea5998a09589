import { describe, expect, it } from "vitest";
import { samplesToBuckets } from "./prometheus-samples";

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
