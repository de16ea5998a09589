// Silences of burn-rate alert messages (docs/silences.md): what a form or a client sends, and what
// the API answers. The rules (what matches, how long) are lib/domain/silence.ts.
import { z } from "zod";
import { requiredText } from "./common";

const instant = z.string();
const slugRef = (what: string) => z.string({ error: `must be ${what}'s slug, as text` }).trim().min(1, `must be ${what}'s slug`).max(100, "must be at most 100 characters");
const labelPart = (what: string) =>
  z
    .string({ error: `is required: the label's ${what}` })
    .trim()
    .min(1, `is required: the label's ${what}`)
    .max(100, "must be at most 100 characters")
    .refine((v) => ![...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch === "\u007f"), "must not hold control characters");

/**
 * One SLO (`service` and `slo`), every SLO of a service (`service`), or every SLO whose labels (or
 * its service's) hold `label` (optionally within `service`). `startsAt` defaults to now.
 */
export const createSilenceSchema = z
  .strictObject({
    service: slugRef("a service").optional(),
    slo: slugRef("an SLO").optional(),
    label: z.strictObject({ key: labelPart("name"), value: labelPart("value") }, { error: "must be an object with key and value" }).optional(),
    reason: requiredText("Give a reason").trim().min(3, "Give a reason, in a few words").max(2000, "Use at most 2,000 characters for the reason"),
    startsAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }).transform((v) => new Date(v)).optional(),
    endsAt: z.iso.datetime({ offset: true, error: "Pick when it ends" }).transform((v) => new Date(v)),
  })
  .refine((v) => v.service !== undefined || v.label !== undefined, { path: ["service"], message: "name a service (and an SLO), or a label: a silence of everything is not offered" })
  .refine((v) => v.slo === undefined || v.service !== undefined, { path: ["service"], message: "is required with slo: the SLO's service" });
export type CreateSilenceInput = z.output<typeof createSilenceSchema>;

export const silenceViewSchema = z.object({
  id: z.string(),
  service: z.object({ slug: z.string(), name: z.string() }).nullable(),
  slo: z.object({ slug: z.string(), name: z.string() }).nullable(),
  label: z.object({ key: z.string(), value: z.string() }).nullable(),
  reason: z.string(),
  startsAt: instant,
  endsAt: instant,
  createdBy: z.string().nullable(),
  createdAt: instant,
  endedAt: instant.nullable(),
  endedBy: z.string().nullable(),
  /** In force now. */
  active: z.boolean(),
});
export type SilenceView = z.infer<typeof silenceViewSchema>;
