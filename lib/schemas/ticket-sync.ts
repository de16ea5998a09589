// Ticket sync (docs/ticket-sync.md): a team's Jira or Linear, an action item's issue, and the
// parts of the trackers' webhooks we read. The status table is lib/domain/ticket-sync.ts.
import { z } from "zod";
import { actionItemStatuses } from "../domain/postmortem";
import { jiraCategories, linearStateTypes, ticketProviders } from "../domain/ticket-sync";

const instant = z.iso.datetime({ offset: true });
const httpUrl = z
  .string({ error: "must be a URL" })
  .trim()
  .max(2000, "must be at most 2,000 characters")
  .url("must be a URL")
  .refine((u) => /^https?:\/\//i.test(u), "must be an http or https URL")
  .transform((u) => u.replace(/\/+$/, ""));
const secret = (what: string) => z.string({ error: `must be ${what}, as text` }).trim().min(1, `must be ${what}`).max(2000, "must be at most 2,000 characters");
/** Jira project keys: an uppercase letter, then uppercase letters, digits or underscores (Jira's default key format). */
const jiraProjectKey = /^[A-Z][A-Z0-9_]{1,19}$/;
const webhookSecret = z.string({ error: "must be text" }).min(16, "must be at least 16 characters").max(256, "must be at most 256 characters");

const provider = z.enum(ticketProviders, { error: `Pick a tracker: ${ticketProviders.join(" or ")}` });

/**
 * Connecting a tracker. Jira: the site's URL, the account's email and an API token (basic auth),
 * the project key and the issue type. Linear: an API key and the team's id; its API's URL is
 * https://api.linear.app unless given. `webhookSecret`: the secret the tracker signs with; left
 * out, we make one and show it once (Jira lets you type it; Linear makes its own: paste it here).
 */
export const createTicketIntegrationSchema = z.discriminatedUnion(
  "provider",
  [
    z.strictObject({
      provider: z.literal("jira"),
      baseUrl: httpUrl,
      email: z.string({ error: "must be the Jira account's email" }).trim().email("must be the Jira account's email").max(254, "must be at most 254 characters"),
      apiToken: secret("the account's API token"),
      project: z.string({ error: "must be the Jira project key, e.g. OPS" }).trim().regex(jiraProjectKey, "must be the Jira project key, e.g. OPS"),
      issueType: z.string({ error: "must be an issue type's name" }).trim().min(1, "must be an issue type's name, e.g. Task").max(100, "must be at most 100 characters").default("Task"),
      webhookSecret: webhookSecret.optional(),
    }),
    z.strictObject({
      provider: z.literal("linear"),
      baseUrl: httpUrl.default("https://api.linear.app"),
      apiToken: secret("a Linear API key"),
      project: z.string({ error: "must be the Linear team's id" }).trim().min(1, "must be the Linear team's id").max(100, "must be at most 100 characters"),
      webhookSecret: webhookSecret.optional(),
    }),
  ],
  { error: `Pick a tracker: ${ticketProviders.join(" or ")}` },
);
export type CreateTicketIntegrationInput = z.output<typeof createTicketIntegrationSchema>;

/** Changing a tracker's settings: only what is sent changes. `newWebhookSecret: true` makes a new secret, shown once. */
export const updateTicketIntegrationSchema = z
  .strictObject({
    baseUrl: httpUrl.optional(),
    email: z.string().trim().email("must be the Jira account's email").max(254, "must be at most 254 characters").optional(),
    apiToken: secret("an API token").optional(),
    project: z.string().trim().min(1, "must be a Jira project key or a Linear team's id").max(100, "must be at most 100 characters").optional(),
    issueType: z.string().trim().min(1, "must be an issue type's name, e.g. Task").max(100, "must be at most 100 characters").optional(),
    webhookSecret: webhookSecret.optional(),
    newWebhookSecret: z.boolean({ error: "must be true or false" }).optional(),
  })
  .refine((v) => !(v.webhookSecret && v.newWebhookSecret), { path: ["newWebhookSecret"], message: "send either webhookSecret or newWebhookSecret, not both" });
/** Linear's signing secret, pasted once its webhook exists (a PATCH of the integration). */
export const setWebhookSecretSchema = z.strictObject({ webhookSecret: z.string({ error: "Paste the signing secret from the webhook's page in Linear" }).min(16, "must be at least 16 characters").max(256, "must be at most 256 characters") });

export type UpdateTicketIntegrationInput = z.output<typeof updateTicketIntegrationSchema>;

/** What "Test connection" found: the tracker read the project or team with the stored settings, or why not (our words) and whether trying later may help. */
export const ticketConnectionCheckSchema = z.object({ ok: z.boolean(), problem: z.string().nullable(), retry: z.boolean() });
export type TicketConnectionCheck = z.infer<typeof ticketConnectionCheckSchema>;

export const ticketIntegrationViewSchema = z.object({
  id: z.string(),
  provider,
  baseUrl: z.string(),
  /** Jira only; empty for Linear. */
  email: z.string(),
  /** Jira project key or Linear team id. */
  project: z.string(),
  issueType: z.string(),
  /** Where the tracker sends its webhooks. */
  webhookUrl: z.string(),
  /** Present once: in the answer that made the secret. The API token is never returned. */
  webhookSecret: z.string().optional(),
  links: z.number().int(),
  createdAt: instant,
  updatedAt: instant,
});
export type TicketIntegrationView = z.infer<typeof ticketIntegrationViewSchema>;

/** Creating an issue from an action item in one of the team's trackers. */
export const createTicketSchema = z.strictObject({ provider });
export type CreateTicketInput = z.output<typeof createTicketSchema>;

const remoteStatus = z.enum([...jiraCategories, ...linearStateTypes]);
export const ticketLinkViewSchema = z.object({
  provider,
  key: z.string(),
  url: z.string(),
  /** The tracker's status as last seen (Jira status category or Linear state type). */
  remoteStatus,
  /** The item status both sides last agreed on. */
  syncedStatus: z.enum(actionItemStatuses),
  syncedAt: instant,
  /** The item's status has changed since: waiting to be sent to the tracker. */
  pending: z.boolean(),
  /** Why the last push failed (in our words), and when it is tried again. */
  lastError: z.string().nullable(),
  nextAttemptAt: instant.nullable(),
});
export type TicketLinkView = z.infer<typeof ticketLinkViewSchema>;

/** An action item's ticket: its link, and the trackers its team has connected (for "Create … issue"). */
export const ticketStateSchema = z.object({ link: ticketLinkViewSchema.nullable(), providers: z.array(provider) });
export type TicketState = z.infer<typeof ticketStateSchema>;

/**
 * The parts of Jira's `jira:issue_updated` webhook we read (Jira Cloud docs, "Webhooks": body
 * `{ timestamp, webhookEvent, issue: { id, key, fields: { status: { statusCategory: { key } } } }, changelog }`).
 * Other fields are ignored.
 */
export const jiraWebhookSchema = z.object({
  webhookEvent: z.string({ error: "is required" }),
  timestamp: z.number().int().optional(),
  issue: z
    .object({
      id: z.union([z.string(), z.number()]).transform(String),
      key: z.string(),
      fields: z.object({ status: z.object({ statusCategory: z.object({ key: z.string() }) }) }),
    })
    .optional(),
  /** What the update changed: only a change of `status` moves the item (an edit of the summary carries the status too). */
  changelog: z.object({ items: z.array(z.object({ field: z.string() })).default([]) }).optional(),
});

/**
 * The parts of Linear's Issue webhook we read (Linear docs, "Webhooks": body
 * `{ action, type: "Issue", data: { id, identifier, state: { type } }, webhookTimestamp }`).
 */
export const linearWebhookSchema = z.object({
  action: z.string({ error: "is required" }),
  type: z.string({ error: "is required" }),
  webhookTimestamp: z.number({ error: "is required: milliseconds since 1970" }),
  data: z.object({ id: z.string(), identifier: z.string().optional(), state: z.object({ type: z.string() }).optional() }),
  /** The previous values of what changed: only an update with `stateId` here moves the item. */
  updatedFrom: z.record(z.string(), z.unknown()).optional(),
});

export const ticketWebhookAnswerSchema = z.object({
  /** The item's new status, when the webhook changed it. */
  applied: z.enum(actionItemStatuses).nullable(),
  /** Why nothing changed: not an issue we link, an echo of our change, an older event. */
  ignored: z.string().nullable(),
});
export type TicketWebhookAnswer = z.infer<typeof ticketWebhookAnswerSchema>;
