// Services, SLIs, SLOs and exclusions: one schema per input, shared by the API and the forms.
import { isCohortLabelName, withCohortLabel } from "../domain/promql-cohort";
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

/** A Prometheus-compatible source (Prometheus, Thanos, Mimir, VictoriaMetrics) queried every minute. */
export const prometheusSourceSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: "Give the server's http(s) URL, e.g. http://prometheus:9090" })
      .max(2000, "Use at most 2,000 characters for the URL"),
    /** Sent as the Authorization header, e.g. "Bearer abc"; stored, never shown again. */
    authHeader: z.string().max(4096, "Use at most 4,096 characters for the header").nullish(),
    goodQuery: promql("good events").optional(),
    badQuery: promql("bad events").optional(),
    totalQuery: promql("total events"),
    /** The label that tells a release's cohorts apart (e.g. "version"): an analysis adds it to every selector (docs/deploy-verification.md). */
    cohortLabel: z.string({ error: "Give the cohort label as text" }).refine(isCohortLabelName, 'Give a Prometheus label name such as "version" (letters, digits and _, not starting with "__")').nullish(),
  })
  .refine((v) => (v.goodQuery === undefined) !== (v.badQuery === undefined), { path: ["goodQuery"], message: "Give one query for good or for bad events, not both" })
  .superRefine((v, ctx) => {
    if (!v.cohortLabel || !isCohortLabelName(v.cohortLabel)) return;
    for (const key of ["goodQuery", "badQuery", "totalQuery"] as const) {
      const q = v[key];
      const r = q === undefined ? null : withCohortLabel(q, v.cohortLabel, "cohort");
      if (r && !r.ok) ctx.addIssue({ code: "custom", path: [key], message: `With a cohort label, ${r.reason}` });
    }
  });

export type PrometheusSourceInput = z.infer<typeof prometheusSourceSchema>;

const sliFields = {
  slug: slugFor("the SLI"),
  name: nameFor("the SLI"),
  description,
  kind: z.enum(sliKinds, { error: `Pick the kind of SLI: ${sliKinds.join(", ")}` }),
  latencyThresholdMs: z
    .number({ error: "Give the threshold in whole milliseconds" })
    .int("Give the threshold in whole milliseconds")
    .positive("The threshold must be above 0 ms")
    .max(3_600_000, "The threshold must be at most 3,600,000 ms (an hour)")
    .nullish(),
  sliceMinutes: z
    .number({ error: "Give the slice length in whole minutes" })
    .int("Give the slice length in whole minutes")
    .min(1, "A slice lasts at least 1 minute")
    .max(1440, "A slice lasts at most 1,440 minutes (a day)")
    .nullish(),
  sliceTarget: decimalTarget("slice target").nullish(),
  /** Omitted: data is pushed to /api/v1/ingest. */
  prometheus: prometheusSourceSchema.nullish(),
};

function checkKind(v: { kind?: string; sliceMinutes?: number | null; sliceTarget?: string | null; latencyThresholdMs?: number | null }, ctx: z.RefinementCtx) {
  if (v.kind === "time_slice") {
    if (!v.sliceMinutes) ctx.addIssue({ code: "custom", path: ["sliceMinutes"], message: "Give the slice length of a time-slice SLI" });
    if (!v.sliceTarget) ctx.addIssue({ code: "custom", path: ["sliceTarget"], message: "Give the target each slice must meet" });
  } else if (v.kind) {
    if (v.sliceMinutes) ctx.addIssue({ code: "custom", path: ["sliceMinutes"], message: "Only a time-slice SLI has a slice length" });
    if (v.sliceTarget) ctx.addIssue({ code: "custom", path: ["sliceTarget"], message: "Only a time-slice SLI has a slice target" });
  }
  if (v.kind === "latency" && !v.latencyThresholdMs) ctx.addIssue({ code: "custom", path: ["latencyThresholdMs"], message: "Give the latency threshold of a latency SLI" });
}

export const createSliSchema = z.strictObject(sliFields).superRefine(checkKind);
export type CreateSliInput = z.infer<typeof createSliSchema>;

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
  })
  .refine((v) => (v.from === undefined) === (v.to === undefined), { path: ["from"], message: "give both from and to, or neither" })
  .refine((v) => ordered(v.from, v.to, 400).after, { path: ["to"], message: "must be after from" })
  .refine((v) => ordered(v.from, v.to, 400).within, { path: ["to"], message: "a chart covers at most 400 days" });
