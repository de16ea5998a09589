// Services, SLIs, SLOs and exclusions: one schema per input, shared by the API and the forms.
import { z } from "zod";
import { parseObjective } from "../domain/budget";
import { isValidTimeZone } from "../domain/window";
import { nameSchema, slugSchema } from "./common";

/** Both ends, when both parsed to dates (refinements also run when a field failed, with its raw value). */
export function bothDates(a: unknown, b: unknown): [Date, Date] | null {
  return a instanceof Date && b instanceof Date ? [a, b] : null;
}
const ordered = (a: unknown, b: unknown, maxDays: number) => {
  const d = bothDates(a, b);
  return { after: !d || d[1] > d[0], within: !d || d[1].getTime() - d[0].getTime() <= maxDays * 86_400_000 };
};

const description = z.string().trim().max(2000, "must be at most 2,000 characters").default("");

/** "0.999" or "99.9%", exact to 8 decimal places, strictly between 0 and 1. Kept as a decimal string. */
export const objectiveSchema = z
  .union([z.string(), z.number()], { error: 'must be a decimal such as "0.999" or "99.9%"' })
  .transform((v, ctx) => {
    try {
      const o = parseObjective(String(v));
      const text = (Number(o.scaled) / 1e8).toFixed(8);
      return text;
    } catch (e) {
      ctx.addIssue({ code: "custom", message: e instanceof Error ? e.message.replace(/^objective /, "") : "is invalid" });
      return z.NEVER;
    }
  });

/** "owner/name" of the GitHub repository whose deployments this service's gate judges; null to unlink. */
const githubRepository = z
  .string()
  .trim()
  .max(200, "must be at most 200 characters")
  .regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/name", e.g. acme/checkout')
  .nullish();
export const createServiceSchema = z.strictObject({ slug: slugSchema, name: nameSchema, description, githubRepository });
/**
 * An edit names the version it started from: the `updatedAt` it read. A save after someone
 * else's is a 409 that says what changed; without it the edit applies to whatever is current.
 */
export const baseUpdatedAt = z.iso.datetime({ offset: true, error: "must be the updatedAt the edit started from, e.g. 2026-11-22T10:15:00.000Z" }).transform((v) => new Date(v)).optional();

export const updateServiceSchema = z.strictObject({ name: nameSchema.optional(), description: description.optional(), githubRepository, baseUpdatedAt });

export const sliKinds = ["request_ratio", "latency", "time_slice"] as const;

const promql = z.string().trim().min(1, "is required").max(4000, "must be at most 4,000 characters");

/** A Prometheus-compatible source (Prometheus, Thanos, Mimir, VictoriaMetrics) queried every minute. */
export const prometheusSourceSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://prometheus:9090" })
      .max(2000),
    /** Sent as the Authorization header, e.g. "Bearer abc"; stored, never shown again. */
    authHeader: z.string().max(4096, "must be at most 4,096 characters").nullish(),
    goodQuery: promql.optional(),
    badQuery: promql.optional(),
    totalQuery: promql,
  })
  .refine((v) => (v.goodQuery === undefined) !== (v.badQuery === undefined), { path: ["goodQuery"], message: "give exactly one of goodQuery or badQuery" });

export type PrometheusSourceInput = z.infer<typeof prometheusSourceSchema>;

const sliFields = {
  slug: slugSchema,
  name: nameSchema,
  description,
  kind: z.enum(sliKinds, { error: `must be one of ${sliKinds.join(", ")}` }),
  latencyThresholdMs: z.number().int("must be a whole number").positive("must be positive").max(3_600_000).nullish(),
  sliceMinutes: z.number().int("must be a whole number").min(1, "must be at least 1").max(1440, "must be at most 1440").nullish(),
  sliceTarget: objectiveSchema.nullish(),
  /** Omitted: data is pushed to /api/v1/ingest. */
  prometheus: prometheusSourceSchema.nullish(),
};

function checkKind(v: { kind?: string; sliceMinutes?: number | null; sliceTarget?: string | null; latencyThresholdMs?: number | null }, ctx: z.RefinementCtx) {
  if (v.kind === "time_slice") {
    if (!v.sliceMinutes) ctx.addIssue({ code: "custom", path: ["sliceMinutes"], message: "is required for a time-slice SLI" });
    if (!v.sliceTarget) ctx.addIssue({ code: "custom", path: ["sliceTarget"], message: "is required for a time-slice SLI" });
  } else if (v.kind) {
    if (v.sliceMinutes) ctx.addIssue({ code: "custom", path: ["sliceMinutes"], message: "applies to time-slice SLIs only" });
    if (v.sliceTarget) ctx.addIssue({ code: "custom", path: ["sliceTarget"], message: "applies to time-slice SLIs only" });
  }
  if (v.kind === "latency" && !v.latencyThresholdMs) ctx.addIssue({ code: "custom", path: ["latencyThresholdMs"], message: "is required for a latency SLI" });
}

export const createSliSchema = z.strictObject(sliFields).superRefine(checkKind);
export type CreateSliInput = z.infer<typeof createSliSchema>;

const windowDays = z.number().int("must be a whole number of days").min(1, "must be at least 1 day").max(366, "must be at most 366 days");
const calendarUnits = ["week", "month", "quarter"] as const;

export const sloWindowSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("rolling"), days: windowDays }),
    z.strictObject({
      kind: z.literal("calendar"),
      unit: z.enum(calendarUnits, { error: `must be one of ${calendarUnits.join(", ")}` }),
      timeZone: z.string().default("UTC").refine(isValidTimeZone, "must be an IANA time zone such as Europe/Berlin"),
    }),
  ],
  { error: 'must be {"kind":"rolling","days":30} or {"kind":"calendar","unit":"month","timeZone":"UTC"}' },
);
export type SloWindowInput = z.infer<typeof sloWindowSchema>;

export const createSloSchema = z.strictObject({
  slug: slugSchema,
  name: nameSchema,
  description,
  /** The SLI, by id or by slug within the service. */
  sli: z.string().trim().min(1, "is required").max(100),
  objective: objectiveSchema,
  window: sloWindowSchema,
  minEvents: z.number().int("must be a whole number").min(0, "must not be negative").max(1_000_000_000).default(0),
});
export type CreateSloInput = z.infer<typeof createSloSchema>;

export const updateSloSchema = z.strictObject({
  name: nameSchema.optional(),
  description: description.optional(),
  objective: objectiveSchema.optional(),
  window: sloWindowSchema.optional(),
  minEvents: z.number().int("must be a whole number").min(0, "must not be negative").max(1_000_000_000).optional(),
  baseUpdatedAt,
});
export type UpdateSloInput = z.infer<typeof updateSloSchema>;

export const exclusionKinds = ["maintenance", "out_of_scope", "company_wide_outage", "dependency", "load_test"] as const;

export const createExclusionSchema = z
  .strictObject({
    /** One SLI of the service (id or slug), or omitted for all of them. */
    sli: z.string().trim().min(1).max(100).nullish(),
    kind: z.enum(exclusionKinds, { error: `must be one of ${exclusionKinds.join(", ")}` }),
    reason: z.string().trim().min(3, "say why, in a few words").max(2000, "must be at most 2,000 characters"),
    startsAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }).transform((v) => new Date(v)),
    endsAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }).transform((v) => new Date(v)),
  })
  // Cross-field checks run only when both fields parsed (zod runs refinements after field errors too).
  .refine((v) => ordered(v.startsAt, v.endsAt, 366).after, { path: ["endsAt"], message: "must be after startsAt" })
  .refine((v) => ordered(v.startsAt, v.endsAt, 366).within, { path: ["endsAt"], message: "an exclusion may last at most 366 days" });
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
