// The canary judge: Kayenta's NetflixACAJudge (spinnaker/kayenta, kayenta-judge/src/main/scala/
// com/netflix/kayenta/judge/), followed step by step and documented in docs/canary-judge.md.
// Per metric: NaN strategy, optional IQR outlier removal, a two-sided Mann-Whitney test with the
// Hodges-Lehmann shift at 98 % confidence, classification High / Low / Pass by direction, the
// 25 % tolerance band and the mean-ratio effect size; then group scores, the weighted summary
// score and pass / marginal / fail by thresholds. Pure: data in, judgement out.
import { wilcoxonRankSum } from "./mann-whitney";

export type CanaryDirection = "increase" | "decrease" | "either"; // the direction of change that fails the metric
export type CanaryMetric = {
  name: string; // unique within the config
  group?: string; // default "default"
  direction: CanaryDirection; // an error ratio fails only upward: "increase"
  /** Kayenta's effect size, as ratios of experiment to control (defaults per Kayenta). */
  effectSize?: { allowedIncrease?: number; allowedDecrease?: number; criticalIncrease?: number; criticalDecrease?: number };
  nanStrategy?: "remove" | "replace"; // Kayenta's default
  outliers?: "keep" | "remove"; // Kayenta's outlier strategy (IQR), default keep
  critical?: boolean; // a failing critical metric fails the whole canary (score 0)
  mustHaveData?: boolean; // no data fails the metric instead of being ignored
};
export type CanaryJudgeConfig = {
  metrics: CanaryMetric[];
  groupWeights?: Record<string, number>; // default: equal weights (as Kayenta)
  thresholds: { marginal: number; pass: number }; // 0-100, e.g. { marginal: 50, pass: 75 }
  confidence?: number; // default 0.98
};
export type MetricClassification = "Pass" | "High" | "Low" | "Nodata" | "NodataFailMetric";
export type MetricJudgement = {
  name: string;
  group: string;
  classification: MetricClassification;
  critical: boolean;
  reason: string | null; // a sentence when not Pass
  controlCount: number;
  experimentCount: number;
  controlMedian: number | null;
  experimentMedian: number | null;
  pValue: number | null;
  estimate: number | null;
  confidenceInterval: { lower: number; upper: number } | null;
  /** Kayenta's effect size: mean(experiment) / mean(control); null when either mean is 0 (Kayenta's NaN). */
  meanRatio: number | null;
};
/**
 * The thresholds an analysis gets when it names none. Kayenta has no default (every canary config
 * sets them); these are the example of docs/canary-judge.md. Any failing metric of two already
 * scores 50, which counts as a failure.
 */
export const DEFAULT_CANARY_THRESHOLDS = { marginal: 50, pass: 75 } as const;

export type CanaryOutcome = "pass" | "marginal" | "fail" | "nodata";
export type CanaryJudgement = {
  score: number | null; // 0-100; null when no metric had data
  outcome: CanaryOutcome;
  reasons: string[];
  groups: { name: string; score: number | null; weight: number }[];
  metrics: MetricJudgement[];
};

/**
 * Kayenta's defaults, where each comes from (paths under kayenta-judge/src/main/scala/com/netflix/kayenta/judge/):
 * confidence 0.98 and tolerance 0.25 are fixed in NetflixACAJudge.scala (classifyMetric); effect
 * sizes 1.0 for the mean ratio, nanStrategy "remove", outliers "keep" with factor 3.0 are its
 * MapUtils defaults; 50 % Nodata fails the canary (scorers/WeightedSumScorer.scala NODATA_THRESHOLD).
 */
export const KAYENTA_DEFAULTS = {
  confidence: 0.98,
  tolerance: 0.25,
  effectSize: 1.0,
  nanStrategy: "remove",
  outliers: "keep",
  outlierFactor: 3.0,
  nodataThresholdPercent: 50,
} as const;

export const DEFAULT_GROUP = "default";

export type MetricComparison = {
  direction: CanaryDirection;
  confidence: number;
  /** The band |estimate| x tolerance the interval must clear (Kayenta: 0.25). */
  tolerance: number;
  allowedIncrease: number;
  allowedDecrease: number;
  criticalIncrease: number;
  criticalDecrease: number;
  critical: boolean;
  mustHaveData: boolean;
  nanStrategy: "remove" | "replace";
};

export type ClassifiedMetric = {
  classification: MetricClassification;
  critical: boolean;
  /** Why, in Kayenta's terms; judgeCanary words it for people. */
  cause: "missing" | "identical" | "single_value" | "high" | "low" | "within";
  pValue: number | null;
  estimate: number | null;
  confidenceInterval: { lower: number; upper: number } | null;
  meanRatio: number | null;
};

/**
 * MannWhitneyClassifier.classify on already transformed values (NaNs handled, outliers removed).
 * The interval comes from the normal approximation with continuity correction, as Kayenta's port
 * always computes it (kayenta-mannwhitney/.../MannWhitney.scala); that is R's wilcox.test with
 * exact = FALSE, so its numbers can be checked against R's.
 */
export function classifyMetric(control: readonly number[], experiment: readonly number[], o: MetricComparison): ClassifiedMetric {
  const none = { pValue: null, estimate: null, confidenceInterval: null, meanRatio: null };
  if (control.length === 0 || experiment.length === 0) {
    // "replace" turned every NaN into 0, so an empty series here had no minutes at all; Kayenta
    // passes it rather than call it missing.
    if (o.nanStrategy === "replace") return { classification: "Pass", critical: false, cause: "missing", ...none };
    if (o.mustHaveData && !o.critical) return { classification: "NodataFailMetric", critical: false, cause: "missing", ...none };
    return { classification: "Nodata", critical: o.critical, cause: "missing", ...none };
  }
  const sortedC = [...control].sort((a, b) => a - b);
  const sortedE = [...experiment].sort((a, b) => a - b);
  const ratio = meanRatio(control, experiment);
  if (sortedC.length === sortedE.length && sortedC.every((v, i) => v === sortedE[i])) {
    return { classification: "Pass", critical: false, cause: "identical", ...none, meanRatio: ratio };
  }
  if (new Set([...control, ...experiment]).size === 1) return { classification: "Pass", critical: false, cause: "single_value", ...none, meanRatio: ratio };

  const test = wilcoxonRankSum(experiment, control, { confidence: o.confidence, exact: false, correct: true });
  const { lower, upper } = test.confidenceInterval;
  const band = o.tolerance * Math.abs(test.estimate);
  // A NaN effect size (a zero mean) cannot veto the test: Kayenta ignores the comparison then.
  const effectAtLeast = (threshold: number) => ratio === null || ratio >= threshold;
  const effectAtMost = (threshold: number) => ratio === null || ratio <= threshold;
  const high = (o.direction === "increase" || o.direction === "either") && lower > band && effectAtLeast(o.allowedIncrease);
  const low = !high && (o.direction === "decrease" || o.direction === "either") && upper < -band && effectAtMost(o.allowedDecrease);
  const stats = { pValue: test.pValue, estimate: test.estimate, confidenceInterval: { lower, upper }, meanRatio: ratio };
  if (high) return { classification: "High", critical: o.critical && effectAtLeast(o.criticalIncrease), cause: "high", ...stats };
  if (low) return { classification: "Low", critical: o.critical && effectAtMost(o.criticalDecrease), cause: "low", ...stats };
  return { classification: "Pass", critical: false, cause: "within", ...stats };
}

/** EffectSizes.meanRatio: mean(experiment) / mean(control), undefined (null) when either mean is 0. */
function meanRatio(control: readonly number[], experiment: readonly number[]): number | null {
  const mc = mean(control);
  const me = mean(experiment);
  return mc === 0 || me === 0 ? null : me / mc;
}

function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Percentile by R's type 7 (commons-math EstimationType.R_7), as DescriptiveStatistics.percentile. */
export function percentileR7(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * (p / 100);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * detectors/IQRDetector.scala: outliers lie below Q1 - factor IQR or above Q3 + factor IQR; with
 * reduceSensitivity (the judge's setting) the fences widen to the 1st / 99th percentiles when
 * those lie further out.
 */
export function iqrOutliers(data: readonly number[], factor: number, reduceSensitivity: boolean): boolean[] {
  if (data.length === 0) return [];
  const sorted = [...data].sort((a, b) => a - b);
  const q1 = percentileR7(sorted, 25);
  const q3 = percentileR7(sorted, 75);
  let lowerFence = q1 - factor * (q3 - q1);
  let upperFence = q3 + factor * (q3 - q1);
  if (reduceSensitivity) {
    lowerFence = Math.min(percentileR7(sorted, 1), lowerFence);
    upperFence = Math.max(percentileR7(sorted, 99), upperFence);
  }
  return data.map((v) => v > upperFence || v < lowerFence);
}

/** NetflixACAJudge.transformMetric: NaN strategy first, then outliers. Any non-finite value counts as NaN (no minute of data). */
export function transformValues(values: readonly number[], nanStrategy: "remove" | "replace", outliers: "keep" | "remove"): number[] {
  const cleaned = nanStrategy === "remove" ? values.filter(Number.isFinite) : values.map((v) => (Number.isFinite(v) ? v : 0));
  if (outliers === "keep") return cleaned;
  const flags = iqrOutliers(cleaned, KAYENTA_DEFAULTS.outlierFactor, true);
  return cleaned.filter((_, i) => !flags[i]);
}

/** The 50th percentile, as the midpoint of the middle pair so 0.01 and 0.03 give exactly 0.02. */
function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Statistical values for sentences: three significant digits, p-values below 0.0001 as "< 0.0001". */
function formatStat(v: number): string {
  if (v === 0) return "0";
  const abs = Math.abs(v);
  return abs >= 1e-4 && abs < 1e6 ? String(Number(v.toPrecision(3))) : v.toExponential(2);
}
function formatP(p: number): string {
  return p < 0.0001 ? "p < 0.0001" : `p = ${String(Number(p.toPrecision(2)))}`;
}

function metricReason(m: CanaryMetric, c: ClassifiedMetric, controlMedian: number | null, experimentMedian: number | null): string | null {
  const medians = controlMedian !== null && experimentMedian !== null ? `median ${formatStat(experimentMedian)} vs ${formatStat(controlMedian)}` : null;
  const stats = [medians, c.pValue === null ? null : formatP(c.pValue)].filter(Boolean).join(", ");
  switch (c.classification) {
    case "High":
      return `${m.name}: the canary is higher than the baseline (${stats})${c.critical ? "; critical metric" : ""}.`;
    case "Low":
      return `${m.name}: the canary is lower than the baseline (${stats})${c.critical ? "; critical metric" : ""}.`;
    case "Nodata":
      return `${m.name}: no data for the canary or the baseline${c.critical ? "; critical metric" : ""}.`;
    case "NodataFailMetric":
      return `${m.name}: no data for the canary or the baseline, and this metric must have data.`;
    case "Pass":
      return null;
  }
}

/**
 * Judges a canary against its baseline (NetflixACAJudge.judge, then scorers/ScoringHelper and
 * WeightedSumScorer, then classifiers/score/ThresholdScoreClassifier). Where Burnrate departs
 * from Kayenta (all metrics without data is "nodata", not a 0 score) docs/canary-judge.md says why.
 */
export function judgeCanary(config: CanaryJudgeConfig, data: Record<string, { control: number[]; experiment: number[] }>): CanaryJudgement {
  const { marginal, pass } = config.thresholds;
  if (!(marginal >= 0 && pass <= 100 && marginal <= pass)) throw new RangeError("thresholds must satisfy 0 <= marginal <= pass <= 100");
  const confidence = config.confidence ?? KAYENTA_DEFAULTS.confidence;
  const names = new Set<string>();
  for (const m of config.metrics) {
    if (names.has(m.name)) throw new RangeError(`metric "${m.name}" appears twice`);
    names.add(m.name);
  }

  const metrics: MetricJudgement[] = config.metrics.map((m) => {
    const nanStrategy = m.nanStrategy ?? KAYENTA_DEFAULTS.nanStrategy;
    const series = Object.hasOwn(data, m.name) ? data[m.name]! : { control: [], experiment: [] };
    const control = transformValues(series.control, nanStrategy, m.outliers ?? KAYENTA_DEFAULTS.outliers);
    const experiment = transformValues(series.experiment, nanStrategy, m.outliers ?? KAYENTA_DEFAULTS.outliers);
    const e = m.effectSize ?? {};
    const c = classifyMetric(control, experiment, {
      direction: m.direction,
      confidence,
      tolerance: KAYENTA_DEFAULTS.tolerance,
      allowedIncrease: e.allowedIncrease ?? KAYENTA_DEFAULTS.effectSize,
      allowedDecrease: e.allowedDecrease ?? KAYENTA_DEFAULTS.effectSize,
      criticalIncrease: e.criticalIncrease ?? KAYENTA_DEFAULTS.effectSize,
      criticalDecrease: e.criticalDecrease ?? KAYENTA_DEFAULTS.effectSize,
      critical: m.critical ?? false,
      mustHaveData: m.mustHaveData ?? false,
      nanStrategy,
    });
    const controlMedian = median(control);
    const experimentMedian = median(experiment);
    return {
      name: m.name,
      group: m.group ?? DEFAULT_GROUP,
      classification: c.classification,
      critical: c.critical,
      reason: metricReason(m, c, controlMedian, experimentMedian),
      controlCount: control.length,
      experimentCount: experiment.length,
      controlMedian,
      experimentMedian,
      pValue: c.pValue,
      estimate: c.estimate,
      confidenceInterval: c.confidenceInterval,
      meanRatio: c.meanRatio,
    };
  });

  const groups = scoreGroups(metrics, config.groupWeights ?? {});
  const base = { groups, metrics };
  if (metrics.length === 0) return { score: null, outcome: "nodata", reasons: ["The analysis has no metrics to judge."], ...base };

  // Burnrate's departure: when no metric had data and none was told it must, there is nothing
  // to judge; the interval is inconclusive rather than failed (issue 16: "no data is inconclusive").
  const anyData = metrics.some((m) => m.classification !== "Nodata");
  const demanded = metrics.some((m) => m.critical || m.classification === "NodataFailMetric");
  if (!anyData && !demanded) {
    return { score: null, outcome: "nodata", reasons: ["No metric had data for both the canary and the baseline."], ...base };
  }

  const criticalFailures = metrics.filter((m) => m.critical && m.classification !== "Pass");
  if (criticalFailures.length > 0) {
    return { score: 0, outcome: "fail", reasons: criticalFailures.map((m) => `Critical metric failed: ${m.reason ?? m.name}`), ...base };
  }
  const nodata = metrics.filter((m) => m.classification === "Nodata").length;
  if ((nodata / metrics.length) * 100 >= KAYENTA_DEFAULTS.nodataThresholdPercent) {
    return {
      score: 0,
      outcome: "fail",
      reasons: [`${nodata} of ${metrics.length} metrics had no data (Kayenta fails a canary at ${KAYENTA_DEFAULTS.nodataThresholdPercent} % or more).`],
      ...base,
    };
  }

  // A group without data counts as 100 in the sum, as WeightedSumScorer.calculateSummaryScore does.
  let summary = 0;
  for (const g of groups) summary += (g.score ?? 100) * (g.weight / 100);
  const score = Math.round(summary * 100) / 100; // Precision.round(summaryScore, 2)
  const outcome: CanaryOutcome = score >= pass ? "pass" : score >= marginal ? "marginal" : "fail";
  const failing = metrics.filter((m) => m.reason !== null && m.classification !== "Nodata").map((m) => m.reason!);
  const verdict =
    outcome === "pass"
      ? `Score ${score} is at or above the pass threshold ${pass}.`
      : outcome === "marginal"
        ? `Score ${score} is below the pass threshold ${pass} but at or above the marginal threshold ${marginal}.`
        : `Score ${score} is below the marginal threshold ${marginal}.`;
  return { score, outcome, reasons: [verdict, ...failing], ...base };
}

/**
 * WeightedSumScorer: a group's score is the share of its metrics that passed, out of those with a
 * verdict (Pass, High, Low, NodataFailMetric; Nodata is left out); null when none had one. Groups
 * named in the weights take their weight (percent); the others share what is left equally.
 */
function scoreGroups(metrics: MetricJudgement[], weights: Record<string, number>): { name: string; score: number | null; weight: number }[] {
  const names = [...new Set(metrics.map((m) => m.group))];
  const given = Object.values(weights).reduce((a, b) => a + b, 0);
  const unweighted = names.filter((n) => !Object.hasOwn(weights, n));
  const shared = unweighted.length > 0 ? (100 - given) / unweighted.length : 0;
  return names.map((name) => {
    const judged = metrics.filter((m) => m.group === name && m.classification !== "Nodata");
    const passed = judged.filter((m) => m.classification === "Pass").length;
    return { name, score: judged.length === 0 ? null : (passed / judged.length) * 100, weight: Object.hasOwn(weights, name) ? weights[name]! : shared };
  });
}
