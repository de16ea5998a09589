// Deploy records (docs/deploys.md): what a pipeline reports after a release went out, the
// list's filters, and the answers with the budget each deploy spent.
import { z } from "zod";
import { gateDecisions } from "../domain/policy";
import { slugSchema } from "./common";
import { environmentSchema } from "./gate";
import { instant } from "./views";

const shortText = (max: number) => z.string({ error: (i) => (i.input == null ? "is required" : "must be text") }).trim().min(1, "is required").max(max, `must be at most ${max} characters`);
const httpUrl = z
  .string({ error: "must be a URL" })
  .trim()
  .max(2000, "must be at most 2,000 characters")
  .url("must be a URL")
  .refine((u) => /^https?:\/\//i.test(u), "must be an http or https URL");

/** A deploy report is a few hundred bytes; anything near this is not one. */
export const MAX_DEPLOY_BYTES = 8 * 1024;

/**
 * How far back a deploy may be reported: the longest window a deploy's spend is read over in
 * practice (a quarter), so a report never reaches data retention has already dropped.
 */
export const OLDEST_DEPLOY_DAYS = 90;

/** What a pipeline (or a person) reports once a release went out. */
export const recordDeploySchema = z.strictObject({
  /** The team: a token's own (optional; a mismatch is refused), required from a browser session. */
  team: slugSchema.optional(),
  service: shortText(100),
  environment: environmentSchema,
  /** Free text (a tag, a build number); shown as text, never as markup. */
  version: shortText(200),
  commit: z.string({ error: "must be text" }).trim().regex(/^[0-9a-f]{7,64}$/i, "must be a git commit hash (7 to 64 hex digits)").optional(),
  link: httpUrl.optional(),
  /** When it went out (default: now); at most 5 minutes ahead and 90 days back. */
  deployedAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2026-12-04T10:00:00Z" }).transform((v) => new Date(v)).optional(),
  /** The gate decision that allowed it; default: the latest allow or warn for the same service, environment and version of the last 24 hours. */
  decisionId: z.string({ error: "must be a decision id" }).uuid("must be a decision id").optional(),
});
export type RecordDeployInput = z.output<typeof recordDeploySchema>;

export const deployQuerySchema = z.object({
  service: z.string().trim().max(100, "must be at most 100 characters").optional(),
  environment: z.string().trim().max(64, "must be at most 64 characters").optional(),
  /** The id of the last deploy of the previous page. */
  before: z.string().uuid("must be a deploy id").optional(),
  limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").default(20),
});
export type DeployQuery = z.output<typeof deployQuerySchema>;

const named = z.object({ slug: z.string(), name: z.string() });

/** A recorded deploy. */
export const deployViewSchema = z.object({
  id: z.string(),
  team: z.string(),
  service: named,
  environment: z.string(),
  version: z.string(),
  commit: z.string().nullable(),
  link: z.string().nullable(),
  deployedAt: instant,
  /** "api", "cli", "github" or "demo". */
  source: z.string(),
  /** The gate decision that allowed it, when there was one. */
  decision: z.object({ id: z.string(), decision: z.enum(gateDecisions), url: z.string() }).nullable(),
  recordedAt: instant,
});
export type DeployView = z.infer<typeof deployViewSchema>;

/** What the deploy spent of one SLO (lib/domain/deploy-budget.ts). */
export const deploySloSpendSchema = z.object({
  slo: named,
  objective: z.string(),
  /** "the 28-day window", "the month". */
  window: z.string(),
  badEvents: z.number(),
  totalEvents: z.number(),
  /** Share of the window's error budget (0.19 = 19 %); null when the window has no events. */
  share: z.number().nullable(),
  /** The same as budget time, in minutes; null when the window has no events. */
  budgetMinutes: z.number().nullable(),
  /** "burned 8 h 12 min (19% of the window)". */
  summary: z.string(),
  /** "This deploy burned 8 h 12 min of budget (19% of the 28-day window)." */
  sentence: z.string(),
  /** The SLO whose share is the largest for this deploy, when at least 5 % (NOTABLE_SHARE). */
  worst: z.boolean(),
  /** Set when this SLO's figure could not be computed (its definition or data is broken). */
  error: z.string().nullable(),
});
export type DeploySloSpend = z.infer<typeof deploySloSpendSchema>;

export const deployWithSpendSchema = deployViewSchema.extend({
  /** The end of the deploy's period: the next deploy of the same environment, or now. */
  periodEnd: instant,
  /** true while it is the newest deploy of its environment (its period runs until now). */
  current: z.boolean(),
  spend: z.array(deploySloSpendSchema),
});
export type DeployWithSpend = z.infer<typeof deployWithSpendSchema>;

export const deployPageSchema = z.object({ deploys: z.array(deployWithSpendSchema), next: z.string().nullable() });
export type DeployPage = z.infer<typeof deployPageSchema>;
