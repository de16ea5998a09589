// One action item with the budget impact of its incident (docs/reviews.md "Closing the loop").
import { z } from "zod";
import { incidentImpactSchema, actionItemViewSchema, instant, recurrenceViewSchema } from "./views";

export const actionItemSortSchema = z.object({ sort: z.enum(["due", "budget"], { error: "sort is due or budget" }).default("due") });

export const actionItemDetailSchema = z.object({
  item: actionItemViewSchema.extend({ overdue: z.boolean() }),
  /** The incident its postmortem is about, with what each affected SLO lost in it; null for a postmortem without one. */
  incident: z.object({ id: z.string(), title: z.string(), severity: z.string(), startedAt: instant, impact: z.array(incidentImpactSchema) }).nullable(),
  /** The largest share of one SLO's budget the incident spent. */
  budgetSpent: z.number().nullable(),
  teamName: z.string(),
  /** The caller's role in the item's team (what the page offers). */
  role: z.string(),
  /** Later incidents that burned its SLO again while it was open (lib/domain/recurrence.ts). */
  recurrences: z.array(recurrenceViewSchema),
});
export type ActionItemDetail = z.infer<typeof actionItemDetailSchema>;
