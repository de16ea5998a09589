// Keptn's quality-gate evaluation (docs/regression.md "Method"): criteria strings, objectives
// scored against the aggregate of earlier results, and the total score with key SLIs. It follows
// Keptn's lighthouse-service (keptn/keptn, lighthouse-service/event_handler/evaluate_sli_handler.go,
// Apache-2.0) step by step, so its test tables hold here too (lib/domain/testdata/keptn/).
// Pure: values come in, verdicts go out; reading data and choosing releases is the caller's work.

export type Operator = "<" | "<=" | "=" | ">=" | ">";
export type AggregateFunction = "avg" | "p50" | "p90" | "p95";
export type IncludeResultWithScore = "pass" | "pass_or_warn" | "all";
export type KeptnResult = "pass" | "warning" | "fail";

/** A parsed criteria string: "<600" (absolute), "<=+10%" (relative, percent), ">=-5" (relative, amount). */
export type Criterion = { text: string; operator: Operator; value: number; relative: boolean; percent: boolean; increase: boolean };

export type Comparison = {
  compareWith: "single_result" | "several_results";
  includeResultWithScore: IncludeResultWithScore;
  numberOfComparisonResults: number;
  aggregateFunction: AggregateFunction;
};
export type CriteriaSet = { criteria: string[] };
export type Objective = { sli: string; displayName: string; keySli: boolean; pass: CriteriaSet[]; warning: CriteriaSet[]; weight: number };
/** A Keptn slo.yaml as values; total-score thresholds are percentages (90 for "90%"). */
export type KeptnSlo = { specVersion: string; comparison: Comparison; objectives: Objective[]; totalScore: { pass: number; warning: number | null } };

/** Keptn's defaults when slo.yaml leaves them out (lighthouse-service/event_handler/common.go parseSLO). */
export const KEPTN_DEFAULT_COMPARISON: Comparison = { compareWith: "single_result", includeResultWithScore: "all", numberOfComparisonResults: 1, aggregateFunction: "avg" };

export class CriteriaError extends Error {}

const OPERATORS: readonly Operator[] = ["<=", "<", "=", ">=", ">"];

/**
 * Parses a criteria string as Keptn does (parseCriteriaString): spaces are ignored; a sign or a
 * "%" makes it relative to the earlier results' aggregate; "%" without a sign means an increase.
 * Stricter than Keptn's unanchored regular expression: anything after the number (other than
 * "%") is refused, so "<10ms" is an error here rather than a parse of a different number.
 */
export function parseCriterion(input: string): Criterion {
  const text = input.replace(/ /g, "");
  const operator = OPERATORS.find((o) => text.startsWith(o));
  if (!operator) throw new CriteriaError(`"${input}" must start with one of <, <=, =, >=, >`);
  let rest = text.slice(operator.length);
  const percent = rest.endsWith("%");
  if (percent) rest = rest.slice(0, -1);
  const sign = rest[0] === "+" || rest[0] === "-" ? rest[0] : "";
  rest = rest.slice(sign.length);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(rest)) throw new CriteriaError(`"${input}" must be an operator and a number, with a sign and "%" for a change against earlier results (e.g. "<600", "<=+10%")`);
  return { text: input, operator, value: Number(rest), relative: percent || sign !== "", percent, increase: sign === "-" ? false : percent || sign === "+" };
}

/**
 * Keptn's percentile (calculatePercentile): rank p x (n + 1), linear between neighbours,
 * clamped to the smallest and largest value. p90 of 0..10 is 9.8.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const v = [...values].sort((a, b) => a - b);
  const pos = p * (v.length + 1);
  if (pos < 1) return v[0]!;
  if (pos >= v.length) return v[v.length - 1]!;
  const lower = v[Math.trunc(pos) - 1]!;
  const upper = v[Math.trunc(pos)]!;
  return lower + (pos - Math.floor(pos)) * (upper - lower);
}

/** The earlier values folded into one (aggregateValues); null when there is none, which Keptn treats as "nothing to compare with". */
export function aggregate(values: readonly number[], fn: AggregateFunction): number | null {
  if (values.length === 0) return null;
  if (fn === "avg") return values.reduce((s, x) => s + x, 0) / values.length;
  return percentile(values, fn === "p50" ? 0.5 : fn === "p90" ? 0.9 : 0.95);
}

/** The value a criterion holds the measurement to: its number, or the aggregate moved by it (0 when there is no aggregate, as Keptn reports). */
export function targetValue(c: Criterion, agg: number | null): number {
  if (!c.relative) return c.value;
  if (agg === null) return 0;
  if (c.percent) return (agg * (100 + (c.increase ? c.value : -c.value))) / 100;
  return c.increase ? agg + c.value : agg - c.value;
}

function holds(measured: number, expected: number, op: Operator): boolean {
  switch (op) {
    case "<":
      return measured < expected;
    case "<=":
      return measured <= expected;
    case "=":
      return measured === expected;
    case ">=":
      return measured >= expected;
    case ">":
      return measured > expected;
  }
}

export type Target = { criteria: string; targetValue: number; violated: boolean };

/**
 * One criterion against a measured value. A relative criterion with nothing to compare with is
 * met (Keptn: "if no comparison values are available, the evaluation passes").
 */
export function evaluateCriterion(value: number, c: Criterion, agg: number | null): Target {
  if (c.relative && agg === null) return { criteria: c.text, targetValue: 0, violated: false };
  const t = targetValue(c, agg);
  return { criteria: c.text, targetValue: t, violated: !holds(value, t, c.operator) };
}

/** Criteria of one list are ANDed, the lists are ORed; every criterion is evaluated, so each violation is reported. */
export function evaluateCriteriaSets(value: number, sets: readonly CriteriaSet[], agg: number | null): { met: boolean; targets: Target[] } {
  let met = false;
  const targets: Target[] = [];
  for (const set of sets) {
    const ts = set.criteria.map((s) => evaluateCriterion(value, parseCriterion(s), agg));
    if (ts.every((t) => !t.violated)) met = true;
    targets.push(...ts);
  }
  return { met, targets };
}

export type ObjectiveStatus = "pass" | "warning" | "fail" | "info";
export type ObjectiveResult = {
  sli: string;
  displayName: string;
  keySli: boolean;
  weight: number;
  /** The measured value, or null when there is none (Keptn: "no value received from SLI provider"). */
  value: number | null;
  /** The earlier values of this SLI that were compared with, newest first. */
  comparedValues: number[];
  /** Their aggregate, or null when there were none. */
  aggregate: number | null;
  status: ObjectiveStatus;
  score: number;
  passTargets: Target[];
  warningTargets: Target[];
};

/** Targets of an objective that was not evaluated: every criterion violated, relative ones at the bare aggregate (getEmptyTargets). */
function unevaluatedTargets(sets: readonly CriteriaSet[], agg: number | null): Target[] {
  return sets.flatMap((s) =>
    s.criteria.map((text) => {
      const c = parseCriterion(text);
      return { criteria: text, targetValue: c.relative ? (agg ?? 0) : c.value, violated: true };
    }),
  );
}

/**
 * Scores one objective (evaluateObjectives): without pass criteria it is informative (no score);
 * met pass criteria give the full weight, else met warning criteria half of it, else 0.
 */
export function evaluateObjective(o: Objective, value: number | null, earlier: readonly (number | null)[], fn: AggregateFunction): ObjectiveResult {
  const comparedValues = earlier.filter((v): v is number => v !== null && Number.isFinite(v));
  const agg = aggregate(comparedValues, fn);
  const base = { sli: o.sli, displayName: o.displayName, keySli: o.keySli, weight: o.weight, value, comparedValues, aggregate: agg };
  if (o.pass.length === 0) return { ...base, status: "info", score: 0, passTargets: [], warningTargets: unevaluatedTargets(o.warning, agg) };
  if (value === null || !Number.isFinite(value)) {
    return { ...base, value: null, status: "fail", score: 0, passTargets: unevaluatedTargets(o.pass, agg), warningTargets: unevaluatedTargets(o.warning, agg) };
  }
  const pass = evaluateCriteriaSets(value, o.pass, agg);
  const warning = o.warning.length > 0 ? evaluateCriteriaSets(value, o.warning, agg) : { met: false, targets: [] };
  const status = pass.met ? "pass" : warning.met ? "warning" : "fail";
  const score = status === "pass" ? o.weight : status === "warning" ? 0.5 * o.weight : 0;
  return { ...base, status, score, passTargets: pass.targets, warningTargets: warning.targets };
}

export type TotalScore = { score: number; maximumScore: number; result: KeptnResult; reasons: string[] };

const label = (r: Pick<ObjectiveResult, "displayName" | "sli">) => r.displayName || r.sli;

/** The most an evaluation can score: the weights of the objectives with pass criteria (informative ones count for nothing). */
export function maximumScore(objectives: readonly Pick<Objective, "pass" | "weight">[]): number {
  return objectives.reduce((s, o) => (o.pass.length > 0 ? s + o.weight : s), 0);
}

/**
 * The total (calculateScore): the achieved share of `maximum`, against total_score's pass and
 * warning percentages; a failed key SLI fails the whole evaluation whatever the score. Only
 * results with pass targets add to the score, so informative ones never do. With nothing to
 * achieve (only informative objectives) the evaluation passes at 100 %.
 */
export function totalScore(results: readonly ObjectiveResult[], maximum: number, thresholds: KeptnSlo["totalScore"]): TotalScore {
  if (maximum === 0) return { score: 100, maximumScore: maximum, result: "pass", reasons: ["every objective is informative (none has pass criteria), so the evaluation passes"] };
  let achieved = 0;
  for (const r of results) if (r.passTargets.length > 0) achieved += r.score;
  const score = 100 * (achieved / maximum);
  const out = (result: KeptnResult, reasons: string[]): TotalScore => ({ score, maximumScore: maximum, result, reasons });
  const failedKeys = results.filter((r) => r.keySli && r.status === "fail");
  if (failedKeys.length > 0) return out("fail", failedKeys.map((r) => `key SLI "${label(r)}" failed, which fails the whole evaluation`));
  if (score >= thresholds.pass) return out("pass", [`the score of ${roundScore(score)}% reaches the pass target of ${thresholds.pass}%`]);
  if (thresholds.warning !== null && score >= thresholds.warning) {
    return out("warning", [`the score of ${roundScore(score)}% is below the pass target of ${thresholds.pass}% but reaches the warning target of ${thresholds.warning}%`]);
  }
  const below = thresholds.warning !== null ? `the warning target of ${thresholds.warning}%` : `the pass target of ${thresholds.pass}%`;
  return out("fail", [`the score of ${roundScore(score)}% is below ${below}`]);
}

const roundScore = (x: number) => Math.round(x * 100) / 100;

/** How many earlier results Keptn compares with: one for single_result, number_of_comparison_results for several_results. */
export function comparisonCount(c: Comparison): number {
  return c.compareWith === "single_result" ? 1 : c.numberOfComparisonResults;
}

/** Whether an earlier evaluation with this result is compared with (include_result_with_score). */
export function includesResult(c: Comparison, result: KeptnResult): boolean {
  return c.includeResultWithScore === "all" || result === "pass" || (c.includeResultWithScore === "pass_or_warn" && result === "warning");
}

/**
 * The earlier evaluations to compare with (getPreviousEvaluations): newest first, those whose
 * result include_result_with_score admits, at most comparisonCount of them.
 */
export function selectComparisons<T extends { result: KeptnResult }>(earlier: readonly T[], c: Comparison): T[] {
  return earlier.filter((e) => includesResult(c, e.result)).slice(0, comparisonCount(c));
}

export type Evaluation = TotalScore & { objectives: ObjectiveResult[] };

/**
 * A whole evaluation: each objective's SLI value in `values` (missing or null: no value),
 * compared with the same SLI in each of `earlier` (already selected, newest first).
 */
export function evaluateSlo(slo: KeptnSlo, values: Readonly<Record<string, number | null>>, earlier: readonly Readonly<Record<string, number | null>>[]): Evaluation {
  const objectives = slo.objectives.map((o) =>
    evaluateObjective(
      o,
      values[o.sli] ?? null,
      earlier.map((e) => e[o.sli] ?? null),
      slo.comparison.aggregateFunction,
    ),
  );
  // Keptn fails an slo.yaml without objectives (issue 9198) rather than passing it empty.
  if (slo.objectives.length === 0) return { score: 0, maximumScore: 0, result: "fail", reasons: ["no objective was given, so there is nothing to pass"], objectives };
  return { ...totalScore(objectives, maximumScore(slo.objectives), slo.totalScore), objectives };
}

/** A sentence per objective: what was measured, against what, and which criteria it broke. */
export function objectiveReason(r: ObjectiveResult, format: (x: number) => string = String): string {
  const name = label(r);
  if (r.status === "info") return `${name} is informative (no pass criteria): measured ${r.value === null ? "nothing" : format(r.value)}`;
  if (r.value === null) return `${name} has no value, so it fails`;
  const against = r.aggregate === null ? "with no earlier value to compare with" : `against ${format(r.aggregate)} from ${r.comparedValues.length} earlier result${r.comparedValues.length === 1 ? "" : "s"}`;
  const violated = violatedCriteria(r);
  if (r.status === "pass") return `${name} passes: ${format(r.value)} ${against}`;
  const broke = violated.length ? `; it breaks ${violated.map((t) => `${t.criteria} (target ${format(t.targetValue)})`).join(", ")}` : "";
  if (r.status === "warning") return `${name} is a warning: ${format(r.value)} ${against} meets the warning criteria but not the pass criteria${broke}`;
  return `${name} fails: ${format(r.value)} ${against} meets neither the pass nor the warning criteria${broke}`;
}

/** The criteria an objective broke (pass and warning targets that were violated). */
export function violatedCriteria(r: ObjectiveResult): Target[] {
  return [...r.passTargets, ...r.warningTargets].filter((t) => t.violated);
}
