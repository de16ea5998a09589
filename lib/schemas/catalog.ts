// Services, SLIs, SLOs and exclusions: one schema per input, shared by the API and the forms.
import { isCohortLabelName, withCohortLabel } from "../domain/promql-cohort";
import { histogramTypes, metricNameProblem, parseMatchers } from "../domain/promql-histogram";
import { z } from "zod";
import { parseObjective } from "../domain/budget";
import { isValidTimeZone } from "../domain/window";
import { nameFor, requiredText, slugFor } from "./common";

/** Both ends, when both parsed to dates (refinements also run when a field failed, with its raw value). */
export function bothDates(a: unknown, b: unknown): [Date, Date] | null {
  return a instanceof Date && b instanceof Date ? [a, b] : null;
}
const ordered = (a: unknown, b: unknown, maxDays: number) => {
  const d = bothDates(a, b);
  return { after: !d || d[1] > d[0], within: !d || d[1].getTime() - d[0].getTime() <= maxDays * 86_400_000 };
};

const description = z.string().trim().max(2000, "Use at most 2,000 characters for the description").default("");

/** "0.999" or "99.9%", exact to 8 decimal places, strictly between 0 and 1. Kept as a decimal string. `label` names it in messages. */
const decimalTarget = (label: string) =>
  z
    .union([z.string(), z.number()], { error: (iss) => (iss.input == null ? `Give the ${label}, e.g. "99.9%" or "0.999"` : `Give the ${label} as a decimal such as "0.999" or "99.9%"`) })
    .transform((v, ctx) => {
      try {
        const o = parseObjective(String(v));
        const text = (Number(o.scaled) / 1e8).toFixed(8);
        return text;
      } catch (e) {
        // parseObjective says what is wrong ("… must be between 0 and 1 (exclusive)"): in the field's name.
        const why = e instanceof Error ? e.message.replace(/^objective "[^"]*" /, "") : "";
        ctx.addIssue({ code: "custom", message: /is not a decimal/.test(why) || !why ? `Give the ${label} as a decimal such as "0.999" or "99.9%"` : `The ${label} ${why}` });
        return z.NEVER;
      }
    });
export const objectiveSchema = decimalTarget("objective");

/** "owner/name" of the GitHub repository whose deployments this service's gate judges; null to unlink. */
const githubRepository = z
  .string()
  .trim()
  .max(200, "Use at most 200 characters for the repository")
  .regex(/^[\w.-]+\/[\w.-]+$/, 'Give the repository as "owner/name", e.g. acme/checkout')
  .nullish();
export const createServiceSchema = z.strictObject({ slug: slugFor("the service"), name: nameFor("the service"), description, githubRepository });
/**
 * An edit names the version it started from: the `updatedAt` it read. A save after someone
 * else's is a 409 that says what changed; without it the edit applies to whatever is current.
 */
export const baseUpdatedAt = z.iso.datetime({ offset: true, error: "must be the updatedAt the edit started from, e.g. 2026-11-22T10:15:00.000Z" }).transform((v) => new Date(v)).optional();

export const updateServiceSchema = z.strictObject({ name: nameFor("the service").optional(), description: description.optional(), githubRepository, baseUpdatedAt });

export const sliKinds = ["request_ratio", "latency", "time_slice"] as const;

const promql = (what: string) => requiredText(`Give the query for ${what}`).trim().min(1, `Give the query for ${what}`).max(4000, "Use at most 4,000 characters for the query");

/**
 * Where a Prometheus-compatible server answers: one of the team's data sources by name (its URL
 * and header are the data source's, shared by every SLI that names it), or a URL with the
 * Authorization header it wants. One of the two (serverCheck).
 */
const promConnection = {
  url: z
    .url({ protocol: /^https?$/, error: "Give the server's http(s) URL, e.g. http://prometheus:9090" })
    .max(2000, "Use at most 2,000 characters for the URL")
    .optional(),
  /** A data source of the team, by name (or id), instead of url. */
  dataSource: z.string({ error: "Give the data source's name as text, e.g. prom-main" }).trim().min(1, "Give the data source's name, e.g. prom-main").max(100, "Use at most 100 characters for the data source").optional(),
  /** Sent as the Authorization header, e.g. "Bearer abc"; stored, never shown again. With url only. */
  authHeader: z.string().max(4096, "Use at most 4,096 characters for the header").nullish(),
};

/** A source names its server once: a url or a data source, not both; a header goes with a url (a data source has its own). Run also when another field failed. */
const serverCheck = () =>
  z.superRefine(
    (v: { url?: unknown; dataSource?: unknown; authHeader?: unknown }, ctx) => {
      if (v.url === undefined && v.dataSource === undefined) ctx.addIssue({ code: "custom", path: ["url"], message: "Give the server's http(s) URL, or the name of one of the team's data sources as dataSource" });
      else if (v.url !== undefined && v.dataSource !== undefined) ctx.addIssue({ code: "custom", path: ["dataSource"], message: "Give a url or a dataSource, not both" });
      else if (v.dataSource !== undefined && typeof v.authHeader === "string") ctx.addIssue({ code: "custom", path: ["authHeader"], message: "A data source sends its own Authorization header: set it on the data source, or give a url instead" });
    },
    { when: (p) => typeof p.value === "object" && p.value !== null },
  );

/** A Prometheus-compatible source (Prometheus, Thanos, Mimir, VictoriaMetrics) queried every minute. */
export const prometheusSourceSchema = z
  .strictObject({
    ...promConnection,
    goodQuery: promql("good events").optional(),
    badQuery: promql("bad events").optional(),
    totalQuery: promql("total events"),
    /** The label that tells a release's cohorts apart (e.g. "version"): an analysis adds it to every selector (docs/deploy-verification.md). */
    cohortLabel: z.string({ error: "Give the cohort label as text" }).refine(isCohortLabelName, 'Give a Prometheus label name such as "version" (letters, digits and _, not starting with "__")').nullish(),
  })
  .refine((v) => (v.goodQuery === undefined) !== (v.badQuery === undefined), { path: ["goodQuery"], message: "Give one query for good or for bad events, not both" })
  .check(serverCheck())
  .superRefine((v, ctx) => {
    if (!v.cohortLabel || !isCohortLabelName(v.cohortLabel)) return;
    for (const key of ["goodQuery", "badQuery", "totalQuery"] as const) {
      const q = v[key];
      const r = q === undefined ? null : withCohortLabel(q, v.cohortLabel, "cohort");
      if (r && !r.ok) ctx.addIssue({ code: "custom", path: [key], message: `With a cohort label, ${r.reason}` });
    }
  });

export type PrometheusSourceInput = z.infer<typeof prometheusSourceSchema>;

/** A latency threshold in seconds: a bucket bound of the histogram, checked against the server. */
const thresholdSeconds = z
  .number({ error: "Give the threshold in seconds as a number, e.g. 0.25" })
  .positive("The threshold must be above 0 s")
  .max(3600, "The threshold must be at most 3,600 s (an hour)");

const histogramFields = {
  ...promConnection,
  type: z.enum(histogramTypes, { error: "Pick the histogram's type: classic (le buckets) or native" }),
  /** The histogram's base name, e.g. http_request_duration_seconds (without _bucket). */
  metric: requiredText("Give the histogram's metric name").trim().min(1, "Give the histogram's metric name").max(200, "Use at most 200 characters for the metric name"),
  /** Label matchers as PromQL writes them, e.g. `job="api", code!~"5.."`; braces optional. */
  matchers: z
    .string({ error: "Give the label matchers as text, e.g. job=\"api\"" })
    .max(2000, "Use at most 2,000 characters for the matchers")
    .default("")
    .transform((v, ctx) => {
      const r = parseMatchers(v);
      if (r.ok) return r.text;
      ctx.addIssue({ code: "custom", message: `The matchers are not valid: ${r.reason}` });
      return z.NEVER;
    }),
};

/** The metric name against the type (classic names drop _bucket); run also when another field failed, so every problem shows at once. */
const metricNameCheck = () =>
  z.superRefine(
    (v: { type?: string; metric?: string }, ctx) => {
      if (typeof v.metric !== "string" || (v.type !== "classic" && v.type !== "native")) return;
      const problem = metricNameProblem(v.metric.trim(), v.type);
      if (problem) ctx.addIssue({ code: "custom", path: ["metric"], message: problem.charAt(0).toUpperCase() + problem.slice(1) });
    },
    { when: (p) => typeof p.value === "object" && p.value !== null },
  );

/**
 * A latency SLI from a Prometheus histogram (docs/histograms.md): good = requests in the bucket
 * up to thresholdSeconds, total = all requests, per minute. The threshold must be a bucket bound
 * on the server (checked when the SLI is created).
 */
export const histogramSourceSchema = z.strictObject({ ...histogramFields, thresholdSeconds }).check(metricNameCheck(), serverCheck());
export type HistogramSourceInput = z.infer<typeof histogramSourceSchema>;

/** "Check buckets": what the server has for a histogram, and whether a threshold is one of its bounds. */
export const histogramCheckSchema = z.strictObject({ ...histogramFields, thresholdSeconds: thresholdSeconds.nullish() }).check(metricNameCheck(), serverCheck());
export type HistogramCheckInput = z.infer<typeof histogramCheckSchema>;

export const thresholdOps = ["lt", "lte", "gt", "gte"] as const;

/**
 * A threshold SLI (OpenSLO v1 thresholdMetric with the objective's op and value): one value per
 * minute, e.g. a p99 latency or a gauge; the minute is good when `value op threshold` holds.
 */
export const thresholdSourceSchema = z.strictObject({
  ...promConnection,
  query: promql("the value"),
  op: z.enum(thresholdOps, { error: `Pick how the value compares with the threshold: ${thresholdOps.join(", ")}` }),
  value: z.number({ error: "Give the threshold as a number" }).refine((v) => Math.abs(v) <= 1e15, "Give a threshold between -1e15 and 1e15"),
}).check(serverCheck());
export type ThresholdSourceInput = z.infer<typeof thresholdSourceSchema>;

const latencyThresholdMs = z
  .number({ error: "Give the threshold in whole milliseconds" })
  .int("Give the threshold in whole milliseconds")
  .positive("The threshold must be above 0 ms")
  .max(3_600_000, "The threshold must be at most 3,600,000 ms (an hour)");
const sliceMinutes = z
  .number({ error: "Give the slice length in whole minutes" })
  .int("Give the slice length in whole minutes")
  .min(1, "A slice lasts at least 1 minute")
  .max(1440, "A slice lasts at most 1,440 minutes (a day)");

const sliFields = {
  slug: slugFor("the SLI"),
  name: nameFor("the SLI"),
  description,
  kind: z.enum(sliKinds, { error: `Pick the kind of SLI: ${sliKinds.join(", ")}` }),
  latencyThresholdMs: latencyThresholdMs.nullish(),
  sliceMinutes: sliceMinutes.nullish(),
  sliceTarget: decimalTarget("slice target").nullish(),
  /** Omitted (with histogram and threshold): data is pushed to /api/v1/ingest. */
  prometheus: prometheusSourceSchema.nullish(),
  /** A latency SLI from a Prometheus histogram, instead of prometheus queries. */
  histogram: histogramSourceSchema.nullish(),
  /** A threshold SLI: one value per minute compared with a threshold, instead of prometheus queries. */
  threshold: thresholdSourceSchema.nullish(),
};

function checkKind(
  v: { kind?: string; sliceMinutes?: number | null; sliceTarget?: string | null; latencyThresholdMs?: number | null; prometheus?: unknown; histogram?: unknown; threshold?: unknown },
  ctx: z.RefinementCtx,
) {
  const sources = (["prometheus", "histogram", "threshold"] as const).filter((k) => v[k] != null);
  if (sources.length > 1) ctx.addIssue({ code: "custom", path: [sources[1]!], message: `Give one source: ${sources.join(" or ")}, not both` });
  if (v.histogram != null) {
    if (v.kind === "request_ratio") ctx.addIssue({ code: "custom", path: ["kind"], message: "A histogram gives a latency SLI: pick kind latency (or time_slice)" });
    if (v.latencyThresholdMs != null) ctx.addIssue({ code: "custom", path: ["latencyThresholdMs"], message: "Leave latencyThresholdMs out: the histogram's thresholdSeconds is the threshold" });
  }
  if (v.kind === "time_slice") {
    if (!v.sliceMinutes) ctx.addIssue({ code: "custom", path: ["sliceMinutes"], message: "Give the slice length of a time-slice SLI" });
    if (!v.sliceTarget) ctx.addIssue({ code: "custom", path: ["sliceTarget"], message: "Give the target each slice must meet" });
  } else if (v.kind) {
    if (v.sliceMinutes) ctx.addIssue({ code: "custom", path: ["sliceMinutes"], message: "Only a time-slice SLI has a slice length" });
    if (v.sliceTarget) ctx.addIssue({ code: "custom", path: ["sliceTarget"], message: "Only a time-slice SLI has a slice target" });
  }
  // A histogram's thresholdSeconds is its latency threshold.
  if (v.kind === "latency" && !v.latencyThresholdMs && v.histogram == null) ctx.addIssue({ code: "custom", path: ["latencyThresholdMs"], message: "Give the latency threshold of a latency SLI" });
}

export const createSliSchema = z.strictObject(sliFields).superRefine(checkKind);
export type CreateSliInput = z.infer<typeof createSliSchema>;

/**
 * An SLI's edit: its name and description, and how it is measured (its queries, server,
 * threshold or slice). Its slug and kind stay: another kind is another SLI. The source given is
 * the one the SLI has (checked against it by updateSli). A changed measure starts a new version
 * (docs/definition-history.md). A Prometheus block without `authHeader` keeps the stored header
 * while the URL stays the same, and drops it when the URL changes.
 */
export const updateSliSchema = z
  .strictObject({
    slug: z.never({ error: "An SLI's slug cannot change: create a new SLI and point its SLOs at it" }).optional(),
    kind: z.never({ error: "An SLI's kind cannot change: create a new SLI of that kind" }).optional(),
    name: nameFor("the SLI").optional(),
    description: description.optional(),
    latencyThresholdMs: latencyThresholdMs.optional(),
    sliceMinutes: sliceMinutes.optional(),
    sliceTarget: decimalTarget("slice target").optional(),
    prometheus: prometheusSourceSchema.optional(),
    histogram: histogramSourceSchema.optional(),
    threshold: thresholdSourceSchema.optional(),
    baseUpdatedAt,
  })
  .superRefine((v, ctx) => {
    const sources = (["prometheus", "histogram", "threshold"] as const).filter((k) => v[k] !== undefined);
    if (sources.length > 1) ctx.addIssue({ code: "custom", path: [sources[1]!], message: `Give one source: ${sources.join(" or ")}, not both` });
  });
export type UpdateSliInput = z.infer<typeof updateSliSchema>;

const windowDays = z.number({ error: "Give the window in whole days" }).int("Give the window in whole days").min(1, "The window lasts at least 1 day").max(366, "The window lasts at most 366 days");
const calendarUnits = ["week", "month", "quarter"] as const;

export const sloWindowSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("rolling"), days: windowDays }),
    z.strictObject({
      kind: z.literal("calendar"),
      unit: z.enum(calendarUnits, { error: `Pick the period: ${calendarUnits.join(", ")}` }),
      timeZone: z.string().default("UTC").refine(isValidTimeZone, "Give an IANA time zone such as Europe/Berlin"),
    }),
  ],
  { error: 'Pick a rolling or a calendar window: {"kind":"rolling","days":30} or {"kind":"calendar","unit":"month","timeZone":"UTC"}' },
);
export type SloWindowInput = z.infer<typeof sloWindowSchema>;

export const minEventsSchema = z
  .number({ error: "Give the alert guard as a whole number of events" })
  .int("Give the alert guard as a whole number of events")
  .min(0, "The alert guard cannot be negative")
  .max(1_000_000_000, "The alert guard is at most 1,000,000,000 events");

export const createSloSchema = z.strictObject({
  slug: slugFor("the SLO"),
  name: nameFor("the SLO"),
  description,
  /** The SLI, by id or by slug within the service. */
  sli: requiredText("Pick the SLI this SLO measures").trim().min(1, "Pick the SLI this SLO measures").max(100, "Pick the SLI this SLO measures"),
  objective: objectiveSchema,
  window: sloWindowSchema,
  minEvents: minEventsSchema.default(0),
});
export type CreateSloInput = z.infer<typeof createSloSchema>;

export const updateSloSchema = z.strictObject({
  name: nameFor("the SLO").optional(),
  description: description.optional(),
  objective: objectiveSchema.optional(),
  window: sloWindowSchema.optional(),
  minEvents: minEventsSchema.optional(),
  baseUpdatedAt,
});
export type UpdateSloInput = z.infer<typeof updateSloSchema>;

export const exclusionKinds = ["maintenance", "out_of_scope", "company_wide_outage", "dependency", "load_test"] as const;

export const createExclusionSchema = z
  .strictObject({
    /** One SLI of the service (id or slug), or omitted for all of them. */
    sli: z.string().trim().min(1, "Pick an SLI, or every SLI").max(100, "Pick an SLI, or every SLI").nullish(),
    kind: z.enum(exclusionKinds, { error: `Pick the kind of exclusion: ${exclusionKinds.join(", ")}` }),
    reason: requiredText("Give a reason").trim().min(3, "Give a reason, in a few words").max(2000, "Use at most 2,000 characters for the reason"),
    startsAt: z.iso.datetime({ offset: true, error: "Pick when it starts" }).transform((v) => new Date(v)),
    endsAt: z.iso.datetime({ offset: true, error: "Pick when it ends" }).transform((v) => new Date(v)),
  })
  // Cross-field checks run only when both fields parsed (zod runs refinements after field errors too).
  .refine((v) => ordered(v.startsAt, v.endsAt, 366).after, { path: ["endsAt"], message: "The end must be after the start" })
  .refine((v) => ordered(v.startsAt, v.endsAt, 366).within, { path: ["endsAt"], message: "An exclusion lasts at most 366 days" });
export type CreateExclusionInput = z.infer<typeof createExclusionSchema>;

export const statusQuerySchema = z.object({
  at: z.iso
    .datetime({ offset: true, error: "must be an ISO 8601 date-time" })
    .optional()
    .transform((v) => (v ? new Date(v) : undefined)),
});

export const intervalQuerySchema = z.object({
  from: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }).transform((v) => new Date(v)),
  to: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }).transform((v) => new Date(v)),
});

/** A chart's time range: both ends, or neither (the SLO's window so far). At most 400 days. */
export const seriesQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }).transform((v) => new Date(v)).optional(),
    to: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }).transform((v) => new Date(v)).optional(),
    /** Read history with the definitions in force at the time (default) or all of it with the current one. */
    definition: z.enum(["as-it-was", "current"], { error: "must be as-it-was or current" }).default("as-it-was"),
  })
  .refine((v) => (v.from === undefined) === (v.to === undefined), { path: ["from"], message: "give both from and to, or neither" })
  .refine((v) => ordered(v.from, v.to, 400).after, { path: ["to"], message: "must be after from" })
  .refine((v) => ordered(v.from, v.to, 400).within, { path: ["to"], message: "a chart covers at most 400 days" });
