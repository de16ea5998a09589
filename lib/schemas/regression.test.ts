// Keptn slo.yaml as JSON and as YAML text (docs/regression.md "Criteria"), including Keptn's
// own example files (lib/domain/testdata/keptn/*.slo.yaml, Apache-2.0).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fieldErrors } from "./field-errors";
import { keptnSloSchema, MAX_SLO_YAML_BYTES, regressionRequestSchema, sloYamlSchema } from "./regression";

const testdata = (name: string) => readFileSync(path.join(import.meta.dirname, "../domain/testdata/keptn", name), "utf8");
const problems = (r: { success: boolean; error?: unknown }) => (r.success ? {} : fieldErrors(r.error as Parameters<typeof fieldErrors>[0]));

describe("Keptn's example slo.yaml files", () => {
  it("lighthouse-service/examples/slo.yaml: comparison, weights, ANDed criteria, total_score with an unquoted 75%", () => {
    const slo = sloYamlSchema.parse(testdata("lighthouse-example.slo.yaml"));
    expect(slo.comparison).toEqual({ compareWith: "single_result", includeResultWithScore: "pass", numberOfComparisonResults: 1, aggregateFunction: "avg" });
    expect(slo.objectives).toEqual([
      { sli: "request_latency_p95", displayName: "", keySli: false, pass: [{ criteria: ["<=+10%", "<1000"] }], warning: [{ criteria: ["<=800"] }], weight: 1 },
      { sli: "error_rate", displayName: "", keySli: false, pass: [{ criteria: ["=0"] }], warning: [], weight: 2 },
    ]);
    expect(slo.totalScore).toEqual({ pass: 90, warning: 75 });
  });

  it("test/assets/podtato-head/slo.yaml: no number_of_comparison_results, relative decrease criteria", () => {
    const slo = sloYamlSchema.parse(testdata("podtato-head.slo.yaml"));
    expect(slo.comparison.numberOfComparisonResults).toBe(1);
    expect(slo.objectives[1]).toMatchObject({ sli: "request_throughput", pass: [{ criteria: ["<=+100%", ">=-80%"] }] });
  });
});

describe("criteria as JSON", () => {
  const ok = { objectives: [{ sli: "availability", pass: [{ criteria: ["<=+10%"] }] }], total_score: { pass: "90%" } };

  it("takes Keptn's defaults: comparison single_result/all/avg, weight 1 (also for 0), no warning threshold", () => {
    const slo = keptnSloSchema.parse({ ...ok, objectives: [{ ...ok.objectives[0], weight: 0 }] });
    expect(slo).toEqual({
      specVersion: "1.0",
      comparison: { compareWith: "single_result", includeResultWithScore: "all", numberOfComparisonResults: 1, aggregateFunction: "avg" },
      objectives: [{ sli: "availability", displayName: "", keySli: false, pass: [{ criteria: ["<=+10%"] }], warning: [], weight: 1 }],
      totalScore: { pass: 90, warning: null },
    });
    expect(keptnSloSchema.parse({ ...ok, comparison: { compare_with: "several_results" } }).comparison.numberOfComparisonResults).toBe(3);
  });

  it.each([
    [{ ...ok, objectives: [{ sli: "a", pass: [{ criteria: ["<=+10%", "<10ms"] }] }] }, "objectives.0.pass.0.criteria.1", /"<10ms" must be an operator and a number/],
    [{ ...ok, objectives: [ok.objectives[0], { sli: "b", warning: [{ criteria: ["~5"] }] }] }, "objectives.1.warning.0.criteria.0", /must start with one of/],
    [{ ...ok, objectives: [{ sli: "a", pass: [{ criteria: [] }] }] }, "objectives.0.pass.0.criteria", /at least one criterion/],
    [{ ...ok, objectives: [] }, "objectives", /at least one objective/],
    [{ objectives: ok.objectives }, "total_score", /pass percentage/],
    [{ ...ok, total_score: { pass: "ninety" } }, "total_score.pass", /percentage from 0 to 100/],
    [{ ...ok, total_score: { pass: "190%" } }, "total_score.pass", /percentage from 0 to 100/],
    [{ ...ok, comparison: { compare_with: "several_results", number_of_comparison_results: 21 } }, "comparison.number_of_comparison_results", /at most 20/],
    [{ ...ok, comparison: { compare_with: "several_results", aggregate_function: "max" } }, "comparison.aggregate_function", /avg, p50, p90 or p95/],
    [{ ...ok, comparison: {} }, "comparison.compare_with", /single_result or several_results/],
    [{ ...ok, objectives: [{ sli: "a", weight: 1.5, pass: ok.objectives[0]!.pass }] }, "objectives.0.weight", /whole number/],
    [{ ...ok, objectives: [{ sli: "", pass: ok.objectives[0]!.pass }] }, "objectives.0.sli", /Name the SLI/],
    [{ ...ok, objectives: Array.from({ length: 101 }, () => ok.objectives[0]) }, "objectives", /at most 100/],
  ])("names the field of a bad document (%#)", (doc, field, message) => {
    const p = problems(keptnSloSchema.safeParse(doc));
    expect(p[field]).toMatch(message);
  });
});

describe("criteria as slo.yaml text", () => {
  it("names the path inside the document, prefixed by sloYaml", () => {
    const text = 'objectives:\n  - sli: a\n    pass:\n      - criteria: ["<=+10%", "<1O"]\ntotal_score: { pass: "90%" }\n';
    expect(problems(regressionRequestSchema.safeParse({ sloYaml: text }))).toEqual({ "sloYaml.objectives.0.pass.0.criteria.1": expect.stringMatching(/"<1O"/) });
  });

  it("says where the YAML is broken", () => {
    expect(problems(sloYamlSchema.safeParse("objectives: [\n  - sli: a\n"))).toEqual({ body: expect.stringMatching(/^is not valid YAML at line \d+, column \d+/) });
    expect(problems(sloYamlSchema.safeParse("a: 1\na: 2\n")).body).toMatch(/not valid YAML/);
  });

  it("refuses hostile documents: an alias bomb, a document that is not a mapping, and more than 64 KB", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`)].join("\n");
    expect(problems(sloYamlSchema.safeParse(bomb)).body).toMatch(/not valid YAML.*alias/i);
    expect(problems(sloYamlSchema.safeParse("just text")).body).toMatch(/Keptn slo.yaml object/);
    expect(problems(sloYamlSchema.safeParse(`# ${"x".repeat(MAX_SLO_YAML_BYTES)}\n`)).body).toMatch(/within 64 KB/);
    expect(problems(sloYamlSchema.safeParse(`# ${"é".repeat(MAX_SLO_YAML_BYTES / 2)}\n`)).body).toMatch(/within 64 KB/);
  });
});

describe("the request", () => {
  it.each([
    [{ criteria: { objectives: [{ sli: "a", pass: [{ criteria: ["<1"] }] }], total_score: { pass: 90 } }, sloYaml: "objectives: [{ sli: a, pass: [{ criteria: ['<1'] }] }]\ntotal_score: { pass: 90 }\n" }, "sloYaml", /not both/],
    [{ firstMinutes: 0 }, "firstMinutes", /at least the first minute/],
    [{ firstMinutes: 1441 }, "firstMinutes", /at most the first 1440 minutes/],
    [{ firstMinutes: "30" }, "firstMinutes", /whole number/],
    [{ extra: true }, "body", /only firstMinutes/],
    [[], "body", /Give the request as/],
  ])("refuses %j", (body, field, message) => {
    expect(problems(regressionRequestSchema.safeParse(body))[field]).toMatch(message);
  });

  it("takes an empty body (defaults for everything)", () => {
    expect(regressionRequestSchema.parse({})).toEqual({});
  });
});
