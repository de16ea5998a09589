// Regression criteria as Keptn writes them (slo.yaml, spec at keptn/keptn
// lighthouse-service/examples/slo.yaml; docs/regression.md), as JSON or as the YAML text itself,
// and the answer of a regression check. Criteria strings are checked with the domain's own
// parser, so what is accepted here is exactly what the evaluation understands.
import { parse as parseYaml, YAMLParseError } from "yaml";
import { z } from "zod";
import { CriteriaError, KEPTN_DEFAULT_COMPARISON, parseCriterion, type KeptnSlo } from "../domain/keptn-slo";
import { MAX_EARLIER_CANDIDATES, MAX_FIRST_MINUTES } from "../domain/regression";
import { instant } from "./views";

export const MAX_SLO_YAML_BYTES = 64 * 1024;
/** The request's JSON holds the YAML text escaped: room for it, and no more. */
export const MAX_REGRESSION_BODY_BYTES = 4 * MAX_SLO_YAML_BYTES;
const MAX_OBJECTIVES = 100;
const MAX_CRITERIA = 20;

const criterion = z.string({ error: "Give each criterion as text, e.g. \"<=+10%\" or \"<0.01\"" }).superRefine((text, ctx) => {
  try {
    parseCriterion(text);
  } catch (e) {
    if (!(e instanceof CriteriaError)) throw e;
    ctx.addIssue({ code: "custom", message: e.message });
  }
});

const criteriaList = z
  .array(
    z.object(
      { criteria: z.array(criterion, { error: "Give criteria as a list of texts" }).min(1, "Give at least one criterion (a list with none would always be met)").max(MAX_CRITERIA, `Use at most ${MAX_CRITERIA} criteria in one list`) },
      { error: "Give each entry as { criteria: [...] }" },
    ),
    { error: "Give a list of { criteria: [...] } entries" },
  )
  .max(MAX_CRITERIA, `Use at most ${MAX_CRITERIA} criteria lists`)
  .nullish()
  .transform((v) => (v ?? []).map((s) => ({ criteria: s.criteria })));

/** "90%", "90" or 90: a percentage from 0 to 100. */
const percentage = z.union([z.number(), z.string()], { error: 'Give a percentage such as "90%"' }).transform((v, ctx) => {
  const n = typeof v === "number" ? v : /^\s*\d+(\.\d+)?\s*%?\s*$/.test(v) ? Number(v.replace("%", "")) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > 100) {
    ctx.addIssue({ code: "custom", message: 'Give a percentage from 0 to 100, such as "90%"' });
    return z.NEVER;
  }
  return n;
});

const objective = z.object(
  {
    sli: z.string({ error: "Name the SLI (its slug in the service)" }).min(1, "Name the SLI (its slug in the service)").max(253, "Use at most 253 characters for the SLI"),
    displayName: z.string({ error: "Give the display name as text" }).max(200, "Use at most 200 characters for the display name").nullish().transform((v) => v ?? ""),
    key_sli: z.boolean({ error: "Give key_sli as true or false" }).nullish().transform((v) => v ?? false),
    pass: criteriaList,
    warning: criteriaList,
    // Keptn treats a weight of 0 (or none) as 1 (common.go parseSLO).
    weight: z.number({ error: "Give the weight as a whole number" }).int("Give the weight as a whole number").min(0, "The weight cannot be negative").max(1000, "Use a weight of at most 1,000").nullish().transform((v) => (v ? v : 1)),
  },
  { error: "Give each objective as { sli, pass, warning, weight, key_sli }" },
);

/**
 * Keptn's slo.yaml as an object, keys as Keptn spells them. Left out, comparison takes Keptn's
 * defaults (single_result, all, avg); given, compare_with is required, as Keptn's spec says.
 */
export const keptnSloSchema = z
  .object(
    {
      spec_version: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? "1.0" : String(v))),
      comparison: z
        .object(
          {
            compare_with: z.enum(["single_result", "several_results"], { error: "Use single_result or several_results" }),
            include_result_with_score: z.enum(["pass", "pass_or_warn", "all"], { error: "Use pass, pass_or_warn or all" }).nullish(),
            number_of_comparison_results: z
              .number({ error: "Give a whole number of earlier results" })
              .int("Give a whole number of earlier results")
              .min(1, "Compare with at least 1 earlier result")
              .max(MAX_EARLIER_CANDIDATES, `Compare with at most ${MAX_EARLIER_CANDIDATES} earlier results`)
              .nullish(),
            aggregate_function: z.enum(["avg", "p50", "p90", "p95"], { error: "Use avg, p50, p90 or p95" }).nullish(),
          },
          { error: "Give comparison as { compare_with, include_result_with_score, number_of_comparison_results, aggregate_function }" },
        )
        .nullish(),
      filter: z.unknown().optional(),
      objectives: z.array(objective, { error: "Give objectives as a list" }).min(1, "Give at least one objective").max(MAX_OBJECTIVES, `Use at most ${MAX_OBJECTIVES} objectives`),
      total_score: z.object({ pass: percentage, warning: percentage.nullish() }, { error: 'Give total_score with a pass percentage, such as { pass: "90%", warning: "75%" }' }),
    },
    { error: "Give the criteria as a Keptn slo.yaml object" },
  )
  .transform(
    (s): KeptnSlo => ({
      specVersion: s.spec_version,
      comparison: s.comparison
        ? {
            compareWith: s.comparison.compare_with,
            includeResultWithScore: s.comparison.include_result_with_score ?? "all",
            // Keptn's default of 3 when several_results leaves the number out.
            numberOfComparisonResults: s.comparison.compare_with === "single_result" ? 1 : (s.comparison.number_of_comparison_results ?? 3),
            aggregateFunction: s.comparison.aggregate_function ?? "avg",
          }
        : KEPTN_DEFAULT_COMPARISON,
      objectives: s.objectives.map((o) => ({ sli: o.sli, displayName: o.displayName, keySli: o.key_sli, pass: o.pass, warning: o.warning, weight: o.weight })),
      totalScore: { pass: s.total_score.pass, warning: s.total_score.warning ?? null },
    }),
  );

/**
 * Keptn's slo.yaml text, parsed and checked like the JSON form; problems are named by their
 * path inside the document (sloYaml.objectives.0.pass.0.criteria.1). Aliases are capped, so a
 * small document cannot expand into a huge one.
 */
export const sloYamlSchema = z
  .string({ error: "Give sloYaml as the text of a Keptn slo.yaml" })
  .refine((s) => new TextEncoder().encode(s).length <= MAX_SLO_YAML_BYTES, `Keep sloYaml within ${MAX_SLO_YAML_BYTES / 1024} KB`)
  .transform((text, ctx) => {
    let doc: unknown;
    try {
      doc = parseYaml(text, { maxAliasCount: 50, prettyErrors: true, uniqueKeys: true });
    } catch (e) {
      const where = e instanceof YAMLParseError && e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "";
      ctx.addIssue({ code: "custom", message: `is not valid YAML${where}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` });
      return z.NEVER;
    }
    const r = keptnSloSchema.safeParse(doc);
    if (!r.success) {
      for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return r.data;
  });

export const regressionRequestSchema = z
  .strictObject(
    {
      firstMinutes: z
        .number({ error: "Give firstMinutes as a whole number of minutes" })
        .int("Give firstMinutes as a whole number of minutes")
        .min(1, "Measure at least the first minute")
        .max(MAX_FIRST_MINUTES, `Measure at most the first ${MAX_FIRST_MINUTES} minutes (a day)`)
        .optional(),
      criteria: keptnSloSchema.optional(),
      sloYaml: sloYamlSchema.optional(),
    },
    { error: (iss) => (iss.code === "unrecognized_keys" ? `Use only firstMinutes, and criteria or sloYaml (not ${iss.keys.join(", ")})` : "Give the request as { firstMinutes, criteria } or { firstMinutes, sloYaml }") },
  )
  .superRefine((r, ctx) => {
    if (r.criteria && r.sloYaml) ctx.addIssue({ code: "custom", message: "Give the criteria once: as criteria (JSON) or as sloYaml, not both", path: ["sloYaml"] });
  });
export type RegressionRequest = z.output<typeof regressionRequestSchema>;

const target = z.object({ criteria: z.string(), targetValue: z.number(), violated: z.boolean() });
const result = z.enum(["pass", "warning", "fail"]);

/** The answer: the verdict, each objective with its numbers and reason, the releases looked at, and the criteria used. */
export const regressionViewSchema = z.object({
  deploy: z.object({ id: z.string(), service: z.string(), environment: z.string(), version: z.string(), deployedAt: instant }),
  firstMinutes: z.number().int(),
  window: z.object({ from: instant, to: instant, complete: z.boolean(), cutShort: z.boolean() }),
  status: z.enum(["evaluated", "not_yet", "no_data"]),
  result: result.nullable(),
  score: z.number().nullable(),
  maximumScore: z.number().nullable(),
  sentence: z.string(),
  reasons: z.array(z.string()),
  objectives: z.array(
    z.object({
      sli: z.string(),
      displayName: z.string(),
      keySli: z.boolean(),
      weight: z.number(),
      value: z.number().nullable(),
      comparedValues: z.array(z.number()),
      aggregate: z.number().nullable(),
      status: z.enum(["pass", "warning", "fail", "info"]),
      score: z.number(),
      passTargets: z.array(target),
      warningTargets: z.array(target),
      violated: z.array(z.string()),
      reason: z.string(),
    }),
  ),
  releases: z.array(z.object({ deployId: z.string(), version: z.string(), deployedAt: instant, result, score: z.number(), compared: z.boolean() })),
  criteria: z.object({
    source: z.enum(["default", "json", "yaml"]),
    comparison: z.object({ compareWith: z.string(), includeResultWithScore: z.string(), numberOfComparisonResults: z.number(), aggregateFunction: z.string() }),
    totalScore: z.object({ pass: z.number(), warning: z.number().nullable() }),
  }),
});
export type RegressionView = z.output<typeof regressionViewSchema>;
