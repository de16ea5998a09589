// Composite SLOs (docs/composite-slos.md): one schema per input, and the view the API answers with.
import { z } from "zod";
import { DEFAULT_MAX_DELAY_MINUTES, MAX_MAX_DELAY_MINUTES, whenDelayedModes } from "../domain/composite";
import { baseUpdatedAt, minEventsSchema, objectiveSchema, sloWindowSchema } from "./catalog";
import { nameFor, requiredText, slugFor } from "./common";
import { sloViewSchema } from "./views";

/** At most this many members: each minute reads every member's minute. */
export const MAX_COMPOSITE_MEMBERS = 20;

const ref = (what: string) => requiredText(`Give the ${what}'s slug`).trim().min(1, `Give the ${what}'s slug`).max(100, `Give the ${what}'s slug`);

/** A member SLO by service and SLO slug (the service defaults to the composite's own), and its weight (OpenSLO compositeWeight, default 1). */
export const compositeMemberSchema = z.strictObject({
  service: ref("member's service").optional(),
  slo: ref("member SLO"),
  weight: z
    .number({ error: "Give the weight as a positive number, e.g. 1 or 2.5" })
    .positive("The weight must be above 0")
    .max(1_000_000, "The weight is at most 1,000,000")
    .refine((w) => Number.isInteger(Math.round(w * 1e6)) && Math.abs(w * 1e6 - Math.round(w * 1e6)) < 1e-6, "Use at most 6 decimal places for the weight")
    .default(1),
});
export type CompositeMemberInput = z.infer<typeof compositeMemberSchema>;

const members = z
  .array(compositeMemberSchema, { error: "Give the members as a list of {service, slo, weight}" })
  .min(1, "Give at least one member SLO")
  .max(MAX_COMPOSITE_MEMBERS, `Use at most ${MAX_COMPOSITE_MEMBERS} members`)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((m, i) => {
      const key = `${m.service ?? ""}/${m.slo}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i, "slo"], message: "This SLO is already a member" });
      seen.add(key);
    });
  });

const maxDelayMinutes = z
  .number({ error: "Give the delay bound in whole minutes" })
  .int("Give the delay bound in whole minutes")
  .min(0, "The delay bound cannot be negative")
  .max(MAX_MAX_DELAY_MINUTES, `The delay bound is at most ${MAX_MAX_DELAY_MINUTES} minutes (a day)`);
const whenDelayed = z.enum(whenDelayedModes, { error: `Pick what a late member counts as: ${whenDelayedModes.join(", ")}` });

export const createCompositeSchema = z.strictObject({
  slug: slugFor("the composite SLO"),
  name: nameFor("the composite SLO"),
  description: z.string().trim().max(2000, "Use at most 2,000 characters for the description").default(""),
  objective: objectiveSchema,
  window: sloWindowSchema,
  minEvents: minEventsSchema.default(0),
  members,
  maxDelayMinutes: maxDelayMinutes.default(DEFAULT_MAX_DELAY_MINUTES),
  whenDelayed: whenDelayed.default("ignore"),
});
export type CreateCompositeInput = z.infer<typeof createCompositeSchema>;

/** Members are replaced as a whole (a new definition version); the delay rule may change with them. */
export const updateCompositeSchema = z.strictObject({
  members,
  maxDelayMinutes: maxDelayMinutes.optional(),
  whenDelayed: whenDelayed.optional(),
  baseUpdatedAt,
});
export type UpdateCompositeInput = z.infer<typeof updateCompositeSchema>;

export const compositeViewSchema = z.object({
  slo: sloViewSchema,
  members: z.array(
    z.object({
      service: z.string(),
      slo: z.string(),
      name: z.string(),
      objective: z.string(),
      /** As given; normalised share of the total weight beside it. */
      weight: z.number(),
      share: z.number(),
      archived: z.boolean(),
      /** Minutes of the composite's window this member was late or missing for (counted per whenDelayed). */
      missingMinutes: z.number(),
    }),
  ),
  maxDelayMinutes: z.number(),
  whenDelayed: z.enum(whenDelayedModes),
  /** The late rule in a sentence. */
  lateRule: z.string(),
  /** Materialised up to here (exclusive); null before the first run. */
  syncedUntil: z.string().nullable(),
  /** One sentence per member that was late or missing in the window. */
  missing: z.array(z.string()),
});
export type CompositeView = z.infer<typeof compositeViewSchema>;
