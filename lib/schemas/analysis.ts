// Canary analyses (docs/deploy-verification.md): the request that starts one, and the views the
// API, Argo Rollouts' web metric, Flagger's webhooks and the CLI read.
import { z } from "zod";
import { COHORT_NAME, COHORT_NAME_RULE, COHORT_TTL_DAYS } from "../domain/cohort";
import { environmentSchema } from "./gate";

const text = (max: number) => z.string({ error: (i) => (i.input == null ? "is required" : "must be text") }).trim().min(1, "is required").max(max, `must be at most ${max} characters`);
const cohort = z.string({ error: (i) => (i.input == null ? "is required" : "must be text") }).regex(COHORT_NAME, COHORT_NAME_RULE);
const whole = (min: number, max: number) => z.number({ error: "must be a number" }).int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const ratio = (name: string) => z.number({ error: "must be a number" }).positive(`${name} must be above 0`).max(1000, `${name} must be at most 1000`);

export const canaryDirections = ["increase", "decrease", "either"] as const;

/** Most SLIs one analysis compares; each costs two reads and one test per interval. */
export const MAX_ANALYSIS_METRICS = 20;
/** An analysis must end while its cohorts live (they live COHORT_TTL_DAYS after their last read). */
export const MAX_ANALYSIS_MINUTES = COHORT_TTL_DAYS * 1440;
export const MAX_ANALYSIS_BYTES = 32 * 1024;

export const analysisMetricSchema = z.strictObject({
  /** The SLI, by slug within the service (or id). */
  sli: text(100),
  /** The change that fails it; an error ratio fails only upward. */
  direction: z.enum(canaryDirections, { error: `must be one of ${canaryDirections.join(", ")}` }).default("increase"),
  /** A failing critical metric fails the whole interval. */
  critical: z.boolean({ error: "must be true or false" }).default(false),
  /** No data fails the metric instead of leaving it out. */
  mustHaveData: z.boolean({ error: "must be true or false" }).default(false),
  /** Kayenta's effect sizes: ratios of the canary's mean to the baseline's. */
  effectSize: z
    .strictObject({ allowedIncrease: ratio("allowedIncrease").optional(), allowedDecrease: ratio("allowedDecrease").optional(), criticalIncrease: ratio("criticalIncrease").optional(), criticalDecrease: ratio("criticalDecrease").optional() })
    .optional(),
  group: text(64).optional(),
  /** The group's share of the score, in percent (all metrics of a group give the same, or one gives it). */
  weight: z.number({ error: "must be a number" }).min(0, "must be at least 0").max(100, "must be at most 100").optional(),
});

export const analysisScheduleSchema = z.strictObject({
  count: whole(1, 100),
  intervalMinutes: whole(1, 1440),
  initialDelayMinutes: whole(0, 1440),
  failureLimit: whole(0, 100),
  inconclusiveLimit: whole(0, 100),
});

export const createAnalysisSchema = z
  .strictObject({
    service: text(100),
    environment: environmentSchema.default("production"),
    version: z.string({ error: "must be text" }).trim().max(200, "must be at most 200 characters").default(""),
    canary: cohort,
    baseline: cohort,
    /** Default: every live SLI of the service, error ratio per minute, failing upward. */
    metrics: z.array(analysisMetricSchema, { error: "must be a list" }).min(1, "name at least one SLI, or leave metrics out for all of them").max(MAX_ANALYSIS_METRICS, `must name at most ${MAX_ANALYSIS_METRICS} SLIs`).optional(),
    thresholds: z
      .strictObject({ marginal: z.number({ error: "must be a number" }).min(0, "must be at least 0").max(100, "must be at most 100"), pass: z.number({ error: "must be a number" }).min(0, "must be at least 0").max(100, "must be at most 100") })
      .refine((t) => t.pass >= t.marginal, { path: ["pass"], message: "must be at least marginal" })
      .optional(),
    schedule: analysisScheduleSchema.optional(),
    budget: z
      .strictObject({
        failIfExhaustsWithinMinutes: whole(0, 400 * 1440).optional(),
        maxShareOfRemainingPerDay: z.number({ error: "must be a number" }).min(0, "must be at least 0").max(1, "must be at most 1 (a share)").optional(),
      })
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.canary === v.baseline) ctx.addIssue({ code: "custom", path: ["baseline"], message: "must differ from canary: an analysis compares two cohorts" });
    const names = new Set<string>();
    v.metrics?.forEach((m, i) => {
      if (names.has(m.sli)) ctx.addIssue({ code: "custom", path: ["metrics", i, "sli"], message: `names SLI "${m.sli}" a second time` });
      names.add(m.sli);
    });
    const weights = new Map<string, number>();
    v.metrics?.forEach((m, i) => {
      if (m.weight === undefined) return;
      const g = m.group ?? "default";
      if (weights.has(g) && weights.get(g) !== m.weight) ctx.addIssue({ code: "custom", path: ["metrics", i, "weight"], message: `group "${g}" already has weight ${weights.get(g)}` });
      weights.set(g, m.weight);
    });
    if ([...weights.values()].reduce((a, b) => a + b, 0) > 100) ctx.addIssue({ code: "custom", path: ["metrics"], message: "the group weights add up to more than 100" });
    const s = v.schedule;
    if (s && s.initialDelayMinutes + s.count * s.intervalMinutes > MAX_ANALYSIS_MINUTES) {
      ctx.addIssue({ code: "custom", path: ["schedule", "count"], message: `the analysis would last longer than ${COHORT_TTL_DAYS} days, the life of its cohorts` });
    }
  });
export type CreateAnalysisInput = z.output<typeof createAnalysisSchema>;

export const analysisQuerySchema = z.object({
  service: z.string().trim().max(100).optional(),
  status: z.enum(["running", "passed", "failed", "inconclusive", "cancelled"], { error: "must be running, passed, failed, inconclusive or cancelled" }).optional(),
  limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});

const n = z.number().nullable();
export const analysisMetricResultSchema = z.object({
  name: z.string(),
  group: z.string(),
  classification: z.enum(["Pass", "High", "Low", "Nodata", "NodataFailMetric"]),
  critical: z.boolean(),
  reason: z.string().nullable(),
  controlCount: z.number(),
  experimentCount: z.number(),
  controlMedian: n,
  experimentMedian: n,
  pValue: n,
  estimate: n,
  confidenceInterval: z.object({ lower: z.number(), upper: z.number() }).nullable(),
});
export const analysisBudgetTermSchema = z.object({
  sli: z.string(),
  slo: z.string().nullable(),
  canaryErrorRatio: n,
  burnRate: n,
  timeToExhaustionMinutes: n,
  shareOfRemainingNextDay: n,
  fails: z.boolean(),
  reasons: z.array(z.string()),
});
export const analysisIntervalViewSchema = z.object({
  index: z.number(),
  from: z.string(),
  to: z.string(),
  score: n,
  outcome: z.enum(["pass", "marginal", "fail", "nodata"]),
  reasons: z.array(z.string()),
  groups: z.array(z.object({ name: z.string(), score: n, weight: z.number() })),
  metrics: z.array(analysisMetricResultSchema),
  budget: z.array(analysisBudgetTermSchema),
});
export type AnalysisIntervalView = z.output<typeof analysisIntervalViewSchema>;

export const analysisStatuses = ["running", "passed", "failed", "inconclusive", "cancelled"] as const;
/** The verdict an Argo successCondition or a script reads: pass, fail, inconclusive, or running / cancelled. */
export const analysisVerdicts = ["running", "pass", "fail", "inconclusive", "cancelled"] as const;

export const analysisSummarySchema = z.object({
  id: z.string(),
  team: z.string(),
  service: z.object({ slug: z.string(), name: z.string() }),
  environment: z.string(),
  version: z.string(),
  canary: z.string(),
  baseline: z.string(),
  status: z.enum(analysisStatuses),
  verdict: z.enum(analysisVerdicts),
  /** The last interval's summary score (0-100), null before one ran or without data. */
  score: n,
  reasons: z.array(z.string()),
  intervalsDone: z.number(),
  /** Intervals the schedule plans (its count). */
  intervalsPlanned: z.number(),
  startedAt: z.string(),
  nextRunAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  url: z.string(),
});
export type AnalysisSummary = z.output<typeof analysisSummarySchema>;

export const analysisConfigViewSchema = z.object({
  metrics: z.array(
    z.object({ sli: z.string(), sliId: z.string(), kind: z.string(), direction: z.enum(canaryDirections), critical: z.boolean(), mustHaveData: z.boolean(), group: z.string(), effectSize: z.record(z.string(), z.number()).optional() }),
  ),
  groupWeights: z.record(z.string(), z.number()),
  thresholds: z.object({ marginal: z.number(), pass: z.number() }),
  schedule: analysisScheduleSchema,
  budget: z.object({ failIfExhaustsWithinMinutes: z.number().optional(), maxShareOfRemainingPerDay: z.number().optional() }),
});
export type AnalysisConfig = z.output<typeof analysisConfigViewSchema>;

export const analysisViewSchema = analysisSummarySchema.extend({
  config: analysisConfigViewSchema,
  intervals: z.array(analysisIntervalViewSchema),
  /** The score after each interval, for a chart. */
  scores: z.array(z.object({ index: z.number(), to: z.string(), score: n, outcome: z.enum(["pass", "marginal", "fail", "nodata"]) })),
});
export type AnalysisView = z.output<typeof analysisViewSchema>;
export const analysisListSchema = z.object({ analyses: z.array(analysisSummarySchema) });

/** Flagger's webhook payload (flagger.app, "Webhooks"): what confirm-promotion and rollback receive. */
export const flaggerPayloadSchema = z.object({
  name: text(253),
  namespace: text(253),
  phase: z.string().max(64).optional(),
  checksum: z.string().max(200).optional(),
  metadata: z.record(z.string(), z.string().max(1000)).optional(),
});
export type FlaggerPayload = z.output<typeof flaggerPayloadSchema>;
export const flaggerAnswerSchema = z.object({ analysis: z.string().nullable(), verdict: z.enum(analysisVerdicts).nullable(), reasons: z.array(z.string()) });
export type FlaggerAnswer = z.output<typeof flaggerAnswerSchema>;
