// Grouped SLOs (docs/grouped-slos.md): the inputs that create and change a group, and its views.
import { z } from "zod";
import { DEFAULT_IDLE_DAYS, DEFAULT_MAX_MEMBERS, labelKeyProblem, MAX_IDLE_DAYS, MAX_MEMBERS_LIMIT } from "../domain/slo-group";
import { baseUpdatedAt, minEventsSchema, objectiveSchema, sloWindowSchema } from "./catalog";
import { nameFor, requiredText, slugFor } from "./common";
import { sloWindowViewSchema } from "./views";

const description = z.string().trim().max(2000, "Use at most 2,000 characters for the description").default("");
const promql = (what: string) => requiredText(`Give the query for ${what}`).trim().min(1, `Give the query for ${what}`).max(4000, "Use at most 4,000 characters for the query");

export const groupKinds = ["request_ratio", "latency"] as const;

const maxMembers = z
  .number({ error: "Give the member cap as a whole number" })
  .int("Give the member cap as a whole number")
  .min(1, "A group has room for at least 1 member")
  .max(MAX_MEMBERS_LIMIT, `A group has at most ${MAX_MEMBERS_LIMIT.toLocaleString("en-US")} members`);
const idleDays = z
  .number({ error: "Give the idle age-out in whole days" })
  .int("Give the idle age-out in whole days")
  .min(1, "Members age out after at least 1 idle day")
  .max(MAX_IDLE_DAYS, `Members age out after at most ${MAX_IDLE_DAYS} idle days`);

/**
 * A Prometheus group's queries: each returns one series per label value, so each aggregates
 * `by (<labelKey>)` itself (we do not rewrite the user's PromQL; the check below says which one lacks it).
 */
export const groupPrometheusSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: "Give the server's http(s) URL, e.g. http://prometheus:9090" }).max(2000, "Use at most 2,000 characters for the URL"),
    authHeader: z.string().max(4096, "Use at most 4,096 characters for the header").nullish(),
    goodQuery: promql("good events").optional(),
    badQuery: promql("bad events").optional(),
    totalQuery: promql("total events"),
  })
  .refine((v) => (v.goodQuery === undefined) !== (v.badQuery === undefined), { path: ["goodQuery"], message: "Give one query for good or for bad events, not both" });

/** Whether a query keeps `label` in its result: an aggregation `by (..., label, ...)`. */
export function aggregatesBy(query: string, label: string): boolean {
  return [...query.matchAll(/\bby\s*\(([^)]*)\)/g)].some((m) => m[1]!.split(",").some((l) => l.trim() === label));
}

export const createGroupSchema = z
  .strictObject({
    slug: slugFor("the group"),
    name: nameFor("the group"),
    description,
    /** The label whose values make the members, e.g. "region". */
    labelKey: requiredText("Give the label the group fans out by, e.g. region").trim(),
    kind: z.enum(groupKinds, { error: `Pick the kind of SLI: ${groupKinds.join(", ")}` }),
    latencyThresholdMs: z.number({ error: "Give the threshold in whole milliseconds" }).int("Give the threshold in whole milliseconds").positive("The threshold must be above 0 ms").max(3_600_000, "The threshold must be at most 3,600,000 ms (an hour)").nullish(),
    /** Omitted: members get pushed data (items with `labels`). */
    prometheus: groupPrometheusSchema.nullish(),
    objective: objectiveSchema,
    window: sloWindowSchema,
    minEvents: minEventsSchema.default(0),
    maxMembers: maxMembers.default(DEFAULT_MAX_MEMBERS),
    idleDays: idleDays.default(DEFAULT_IDLE_DAYS),
  })
  .superRefine((v, ctx) => {
    const problem = labelKeyProblem(v.labelKey);
    if (problem) ctx.addIssue({ code: "custom", path: ["labelKey"], message: `The label ${problem}` });
    if (v.kind === "latency" && !v.latencyThresholdMs) ctx.addIssue({ code: "custom", path: ["latencyThresholdMs"], message: "Give the latency threshold of a latency SLI" });
    if (v.kind !== "latency" && v.latencyThresholdMs) ctx.addIssue({ code: "custom", path: ["latencyThresholdMs"], message: "Only a latency SLI has a threshold" });
    if (v.prometheus && !problem) {
      for (const key of ["goodQuery", "badQuery", "totalQuery"] as const) {
        const q = v.prometheus[key];
        if (q !== undefined && !aggregatesBy(q, v.labelKey)) ctx.addIssue({ code: "custom", path: ["prometheus", key], message: `The query must keep the label: aggregate it with sum by (${v.labelKey}) (...)` });
      }
    }
  });
export type CreateGroupInput = z.output<typeof createGroupSchema>;

/** Template changes apply to every member (each one's definition history records it). */
export const updateGroupSchema = z.strictObject({
  name: nameFor("the group").optional(),
  description: description.optional(),
  objective: objectiveSchema.optional(),
  window: sloWindowSchema.optional(),
  minEvents: minEventsSchema.optional(),
  maxMembers: maxMembers.optional(),
  idleDays: idleDays.optional(),
  baseUpdatedAt,
});
export type UpdateGroupInput = z.output<typeof updateGroupSchema>;

const instant = z.string();

export const groupMemberViewSchema = z.object({
  /** The label's value this member measures. */
  value: z.string(),
  slo: z.object({ id: z.string(), slug: z.string() }),
  sli: z.object({ id: z.string(), slug: z.string() }),
  createdAt: instant,
  /** Archived when idle (or by hand); data arriving again restores it. */
  archivedAt: instant.nullable(),
});

export const groupViewSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  labelKey: z.string(),
  kind: z.string(),
  source: z.enum(["push", "prometheus"]),
  latencyThresholdMs: z.number().nullable(),
  prometheus: z
    .object({
      url: z.string().nullable(),
      goodQuery: z.string().nullable(),
      badQuery: z.string().nullable(),
      totalQuery: z.string().nullable(),
      hasAuthHeader: z.boolean(),
      syncedUntil: instant.nullable(),
      lastSyncAt: instant.nullable(),
      lastSyncError: z.string().nullable(),
    })
    .nullable(),
  objective: z.string(),
  window: sloWindowViewSchema,
  minEvents: z.number(),
  maxMembers: z.number(),
  idleDays: z.number(),
  /** Live and archived (aged-out) members. */
  memberCount: z.object({ live: z.number(), archived: z.number() }),
  createdAt: instant,
  updatedAt: instant,
  archivedAt: instant.nullable(),
});
export type GroupView = z.infer<typeof groupViewSchema>;

export const groupDetailSchema = groupViewSchema.extend({ members: z.array(groupMemberViewSchema) });
export type GroupDetail = z.infer<typeof groupDetailSchema>;
