// Burnrate's choices around Keptn's evaluation (docs/regression.md "Default criteria", "Good
// releases", "Not yet and no data").
import { describe, expect, it } from "vitest";
import { defaultCriteria, errorRatio, judgeRelease, releaseWindow, type EarlierRelease } from "./regression";

const t0 = new Date("2026-12-01T10:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const done = (from: number, to: number) => ({ from: at(from), to: at(to), complete: true });

describe("the release's window", () => {
  it("is its first N minutes, open until they are over", () => {
    expect(releaseWindow(t0, null, 30, at(29))).toEqual({ from: t0, to: at(30), complete: false, cutShort: false });
    expect(releaseWindow(t0, null, 30, at(30))).toMatchObject({ complete: true });
  });
  it("ends where the next deploy began", () => {
    expect(releaseWindow(t0, at(12), 30, at(13))).toEqual({ from: t0, to: at(12), complete: true, cutShort: true });
    expect(releaseWindow(t0, at(45), 30, at(50))).toMatchObject({ to: at(30), cutShort: false });
  });
});

describe("error ratio", () => {
  it.each([
    [{ good: 990, total: 1000 }, 0.01],
    [{ good: 1000, total: 1000 }, 0],
    [{ good: 0, total: 0 }, null],
    [{ good: 12, total: 10 }, 0],
  ])("%o -> %s", (c, want) => expect(errorRatio(c)).toBe(want));
});

describe("default criteria", () => {
  it("per SLI: at most +10% against the average of the last 3 passing releases AND within the strictest SLO; SLIs with an SLO are key", () => {
    const slo = defaultCriteria([
      { slug: "availability", name: "Availability", objectives: ["0.99", "0.999"] },
      { slug: "tiny", name: "Tiny", objectives: ["0.9999999"] },
      { slug: "latency", name: "Latency", objectives: [] },
    ]);
    expect(slo.comparison).toEqual({ compareWith: "several_results", includeResultWithScore: "pass", numberOfComparisonResults: 3, aggregateFunction: "avg" });
    expect(slo.totalScore).toEqual({ pass: 90, warning: 75 });
    expect(slo.objectives.map((o) => [o.sli, o.keySli, o.pass])).toEqual([
      ["availability", true, [{ criteria: ["<=+10%", "<=0.001"] }]],
      ["tiny", true, [{ criteria: ["<=+10%", "<=0.0000001"] }]],
      ["latency", false, [{ criteria: ["<=+10%"] }]],
    ]);
  });
});

describe("judging a release", () => {
  const slo = defaultCriteria([{ slug: "availability", name: "Availability", objectives: ["0.99"] }]);
  const release = { version: "v5", window: done(0, 30) };
  const earlier = (n: number, ratio: number | null, version = `v${n}`): EarlierRelease => ({
    deployId: `d${n}`,
    version,
    deployedAt: at(-100 * n),
    window: done(-100 * n, -100 * n + 30),
    values: { availability: ratio },
  });

  it("is 'not yet' while the first N minutes run, with the time to ask again", () => {
    const r = judgeRelease({ slo, release: { version: "v5", window: { from: t0, to: at(30), complete: false } }, values: { availability: 0 }, earlier: [], firstMinutes: 30 });
    expect(r).toMatchObject({ status: "not_yet", result: null, score: null });
    expect(r.sentence).toBe("Release v5 is not judged yet: its first 30 minutes end at Dec 1, 2026, 10:30 UTC; ask again then.");
  });

  it("is 'no data', not a pass, when no SLI had an event", () => {
    const r = judgeRelease({ slo, release, values: { availability: null }, earlier: [earlier(1, 0.001)], firstMinutes: 30 });
    expect(r).toMatchObject({ status: "no_data", result: null });
    expect(r.sentence).toMatch(/no events .* that is not a pass/);
  });

  it("compares with the last 3 good releases only: a release over its SLO is not good and not compared with", () => {
    // Newest first: v4 broke the SLO (2% > 1%), so the average is over v3, v2, v1: (0.004 + 0.005 + 0.006) / 3 = 0.005.
    const list = [earlier(1, 0.02, "v4"), earlier(2, 0.004, "v3"), earlier(3, 0.005, "v2"), earlier(4, 0.006, "v1"), earlier(5, 0.001, "v0")];
    const r = judgeRelease({ slo, release, values: { availability: 0.0055 }, earlier: list, firstMinutes: 30 });
    expect(r.releases.map((e) => [e.version, e.result, e.compared])).toEqual([
      ["v4", "fail", false],
      ["v3", "pass", true],
      ["v2", "pass", true],
      ["v1", "pass", true],
      ["v0", "pass", false],
    ]);
    expect(r.objectives[0]).toMatchObject({ aggregate: 0.005, status: "pass", comparedValues: [0.004, 0.005, 0.006] });
    expect(r).toMatchObject({ status: "evaluated", result: "pass", score: 100 });
    expect(r.sentence).toBe("Release v5 passes with a score of 100% against 3 earlier releases (v3, v2, v1): the score of 100% reaches the pass target of 90%.");
  });

  it("fails a release whose error ratio rose more than 10% over the earlier ones, naming the broken criterion", () => {
    // Average 0.005, so +10% allows 0.0055; 0.0056 is over it though still inside the SLO's 1%.
    const r = judgeRelease({ slo, release, values: { availability: 0.0056 }, earlier: [earlier(1, 0.004), earlier(2, 0.006)], firstMinutes: 30 });
    expect(r).toMatchObject({ result: "fail", score: 0 });
    expect(r.objectives[0]!.violated).toEqual(["<=+10%"]);
    expect(r.objectives[0]!.passTargets[0]!.targetValue).toBeCloseTo(0.0055, 12);
    expect(r.reasons).toContain('key SLI "Availability" failed, which fails the whole evaluation');
    expect(r.reasons[1]).toBe("Availability fails: 0.0056 against 0.005 from 2 earlier results meets neither the pass nor the warning criteria; it breaks <=+10% (target 0.0055)");
  });

  it("with no earlier good release only the absolute criteria decide (Keptn's first evaluation)", () => {
    const ok = judgeRelease({ slo, release, values: { availability: 0.009 }, earlier: [earlier(1, 0.5)], firstMinutes: 30 });
    expect(ok).toMatchObject({ result: "pass" });
    expect(ok.sentence).toMatch(/with no earlier good release to compare with/);
    const over = judgeRelease({ slo, release, values: { availability: 0.011 }, earlier: [], firstMinutes: 30 });
    expect(over).toMatchObject({ result: "fail" });
    expect(over.objectives[0]!.violated).toEqual(["<=0.01"]);
  });

  it("an SLI without events fails its objective (Keptn: no value) while the others are judged", () => {
    const two = defaultCriteria([
      { slug: "availability", name: "Availability", objectives: ["0.99"] },
      { slug: "checkout", name: "Checkout", objectives: [] },
    ]);
    const r = judgeRelease({ slo: two, release, values: { availability: 0.001, checkout: null }, earlier: [], firstMinutes: 30 });
    expect(r).toMatchObject({ status: "evaluated", result: "fail", score: 50 });
    expect(r.objectives[1]).toMatchObject({ status: "fail", value: null, reason: "Checkout has no value, so it fails" });
  });

  it("skips earlier releases whose own window is not over", () => {
    const open: EarlierRelease = { ...earlier(1, 0.001), window: { from: at(-10), to: at(20), complete: false } };
    const r = judgeRelease({ slo, release, values: { availability: 0.002 }, earlier: [open], firstMinutes: 30 });
    expect(r.releases).toEqual([]);
    expect(r.result).toBe("pass");
  });
});
