// Inputs of incidents, postmortems and action items (docs/domain.md "Incidents and blameless postmortems").
import { z } from "zod";
import { actionItemStatuses, actionItemTypes, incidentRoles, priorities, severities, timelineKinds, workflowActions } from "../domain/postmortem";
import { baseUpdatedAt, bothDates } from "./catalog";

const text = (max: number) => z.string({ error: (i) => (i.input == null ? "is required" : "must be text") }).trim().min(1, "is required").max(max, `must be at most ${max} characters`);
const instant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2026-11-16T09:00:00Z" }).transform((v) => new Date(v));
const optionalInstant = instant.nullish().transform((v) => v ?? null);
const person = z.string().trim().max(200, "must be at most 200 characters").nullish().transform((v) => v || null);
const roles = z.strictObject(Object.fromEntries(incidentRoles.map((r) => [r, person.optional()])) as Record<(typeof incidentRoles)[number], z.ZodOptional<typeof person>>);
const markdown = z.string({ error: "must be text" }).max(100_000, "must be at most 100,000 characters");
const url = z.string().trim().max(2000).url("must be a URL").refine((u) => /^https?:\/\//i.test(u), "must be an http or https URL");

/** "service-slug/slo-slug" of this team. */
const sloRef = z.string().trim().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'must be "service/slo", e.g. payments-api/availability-999');

const incidentFields = {
  title: text(200),
  severity: z.enum(severities, { error: `must be one of ${severities.join(", ")}` }),
  status: z.enum(["active", "mitigated", "resolved"], { error: "must be active, mitigated or resolved" }),
  summary: z.string().trim().max(5000, "must be at most 5,000 characters"),
  startedAt: instant,
  detectedAt: optionalInstant,
  mitigatedAt: optionalInstant,
  resolvedAt: optionalInstant,
  slos: z.array(sloRef).max(50, "at most 50 SLOs").transform((a) => [...new Set(a)]),
  roles,
};

const afterStart = (v: { startedAt?: unknown; detectedAt?: unknown; mitigatedAt?: unknown; resolvedAt?: unknown }, key: "detectedAt" | "mitigatedAt" | "resolvedAt") => {
  const d = bothDates(v.startedAt, v[key]);
  return !d || d[1] >= d[0];
};
const ordered = <T extends z.ZodType>(schema: T) =>
  (["detectedAt", "mitigatedAt", "resolvedAt"] as const).reduce<z.ZodType>((s, key) => s.refine((v) => afterStart(v as Record<string, unknown>, key), { path: [key], message: "must not be before startedAt" }), schema) as T;

export const createIncidentSchema = ordered(
  z.strictObject({ ...incidentFields, status: incidentFields.status.default("active"), summary: incidentFields.summary.default(""), slos: incidentFields.slos.default([]), roles: roles.default({}) }),
);
export type CreateIncidentInput = z.infer<typeof createIncidentSchema>;

export const updateIncidentSchema = ordered(
  z.strictObject({
    ...(Object.fromEntries(Object.entries(incidentFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof incidentFields]: z.ZodOptional<(typeof incidentFields)[K]> }),
    baseUpdatedAt,
  }),
);
export type UpdateIncidentInput = z.infer<typeof updateIncidentSchema>;

export const timelineEntrySchema = z.strictObject({
  at: instant,
  kind: z.enum(timelineKinds, { error: `must be one of ${timelineKinds.join(", ")}` }),
  text: text(2000),
});

export const sectionSchema = z.strictObject({
  key: z.string().trim().regex(/^[a-z0-9_]{1,40}$/, "must be a short key: lowercase letters, digits, _"),
  title: text(120),
  body: markdown,
  /** The template's prompt, shown as a placeholder and never published as text. */
  prompt: z.string().trim().max(500, "must be at most 500 characters").optional(),
});

export const createPostmortemSchema = z.strictObject({
  /** Start from this incident: pre-filled with its figures, impact, timeline and roles. */
  incident: z.string().uuid("must be an incident id").nullish(),
  /** A team template's id; omitted: the default blameless template. */
  template: z.string().uuid("must be a template id").nullish(),
  title: text(200).optional(),
});

export const savePostmortemSchema = z.strictObject({
  /** The revision this edit started from: a save from an older one is a conflict. */
  revision: z.number({ error: "must be the revision number the edit started from" }).int().min(1),
  title: text(200).optional(),
  sections: z.array(sectionSchema).min(1, "keep at least one section").max(40, "at most 40 sections").optional(),
});
export type SavePostmortemInput = z.infer<typeof savePostmortemSchema>;

export const transitionSchema = z.strictObject({
  action: z.enum(workflowActions, { error: `must be one of ${workflowActions.join(", ")}` }),
  comment: z.string().trim().max(5000, "must be at most 5,000 characters").default(""),
});

const actionItemFields = {
  title: text(300),
  type: z.enum(actionItemTypes, { error: `must be one of ${actionItemTypes.join(", ")}` }),
  priority: z.enum(priorities, { error: `must be one of ${priorities.join(", ")}` }),
  /** A member of the team (user id). */
  owner: z.string().uuid("must be a member's id").nullish().transform((v) => v ?? null),
  dueDate: z.iso.date({ error: "must be a date, e.g. 2026-12-01" }).nullish().transform((v) => v ?? null),
  ticketUrl: url.nullish().transform((v) => v ?? null),
};
export const createActionItemSchema = z.strictObject(actionItemFields);
export type CreateActionItemInput = z.infer<typeof createActionItemSchema>;

export const updateActionItemSchema = z
  .strictObject({
    ...Object.fromEntries(Object.entries(actionItemFields).map(([k, v]) => [k, v.optional()])),
    status: z.enum(actionItemStatuses, { error: `must be one of ${actionItemStatuses.join(", ")}` }).optional(),
    wontDoReason: z.string().trim().max(2000).nullish(),
  } as { [K in keyof typeof actionItemFields]: z.ZodOptional<(typeof actionItemFields)[K]> } & { status: z.ZodOptional<z.ZodEnum<{ open: "open"; in_progress: "in_progress"; done: "done"; wont_do: "wont_do" }>>; wontDoReason: z.ZodOptional<z.ZodNullable<z.ZodString>> })
  .refine((v) => v.status !== "wont_do" || (v.wontDoReason ?? "").length >= 3, { path: ["wontDoReason"], message: "say why it won't be done" });
export type UpdateActionItemInput = z.infer<typeof updateActionItemSchema>;

export const searchQuerySchema = z.object({ q: z.string().trim().min(2, "type at least 2 characters").max(200, "must be at most 200 characters") });

export const templateSchema = z.strictObject({
  name: text(100),
  /** Replacing a template: the updatedAt the edit started from (a save after someone else's is a 409). */
  baseUpdatedAt,
  sections: z
    .array(z.strictObject({ key: z.string().trim().regex(/^[a-z0-9_]{1,40}$/, "must be a short key: lowercase letters, digits, _"), title: text(120), prompt: z.string().trim().max(500, "must be at most 500 characters").default("") }))
    .min(1, "give at least one section")
    .max(40, "at most 40 sections")
    .refine((a) => new Set(a.map((s) => s.key)).size === a.length, "each section needs its own key"),
});
export type TemplateInput = z.infer<typeof templateSchema>;
