// Error-budget reviews (docs/reviews.md): the query that names a period, the save of a review's
// minutes, and the review as the API answers it.
import { z } from "zod";
import { severities } from "../domain/postmortem";
import { instant } from "./views";
import { isValidTimeZone } from "../domain/window";

const periodText = z.string().max(40, "use at most 40 characters");

/** Which period: `period` (2026-11, 2026-Q4, 2026-W47), or `from` and `to` as local days; neither is last month. */
export const reviewQuerySchema = z.object({
  period: periodText.optional(),
  from: periodText.optional(),
  to: periodText.optional(),
  /** One service's review (its slug); the team's when absent. */
  service: z.string().max(100).optional(),
});
export type ReviewQuery = z.infer<typeof reviewQuerySchema>;

export const reviewTables = ["slos", "incidents", "decisions", "action-items"] as const;
export const reviewTableSchema = z.enum(reviewTables, { error: `give table as one of ${reviewTables.join(", ")}` });
/** The table is checked after the caller's access, so a stranger learns nothing from its answer. */
export const reviewCsvQuerySchema = reviewQuerySchema.extend({ table: z.string().max(40).optional() });

export const reviewStatuses = ["draft", "held"] as const;
export const MAX_REVIEW_NOTES = 50_000;

/** Saves a review's minutes. `baseRevision` is the revision the form started from (0: none stored yet). */
export const saveReviewSchema = z.strictObject({
  period: z.string({ error: "give the period the review is of, e.g. 2026-11" }).min(1, "give the period the review is of, e.g. 2026-11").max(40),
  service: z.string().max(100).nullable().optional(),
  status: z.enum(reviewStatuses, { error: "status is draft or held" }),
  notes: z.string().max(MAX_REVIEW_NOTES, `use at most ${MAX_REVIEW_NOTES} characters for the notes`).default(""),
  decisions: z.array(z.string().trim().min(1, "a decision needs words").max(500, "use at most 500 characters per decision")).max(50, "record at most 50 decisions").default([]),
  baseRevision: z.number({ error: "baseRevision: give the revision the edit started from (0 for a new review)" }).int().min(0),
});
export type SaveReviewInput = z.infer<typeof saveReviewSchema>;

const named = z.object({ slug: z.string(), name: z.string() });
const periodView = z.object({ kind: z.enum(["month", "quarter", "week", "custom"]), key: z.string(), label: z.string(), from: instant, to: instant, timeZone: z.string() });
const compliance = z.object({ sli: z.number().nullable(), met: z.boolean().nullable(), budgetSpent: z.number().nullable() });
const decisionCounts = z.object({ allow: z.number(), warn: z.number(), deny: z.number(), total: z.number() });
const itemFigures = z.object({
  opened: z.number(),
  done: z.number(),
  overdue: z.number(),
  openAtEnd: z.number(),
  /** Incidents that burned an SLO again while an earlier incident's action item on it was open (docs/follow-ups.md). */
  recurrences: z.number(),
  oldestOpenP0: z.object({ id: z.string(), title: z.string(), createdAt: instant, ageDays: z.number() }).nullable(),
});
const times = z.object({ mttdMinutes: z.number().nullable(), mttmMinutes: z.number().nullable(), mttrMinutes: z.number().nullable() });

export const reviewRecordSchema = z.object({
  status: z.enum(reviewStatuses),
  notes: z.string(),
  /** The notes rendered and sanitised (lib/domain/markdown.ts). */
  notesHtml: z.string(),
  decisions: z.array(z.string()),
  /** 0 until first saved: the revision a save names as `baseRevision`. */
  revision: z.number(),
  heldAt: instant.nullable(),
  heldBy: z.string().nullable(),
  updatedAt: instant.nullable(),
});
export type ReviewRecordView = z.infer<typeof reviewRecordSchema>;

export const reviewViewSchema = z.object({
  team: z.object({ slug: z.string(), name: z.string(), role: z.string(), timeZone: z.string() }),
  service: named.nullable(),
  period: periodView,
  previous: periodView,
  at: instant,
  slos: z.array(
    compliance.extend({
      service: named,
      slo: named,
      objective: z.string(),
      goodEvents: z.number(),
      totalEvents: z.number(),
      previous: compliance,
      sliDelta: z.number().nullable(),
      budgetSpentDelta: z.number().nullable(),
      /** Remaining budget through the period (lib/domain/burndown.ts), against the ideal line. */
      burndown: z.array(z.object({ at: instant, remaining: z.number().nullable(), ideal: z.number() })),
      error: z.string().nullable(),
    }),
  ),
  slosMet: z.number(),
  slosMissed: z.number(),
  incidents: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity: z.enum(severities),
      startedAt: instant,
      detectedAt: instant.nullable(),
      mitigatedAt: instant.nullable(),
      resolvedAt: instant.nullable(),
      /** The largest share of one SLO's budget it spent. */
      budgetSpent: z.number().nullable(),
      impact: z.array(z.object({ service: z.string(), slo: z.string(), budgetSpent: z.number().nullable() })),
    }),
  ),
  incidentCount: z.object({ current: z.number(), previous: z.number() }),
  decisions: decisionCounts.extend({ previous: decisionCounts }),
  overrides: z.array(
    z.object({ service: z.string(), environment: z.string().nullable(), reason: z.string(), approvedBy: z.string(), grantedBy: z.string().nullable(), createdAt: instant, expiresAt: instant, revokedAt: instant.nullable(), durationMinutes: z.number() }),
  ),
  overrideCount: z.object({ current: z.number(), previous: z.number() }),
  freezes: z.array(z.object({ service: z.string().nullable(), environment: z.string().nullable(), reason: z.string(), startsAt: instant, endsAt: instant, cancelledAt: instant.nullable() })),
  policyChanges: z.array(z.object({ scope: z.string(), version: z.number(), at: instant, by: z.string().nullable(), reset: z.boolean() })),
  actionItems: itemFigures.extend({ previous: itemFigures }),
  times: z.array(
    times.extend({
      severity: z.enum(severities),
      incidents: z.number(),
      detected: z.number(),
      mitigated: z.number(),
      resolved: z.number(),
      previous: times.extend({ incidents: z.number() }),
      mttdDelta: z.number().nullable(),
      mttrDelta: z.number().nullable(),
    }),
  ),
  record: reviewRecordSchema,
});
export type ReviewView = z.infer<typeof reviewViewSchema>;

/** The team's calendar for reviews: the IANA zone its months, quarters and weeks are cut in. */
export const reviewSettingsSchema = z.strictObject({
  timeZone: z.string({ error: "Give the time zone, e.g. Europe/Berlin" }).trim().min(1, "Give the time zone, e.g. Europe/Berlin").max(64).refine(isValidTimeZone, "Give an IANA time zone such as Europe/Berlin"),
});
export type ReviewSettingsInput = z.infer<typeof reviewSettingsSchema>;
export const reviewSettingsViewSchema = z.object({ timeZone: z.string() });
