// The OpenAPI 3.1 document of /api/v1, built from the same zod schemas the routes parse with,
// so the description cannot drift from what is enforced (openapi.test.ts checks every route is here).
import { z, type ZodType } from "zod";
import { changePasswordSchema, createUserSchema, setupSchema, updateUserSchema } from "../schemas/auth";
import { archivedListSchema, archiveSchema, deleteArchivedSchema } from "../schemas/archive";
import { rereadSchema } from "../schemas/definition-history";
import { createSilenceSchema, silenceViewSchema } from "../schemas/silences";
import { createGroupSchema, groupDetailSchema, groupViewSchema, updateGroupSchema } from "../schemas/slo-groups";
import {
  budgetSpentSchema, decisionPageSchema, endedSessionsSchema, errorBodySchema, githubWebhookAnswerSchema, healthSchema, importSummarySchema, ingestRefusedSchema, meSchema, memberRoleSchema, memberSchema,
  myActionItemsSchema, passwordChangedSchema, postmortemListItemSchema, readinessSchema, serviceSchema, serviceWithStandingSchema, sessionUserSchema, setupResultSchema, teamAccessSchema,
  teamActionItemsSchema, teamStatusSchema, teamSummarySchema, textSchema,
  flaggerRefusalSchema,
} from "../schemas/responses";
import {
  actionItemViewSchema, adminUserViewSchema, channelViewSchema, exclusionViewSchema, freezeViewSchema, gateDecisionViewSchema, githubIntegrationViewSchema, incidentViewSchema, overrideViewSchema,
  overviewSchema, policyVersionViewSchema, policyViewSchema, postmortemViewSchema, prometheusTestResultSchema, histogramBucketsSchema, sessionViewSchema, sliViewSchema, sloDetailSchema, sloSeriesSchema, definitionHistorySchema, sloViewSchema,
  templateViewSchema, timelineEntryViewSchema,
} from "../schemas/views";
import { createExclusionSchema, createServiceSchema, prometheusSourceSchema, histogramCheckSchema, createSliSchema, createSloSchema, updateSliSchema, updateServiceSchema, updateSloSchema } from "../schemas/catalog";
import {
  createExclusionScheduleSchema, exclusionSchedulePreviewSchema, exclusionScheduleViewSchema, previewExclusionScheduleSchema, updateExclusionScheduleSchema,
} from "../schemas/exclusion-schedules";
import { ingestItemSchema, ingestResultSchema, MAX_INGEST_ITEMS } from "../schemas/ingest";
import { addMemberSchema, createTeamSchema, updateMemberSchema } from "../schemas/teams";
import { createdTokenSchema, createTokenSchema, tokenSchema } from "../schemas/tokens";
import { createChannelSchema } from "../schemas/notifications";
import { createFreezeSchema, createOverrideSchema, gateRequestSchema, putGithubSchema } from "../schemas/gate";
import { putPolicySchema } from "../schemas/policy";
import { definitionFilesSchema, definitionPlanSchema } from "../schemas/definitions";
import { createDataSourceSchema, dataSourceViewSchema, updateDataSourceSchema } from "../schemas/data-sources";
import { analysisListSchema, analysisViewSchema, createAnalysisSchema, flaggerAnswerSchema, flaggerPayloadSchema } from "../schemas/analysis";
import { regressionRequestSchema, regressionViewSchema } from "../schemas/regression";
import { deployPageSchema, deployViewSchema, recordDeploySchema } from "../schemas/deploys";
import { compositeViewSchema, createCompositeSchema, updateCompositeSchema } from "../schemas/composites";
import { alertBacktestInputSchema, alertBacktestViewSchema, alertSettingsInputSchema, alertSettingsViewSchema } from "../schemas/alert-settings";
import {
  createTicketIntegrationSchema, createTicketSchema, ticketIntegrationViewSchema, ticketConnectionCheckSchema, ticketStateSchema, ticketWebhookAnswerSchema, updateTicketIntegrationSchema,
} from "../schemas/ticket-sync";
import { actionItemDetailSchema } from "../schemas/action-items";
import { reviewRecordSchema, reviewSettingsSchema, reviewSettingsViewSchema, reviewViewSchema, saveReviewSchema } from "../schemas/reviews";
import { createActionItemSchema, createIncidentSchema, createPostmortemSchema, savePostmortemSchema, templateSchema, timelineEntrySchema, transitionSchema, updateActionItemSchema, updateIncidentSchema } from "../schemas/incidents";

/** session-or-gate: people by role, or a `gate` token; session-or-gate-or-read: people by role, or a `gate` or `read` token. */
type Auth = "none" | "session" | "read" | "ingest" | "gate" | "github-signature" | "session-or-read" | "session-or-gate" | "session-or-gate-or-read";
type Op = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  auth: Auth;
  body?: ZodType;
  created?: boolean;
  /** A DELETE that answers with the changed record (200) instead of 204. */
  returnsBody?: boolean;
  query?: Record<string, string>;
  /** The media type of a success that is not JSON (exports, the scrape); its schema is a string. */
  produces?: string;
  /** The success answer's schema (the one the service's result type is the output of); none for a 204. */
  response?: ZodType;
  /** Other answers with their own body: status -> description and schema (a 503 readiness, a strict gate's 423). */
  otherResponses?: Record<string, { description: string; schema: ZodType }>;
};

const at = { at: "ISO 8601 instant to evaluate at (default: now)" };
const S = "/api/v1/teams/{team}/services/{service}";
const reviewQueryDocs = {
  period: "2026-11 (month), 2026-Q4 (quarter) or 2026-W47 (ISO week), in the team's time zone; default: last month",
  from: "first day reviewed, YYYY-MM-DD (with to; at most 400 days)",
  to: "the day after the last day reviewed, YYYY-MM-DD",
  service: "one service's review (its slug); default: the team's",
};

// Every operation, as data. `auth`: who may call it (tokens by scope; sessions by team role).
export const operations: Op[] = [
  { method: "get", path: "/api/health", summary: "Liveness: the process answers", auth: "none", response: healthSchema },
  { method: "get", path: "/api/ready", summary: "Readiness: database reachable and migrations applied (503 otherwise)", auth: "none", response: readinessSchema, otherResponses: { "503": { description: "Not ready: the database is unreachable or migrations are pending", schema: readinessSchema } } },
  { method: "post", path: "/api/setup", summary: "Create the first administrator (only while no user exists)", auth: "none", body: setupSchema, created: true, response: setupResultSchema },
  { method: "get", path: "/metrics", summary: "SLO metrics in Prometheus exposition format", auth: "session-or-read", produces: "text/plain", response: textSchema },
  { method: "get", path: "/api/v1/me", summary: "Who is calling: the person, or the token with its team and scopes", auth: "session-or-read", response: meSchema },
  {
    method: "get", path: "/api/v1/overview", summary: "The SLOs of the caller's teams matching the filters with their status, one page of 50 (page.total counts all that match; summary is over them)", auth: "session", response: overviewSchema,
    query: { team: "team slug", service: "service slug", tier: "budget tier", alert: "alert badge", q: "words that must all appear in the SLO, service or team name or slug", sort: "risk (default) or name", page: "1-based page (default 1; past the end: the last page). Malformed values are ignored, as in the overview's URL" },
  },
  { method: "get", path: "/api/v1/users", summary: "List people (site admins)", auth: "session", response: z.array(adminUserViewSchema) },
  { method: "post", path: "/api/v1/users", summary: "Add a person who signs in with a password (site admins)", auth: "session", body: createUserSchema, created: true, response: sessionUserSchema },
  { method: "patch", path: "/api/v1/users/{user}", summary: "Disable or enable an account; disabling ends its sessions (site admins)", auth: "session", body: updateUserSchema, response: adminUserViewSchema },
  { method: "delete", path: "/api/v1/users/{user}", summary: "Remove an account and its sessions (site admins)", auth: "session" },
  { method: "get", path: "/api/v1/users/{user}/sessions", summary: "A person's open sessions (site admins)", auth: "session", response: z.array(sessionViewSchema) },
  { method: "delete", path: "/api/v1/users/{user}/sessions", summary: "End every session of a person (site admins)", auth: "session", returnsBody: true, response: endedSessionsSchema },
  { method: "delete", path: "/api/v1/users/{user}/sessions/{session}", summary: "End one session of a person (site admins)", auth: "session" },
  { method: "get", path: "/api/v1/me/sessions", summary: "The caller's open browser sessions, the current one marked", auth: "session", response: z.array(sessionViewSchema) },
  { method: "delete", path: "/api/v1/me/sessions", summary: "Sign out everywhere else: end every session of the caller but this one", auth: "session", returnsBody: true, response: endedSessionsSchema },
  { method: "delete", path: "/api/v1/me/sessions/{session}", summary: "End one of the caller's sessions", auth: "session" },
  { method: "put", path: "/api/v1/me/password", summary: "Change the caller's password (the current one is required); ends every other session", auth: "session", body: changePasswordSchema, response: passwordChangedSchema },
  { method: "get", path: "/api/v1/teams", summary: "The caller's teams", auth: "session", response: z.array(teamSummarySchema) },
  { method: "post", path: "/api/v1/teams", summary: "Create a team (site admins)", auth: "session", body: createTeamSchema, created: true, response: teamSummarySchema },
  { method: "get", path: "/api/v1/teams/{team}", summary: "A team", auth: "session-or-read", response: teamAccessSchema },
  { method: "get", path: "/api/v1/teams/{team}/members", summary: "Members and their roles", auth: "session-or-read", response: z.array(memberSchema) },
  { method: "post", path: "/api/v1/teams/{team}/members", summary: "Add a member (team admins)", auth: "session", body: addMemberSchema, created: true, response: memberSchema },
  { method: "patch", path: "/api/v1/teams/{team}/members/{userId}", summary: "Change a member's role (team admins)", auth: "session", body: updateMemberSchema, response: memberRoleSchema },
  { method: "delete", path: "/api/v1/teams/{team}/members/{userId}", summary: "Remove a member (team admins)", auth: "session" },
  { method: "get", path: "/api/v1/teams/{team}/tokens", summary: "API tokens (team admins)", auth: "session", response: z.array(tokenSchema) },
  { method: "post", path: "/api/v1/teams/{team}/tokens", summary: "Create an API token; the secret is in this response only (team admins)", auth: "session", body: createTokenSchema, created: true, response: createdTokenSchema },
  { method: "delete", path: "/api/v1/teams/{team}/tokens/{tokenId}", summary: "Revoke an API token (team admins); answers with the revoked token", auth: "session", returnsBody: true, response: tokenSchema },
  { method: "get", path: "/api/v1/teams/{team}/notification-channels", summary: "Where alert-state changes are sent (team admins)", auth: "session", response: z.array(channelViewSchema) },
  { method: "post", path: "/api/v1/teams/{team}/notification-channels", summary: "Add a Slack webhook, PagerDuty (Events API v2) or email (SMTP) channel (team admins)", auth: "session", body: createChannelSchema, created: true, response: channelViewSchema },
  { method: "delete", path: "/api/v1/teams/{team}/notification-channels/{channel}", summary: "Remove a channel (team admins)", auth: "session" },
  { method: "get", path: "/api/v1/teams/{team}/status", summary: "Status of every SLO of the team", auth: "session-or-read", query: at, response: teamStatusSchema },
  { method: "get", path: "/api/v1/teams/{team}/openslo", summary: "Export the team's services, SLIs and SLOs as OpenSLO v1 YAML", auth: "session-or-read", produces: "application/yaml", response: textSchema },
  { method: "post", path: "/api/v1/teams/{team}/openslo", summary: "Apply one OpenSLO (v1, v1alpha) or Sloth file (body application/yaml) without prune: all or nothing, created or changed by name (editors)", auth: "session", response: importSummarySchema },
  { method: "post", path: "/api/v1/teams/{team}/definitions/plan", summary: "SLO as code: what applying these OpenSLO and Sloth files would create, change (field by field) and, with prune, archive; changes nothing", auth: "session-or-read", body: definitionFilesSchema, response: definitionPlanSchema },
  { method: "post", path: "/api/v1/teams/{team}/definitions/apply", summary: "SLO as code: make the plan's changes in one transaction, each audited with the caller and `source`; prune archives only what an earlier apply created (editors)", auth: "session", body: definitionFilesSchema, response: definitionPlanSchema },
  { method: "get", path: "/api/v1/teams/{team}/data-sources", summary: "Data sources: named Prometheus-compatible servers SLIs take their URL from (the Authorization header is never shown)", auth: "session-or-read", response: z.array(dataSourceViewSchema) },
  { method: "post", path: "/api/v1/teams/{team}/data-sources", summary: "Add a data source; authHeader is write-only (editors)", auth: "session", body: createDataSourceSchema, created: true, response: dataSourceViewSchema },
  { method: "patch", path: "/api/v1/teams/{team}/data-sources/{dataSource}", summary: "Change a data source; absent fields stay, authHeader null removes it (editors)", auth: "session", body: updateDataSourceSchema, response: dataSourceViewSchema },
  { method: "delete", path: "/api/v1/teams/{team}/data-sources/{dataSource}", summary: "Remove a data source no SLI uses (editors)", auth: "session" },
  {
    method: "post",
    path: "/api/v1/teams/{team}/prometheus-test",
    summary: "Run a Prometheus source's queries over the last hour and report what came back, before saving it (editors)",
    auth: "session",
    body: prometheusSourceSchema,
    response: prometheusTestResultSchema,
  },
  {
    method: "post",
    path: "/api/v1/teams/{team}/prometheus-histogram-buckets",
    summary:
      "Check a histogram's buckets before creating a latency SLI on it: the `le` bounds of a classic histogram (as the server writes them) or the schema of a native one, and whether thresholdSeconds is one of its bounds, else the nearest bounds either side (editors)",
    auth: "session",
    body: histogramCheckSchema,
    response: histogramBucketsSchema,
  },
  { method: "get", path: "/api/v1/teams/{team}/services", summary: "Services", auth: "session-or-read", response: z.array(serviceSchema) },
  { method: "post", path: "/api/v1/teams/{team}/services", summary: "Create a service (editors)", auth: "session", body: createServiceSchema, created: true, response: serviceSchema },
  { method: "get", path: S, summary: "A service", auth: "session-or-read", response: serviceWithStandingSchema },
  { method: "patch", path: S, summary: "Update a service (editors)", auth: "session", body: updateServiceSchema, response: serviceSchema },
  {
    method: "delete",
    path: S,
    summary: "Delete an archived service for good, with its SLIs, SLOs, minute data, alert history, own policy, overrides and freezes; gate decisions and audit records keep their text. `confirm` is its slug or name (team admins)",
    auth: "session",
    body: deleteArchivedSchema,
  },
  { method: "post", path: `${S}/archive`, summary: "Archive a service with its live SLIs and SLOs: gone from lists, alerts and /metrics, unknown to the gate; data kept (editors)", auth: "session", body: archiveSchema, response: serviceSchema },
  { method: "post", path: `${S}/restore`, summary: "Restore an archived service with the SLIs and SLOs archived with it (editors)", auth: "session", body: archiveSchema, response: serviceSchema },
  { method: "get", path: "/api/v1/teams/{team}/archived", summary: "Archived services, SLIs and SLOs, with what deleting each would remove and keep", auth: "session-or-read", response: archivedListSchema },
  { method: "get", path: `${S}/slis`, summary: "SLIs of a service", auth: "session-or-read", response: z.array(sliViewSchema) },
  { method: "post", path: `${S}/slis`, summary: "Create an SLI (editors)", auth: "session", body: createSliSchema, created: true, response: sliViewSchema },
  { method: "get", path: `${S}/slis/{sli}`, summary: "One SLI", auth: "session-or-read", response: sliViewSchema },
  {
    method: "patch",
    path: `${S}/slis/{sli}`,
    summary:
      "Change an SLI's name, description or measure: queries, server, histogram, threshold or slices (editors). Its slug and kind stay; the source given is the kind it has. A new measure starts a new version (docs/definition-history.md). Without authHeader, the stored header is kept while the URL stays and dropped when it changes",
    auth: "session",
    body: updateSliSchema,
    response: sliViewSchema,
  },
  { method: "delete", path: `${S}/slis/{sli}`, summary: "Delete an archived SLI for good, with its minute data and the archived SLOs on it; `confirm` is its slug or name (team admins)", auth: "session", body: deleteArchivedSchema },
  { method: "post", path: `${S}/slis/{sli}/archive`, summary: "Archive an SLI: pushes refused, Prometheus sync stopped; refused while live SLOs measure it (editors)", auth: "session", body: archiveSchema, response: sliViewSchema },
  {
    method: "post",
    path: `${S}/slis/{sli}/reread`,
    summary: "Read a Prometheus SLI's history again with its current queries, as far back as its SLOs' windows need and the source still holds (editors); pushed SLIs cannot be (409)",
    auth: "session",
    body: rereadSchema,
    response: sliViewSchema,
  },
  { method: "post", path: `${S}/slis/{sli}/restore`, summary: "Restore an archived SLI (its service must be live) (editors)", auth: "session", body: archiveSchema, response: sliViewSchema },
  { method: "get", path: `${S}/slos`, summary: "SLOs of a service", auth: "session-or-read", response: z.array(sloViewSchema) },
  { method: "post", path: `${S}/slos`, summary: "Create an SLO (editors)", auth: "session", body: createSloSchema, created: true, response: sloViewSchema },
  { method: "get", path: `${S}/slos/{slo}`, summary: "An SLO's definition", auth: "session-or-read", response: sloViewSchema },
  { method: "patch", path: `${S}/slos/{slo}`, summary: "Update an SLO (editors)", auth: "session", body: updateSloSchema, response: sloViewSchema },
  { method: "delete", path: `${S}/slos/{slo}`, summary: "Delete an archived SLO for good, with its alert history (its SLI and data stay); `confirm` is its slug or name (team admins)", auth: "session", body: deleteArchivedSchema },
  { method: "post", path: `${S}/slos/{slo}/archive`, summary: "Archive an SLO: gone from lists, alerts and /metrics, no longer gates its service; data kept (editors)", auth: "session", body: archiveSchema, response: sloViewSchema },
  { method: "post", path: `${S}/slos/{slo}/restore`, summary: "Restore an archived SLO (its SLI and service must be live) (editors)", auth: "session", body: archiveSchema, response: sloViewSchema },
  {
    method: "get",
    path: `${S}/slos/{slo}/series`,
    summary: "SLI, good and bad events per step over a range (default: the window so far; at most 400 points), the burn rate of each alert rule's long window at each step with its threshold, and the exclusions, incidents and firing periods in it",
    auth: "session-or-read",
    query: { from: "ISO 8601 start (with to)", to: "ISO 8601 end (with from)", definition: "as-it-was (default: each instant judged by the SLO version in force then) or current (the current definition throughout)" },
    response: sloSeriesSchema,
  },
  { method: "get", path: `${S}/slos/{slo}/history`, summary: "The versions of an SLO's definition and of its SLI's, newest first, with each change in words (docs/definition-history.md)", auth: "session-or-read", response: definitionHistorySchema },
  { method: "get", path: `${S}/slos/{slo}/status`, summary: "SLO status: SLI, remaining budget, burn rates, alert state, time to exhaustion, burndown", auth: "session-or-read", query: at, response: sloDetailSchema },
  {
    method: "get",
    path: `${S}/slos/{slo}/budget-spent`,
    summary: "Share of the error budget an interval spent (from, to): bad events in it / allowed bad events of its window",
    auth: "session-or-read",
    query: { from: "ISO 8601 start (inclusive)", to: "ISO 8601 end (exclusive)" },
    response: budgetSpentSchema,
  },
  {
    method: "post",
    path: `${S}/composites`,
    summary: "Create a composite SLO: member SLOs of the team (service/slo) with weights, objective, window, and the rule for late members (maxDelayMinutes, whenDelayed); docs/composite-slos.md (editors)",
    auth: "session",
    body: createCompositeSchema,
    created: true,
    response: compositeViewSchema,
  },
  { method: "get", path: `${S}/slos/{slo}/composite`, summary: "A composite SLO's members with weights and shares, its late-member rule and the members late or missing in its window", auth: "session-or-read", response: compositeViewSchema },
  { method: "put", path: `${S}/slos/{slo}/composite`, summary: "Replace a composite SLO's members and weights (and its late-member rule): a new definition version; audited (editors)", auth: "session", body: updateCompositeSchema, response: compositeViewSchema },
  { method: "get", path: `${S}/slos/{slo}/alert-settings`, summary: "The SLO's effective alert rules (each beside the workbook's default and why), severities, low-traffic guard, no-data and budget-below alerts", auth: "session-or-read", response: alertSettingsViewSchema },
  {
    method: "put",
    path: `${S}/slos/{slo}/alert-settings`,
    summary: "Change the SLO's alert settings: rows on or off, long and short windows (lookbacks Burnrate counts), factor or budget share, minEvents, no-data and budget-below alerts; audited (editors)",
    auth: "session",
    body: alertSettingsInputSchema,
    response: alertSettingsViewSchema,
  },
  {
    method: "post",
    path: `${S}/slos/{slo}/alert-backtest`,
    summary: "Replay the SLO's stored minutes (exclusions left out; at most the compliance window plus 3 d) against its alert rules and optional proposed ones: firings, detection delay per linked incident, unalerted burn, noise; changes nothing",
    auth: "session-or-read",
    body: alertBacktestInputSchema,
    response: alertBacktestViewSchema,
  },
  { method: "get", path: `${S}/groups`, summary: "Grouped SLOs of a service, each with its member count (docs/grouped-slos.md)", auth: "session-or-read", response: z.array(groupViewSchema) },
  { method: "post", path: `${S}/groups`, summary: "Create a grouped SLO: one member SLI and SLO per value of a label, made as values arrive (editors)", auth: "session", body: createGroupSchema, created: true, response: groupViewSchema },
  { method: "get", path: `${S}/groups/{group}`, summary: "A grouped SLO with its members (live and aged out)", auth: "session-or-read", response: groupDetailSchema },
  { method: "patch", path: `${S}/groups/{group}`, summary: "Change a grouped SLO; objective, window and alert guard apply to every member (editors)", auth: "session", body: updateGroupSchema, response: groupViewSchema },
  { method: "delete", path: `${S}/groups/{group}`, summary: "Archive a grouped SLO with its members; data kept (editors)", auth: "session", returnsBody: true, response: groupViewSchema },
  { method: "post", path: `${S}/groups/{group}/restore`, summary: "Restore an archived grouped SLO with the members archived with it (editors)", auth: "session", response: groupViewSchema },
  { method: "get", path: `${S}/slos/{slo}/alert-rules`, summary: "Prometheus alerting rules for the SLO's burn-rate alerts", auth: "session-or-read", produces: "application/yaml", response: textSchema },
  { method: "get", path: `${S}/exclusions`, summary: "Budget exclusions", auth: "session-or-read", response: z.array(exclusionViewSchema) },
  { method: "post", path: `${S}/exclusions`, summary: "Exclude an interval from the SLI, with a reason (editors)", auth: "session", body: createExclusionSchema, created: true, response: exclusionViewSchema },
  { method: "delete", path: `${S}/exclusions/{exclusion}`, summary: "Delete an exclusion (editors); an occurrence of a schedule is changed through its schedule (409)", auth: "session" },
  // Recurring exclusions (docs/exclusions.md).
  { method: "get", path: "/api/v1/teams/{team}/exclusion-schedules", summary: "Recurring exclusions (RRULE in a time zone) with their next occurrences and the SLIs they cover; with service, those covering it", auth: "session-or-read", query: { service: "service slug or id" }, response: z.array(exclusionScheduleViewSchema) },
  {
    method: "post",
    path: "/api/v1/teams/{team}/exclusion-schedules",
    summary: "Create a recurring exclusion for a service (or one SLI) or a label selector; its occurrences from DTSTART up to 90 days ahead become exclusions, audited (editors)",
    auth: "session",
    body: createExclusionScheduleSchema,
    created: true,
    response: exclusionScheduleViewSchema,
  },
  { method: "post", path: "/api/v1/teams/{team}/exclusion-schedules/preview", summary: "What saving a draft schedule would do: its description, past and next occurrences in its zone, the SLIs it covers; changes nothing", auth: "session-or-read", body: previewExclusionScheduleSchema, response: exclusionSchedulePreviewSchema },
  {
    method: "patch",
    path: "/api/v1/teams/{team}/exclusion-schedules/{schedule}",
    summary: "Replace a schedule's definition from now on: occurrences that started stay as recorded, later ones follow the new rule; audited (editors)",
    auth: "session",
    body: updateExclusionScheduleSchema,
    response: exclusionScheduleViewSchema,
  },
  { method: "delete", path: "/api/v1/teams/{team}/exclusion-schedules/{schedule}", summary: "Delete a schedule and its occurrences that have not started; past ones stay as one-off exclusions; audited (editors)", auth: "session" },
  {
    method: "post",
    path: "/api/v1/ingest",
    summary: `Push up to ${MAX_INGEST_ITEMS} minute buckets; the last value sent for a bucket wins. 200 with rejected items by index, 422 when none is valid`,
    auth: "ingest",
    body: z.object({ items: z.array(ingestItemSchema).min(1).max(MAX_INGEST_ITEMS) }),
    response: ingestResultSchema,
    otherResponses: { "422": { description: "Invalid fields; when every item was rejected, also the report of rejected items", schema: ingestRefusedSchema } },
  },
  {
    method: "post",
    path: "/api/v1/gate",
    summary:
      "Ask before a deploy: allow, warn or deny with reasons, the numbers, the policy version and any override. 200 always; with ?mode=strict a deny is 423 Locked with the same body (for curl --fail)",
    auth: "gate",
    body: gateRequestSchema,
    query: { mode: "json (default) or strict" },
    response: gateDecisionViewSchema,
    otherResponses: { "423": { description: "With ?mode=strict: the deploy is denied (the same body as a 200)", schema: gateDecisionViewSchema } },
  },
  { method: "get", path: "/api/v1/teams/{team}/decisions", summary: "The gate's decision log, newest first; filter by service, environment, decision, changeType, from, to; page with before", auth: "session-or-read", query: { service: "service slug", environment: "environment", decision: "allow, warn or deny", changeType: "change type", from: "ISO 8601 instant", to: "ISO 8601 instant", before: "decision id: the page after it", limit: "1-200, default 50" }, response: decisionPageSchema },
  { method: "get", path: "/api/v1/teams/{team}/decisions/{decision}", summary: "One gate decision with what it rested on", auth: "session-or-read", response: gateDecisionViewSchema },
  { method: "get", path: "/api/v1/teams/{team}/policy", summary: "The team's error-budget policy and its version", auth: "session-or-read", response: policyViewSchema },
  { method: "put", path: "/api/v1/teams/{team}/policy", summary: "Replace the team's policy: a new version, audited (team admins)", auth: "session", body: putPolicySchema, response: policyViewSchema },
  { method: "get", path: "/api/v1/teams/{team}/policy/history", summary: "Every version of the team's (and its services') policies, newest first", auth: "session-or-read", query: { service: "only this service's versions and the team's" }, response: z.array(policyVersionViewSchema) },
  { method: "get", path: `${S}/policy`, summary: "The policy a service is judged by (its own, or the team's)", auth: "session-or-read", response: policyViewSchema },
  { method: "put", path: `${S}/policy`, summary: "Give a service its own policy: a new version, audited (team admins)", auth: "session", body: putPolicySchema, response: policyViewSchema },
  { method: "delete", path: `${S}/policy`, summary: "Send a service back to the team's policy: a new version, audited (team admins)", auth: "session", returnsBody: true, response: policyViewSchema },
  { method: "get", path: "/api/v1/teams/{team}/overrides", summary: "Overrides: active first, then the last 50 ended", auth: "session-or-read", query: { service: "service slug", activeOnly: "true for active ones only" }, response: z.array(overrideViewSchema) },
  { method: "post", path: "/api/v1/teams/{team}/overrides", summary: "Grant an override: service, environment, reason, who approved, expiry within the policy's maximum (team admins)", auth: "session", body: createOverrideSchema, created: true, response: overrideViewSchema },
  { method: "delete", path: "/api/v1/teams/{team}/overrides/{override}", summary: "End an override before its expiry (team admins)", auth: "session", returnsBody: true, response: overrideViewSchema },
  { method: "get", path: "/api/v1/teams/{team}/freezes", summary: "Manual freezes: current and coming, then the last 50 ended", auth: "session-or-read", response: z.array(freezeViewSchema) },
  { method: "post", path: "/api/v1/teams/{team}/freezes", summary: "Declare a manual freeze for the team or one service (team admins)", auth: "session", body: createFreezeSchema, created: true, response: freezeViewSchema },
  { method: "delete", path: "/api/v1/teams/{team}/freezes/{freeze}", summary: "Cancel a freeze (team admins)", auth: "session", returnsBody: true, response: freezeViewSchema },
  { method: "get", path: "/api/v1/teams/{team}/silences", summary: "Silences of burn-rate alert messages: in force and coming (soonest end first), then the last 50 ended (docs/silences.md)", auth: "session-or-read", response: z.array(silenceViewSchema) },
  { method: "post", path: "/api/v1/teams/{team}/silences", summary: "Silence the alert messages of an SLO, a service or a label, from now or later, for at most 14 days; changes are still recorded (editors)", auth: "session", body: createSilenceSchema, created: true, response: silenceViewSchema },
  { method: "post", path: "/api/v1/teams/{team}/silences/{silence}/end", summary: "End a silence now; one not begun never begins (editors)", auth: "session", response: silenceViewSchema },
  { method: "get", path: "/api/v1/teams/{team}/github", summary: "The team's GitHub App for deployment protection rules, and its webhook URL (team admins)", auth: "session", response: githubIntegrationViewSchema },
  { method: "put", path: "/api/v1/teams/{team}/github", summary: "Connect a GitHub App: id, private key, webhook secret (write-only) (team admins)", auth: "session", body: putGithubSchema, response: githubIntegrationViewSchema },
  { method: "delete", path: "/api/v1/teams/{team}/github", summary: "Disconnect the GitHub App (team admins)", auth: "session" },
  { method: "get", path: "/api/v1/teams/{team}/incidents", summary: "Incidents, newest first, with the budget each affected SLO lost", auth: "session-or-read", response: z.array(incidentViewSchema) },
  { method: "post", path: "/api/v1/teams/{team}/incidents", summary: "Record an incident: severity, times, affected SLOs (service/slo), roles (editors)", auth: "session", body: createIncidentSchema, created: true, response: incidentViewSchema },
  { method: "get", path: "/api/v1/teams/{team}/incidents/{incident}", summary: "An incident with its budget impact, whether a postmortem is required, and its timeline", auth: "session-or-read", response: incidentViewSchema },
  { method: "patch", path: "/api/v1/teams/{team}/incidents/{incident}", summary: "Update an incident (editors)", auth: "session", body: updateIncidentSchema, response: incidentViewSchema },
  { method: "post", path: "/api/v1/teams/{team}/incidents/{incident}/timeline", summary: "Add a timeline entry (editors)", auth: "session", body: timelineEntrySchema, created: true, response: timelineEntryViewSchema },
  { method: "delete", path: "/api/v1/teams/{team}/incidents/{incident}/timeline/{entry}", summary: "Remove a timeline entry (editors)", auth: "session" },
  { method: "get", path: "/api/v1/teams/{team}/postmortems", summary: "The team's postmortems, drafts included", auth: "session-or-read", response: z.array(postmortemListItemSchema) },
  { method: "post", path: "/api/v1/teams/{team}/postmortems", summary: "Start a postmortem from a template, pre-filled from an incident (editors)", auth: "session", body: createPostmortemSchema, created: true, response: postmortemViewSchema },
  { method: "get", path: "/api/v1/teams/{team}/postmortem-templates", summary: "Postmortem templates: the default blameless one and the team's", auth: "session-or-read", response: z.array(templateViewSchema) },
  { method: "put", path: "/api/v1/teams/{team}/postmortem-templates", summary: "Create or replace a team template by name (team admins)", auth: "session", body: templateSchema, response: templateViewSchema },
  { method: "delete", path: "/api/v1/teams/{team}/postmortem-templates/{template}", summary: "Delete a team template (team admins)", auth: "session" },
  { method: "get", path: "/api/v1/postmortems/search", summary: "Full-text search: published postmortems of every team, drafts of yours", auth: "session", query: { q: "words, \"a phrase\", -excluded" }, response: z.array(postmortemListItemSchema) },
  { method: "get", path: "/api/v1/postmortems/{postmortem}", summary: "A postmortem (drafts: its team; published: everyone signed in)", auth: "session-or-read", response: postmortemViewSchema },
  { method: "patch", path: "/api/v1/postmortems/{postmortem}", summary: "Save an edit made from `revision`; 409 if someone saved since (nothing is overwritten) (editors)", auth: "session", body: savePostmortemSchema, response: postmortemViewSchema },
  { method: "post", path: "/api/v1/postmortems/{postmortem}/transitions", summary: "Submit for review, approve (publish) or request changes; audited (editors)", auth: "session", body: transitionSchema, response: postmortemViewSchema },
  { method: "get", path: "/api/v1/postmortems/{postmortem}/export", summary: "The postmortem as Markdown", auth: "session-or-read", produces: "text/markdown", response: textSchema },
  { method: "post", path: "/api/v1/postmortems/{postmortem}/action-items", summary: "Add an action item (editors; not once published)", auth: "session", body: createActionItemSchema, created: true, response: actionItemViewSchema },
  { method: "patch", path: "/api/v1/action-items/{item}", summary: "Update an action item: status (won't do needs a reason), owner, due date, ticket (editors)", auth: "session", body: updateActionItemSchema, response: actionItemViewSchema },
  { method: "get", path: "/api/v1/teams/{team}/action-items", summary: "The team's action items with open, overdue, completion rate and P0 age, per team and per owner, each with the budget its incident spent (sort=budget: most first)", auth: "session-or-read", query: { sort: "due (default: by due date) or budget (the items of the costliest incidents first)" }, response: teamActionItemsSchema },
  { method: "get", path: "/api/v1/action-items/{item}", summary: "One action item with its incident's budget impact per SLO", auth: "session-or-read", response: actionItemDetailSchema },
  { method: "get", path: "/api/v1/me/action-items", summary: "The caller's own action items across teams", auth: "session", response: myActionItemsSchema },
  // Ticket sync with Jira and Linear (docs/ticket-sync.md).
  { method: "get", path: "/api/v1/teams/{team}/ticket-integrations", summary: "The team's Jira and Linear integrations with their webhook URLs; tokens and secrets are never shown (team admins)", auth: "session", response: z.array(ticketIntegrationViewSchema) },
  { method: "post", path: "/api/v1/teams/{team}/ticket-integrations", summary: "Connect Jira (site, email, API token, project key) or Linear (API key, team id); a webhook secret we make is shown once (team admins)", auth: "session", body: createTicketIntegrationSchema, created: true, response: ticketIntegrationViewSchema },
  { method: "patch", path: "/api/v1/teams/{team}/ticket-integrations/{integration}", summary: "Change a tracker's settings, its token or its webhook secret (newWebhookSecret: true makes one, shown once) (team admins)", auth: "session", body: updateTicketIntegrationSchema, response: ticketIntegrationViewSchema },
  { method: "delete", path: "/api/v1/teams/{team}/ticket-integrations/{integration}", summary: "Remove a tracker; its items are unlinked, the issues stay (team admins)", auth: "session" },
  { method: "post", path: "/api/v1/teams/{team}/ticket-integrations/{integration}/test", summary: "Test a tracker's settings: reads the Jira project or the Linear team with them; ok, or the problem and whether trying later may help (team admins)", auth: "session", response: ticketConnectionCheckSchema },
  { method: "get", path: "/api/v1/action-items/{item}/ticket", summary: "The action item's Jira or Linear issue and its sync state, and the trackers its team has connected", auth: "session-or-read", response: ticketStateSchema },
  { method: "post", path: "/api/v1/action-items/{item}/ticket", summary: "Create an issue from the action item in the team's Jira or Linear and link it; its status follows the item's, and back (editors)", auth: "session", body: createTicketSchema, created: true, response: ticketStateSchema },
  { method: "delete", path: "/api/v1/action-items/{item}/ticket", summary: "Unlink the action item's issue; the issue stays in the tracker (editors)", auth: "session" },
  { method: "post", path: "/api/v1/webhooks/jira/{integration}", summary: "Jira's jira:issue_updated webhook, verified by X-Hub-Signature (sha256=HMAC of the body with the integration's secret): moves the linked action item", auth: "none", response: ticketWebhookAnswerSchema },
  { method: "post", path: "/api/v1/webhooks/linear/{integration}", summary: "Linear's Issue webhook, verified by Linear-Signature (HMAC of the body) and a webhookTimestamp within 60 s: moves the linked action item", auth: "none", response: ticketWebhookAnswerSchema },
  { method: "get", path: "/api/v1/teams/{team}/reviews", summary: "The error-budget review of a period (last month by default; calendar periods in the team's time zone): SLO compliance and budget, incidents, deploy decisions, overrides, freezes, policy changes, action items, MTTD/MTTR, each beside the previous period, and the review's minutes", auth: "session-or-read", query: reviewQueryDocs, response: reviewViewSchema },
  { method: "put", path: "/api/v1/teams/{team}/reviews", summary: "Save a review's minutes: status (draft or held), notes (Markdown) and decisions; names the revision it started from (editors)", auth: "session", body: saveReviewSchema, response: reviewRecordSchema },
  { method: "put", path: "/api/v1/teams/{team}/review-settings", summary: "Set the time zone the team's review periods are cut in (team admins)", auth: "session", body: reviewSettingsSchema, response: reviewSettingsViewSchema },
  { method: "get", path: "/api/v1/teams/{team}/reviews/markdown", summary: "The error-budget review as Markdown", auth: "session-or-read", query: reviewQueryDocs, produces: "text/markdown", response: textSchema },
  { method: "get", path: "/api/v1/teams/{team}/reviews/pdf", summary: "The error-budget review as a PDF", auth: "session-or-read", query: reviewQueryDocs, produces: "application/pdf", response: textSchema },
  { method: "get", path: "/api/v1/teams/{team}/reviews/csv", summary: "One table of the error-budget review as CSV", auth: "session-or-read", query: { ...reviewQueryDocs, table: "slos, incidents, decisions or action-items" }, produces: "text/csv", response: textSchema },
  {
    method: "post",
    path: "/api/v1/github/webhook/{team}",
    summary: "GitHub's deployment_protection_rule webhook, verified by X-Hub-Signature-256; answered on the deployment's callback URL. 202 with the decision",
    auth: "github-signature",
    response: githubWebhookAnswerSchema,
    otherResponses: { "200": { description: "A ping, answered with pong", schema: githubWebhookAnswerSchema } },
  },
  // Canary analyses and the rollout controllers' surfaces (docs/deploy-verification.md).
  { method: "get", path: "/api/v1/teams/{team}/analyses", summary: "Canary analyses, newest first; filter by service and status", auth: "session-or-gate-or-read", query: { service: "service slug", status: "running, passed, failed, inconclusive or cancelled", limit: "1-200, default 50" }, response: analysisListSchema },
  {
    method: "post",
    path: "/api/v1/teams/{team}/analyses",
    summary: "Start a canary analysis: canary and baseline cohorts of a service's SLIs compared every interval, judged by Kayenta's method and in budget terms (editors)",
    auth: "session-or-gate",
    body: createAnalysisSchema,
    created: true,
    response: analysisViewSchema,
  },
  { method: "get", path: "/api/v1/teams/{team}/analyses/{analysis}", summary: "A canary analysis: config, status, verdict and reasons, each interval's per-metric results, scores over time, budget terms", auth: "session-or-gate-or-read", response: analysisViewSchema },
  { method: "post", path: "/api/v1/teams/{team}/analyses/{analysis}/cancel", summary: "Cancel a running analysis; audited (editors)", auth: "session-or-gate", response: analysisViewSchema },
  { method: "get", path: "/api/v1/analyses/{analysis}", summary: "A canary analysis by id for a gate token of its team (Argo Rollouts' web metric: result.verdict, result.score)", auth: "gate", response: analysisViewSchema },
  {
    method: "post",
    path: "/api/v1/flagger/{team}/confirm-promotion",
    summary: "Flagger's confirm-promotion webhook: 200 when the analysis (metadata.analysis, or the latest of metadata.service or the canary's name) passed, 409 with its reasons otherwise",
    auth: "session-or-gate-or-read",
    body: flaggerPayloadSchema,
    response: flaggerAnswerSchema,
    otherResponses: {
      "409": { description: "Not passed (running, failed, inconclusive, or no analysis): Flagger holds the promotion", schema: flaggerRefusalSchema },
      "404": { description: "The analysis metadata.analysis names is not the team's", schema: flaggerRefusalSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/flagger/{team}/rollback",
    summary: "Flagger's rollback webhook: 200 (roll back) when the analysis failed, 409 otherwise, 404 when there is no analysis",
    auth: "session-or-gate-or-read",
    body: flaggerPayloadSchema,
    response: flaggerAnswerSchema,
    otherResponses: {
      "409": { description: "Not failed: Flagger goes on", schema: flaggerRefusalSchema },
      "404": { description: "No analysis for the service (or the one metadata.analysis names is not the team's): Flagger goes on", schema: flaggerRefusalSchema },
    },
  },
  // Regression against earlier releases (docs/regression.md).
  {
    method: "post",
    path: "/api/v1/teams/{team}/deploys/{deploy}/regression",
    summary:
      "Judge a release's first N minutes (firstMinutes, default 30) against the last good releases of its service and environment with Keptn quality-gate criteria (criteria as JSON or sloYaml text, default: each SLI at most +10% over the earlier average and within its SLO); 'not_yet' while the minutes run, 'no_data' without events. Nothing is stored",
    auth: "session-or-gate-or-read",
    body: regressionRequestSchema,
    response: regressionViewSchema,
  },
  // Deploy records and the budget each deploy spent (docs/deploys.md).
  {
    method: "post",
    path: "/api/v1/deploys",
    summary: "Record a deploy that went out, linked to the gate decision that allowed it; a retried report answers 200 with the first record (editors, or a gate token)",
    auth: "session-or-gate",
    body: recordDeploySchema,
    created: true,
    response: deployViewSchema,
    otherResponses: { "200": { description: "A retried report: the record already made for it", schema: deployViewSchema } },
  },
  { method: "get", path: "/api/v1/teams/{team}/deploys", summary: "The team's deploys, newest first, each with the budget every SLO of its service spent until the next deploy", auth: "session-or-read", query: { service: "service slug", environment: "environment", before: "deploy id: the page after it", limit: "1-100, default 20" }, response: deployPageSchema },
  { method: "get", path: `${S}/deploys`, summary: "A service's deploys, newest first, each with the budget every SLO spent until the next deploy", auth: "session-or-read", query: { environment: "environment", before: "deploy id: the page after it", limit: "1-100, default 20" }, response: deployPageSchema },
];

/**
 * Operations a token with the `definitions` scope may call besides people (SLO as code from a
 * pipeline): those that change a team's definitions. Plan takes `read` or `definitions`.
 */
export const definitionsScopeOps: ReadonlySet<string> = new Set([
  "post /api/v1/teams/{team}/definitions/plan",
  "post /api/v1/teams/{team}/definitions/apply",
  "post /api/v1/teams/{team}/openslo",
  "post /api/v1/teams/{team}/services",
  ...["patch", "delete"].map((m) => `${m} ${S}`),
  ...["archive", "restore"].map((a) => `post ${S}/${a}`),
  `post ${S}/slis`,
  ...["patch", "delete"].map((m) => `${m} ${S}/slis/{sli}`),
  ...["archive", "restore", "reread"].map((a) => `post ${S}/slis/{sli}/${a}`),
  `post ${S}/slos`,
  `put ${S}/slos/{slo}/alert-settings`,
  `post ${S}/composites`,
  `put ${S}/slos/{slo}/composite`,
  ...["patch", "delete"].map((m) => `${m} ${S}/slos/{slo}`),
  ...["archive", "restore"].map((a) => `post ${S}/slos/{slo}/${a}`),
  `post ${S}/exclusions`,
  `delete ${S}/exclusions/{exclusion}`,
  `post ${S}/groups`,
  ...["patch", "delete"].map((m) => `${m} ${S}/groups/{group}`),
  `post ${S}/groups/{group}/restore`,
  "post /api/v1/teams/{team}/exclusion-schedules",
  "post /api/v1/teams/{team}/exclusion-schedules/preview",
  ...["patch", "delete"].map((m) => `${m} /api/v1/teams/{team}/exclusion-schedules/{schedule}`),
  "put /api/v1/teams/{team}/policy",
  ...["put", "delete"].map((m) => `${m} ${S}/policy`),
  ...["get", "post"].map((m) => `${m} /api/v1/teams/{team}/notification-channels`),
  "delete /api/v1/teams/{team}/notification-channels/{channel}",
  ...["get", "post"].map((m) => `${m} /api/v1/teams/{team}/data-sources`),
  ...["patch", "delete"].map((m) => `${m} /api/v1/teams/{team}/data-sources/{dataSource}`),
]);

/** The one error shape, under components.schemas.Error. */
const errorRef = { $ref: "#/components/schemas/Error" };

function jsonSchema(schema: ZodType, io: "input" | "output" = "input") {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

/** The success status of an operation: 201 for creations, 204 for deletes without a body, 202 for GitHub's webhook, else 200. */
export function successStatus(op: Op): "200" | "201" | "202" | "204" {
  return op.created ? "201" : op.method === "delete" && !op.returnsBody ? "204" : op.auth === "github-signature" ? "202" : "200";
}

/** Every error status any operation may answer with, each in the one error shape. */
const errorStatuses: Record<string, string> = {
  "400": "Malformed request: bad JSON, a bad path or query parameter (named in error.fields)",
  "401": "No valid session or token",
  "403": "Authenticated, but the role or token scope does not allow it, or a state change without a same-origin Origin header",
  "404": "Not found, or belongs to a team the caller is not in",
  "405": "The path exists, but not with this method",
  "409": "Changed since the version the edit started from, or conflicts with what exists",
  "413": "Body too large",
  "415": "Body is not JSON (or not the media type the operation takes)",
  "422": "Invalid fields, each named in error.fields with the problem in words",
  "429": "Too many requests (Retry-After says when to come back)",
  "500": "Internal error: error.message quotes a request id to report",
  "503": "The database is unavailable (Retry-After says when to come back)",
  "507": "The database's disk is full: the change was not stored",
};

function content(type: string, schema: ZodType) {
  return { [type]: { schema: jsonSchema(schema, "output") } };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const query = Object.entries(op.query ?? {}).map(([name, description]) => ({ name, in: "query", required: false, description, schema: { type: "string", ...(/instant/i.test(description) ? { format: "date-time" } : {}) } }));
    const security: Record<string, string[]>[] = {
      none: [],
      "github-signature": [],
      session: [{ session: [] }],
      ingest: [{ token: ["ingest"] }],
      gate: [{ token: ["gate"] }],
      read: [{ token: ["read"] }],
      "session-or-read": [{ session: [] }, { token: ["read"] }],
      "session-or-gate": [{ session: [] }, { token: ["gate"] }],
      "session-or-gate-or-read": [{ session: [] }, { token: ["gate"] }, { token: ["read"] }],
    }[op.auth];
    if (definitionsScopeOps.has(`${op.method} ${op.path}`)) security.push({ token: ["definitions"] });
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      security,
      parameters: [...params, ...query],
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } } } : {}),
      responses: {
        ...Object.fromEntries(Object.entries(errorStatuses).map(([status, description]) => [status, { description, content: { "application/json": { schema: errorRef } } }])),
        [successStatus(op)]: op.response ? { description: "Success", content: content(op.produces ?? "application/json", op.response) } : { description: "Success, no content" },
        ...Object.fromEntries(Object.entries(op.otherResponses ?? {}).map(([status, r]) => [status, { description: r.description, content: content("application/json", r.schema) }])),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Burnrate API", version: "1", description: "Error budgets, burn rates and SLO status. Machines authenticate with 'Authorization: Bearer <token>'; browsers with the session cookie (state changes need a same-origin Origin header)." },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        token: { type: "http", scheme: "bearer", description: "A team API token with scopes ingest, gate, read and/or definitions (docs/api.md)" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: { Error: jsonSchema(errorBodySchema, "output") },
    },
    paths,
  };
}
