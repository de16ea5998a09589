// Recurring exclusions (docs/exclusions.md): the inputs (create, edit, preview) and the answers.
// The rule's own checks are lib/domain/exclusion-schedule.ts's, so a form, the API and the
// expansion agree on what a rule may be; the checks that need the clock (how many occurrences up
// to the horizon) are the service's.
import { z } from "zod";
import { MAX_EXDATES, parseLabelSelector, parseLocalDateTime, parseRule, ruleProblemText, SCHEDULE_LIMITS } from "../domain/exclusion-schedule";
import { isValidTimeZone } from "../domain/window";
import { exclusionKinds } from "./catalog";
import { requiredText } from "./common";
import { instant } from "./views";

const ref = (what: string) => z.string().trim().min(1, `Pick ${what}`).max(100, `Pick ${what}`);

const fields = {
  /** The service (id or slug) whose SLIs it covers; or give `label` instead. */
  service: ref("a service").nullish(),
  /** One SLI of that service (id or slug), or omitted for all of them. */
  sli: ref("an SLI, or every SLI").nullish(),
  /** A label selector "key=value": every SLI, and the SLI of every SLO, of the team's services with that label. */
  label: z
    .string()
    .trim()
    .max(200, "Use at most 200 characters for the label selector")
    .refine((v) => parseLabelSelector(v) !== null, "Give a label selector as key=value, e.g. tier=critical")
    .nullish(),
  kind: z.enum(exclusionKinds, { error: `Pick the kind of exclusion: ${exclusionKinds.join(", ")}` }),
  reason: requiredText("Give a reason").trim().min(3, "Give a reason, in a few words").max(2000, "Use at most 2,000 characters for the reason"),
  /** The RRULE's parts (RFC 5545 section 3.3.10), e.g. FREQ=WEEKLY;BYDAY=SU; UNTIL or COUNT inside it. */
  rrule: requiredText("Give the rule, e.g. FREQ=WEEKLY;BYDAY=SU")
    .max(20_000, `Use at most ${SCHEDULE_LIMITS.maxRuleLength} characters for the rule`)
    .superRefine((v, ctx) => {
      const r = parseRule(v);
      if (!r.ok) ctx.addIssue({ code: "custom", message: ruleProblemText(r.error) });
    })
    .transform((v) => {
      const r = parseRule(v);
      return r.ok ? r.rule.text : v;
    }),
  /** The first start as local date and time on the zone's wall clock, e.g. 2026-03-01T02:00. */
  dtstart: requiredText("Give the first start, e.g. 2026-03-01T02:00").refine((v) => parseLocalDateTime(v) !== null, "Give the first start as a local date and time such as 2026-03-01T02:00"),
  timeZone: requiredText("Give the time zone, e.g. Europe/Berlin")
    .trim()
    .max(64, "Give an IANA time zone such as Europe/Berlin")
    .refine((v) => isValidTimeZone(v), "Give an IANA time zone such as Europe/Berlin"),
  /** EXDATE: local starts of the rule to skip, in the form of dtstart ("2026-12-27T02:00"); stored sorted, without repeats. */
  exdates: z
    .array(
      z.string({ error: "must be a local date and time such as 2026-12-27T02:00" }).refine((v) => parseLocalDateTime(v) !== null, "must be a local date and time such as 2026-12-27T02:00, in the form of the first start"),
      { error: "Give the skipped starts as a list" },
    )
    .max(MAX_EXDATES, `Skip at most ${MAX_EXDATES} starts; rewrite the rule if more are skipped`)
    .default([]),
  durationMinutes: z
    .number({ error: "Give the length in minutes" })
    .int("Give the length in whole minutes")
    .min(1, "Give the length in minutes, at least 1")
    .max(SCHEDULE_LIMITS.maxDurationMinutes, `An occurrence lasts at most ${SCHEDULE_LIMITS.maxDurationMinutes} minutes (7 days)`),
};

type Scoped = { service?: string | null; sli?: string | null; label?: string | null };
/** A service or a label selector, not both; an SLI only within a service. */
function scoped<T extends z.ZodType<Scoped>>(schema: T) {
  return schema
    .refine((v) => !(v.service && v.label), { path: ["label"], message: "Give a service or a label selector, not both" })
    .refine((v) => Boolean(v.service || v.label), { path: ["service"], message: "Pick a service, or give a label selector" })
    .refine((v) => !(v.sli && !v.service), { path: ["sli"], message: "An SLI is picked within a service; with a label selector, label the SLIs instead" });
}

export const createExclusionScheduleSchema = scoped(z.strictObject(fields));
export type CreateExclusionScheduleInput = z.infer<typeof createExclusionScheduleSchema>;

/** An edit is the whole definition again, from the version it started from (docs/architecture.md rule 8). */
export const updateExclusionScheduleSchema = scoped(
  z.strictObject({
    ...fields,
    baseUpdatedAt: z.iso
      .datetime({ offset: true, error: "must be the schedule's updatedAt, an ISO 8601 date-time" })
      .transform((v) => new Date(v))
      .optional(),
  }),
);
export type UpdateExclusionScheduleInput = z.infer<typeof updateExclusionScheduleSchema>;

/** A preview takes a draft: kind and reason may still be missing. `edit`: the draft replaces a schedule, so only occurrences after now count. */
export const previewExclusionScheduleSchema = scoped(
  z.strictObject({ ...fields, kind: fields.kind.optional(), reason: z.string().max(2000).optional(), edit: z.boolean({ error: "must be true or false" }).optional() }),
);
export type PreviewExclusionScheduleInput = z.infer<typeof previewExclusionScheduleSchema>;

export const listExclusionSchedulesQuerySchema = z.object({ service: z.string().trim().min(1).max(100).optional() });

export const occurrenceViewSchema = z.object({
  startsAt: instant,
  endsAt: instant,
  /** The local start the rule gives, "2026-03-29T02:00", before a DST gap moves it. */
  local: z.string(),
  /** "gap": that local time did not occur, the start moved on; "repeated": it occurred twice, the first is taken (RFC 5545 3.3.5). */
  shift: z.enum(["gap", "repeated"]).nullable(),
});
export type OccurrenceView = z.infer<typeof occurrenceViewSchema>;

const targetSchema = z.object({ service: z.string(), sli: z.string().nullable() });

export const exclusionScheduleViewSchema = z.object({
  id: z.string(),
  /** The service it covers (slug), or null for a label selector. */
  service: z.string().nullable(),
  sli: z.string().nullable(),
  label: z.string().nullable(),
  kind: z.string(),
  reason: z.string(),
  rrule: z.string(),
  dtstart: z.string(),
  timeZone: z.string(),
  durationMinutes: z.number(),
  /** EXDATE: the local starts skipped. */
  exdates: z.array(z.string()),
  /** The schedule in English: "Every week on Sunday, at 02:00 for 2 h (Europe/Berlin)". */
  description: z.string(),
  /** The next occurrences (at most 3) from now. */
  next: z.array(occurrenceViewSchema),
  /** The service's SLIs (or every SLI) it applies to now. */
  targets: z.array(targetSchema),
  createdById: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
  editedAt: instant.nullable(),
});
export type ExclusionScheduleView = z.infer<typeof exclusionScheduleViewSchema>;

export const exclusionSchedulePreviewSchema = z.object({
  description: z.string(),
  /** How many occurrences have already started: saving excludes them too (a new schedule starts at DTSTART). */
  past: z.number(),
  /** The next occurrences from now, at most 10. */
  next: z.array(occurrenceViewSchema),
  /** How many occurrences would be stored up to the horizon. */
  total: z.number(),
  horizonDays: z.number(),
  targets: z.array(targetSchema),
  /** Skipped starts that match no occurrence up to the horizon: most likely a wrong time. */
  unmatchedExdates: z.array(z.string()),
});
export type ExclusionSchedulePreview = z.infer<typeof exclusionSchedulePreviewSchema>;
