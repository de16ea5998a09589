import { describe, expect, it } from "vitest";
import cases from "./testdata/kayenta/classifier-suite.json";
import { classifyMetric, iqrOutliers, judgeCanary, KAYENTA_DEFAULTS, transformValues, type CanaryDirection, type CanaryJudgeConfig, type MetricComparison } from "./canary-judge";

// Expected classifications are Kayenta's own (spinnaker/kayenta,
// kayenta-judge/src/test/scala/com/netflix/kayenta/judge/ClassifierSuite.scala, ScorerSuite.scala,
// DetectorSuite.scala); the data are copied into testdata/kayenta/ by test name.
// docs/canary-judge.md "Test tables".

type Case = { control: number[]; experiment: number[] };
const suite = cases as unknown as Record<string, Case>;

function comparison(o: Partial<MetricComparison> & { eff?: [number, number]; crit?: [number, number] }): MetricComparison {
  return {
    direction: o.direction ?? "either",
    confidence: o.confidence ?? 0.95,
    tolerance: o.tolerance ?? 0.1,
    allowedDecrease: o.eff?.[0] ?? 1,
    allowedIncrease: o.eff?.[1] ?? 1,
    criticalDecrease: o.crit?.[0] ?? 1,
    criticalIncrease: o.crit?.[1] ?? 1,
    critical: o.critical ?? false,
    mustHaveData: o.mustHaveData ?? false,
    nanStrategy: o.nanStrategy ?? "remove",
  };
}

// Test name in ClassifierSuite.scala, the classifier's settings there, Kayenta's asserted result.
const table: [string, Partial<MetricComparison> & { eff?: [number, number]; crit?: [number, number] }, string, boolean][] = [
  ["Mann-Whitney Classifier Test: Pass Metric", {}, "Pass", false],
  ["Mann-Whitney Classifier Test: High Metric", {}, "High", false],
  ["Mann-Whitney Classifier Test: Low Metric", {}, "Low", false],
  ["Mann-Whitney Classifier Directional Test: Increase", { direction: "increase" }, "Pass", false],
  ["Mann-Whitney Classifier Directional Test: Decrease", { direction: "decrease" }, "Pass", false],
  ["Mann-Whitney Classifier Directional Test: High Metric", { direction: "increase" }, "High", false],
  ["Mann-Whitney Classifier Directional Test: Low Metric", { direction: "decrease" }, "Low", false],
  ["Mann-Whitney Classifier Test: High Metric (Large Input)", {}, "High", false],
  ["Mann-Whitney Classifier Test - Mean Ratio Effect Size: High", { eff: [0.8, 1.2] }, "High", false],
  ["Mann-Whitney Classifier Test - Mean Ratio Effect Size: Low", { direction: "decrease", eff: [0.8, 1.2] }, "Low", false],
  ["Mann-Whitney Classifier Test - Mean Ratio Effect Size: Pass", { eff: [0.5, 1.0] }, "Pass", false],
  ["Mann-Whitney Classifier Test - Mean Ratio Effect Size: Pass (Large Input)", { eff: [1.0, 5.0] }, "Pass", false],
  ["Mann-Whitney Classifier Test - Critical Effect Size: Critical High", { crit: [1.0, 1.2], critical: true }, "High", true],
  ["Mann-Whitney Classifier Test - Critical Effect Size: Critical Low", { crit: [1.2, 1.0], critical: true }, "Low", true],
  ["Mann-Whitney Classifier Test - Critical Effect Size: High", { eff: [1.0, 5.0], crit: [1.0, 13.0], critical: true }, "High", false],
  ["Mann-Whitney Classifier Test - Critical Effect Size: Pass", { eff: [1.0, 13.0], crit: [1.0, 15.0], critical: true }, "Pass", false],
  ["Mann-Whitney Classifier Test - Critical Effect Size: Critical High (Default Thresholds)", { critical: true }, "High", true],
  ["Mann-Whitney Tied Observations", { direction: "decrease" }, "Pass", false],
  ["Mann-Whitney Identical Populations", { direction: "decrease" }, "Pass", false],
  ["Mann-Whitney Leading Zero Identical Population", { direction: "decrease" }, "Pass", false],
  ["Mann-Whitney Missing Experiment Data", { direction: "decrease" }, "Nodata", false],
  ["Mann-Whitney Missing Experiment Data: Critical Metric", { direction: "decrease", critical: true }, "Nodata", true],
  ["Mann-Whitney Missing Experiment Data with NaN Replacement", { direction: "decrease", nanStrategy: "replace" }, "Pass", false],
  ["Mann-Whitney Majority Tied Observations", {}, "Pass", false],
  ["Mann-Whitney Tied Ranks", {}, "High", false],
  ["Mann-Whitney Tied Ranks With Zeros", {}, "High", false],
  ["Mann-Whitney Zero Mean: High Metric with Effect Size", { eff: [0.8, 1.2] }, "High", false],
  ["Mann-Whitney Zero Mean: Low Metric with Effect Size", { eff: [0.8, 1.2] }, "Low", false],
  ["Mann-Whitney Zero Mean: Critical Metric", { crit: [0.8, 1.2], nanStrategy: "replace", critical: true }, "High", true],
  ["Mann-Whitney Zero Mean: Pass Metric", { eff: [0.8, 1.2] }, "Pass", false],
];

describe("classifyMetric: Kayenta's ClassifierSuite (tolerance 0.10, confidence 0.95 as in each test)", () => {
  it.each(table)("%s", (name, settings, classification, critical) => {
    const c = suite[name]!;
    const result = classifyMetric(c.control, c.experiment, comparison(settings));
    expect(result.classification).toBe(classification);
    expect(result.critical).toBe(critical);
  });
  it("a zero mean leaves the effect size undefined (Kayenta's NaN deviation), not a division by zero", () => {
    const c = suite["Mann-Whitney Zero Mean: High Metric with Effect Size"]!;
    expect(classifyMetric(c.control, c.experiment, comparison({})).meanRatio).toBeNull();
  });
  it("mustHaveData on a non-critical metric turns missing data into NodataFailMetric", () => {
    expect(classifyMetric([1, 2], [], comparison({ mustHaveData: true })).classification).toBe("NodataFailMetric");
  });
});

describe("iqrOutliers: Kayenta's DetectorSuite (factor 1.5, no reduced sensitivity)", () => {
  it("IQR Detection", () => {
    expect(iqrOutliers([21, 23, 24, 25, 50, 29, 23, 21], 1.5, false)).toEqual([false, false, false, false, true, false, false, false]);
  });
  it("IQR Detect Two Sided", () => {
    expect(iqrOutliers([1, 1, 1, 5, -1, -1, -1, -5], 1.5, false)).toEqual([false, false, false, true, false, false, false, true]);
  });
  it("IQR Empty Data", () => expect(iqrOutliers([], 1.5, false)).toEqual([]));
  it("IQR NIST Test: only 1441 is an outlier", () => {
    const nist = [
      30, 171, 184, 201, 212, 250, 265, 270, 272, 289, 305, 306, 322, 322, 336, 346, 351, 370, 390, 404, 409, 411, 436, 437, 439, 441, 444, 448, 451, 453, 470, 480, 482, 487, 494, 495,
      499, 503, 514, 521, 522, 527, 548, 550, 559, 560, 570, 572, 574, 578, 585, 592, 592, 607, 616, 618, 621, 629, 637, 638, 640, 656, 668, 707, 709, 719, 737, 739, 752, 758, 766, 792,
      792, 794, 802, 818, 830, 832, 843, 858, 860, 869, 918, 925, 953, 991, 1000, 1005, 1068, 1441,
    ];
    expect(iqrOutliers(nist, 1.5, false)).toEqual([...Array<boolean>(nist.length - 1).fill(false), true]);
  });
  it("the judge's setting (factor 3, reduced sensitivity) removes one wild minute but keeps ordinary spread", () => {
    const minutes = [0.01, 0.011, 0.009, 0.012, 0.01, 0.011, 0.5, 0.01, 0.009, 0.011];
    expect(transformValues(minutes, "remove", "remove")).toEqual(minutes.filter((v) => v !== 0.5));
    expect(transformValues(minutes, "remove", "keep")).toEqual(minutes);
  });
  it("NaN strategies: remove drops the minute, replace counts it as 0 (Transforms.scala)", () => {
    expect(transformValues([1, Number.NaN, 2], "remove", "keep")).toEqual([1, 2]);
    expect(transformValues([1, Number.NaN, 2, Infinity], "replace", "keep")).toEqual([1, 0, 2, 0]);
  });
});

// Synthetic metric data with a known classification, to drive the scorer through judgeCanary.
const PASS = { control: [1, 2, 3, 4, 5], experiment: [5, 4, 3, 2, 1] }; // identical populations
const HIGH = { control: [1, 2, 3, 4, 5], experiment: [20, 21, 22, 23, 24] };
const LOW = { control: [20, 21, 22, 23, 24], experiment: [1, 2, 3, 4, 5] };
const NODATA = { control: [1, 2], experiment: [] };
const kinds = { PASS, HIGH, LOW, NODATA };

function run(metrics: [kind: keyof typeof kinds, group: string, critical?: boolean][], groupWeights?: Record<string, number>) {
  const config: CanaryJudgeConfig = {
    metrics: metrics.map(([, group, critical], i) => ({ name: `m${i}`, group, direction: "either" as CanaryDirection, critical })),
    groupWeights,
    thresholds: { marginal: 50, pass: 75 },
  };
  return judgeCanary(config, Object.fromEntries(metrics.map(([kind], i) => [`m${i}`, kinds[kind]])));
}

describe("judgeCanary scoring: Kayenta's ScorerSuite (WeightedSumScorer)", () => {
  it("Single Metric Pass -> 100", () => expect(run([["PASS", "g"]]).score).toBe(100));
  it("Single Metric Fail -> 0", () => expect(run([["HIGH", "g"]]).score).toBe(0));
  it("Two Groups, one Pass, one Nodata -> 100 (a group without data counts as 100)", () => {
    const j = run([["PASS", "pass"], ["PASS", "pass"], ["NODATA", "nodata"]]);
    expect(j.score).toBe(100);
    expect(j.groups.map((g) => g.score)).toEqual([100, null]);
  });
  it("One Group, Two Metrics -> 50", () => expect(run([["PASS", "g"], ["HIGH", "g"]]).score).toBe(50));
  it("One Group, Three Metrics -> 33.33", () => expect(run([["PASS", "g"], ["HIGH", "g"], ["LOW", "g"]]).score).toBe(33.33));
  it("Two Groups, Three Metrics (75/25) -> 75", () => {
    expect(run([["PASS", "group-1"], ["PASS", "group-1"], ["HIGH", "group-2"]], { "group-1": 75, "group-2": 25 }).score).toBe(75);
  });
  it("Two Groups, Three Metrics (Equal Weight) -> 25", () => {
    expect(run([["PASS", "group-1"], ["HIGH", "group-1"], ["HIGH", "group-2"]], { "group-1": 50, "group-2": 50 }).score).toBe(25);
  });
  it("Two Groups, Three Metrics (Equal Weight), one NoData -> 50", () => {
    expect(run([["PASS", "group-1"], ["NODATA", "group-1"], ["HIGH", "group-2"]], { "group-1": 50, "group-2": 50 }).score).toBe(50);
  });
  it("one good (normal), one fail (critical) -> 0 and fail", () => {
    const j = run([["PASS", "g"], ["HIGH", "g", true]]);
    expect(j.score).toBe(0);
    expect(j.outcome).toBe("fail");
    expect(j.reasons[0]).toMatch(/^Critical metric failed: m1: the canary is higher than the baseline/);
  });
  it("one low (normal), one good (critical) -> 50", () => expect(run([["LOW", "g"], ["PASS", "g", true]]).score).toBe(50));
  it("one good (normal), one nodata (critical) -> 0", () => expect(run([["PASS", "g"], ["NODATA", "g", true]]).score).toBe(0));
  it("Two Groups (Unequal Weight 15/85), Four Metrics -> 5", () => {
    expect(run([["HIGH", "group1"], ["LOW", "group1"], ["PASS", "group1"], ["HIGH", "group2"]], { group1: 15, group2: 85 }).score).toBe(5);
  });
  it("unweighted groups share what the weights leave (100 - 60) / 2 = 20 each", () => {
    expect(run([["PASS", "a"], ["HIGH", "b"], ["PASS", "c"]], { a: 60 }).groups.map((g) => g.weight)).toEqual([60, 20, 20]);
  });
  it("Kayenta: 50 % or more Nodata fails the canary with score 0", () => {
    const j = run([["PASS", "g"], ["NODATA", "g"]]);
    expect(j.score).toBe(0);
    expect(j.outcome).toBe("fail");
    expect(j.reasons[0]).toMatch(/1 of 2 metrics had no data/);
  });
});

describe("judgeCanary outcome by thresholds (ThresholdScoreClassifier: pass >= pass, marginal >= marginal)", () => {
  it.each([
    // metrics, score, outcome with { marginal: 50, pass: 75 }
    [["PASS", "PASS", "PASS", "HIGH"], 75, "pass"], // exactly at pass
    [["PASS", "HIGH"], 50, "marginal"], // exactly at marginal
    [["PASS", "HIGH", "HIGH"], 33.33, "fail"],
  ] as const)("%j -> %d %s", (kindsList, score, outcome) => {
    const j = run(kindsList.map((k) => [k, "g"] as [keyof typeof kinds, string]));
    expect(j.score).toBe(score);
    expect(j.outcome).toBe(outcome);
    expect(j.reasons[0]).toContain(String(score));
  });
});

// Burnrate's data: the per-minute error ratio of each cohort (docs/canary-judge.md "Burnrate's
// metrics"). A seeded generator keeps the minutes reproducible: 1,000 requests a minute, each
// failing with the cohort's error ratio.
function minutes(seed: number, count: number, errorRatio: number, requests = 1000): number[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    let bad = 0;
    for (let i = 0; i < requests; i++) if (rand() < errorRatio) bad++;
    return bad / requests;
  });
}

const errorRatioConfig: CanaryJudgeConfig = { metrics: [{ name: "checkout availability", direction: "increase" }], thresholds: { marginal: 50, pass: 75 } };

describe("judgeCanary on Burnrate-shaped error ratios (issue 16 'Done when')", () => {
  it("a healthy canary (same 1 % error ratio) passes with score 100", () => {
    const j = judgeCanary(errorRatioConfig, { "checkout availability": { control: minutes(1, 30, 0.01), experiment: minutes(2, 30, 0.01) } });
    expect(j.outcome).toBe("pass");
    expect(j.score).toBe(100);
    expect(j.metrics[0]!.classification).toBe("Pass");
  });
  it("a canary with a tripled error ratio (3 %) is High and fails, with the medians and p in the reason", () => {
    const j = judgeCanary(errorRatioConfig, { "checkout availability": { control: minutes(3, 30, 0.01), experiment: minutes(4, 30, 0.03) } });
    expect(j.outcome).toBe("fail");
    expect(j.score).toBe(0);
    const m = j.metrics[0]!;
    expect(m.classification).toBe("High");
    expect(m.pValue!).toBeLessThan(0.0001);
    expect(m.confidenceInterval!.lower).toBeGreaterThan(0);
    expect(m.meanRatio!).toBeGreaterThan(2.5);
    expect(m.reason).toMatch(/^checkout availability: the canary is higher than the baseline \(median 0\.0\d+ vs 0\.0\d+, p < 0\.0001\)\.$/);
    expect(j.reasons).toContain(m.reason);
  });
  it("an error ratio that falls does not fail a metric whose direction is increase", () => {
    const j = judgeCanary(errorRatioConfig, { "checkout availability": { control: minutes(5, 30, 0.03), experiment: minutes(6, 30, 0.01) } });
    expect(j.metrics[0]!.classification).toBe("Pass");
    expect(j.outcome).toBe("pass");
  });
  it("the same fall is Low with direction either", () => {
    const config: CanaryJudgeConfig = { ...errorRatioConfig, metrics: [{ name: "checkout availability", direction: "either" }] };
    const j = judgeCanary(config, { "checkout availability": { control: minutes(5, 30, 0.03), experiment: minutes(6, 30, 0.01) } });
    expect(j.metrics[0]!.classification).toBe("Low");
  });
  it("an allowed increase of 4x lets the tripled canary through (effect size is a ratio of means)", () => {
    const config: CanaryJudgeConfig = { ...errorRatioConfig, metrics: [{ name: "checkout availability", direction: "increase", effectSize: { allowedIncrease: 4 } }] };
    const j = judgeCanary(config, { "checkout availability": { control: minutes(3, 30, 0.01), experiment: minutes(4, 30, 0.03) } });
    expect(j.metrics[0]!.classification).toBe("Pass");
  });
  it("no data at all is nodata with score null (Burnrate: inconclusive, where Kayenta would score 0)", () => {
    const j = judgeCanary(errorRatioConfig, { "checkout availability": { control: [Number.NaN, Number.NaN], experiment: [] } });
    expect(j.outcome).toBe("nodata");
    expect(j.score).toBeNull();
    expect(j.metrics[0]!.classification).toBe("Nodata");
    expect(j.metrics[0]!.reason).toBe("checkout availability: no data for the canary or the baseline.");
  });
  it("a metric missing from the data counts as no data", () => {
    expect(judgeCanary(errorRatioConfig, {}).outcome).toBe("nodata");
  });
  it("no data on a mustHaveData metric fails instead", () => {
    const config: CanaryJudgeConfig = { ...errorRatioConfig, metrics: [{ name: "checkout availability", direction: "increase", mustHaveData: true }] };
    const j = judgeCanary(config, {});
    expect(j.outcome).toBe("fail");
    expect(j.score).toBe(0);
    expect(j.metrics[0]!.classification).toBe("NodataFailMetric");
  });
  it("no data on a critical metric fails the canary (Kayenta's critical Nodata)", () => {
    const config: CanaryJudgeConfig = { ...errorRatioConfig, metrics: [{ name: "checkout availability", direction: "increase", critical: true }] };
    expect(judgeCanary(config, {}).outcome).toBe("fail");
  });
  it("defaults are Kayenta's: confidence 0.98, tolerance 0.25, effect sizes 1, remove NaN, keep outliers", () => {
    expect(KAYENTA_DEFAULTS).toMatchObject({ confidence: 0.98, tolerance: 0.25, effectSize: 1, nanStrategy: "remove", outliers: "keep", outlierFactor: 3 });
  });
  it("counts and medians are of the values judged (after NaN removal)", () => {
    const j = judgeCanary(errorRatioConfig, { "checkout availability": { control: [0.01, Number.NaN, 0.03], experiment: [0.02, 0.02, 0.02, 0.02] } });
    expect(j.metrics[0]).toMatchObject({ controlCount: 2, experimentCount: 4, controlMedian: 0.02, experimentMedian: 0.02 });
  });
});

describe("judgeCanary refuses malformed configurations", () => {
  it("duplicate metric names", () => {
    const config: CanaryJudgeConfig = { metrics: [{ name: "a", direction: "increase" }, { name: "a", direction: "increase" }], thresholds: { marginal: 50, pass: 75 } };
    expect(() => judgeCanary(config, {})).toThrow(/appears twice/);
  });
  it.each([
    [{ marginal: 80, pass: 75 }],
    [{ marginal: -1, pass: 75 }],
    [{ marginal: 50, pass: 101 }],
    [{ marginal: Number.NaN, pass: 75 }],
  ])("thresholds %j", (thresholds) => {
    expect(() => judgeCanary({ ...errorRatioConfig, thresholds }, {})).toThrow(/thresholds/);
  });
  it("group names that are Object.prototype keys get the shared weight, not a function", () => {
    const j = run([["PASS", "constructor"], ["HIGH", "__proto__"]]);
    expect(j.groups.map((g) => g.weight)).toEqual([50, 50]);
    expect(j.score).toBe(50);
  });
  it("no metrics at all is nodata", () => {
    expect(judgeCanary({ metrics: [], thresholds: { marginal: 50, pass: 75 } }, {}).outcome).toBe("nodata");
  });
  it("data keyed by a prototype name is not mistaken for a metric's series", () => {
    const config: CanaryJudgeConfig = { metrics: [{ name: "toString", direction: "increase" }], thresholds: { marginal: 50, pass: 75 } };
    expect(judgeCanary(config, {}).outcome).toBe("nodata");
  });
});
