// Response schemas of the operations whose answers are not one of the shared views (views.ts):
// small records, lists with a summary, and the one error shape. The OpenAPI document emits them
// (lib/server/openapi.ts, each operation's `response`), and the services' types are their outputs
// or are held to them by the compiler (lib/server/responses.test.ts).
import { z } from "zod";
import { roles, tokenScopes } from "../domain/roles";
import { ingestResultSchema } from "./ingest";
import { flaggerAnswerSchema } from "./analysis";
import { actionItemViewSchema, instant, serviceStandingViewSchema, sloStatusViewSchema, sloViewSchema, gateDecisionViewSchema } from "./views";

/** Every error: a code for programs, a sentence for people, and per field the problem in words. */
export const errorBodySchema = z.object({
  error: z.object({
    /** bad_request, invalid, unauthenticated, forbidden, not_found, method_not_allowed, conflict, payload_too_large, unsupported_media_type, too_many_requests, internal, unavailable, insufficient_storage. */
    code: z.string(),
    message: z.string(),
    /** Field path (e.g. "window.days", "body", a query parameter) -> what is wrong with it. */
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const healthSchema = z.object({ status: z.literal("ok") });
export const readinessSchema = z.object({ ready: z.boolean(), database: z.enum(["ok", "unreachable"]), pendingMigrations: z.array(z.string()) });
export type Readiness = z.infer<typeof readinessSchema>;

export const sessionUserSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), isSiteAdmin: z.boolean() });
export type SessionUser = z.infer<typeof sessionUserSchema>;
/** POST /api/setup: the first administrator. */
export const setupResultSchema = sessionUserSchema.pick({ id: true, email: true, name: true });

/** GET /api/v1/me: a token (its team and scopes) or a person. */
export const meSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("token"), token: z.object({ id: z.string(), name: z.string(), prefix: z.string() }), team: z.string(), scopes: z.array(z.enum(tokenScopes)) }),
  z.object({ kind: z.literal("user"), user: sessionUserSchema.nullable() }),
]);

export const endedSessionsSchema = z.object({ ended: z.number() });
export const passwordChangedSchema = z.object({ sessionsEnded: z.number() });

/** A team with the caller's access to it: a role, "site-admin", or "token". */
export const teamSummarySchema = z.object({ id: z.string(), slug: z.string(), name: z.string(), role: z.enum([...roles, "site-admin"]) });
export type TeamSummary = z.infer<typeof teamSummarySchema>;
/** GET a team: a read token sees it too. */
export const teamAccessSchema = teamSummarySchema.extend({ role: z.enum([...roles, "site-admin", "token"]) });
export const memberSchema = z.object({ userId: z.string(), name: z.string(), email: z.string(), role: z.enum(roles) });
export const memberRoleSchema = memberSchema.pick({ userId: true, role: true });

export const serviceSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  githubRepository: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
  archivedAt: instant.nullable(),
});
/** GET a service: with its standing (what the gate answers now for a feature deploy). */
export const serviceWithStandingSchema = serviceSchema.extend({ standing: serviceStandingViewSchema });

export const teamStatusSchema = z.object({
  team: z.string(),
  at: instant,
  slos: z.array(z.object({ service: z.object({ id: z.string(), slug: z.string(), name: z.string() }), slo: sloViewSchema, status: sloStatusViewSchema })),
});

export const budgetSpentSchema = z.object({ from: instant, to: instant, windowStart: instant, badEvents: z.number(), totalEvents: z.number(), budgetSpent: z.number().nullable() });

/** POST .../openslo: how many of each were created or updated. */
export const importSummarySchema = z.object({ dataSources: z.number(), services: z.number(), slis: z.number(), slos: z.number() });

export const decisionPageSchema = z.object({ decisions: z.array(gateDecisionViewSchema), next: z.string().nullable() });

export const trackingSchema = z.object({
  total: z.number(),
  open: z.number(),
  overdue: z.number(),
  /** Done or won't-do over all; null with no items. */
  completionRate: z.number().nullable(),
  openP0: z.number(),
  oldestOpenP0Days: z.number().nullable(),
});
const trackedItemSchema = actionItemViewSchema.extend({ overdue: z.boolean() });
/** A team's item with its incident and the largest share of one SLO's budget that incident spent (docs/reviews.md). */
const budgetedItemSchema = trackedItemSchema.extend({ incident: z.object({ id: z.string(), title: z.string() }).nullable(), budgetSpent: z.number().nullable() });
export const teamActionItemsSchema = z.object({
  team: z.string(),
  teamName: z.string(),
  tracking: trackingSchema,
  byOwner: z.array(z.object({ owner: z.object({ id: z.string(), name: z.string() }).nullable(), tracking: trackingSchema })),
  /** In due-date order, or with ?sort=budget the most budget spent first. */
  sort: z.enum(["due", "budget"]),
  items: z.array(budgetedItemSchema),
});
export const myActionItemsSchema = z.object({ tracking: trackingSchema, items: z.array(trackedItemSchema) });

/** A postmortem in a list; from search also its team's name, a snippet and the matched words. */
export const postmortemListItemSchema = z.object({
  id: z.string(),
  team: z.string(),
  title: z.string(),
  status: z.string(),
  updatedAt: instant,
  incident: z.object({ id: z.string(), severity: z.string() }).nullable(),
  teamName: z.string().optional(),
  snippet: z.string().optional(),
  highlight: z.array(z.object({ text: z.string(), match: z.boolean() })).optional(),
});
export type PostmortemListItem = z.infer<typeof postmortemListItemSchema>;

/** GitHub's webhook: a ping's pong, an ignored event or action, or the gate's decision (202). */
export const githubWebhookAnswerSchema = z.union([z.object({ ok: z.literal(true), message: z.string() }), z.object({ ignored: z.string() }), gateDecisionViewSchema]);

/** 422 from ingest: the one error shape; when the items were read but every one was rejected, with the same report as a 200. */
/** Flagger's webhooks refused (409; 404 when no analysis is found): the one error shape, with the answer's fields beside it when there is an answer. */
export const flaggerRefusalSchema = errorBodySchema.extend(flaggerAnswerSchema.partial().shape);
export const ingestRefusedSchema = errorBodySchema.extend({ accepted: ingestResultSchema.shape.accepted.optional(), rejected: ingestResultSchema.shape.rejected.optional() });

/** Exports and scrapes: the text as it is. */
export const textSchema = z.string();
