// Inputs of incidents, postmortems and action items (docs/domain.md "Incidents and blameless postmortems").
import { z } from "zod";
import { actionItemStatuses, actionItemTypes, incidentRoles, priorities, severities, timelineKinds, workflowActions } from "../domain/postmortem";
import { baseUpdatedAt, bothDates } from "./catalog";
import { requiredText } from "./common";

/** Required text; `missing` says what to give ("Give the incident a title"). */
const text = (max: number, missing = "Fill this in") => requiredText(missing).trim().min(1, missing).max(max, `Use at most ${max.toLocaleString("en-US")} characters`);
/** An instant; `when` says which ("Pick when it started"). */
const instantOf = (when: string) => z.iso.datetime({ offset: true, error: when }).transform((v) => new Date(v));
const optionalInstant = (when: string) => instantOf(when).nullish().transform((v) => v ?? null);
const person = z.string().trim().max(200, "Use at most 200 characters for the person").nullish().transform((v) => v || null);
const roles = z.strictObject(Object.fromEntries(incidentRoles.map((r) => [r, person.optional()])) as Record<(typeof incidentRoles)[number], z.ZodOptional<typeof person>>);
const url = z.string().trim().max(2000, "Use at most 2,000 characters for the link").url("Give a link starting with http:// or https://").refine((u) => /^https?:\/\//i.test(u), "Give a link starting with http:// or https://");

/** "service-slug/slo-slug" of this team. */
const sloRef = z.string().trim().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'Name the SLO as "service/slo", e.g. payments-api/availability-999');

const incidentFields = {
  title: text(200, "Give the incident a title"),
  severity: z.enum(severities, { error: `Pick a severity: ${severities.join(", ")}` }),
  status: z.enum(["active", "mitigated", "resolved"], { error: "Pick a status: active, mitigated or resolved" }),
  summary: z.string().trim().max(5000, "Use at most 5,000 characters for the summary"),
  startedAt: instantOf("Pick when it started"),
  detectedAt: optionalInstant("Pick when it was detected, or leave it empty"),
  mitigatedAt: optionalInstant("Pick when it was mitigated, or leave it empty"),
  resolvedAt: optionalInstant("Pick when it was resolved, or leave it empty"),
  slos: z.array(sloRef).max(50, "Link at most 50 SLOs").transform((a) => [...new Set(a)]),
  roles,
};

const afterStart = (v: { startedAt?: unknown; detectedAt?: unknown; mitigatedAt?: unknown; resolvedAt?: unknown }, key: "detectedAt" | "mitigatedAt" | "resolvedAt") => {
  const d = bothDates(v.startedAt, v[key]);
  return !d || d[1] >= d[0];
};
/** Said when a time of the incident comes before its start (by the schema, and by the service for an edit of one field). */
export const beforeStartMessage = { detectedAt: "It cannot be detected before it started", mitigatedAt: "It cannot be mitigated before it started", resolvedAt: "It cannot be resolved before it started" } as const;
const ordered = <T extends z.ZodType>(schema: T) =>
  (["detectedAt", "mitigatedAt", "resolvedAt"] as const).reduce<z.ZodType>((s, key) => s.refine((v) => afterStart(v as Record<string, unknown>, key), { path: [key], message: beforeStartMessage[key] }), schema) as T;

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
  at: instantOf("Pick when it happened"),
  kind: z.enum(timelineKinds, { error: `Pick what happened: ${timelineKinds.join(", ")}` }),
  text: text(2000, "Say what happened"),
});

/**
 * The size of a postmortem: far above what a write-up needs, low enough to bound what one save,
 * its search vector (kept by a trigger on every write), an export and a search highlight cost.
 * The document limit is on the sections as compact JSON in UTF-8 (what JSON.stringify sends, and
 * about what PostgreSQL stores), so it binds before the others do together: 40 bodies of
 * 100,000 characters would be 4 MB.
 */
export const POSTMORTEM_LIMITS = {
  titleChars: 200,
  sections: 40,
  sectionTitleChars: 120,
  bodyChars: 100_000,
  promptChars: 500,
  documentBytes: 1_000_000,
} as const;
/**
 * The PATCH body cap (bytes): a document at the limits, as the editor sends it, plus room for
 * the title (200 characters, at most 1.2 KB escaped), the revision and a client's whitespace.
 * Larger bodies are refused with 413 before they are read in full.
 */
export const SAVE_POSTMORTEM_MAX_BYTES = POSTMORTEM_LIMITS.documentBytes + 64 * 1024;
/** A template has no bodies: 40 sections of a title and a prompt fit in this. */
export const TEMPLATE_MAX_BYTES = 48 * 1024;
/** The template PUT body cap: a template at its limit plus room for the name and a client's whitespace. */
export const PUT_TEMPLATE_MAX_BYTES = TEMPLATE_MAX_BYTES + 16 * 1024;

/** UTF-8 length of a string, without encoding it (lone surrogates count as the 3 bytes U+FFFD takes). */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** A refinement: the value as compact JSON is at most `max` bytes of UTF-8. */
const jsonAtMost = (max: number) => (v: unknown, ctx: z.RefinementCtx) => {
  const bytes = utf8Bytes(JSON.stringify(v));
  if (bytes > max) ctx.addIssue({ code: "custom", message: `Keep it to ${max.toLocaleString("en-US")} bytes in all (these are ${bytes.toLocaleString("en-US")}): link long logs instead of pasting them` });
};

export const sectionSchema = z.strictObject({
  key: z.string().trim().regex(/^[a-z0-9_]{1,40}$/, "Give the section a short key: lowercase letters, digits, _"),
  title: text(POSTMORTEM_LIMITS.sectionTitleChars, "Give the section a title"),
  body: z.string({ error: "Give the section's text" }).max(POSTMORTEM_LIMITS.bodyChars, "Use at most 100,000 characters in a section"),
  /** The template's prompt, shown as a placeholder and never published as text. */
  prompt: z.string().trim().max(POSTMORTEM_LIMITS.promptChars, "Use at most 500 characters for the prompt").optional(),
});

export const createPostmortemSchema = z.strictObject({
  /** Start from this incident: pre-filled with its figures, impact, timeline and roles. */
  incident: z.string().uuid("must be an incident id").nullish(),
  /** A team template's id; omitted: the default blameless template. */
  template: z.string().uuid("must be a template id").nullish(),
  title: text(POSTMORTEM_LIMITS.titleChars, "Give the postmortem a title").optional(),
});

export const savePostmortemSchema = z.strictObject({
  /** The revision this edit started from: a save from an older one is a conflict. */
  revision: z.number({ error: "must be the revision number the edit started from" }).int().min(1),
  title: text(POSTMORTEM_LIMITS.titleChars, "Give the postmortem a title").optional(),
  sections: z
    .array(sectionSchema)
    .min(1, "Keep at least one section")
    .max(POSTMORTEM_LIMITS.sections, `Use at most ${POSTMORTEM_LIMITS.sections} sections`)
    .superRefine(jsonAtMost(POSTMORTEM_LIMITS.documentBytes))
    .optional(),
});
export type SavePostmortemInput = z.infer<typeof savePostmortemSchema>;

export const transitionSchema = z.strictObject({
  action: z.enum(workflowActions, { error: `must be one of ${workflowActions.join(", ")}` }),
  comment: z.string().trim().max(5000, "must be at most 5,000 characters").default(""),
});

const actionItemFields = {
  title: text(300, "Give the action item a title"),
  type: z.enum(actionItemTypes, { error: `Pick a type: ${actionItemTypes.join(", ")}` }),
  priority: z.enum(priorities, { error: `Pick a priority: ${priorities.join(", ")}` }),
  /** A member of the team (user id). */
  owner: z.string().uuid("Pick the owner from the team's members").nullish().transform((v) => v ?? null),
  dueDate: z.iso.date({ error: "Pick a due date, e.g. 2026-12-01" }).nullish().transform((v) => v ?? null),
  ticketUrl: url.nullish().transform((v) => v ?? null),
};
export const createActionItemSchema = z.strictObject(actionItemFields);
export type CreateActionItemInput = z.infer<typeof createActionItemSchema>;

/** Said when an item is closed as won't do without a reason (by the schema and the service). */
export const wontDoMessage = "Say why it won't be done";

export const updateActionItemSchema = z
  .strictObject({
    ...Object.fromEntries(Object.entries(actionItemFields).map(([k, v]) => [k, v.optional()])),
    status: z.enum(actionItemStatuses, { error: `Pick a status: ${actionItemStatuses.join(", ")}` }).optional(),
    wontDoReason: z.string().trim().max(2000).nullish(),
  } as { [K in keyof typeof actionItemFields]: z.ZodOptional<(typeof actionItemFields)[K]> } & { status: z.ZodOptional<z.ZodEnum<{ open: "open"; in_progress: "in_progress"; done: "done"; wont_do: "wont_do" }>>; wontDoReason: z.ZodOptional<z.ZodNullable<z.ZodString>> })
  .refine((v) => v.status !== "wont_do" || (v.wontDoReason ?? "").length >= 3, { path: ["wontDoReason"], message: wontDoMessage });
export type UpdateActionItemInput = z.infer<typeof updateActionItemSchema>;

export const searchQuerySchema = z.object({ q: z.string().trim().min(2, "Type at least 2 characters").max(200, "Use at most 200 characters") });

export const templateSchema = z.strictObject({
  name: text(100, "Give the template a name"),
  /** Replacing a template: the updatedAt the edit started from (a save after someone else's is a 409). */
  baseUpdatedAt,
  sections: z
    .array(z.strictObject({ key: z.string().trim().regex(/^[a-z0-9_]{1,40}$/, "Give the section a short key: lowercase letters, digits, _"), title: text(POSTMORTEM_LIMITS.sectionTitleChars, "Give the section a title"), prompt: z.string().trim().max(POSTMORTEM_LIMITS.promptChars, "Use at most 500 characters for the prompt").default("") }))
    .min(1, "Give at least one section")
    .max(POSTMORTEM_LIMITS.sections, `Use at most ${POSTMORTEM_LIMITS.sections} sections`)
    .refine((a) => new Set(a.map((s) => s.key)).size === a.length, "Give each section its own key")
    .superRefine(jsonAtMost(TEMPLATE_MAX_BYTES)),
});
export type TemplateInput = z.infer<typeof templateSchema>;
