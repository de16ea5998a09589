// Keptn's own test tables (lib/domain/testdata/keptn/*.json, transcribed from keptn/keptn
// lighthouse-service/event_handler/evaluate_sli_handler_test.go, Apache-2.0) run against our
// evaluation; the method is described in docs/regression.md "Method".
import { describe, expect, it } from "vitest";
import criteria from "./testdata/keptn/criteria.json";
import objectives from "./testdata/keptn/objectives.json";
import totals from "./testdata/keptn/total-score.json";
import {
  aggregate,
  CriteriaError,
  evaluateCriteriaSets,
  evaluateCriterion,
  evaluateObjective,
  evaluateSlo,
  maximumScore,
  parseCriterion,
  percentile,
  selectComparisons,
  totalScore,
  type AggregateFunction,
  type Comparison,
  type KeptnSlo,
  type ObjectiveResult,
} from "./keptn-slo";

const sets = (lists: string[][]) => lists.map((c) => ({ criteria: c }));
const numbers = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);

describe("criteria strings (Keptn TestParseCriteriaString)", () => {
  it.each(criteria.TestParseCriteriaString)("$criteria", (row) => {
    const c = parseCriterion(row.criteria);
    expect({ operator: c.operator, value: c.value, percent: c.percent, comparison: c.relative, increase: c.increase }).toEqual({
      operator: row.operator,
      value: row.value,
      percent: row.percent,
      comparison: row.comparison,
      increase: row.increase,
    });
  });

  it.each(["", "10", "<", "<abc", "<10ms", "<=+10%%", "<1e3", "=<5", "<+-5", "<<5", "<Inf", "<NaN", "<10%5"])("refuses %j with a sentence", (text) => {
    expect(() => parseCriterion(text)).toThrow(CriteriaError);
  });
});

describe("aggregates (Keptn TestCalculatePercentile, Test_aggregateValues)", () => {
  it.each(criteria.TestCalculatePercentile)("p$p of 0..10 is $expected", (row) => {
    expect(percentile(row.values, row.p)).toBe(row.expected);
  });
  it.each(criteria.Test_aggregateValues)("$name", (row) => {
    expect(aggregate(numbers(row.previous), row.aggregate_function as AggregateFunction)).toBe(row.expected);
  });
  it("p90 and p95 clamp to the largest value when the rank passes the end", () => {
    expect(percentile([1, 2, 3], 0.9)).toBe(3);
    expect(percentile([4], 0.5)).toBe(4);
    expect(percentile([3, 1], 0.2)).toBe(1);
  });
});

describe("single criteria (Keptn TestEvaluateSingleCriteria, TestEvaluateComparison)", () => {
  it.each([...criteria.TestEvaluateSingleCriteria, ...criteria.TestEvaluateComparison])("$name", (row) => {
    const agg = aggregate(numbers(row.previous), row.aggregate_function as AggregateFunction);
    expect(!evaluateCriterion(row.value, parseCriterion(row.criteria), agg).violated).toBe(row.expected);
  });
  it("a relative criterion with nothing to compare with is met, at target 0 (Keptn's aggregateValues 'skip')", () => {
    expect(evaluateCriterion(1e9, parseCriterion("<=+0%"), null)).toEqual({ criteria: "<=+0%", targetValue: 0, violated: false });
  });
  it("a relative decrease in percent and in an amount", () => {
    expect(evaluateCriterion(80, parseCriterion(">=-20%"), 100)).toEqual({ criteria: ">=-20%", targetValue: 80, violated: false });
    expect(evaluateCriterion(79, parseCriterion(">=-20"), 100)).toEqual({ criteria: ">=-20", targetValue: 80, violated: true });
  });
});

describe("criteria lists: AND inside, OR between (Keptn TestEvaluateCriteriaSet, TestEvaluateOrCombinedCriteria)", () => {
  it.each([...criteria.TestEvaluateCriteriaSet, ...criteria.TestEvaluateOrCombinedCriteria])("$name", (row) => {
    const agg = aggregate(numbers(row.previous), row.aggregate_function as AggregateFunction);
    const r = evaluateCriteriaSets(row.value, sets(row.sets), agg);
    expect(r.met).toBe(row.expected);
    expect(r.targets).toEqual(row.targets);
  });
});

type Row = (typeof objectives.cases)[number];
function sloOf(row: Row): KeptnSlo {
  return {
    specVersion: "1.0",
    comparison: row.slo.comparison as Comparison,
    objectives: row.slo.objectives.map((o) => ({ sli: o.sli, displayName: "", keySli: false, pass: sets(o.pass), warning: sets(o.warning), weight: o.weight })),
    totalScore: { pass: 90, warning: 75 },
  };
}

describe("objectives (Keptn TestEvaluateObjectives)", () => {
  it.each(objectives.cases)("$name", (row) => {
    const slo = sloOf(row);
    const evaluation = evaluateSlo(slo, row.values as Record<string, number | null>, row.previous as Record<string, number | null>[]);
    expect(maximumScore(slo.objectives)).toBe(row.maximumScore);
    expect(evaluation.objectives.some((o) => o.keySli && o.status === "fail")).toBe(row.keySliFailed);
    expect(evaluation.objectives).toHaveLength(row.expected.length);
    row.expected.forEach((want, i) => {
      const got = evaluation.objectives[i]!;
      expect({ sli: got.sli, status: got.status, score: got.score, passTargets: got.passTargets, warningTargets: got.warningTargets }).toEqual({
        sli: want.sli,
        status: want.status,
        score: want.score,
        passTargets: want.passTargets,
        warningTargets: want.warningTargets,
      });
      // Keptn reports 0 as the compared value when there was nothing to compare with; we say null.
      if ("comparedValue" in want) expect(got.aggregate ?? 0).toBe(want.comparedValue);
    });
  });

  it("an slo.yaml without objectives fails (Keptn issue 9198)", () => {
    const e = evaluateSlo({ specVersion: "1.0", comparison: objectives.cases[0]!.slo.comparison as Comparison, objectives: [], totalScore: { pass: 90, warning: 75 } }, {}, []);
    expect(e.result).toBe("fail");
    expect(e.reasons[0]).toMatch(/no objective/);
  });

  it("a key SLI that only reaches its warning criteria does not fail the evaluation; one that fails does", () => {
    const slo: KeptnSlo = {
      specVersion: "1.0",
      comparison: { compareWith: "single_result", includeResultWithScore: "all", numberOfComparisonResults: 1, aggregateFunction: "avg" },
      objectives: [
        { sli: "a", displayName: "", keySli: true, pass: sets([["<10"]]), warning: sets([["<20"]]), weight: 1 },
        { sli: "b", displayName: "", keySli: false, pass: sets([["<10"]]), warning: [], weight: 3 },
      ],
      totalScore: { pass: 90, warning: 75 },
    };
    // a warns (0.5 of 1), b passes (3): 3.5 / 4 = 87.5 %, below 90 but above 75.
    expect(evaluateSlo(slo, { a: 15, b: 1 }, [])).toMatchObject({ result: "warning", score: 87.5 });
    const failed = evaluateSlo(slo, { a: 25, b: 1 }, []);
    expect(failed).toMatchObject({ result: "fail", score: 75 });
    expect(failed.reasons[0]).toBe('key SLI "a" failed, which fails the whole evaluation');
  });

  it("weight counts, and an objective with no value fails with its targets at the bare aggregate", () => {
    const r = evaluateObjective({ sli: "x", displayName: "X", keySli: false, pass: sets([["<=+10%"]]), warning: [], weight: 2 }, null, [4, null, 6], "avg");
    expect(r).toMatchObject({ status: "fail", score: 0, aggregate: 5, comparedValues: [4, 6], passTargets: [{ criteria: "<=+10%", targetValue: 5, violated: true }] });
  });
});

describe("total score (Keptn TestCalculateScore)", () => {
  it.each(totals.cases)("$name", (row) => {
    const results = row.results.map(
      (r, i): ObjectiveResult => ({
        sli: `m${i}`,
        displayName: "",
        keySli: r.keySli,
        weight: 1,
        value: 10,
        comparedValues: [],
        aggregate: null,
        status: r.status as ObjectiveResult["status"],
        score: r.score,
        passTargets: r.passTargets ? [{ criteria: "<=15.0", targetValue: 15, violated: r.status !== "pass" }] : [],
        warningTargets: [],
      }),
    );
    const t = totalScore(results, row.maximumScore, { pass: 90, warning: 75 });
    expect(t.score).toBe(row.expectedScore);
    expect(t.result).toBe(row.expectedResult);
  });

  it("without a warning threshold a score below pass fails", () => {
    const r: ObjectiveResult = { sli: "a", displayName: "", keySli: false, weight: 1, value: 1, comparedValues: [], aggregate: null, status: "warning", score: 0.5, passTargets: [{ criteria: "<1", targetValue: 1, violated: true }], warningTargets: [] };
    expect(totalScore([r], 1, { pass: 90, warning: null })).toMatchObject({ result: "fail", score: 50, reasons: ["the score of 50% is below the pass target of 90%"] });
  });
});

describe("which earlier results are compared (Keptn getPreviousEvaluations)", () => {
  const earlier = [
    { id: 1, result: "fail" as const },
    { id: 2, result: "warning" as const },
    { id: 3, result: "pass" as const },
    { id: 4, result: "pass" as const },
    { id: 5, result: "pass" as const },
  ];
  const c = (over: Partial<Comparison>): Comparison => ({ compareWith: "several_results", includeResultWithScore: "all", numberOfComparisonResults: 3, aggregateFunction: "avg", ...over });
  it.each([
    [c({}), [1, 2, 3]],
    [c({ includeResultWithScore: "pass" }), [3, 4, 5]],
    [c({ includeResultWithScore: "pass_or_warn" }), [2, 3, 4]],
    [c({ compareWith: "single_result", includeResultWithScore: "pass" }), [3]],
    [c({ numberOfComparisonResults: 10, includeResultWithScore: "pass" }), [3, 4, 5]],
  ])("%o -> %o", (comparison, ids) => {
    expect(selectComparisons(earlier, comparison).map((e) => e.id)).toEqual(ids);
  });
});
