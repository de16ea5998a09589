// The OpenAPI 3.1 document of /api/v1, built from the same zod schemas the routes parse with,
// so the description cannot drift from what is enforced (openapi.test.ts checks every route is here).
import { z, type ZodType } from "zod";
import { changePasswordSchema, createUserSchema, setupSchema, updateUserSchema } from "../schemas/auth";
import { archiveSchema, deleteArchivedSchema } from "../schemas/archive";
import { createExclusionSchema, createServiceSchema, prometheusSourceSchema, createSliSchema, createSloSchema, updateServiceSchema, updateSloSchema } from "../schemas/catalog";
import { ingestItemSchema, MAX_INGEST_ITEMS } from "../schemas/ingest";
import { addMemberSchema, createTeamSchema, updateMemberSchema } from "../schemas/teams";
import { createTokenSchema } from "../schemas/tokens";
import { createChannelSchema } from "../schemas/notifications";
import { createFreezeSchema, createOverrideSchema, gateRequestSchema, putGithubSchema } from "../schemas/gate";
import { putPolicySchema } from "../schemas/policy";
import { definitionFilesSchema } from "../schemas/definitions";
import { createDataSourceSchema, updateDataSourceSchema } from "../schemas/data-sources";
import { createActionItemSchema, createIncidentSchema, createPostmortemSchema, savePostmortemSchema, templateSchema, timelineEntrySchema, transitionSchema, updateActionItemSchema, updateIncidentSchema } from "../schemas/incidents";

type Auth = "none" | "session" | "read" | "ingest" | "gate" | "github-signature" | "session-or-read";
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
  produces?: string;
};

const at = { at: "ISO 8601 instant to evaluate at (default: now)" };
const S = "/api/v1/teams/{team}/services/{service}";

// Every operation, as data. `auth`: who may call it (tokens by scope; sessions by team role).
export const operations: Op[] = [
  { method: "get", path: "/api/health", summary: "Liveness: the process answers", auth: "none" },
  { method: "get", path: "/api/ready", summary: "Readiness: database reachable and migrations applied (503 otherwise)", auth: "none" },
  { method: "post", path: "/api/setup", summary: "Create the first administrator (only while no user exists)", auth: "none", body: setupSchema, created: true },
  { method: "get", path: "/metrics", summary: "SLO metrics in Prometheus exposition format", auth: "session-or-read", produces: "text/plain" },
  { method: "get", path: "/api/v1/me", summary: "Who is calling: the person, or the token with its team and scopes", auth: "session-or-read" },
  { method: "get", path: "/api/v1/overview", summary: "Every SLO of the caller's teams with its status", auth: "session" },
  { method: "get", path: "/api/v1/users", summary: "List people (site admins)", auth: "session" },
  { method: "post", path: "/api/v1/users", summary: "Add a person who signs in with a password (site admins)", auth: "session", body: createUserSchema, created: true },
  { method: "patch", path: "/api/v1/users/{user}", summary: "Disable or enable an account; disabling ends its sessions (site admins)", auth: "session", body: updateUserSchema },
  { method: "delete", path: "/api/v1/users/{user}", summary: "Remove an account and its sessions (site admins)", auth: "session" },
  { method: "get", path: "/api/v1/users/{user}/sessions", summary: "A person's open sessions (site admins)", auth: "session" },
  { method: "delete", path: "/api/v1/users/{user}/sessions", summary: "End every session of a person (site admins)", auth: "session", returnsBody: true },
  { method: "delete", path: "/api/v1/users/{user}/sessions/{session}", summary: "End one session of a person (site admins)", auth: "session" },
  { method: "get", path: "/api/v1/me/sessions", summary: "The caller's open browser sessions, the current one marked", auth: "session" },
  { method: "delete", path: "/api/v1/me/sessions", summary: "Sign out everywhere else: end every session of the caller but this one", auth: "session", returnsBody: true },
  { method: "delete", path: "/api/v1/me/sessions/{session}", summary: "End one of the caller's sessions", auth: "session" },
  { method: "put", path: "/api/v1/me/password", summary: "Change the caller's password (the current one is required); ends every other session", auth: "session", body: changePasswordSchema },
  { method: "get", path: "/api/v1/teams", summary: "The caller's teams", auth: "session" },
  { method: "post", path: "/api/v1/teams", summary: "Create a team (site admins)", auth: "session", body: createTeamSchema, created: true },
  { method: "get", path: "/api/v1/teams/{team}", summary: "A team", auth: "session-or-read" },
  { method: "get", path: "/api/v1/teams/{team}/members", summary: "Members and their roles", auth: "session-or-read" },
  { method: "post", path: "/api/v1/teams/{team}/members", summary: "Add a member (team admins)", auth: "session", body: addMemberSchema, created: true },
  { method: "patch", path: "/api/v1/teams/{team}/members/{userId}", summary: "Change a member's role (team admins)", auth: "session", body: updateMemberSchema },
  { method: "delete", path: "/api/v1/teams/{team}/members/{userId}", summary: "Remove a member (team admins)", auth: "session" },
  { method: "get", path: "/api/v1/teams/{team}/tokens", summary: "API tokens (team admins)", auth: "session" },
  { method: "post", path: "/api/v1/teams/{team}/tokens", summary: "Create an API token; the secret is in this response only (team admins)", auth: "session", body: createTokenSchema, created: true },
  { method: "delete", path: "/api/v1/teams/{team}/tokens/{tokenId}", summary: "Revoke an API token (team admins)", auth: "session" },
  { method: "get", path: "/api/v1/teams/{team}/notification-channels", summary: "Where alert-state changes are sent (team admins)", auth: "session" },
  { method: "post", path: "/api/v1/teams/{team}/notification-channels", summary: "Add a Slack webhook or PagerDuty (Events API v2) channel (team admins)", auth: "session", body: createChannelSchema, created: true },
  { method: "delete", path: "/api/v1/teams/{team}/notification-channels/{channel}", summary: "Remove a channel (team admins)", auth: "session" },
  { method: "get", path: "/api/v1/teams/{team}/status", summary: "Status of every SLO of the team", auth: "session-or-read", query: at },
  { method: "get", path: "/api/v1/teams/{team}/openslo", summary: "Export the team's services, SLIs and SLOs as OpenSLO v1 YAML", auth: "session-or-read", produces: "application/yaml" },
  { method: "post", path: "/api/v1/teams/{team}/openslo", summary: "Import OpenSLO v1 YAML (body application/yaml): all or nothing, created or updated by name (editors)", auth: "session" },
  { method: "post", path: "/api/v1/teams/{team}/definitions/plan", summary: "SLO as code: what applying these OpenSLO and Sloth files would create, change (field by field) and, with prune, delete; changes nothing", auth: "session-or-read", body: definitionFilesSchema },
  { method: "post", path: "/api/v1/teams/{team}/definitions/apply", summary: "SLO as code: make the plan's changes in one transaction, each audited with the caller and `source`; prune archives only what an earlier apply created (editors)", auth: "session", body: definitionFilesSchema },
  { method: "get", path: "/api/v1/teams/{team}/data-sources", summary: "Data sources: named Prometheus-compatible servers SLIs take their URL from (the Authorization header is never shown)", auth: "session-or-read" },
  { method: "post", path: "/api/v1/teams/{team}/data-sources", summary: "Add a data source; authHeader is write-only (editors)", auth: "session", body: createDataSourceSchema, created: true },
  { method: "patch", path: "/api/v1/teams/{team}/data-sources/{dataSource}", summary: "Change a data source; absent fields stay, authHeader null removes it (editors)", auth: "session", body: updateDataSourceSchema },
  { method: "delete", path: "/api/v1/teams/{team}/data-sources/{dataSource}", summary: "Remove a data source no SLI uses (editors)", auth: "session" },
  {
    method: "post",
    path: "/api/v1/teams/{team}/prometheus-test",
    summary: "Run a Prometheus source's queries over the last hour and report what came back, before saving it (editors)",
    auth: "session",
    body: prometheusSourceSchema,
  },
  { method: "get", path: "/api/v1/teams/{team}/services", summary: "Services", auth: "session-or-read" },
  { method: "post", path: "/api/v1/teams/{team}/services", summary: "Create a service (editors)", auth: "session", body: createServiceSchema, created: true },
  { method: "get", path: S, summary: "A service", auth: "session-or-read" },
  { method: "patch", path: S, summary: "Update a service (editors)", auth: "session", body: updateServiceSchema },
  {
    method: "delete",
    path: S,
    summary: "Delete an archived service for good, with its SLIs, SLOs, minute data, alert history, own policy, overrides and freezes; gate decisions and audit records keep their text. `confirm` is its slug or name (team admins)",
    auth: "session",
    body: deleteArchivedSchema,
  },
  { method: "post", path: `${S}/archive`, summary: "Archive a service with its live SLIs and SLOs: gone from lists, alerts and /metrics, unknown to the gate; data kept (editors)", auth: "session", body: archiveSchema },
  { method: "post", path: `${S}/restore`, summary: "Restore an archived service with the SLIs and SLOs archived with it (editors)", auth: "session", body: archiveSchema },
  { method: "get", path: "/api/v1/teams/{team}/archived", summary: "Archived services, SLIs and SLOs, with what deleting each would remove and keep", auth: "session-or-read" },
  { method: "get", path: `${S}/slis`, summary: "SLIs of a service", auth: "session-or-read" },
  { method: "post", path: `${S}/slis`, summary: "Create an SLI (editors)", auth: "session", body: createSliSchema, created: true },
  { method: "delete", path: `${S}/slis/{sli}`, summary: "Delete an archived SLI for good, with its minute data and the archived SLOs on it; `confirm` is its slug or name (team admins)", auth: "session", body: deleteArchivedSchema },
  { method: "post", path: `${S}/slis/{sli}/archive`, summary: "Archive an SLI: pushes refused, Prometheus sync stopped; refused while live SLOs measure it (editors)", auth: "session", body: archiveSchema },
  { method: "post", path: `${S}/slis/{sli}/restore`, summary: "Restore an archived SLI (its service must be live) (editors)", auth: "session", body: archiveSchema },
  { method: "get", path: `${S}/slos`, summary: "SLOs of a service", auth: "session-or-read" },
  { method: "post", path: `${S}/slos`, summary: "Create an SLO (editors)", auth: "session", body: createSloSchema, created: true },
  { method: "get", path: `${S}/slos/{slo}`, summary: "An SLO's definition", auth: "session-or-read" },
  { method: "patch", path: `${S}/slos/{slo}`, summary: "Update an SLO (editors)", auth: "session", body: updateSloSchema },
  { method: "delete", path: `${S}/slos/{slo}`, summary: "Delete an archived SLO for good, with its alert history (its SLI and data stay); `confirm` is its slug or name (team admins)", auth: "session", body: deleteArchivedSchema },
  { method: "post", path: `${S}/slos/{slo}/archive`, summary: "Archive an SLO: gone from lists, alerts and /metrics, no longer gates its service; data kept (editors)", auth: "session", body: archiveSchema },
  { method: "post", path: `${S}/slos/{slo}/restore`, summary: "Restore an archived SLO (its SLI and service must be live) (editors)", auth: "session", body: archiveSchema },
  {
    method: "get",
    path: `${S}/slos/{slo}/series`,
    summary: "SLI, good and bad events per step over a range (default: the window so far; at most 400 points), the burn rate of each alert rule's long window at each step with its threshold, and the exclusions, incidents and firing periods in it",
    auth: "session-or-read",
    query: { from: "ISO 8601 start (with to)", to: "ISO 8601 end (with from)" },
  },
  { method: "get", path: `${S}/slos/{slo}/status`, summary: "SLO status: SLI, remaining budget, burn rates, alert state, time to exhaustion, burndown", auth: "session-or-read", query: at },
  {
    method: "get",
    path: `${S}/slos/{slo}/budget-spent`,
    summary: "Share of the error budget an interval spent (from, to): bad events in it / allowed bad events of its window",
    auth: "session-or-read",
    query: { from: "ISO 8601 start (inclusive)", to: "ISO 8601 end (exclusive)" },
  },
  { method: "get", path: `${S}/slos/{slo}/alert-rules`, summary: "Prometheus alerting rules for the SLO's burn-rate alerts", auth: "session-or-read", produces: "application/yaml" },
  { method: "get", path: `${S}/exclusions`, summary: "Budget exclusions", auth: "session-or-read" },
  { method: "post", path: `${S}/exclusions`, summary: "Exclude an interval from the SLI, with a reason (editors)", auth: "session", body: createExclusionSchema, created: true },
  { method: "delete", path: `${S}/exclusions/{exclusion}`, summary: "Delete an exclusion (editors)", auth: "session" },
  {
    method: "post",
    path: "/api/v1/ingest",
    summary: `Push up to ${MAX_INGEST_ITEMS} minute buckets; the last value sent for a bucket wins. 200 with rejected items by index, 422 when none is valid`,
    auth: "ingest",
    body: z.object({ items: z.array(ingestItemSchema).min(1).max(MAX_INGEST_ITEMS) }),
  },
  {
    method: "post",
    path: "/api/v1/gate",
    summary:
      "Ask before a deploy: allow, warn or deny with reasons, the numbers, the policy version and any override. 200 always; with ?mode=strict a deny is 423 Locked with the same body (for curl --fail)",
    auth: "gate",
    body: gateRequestSchema,
    query: { mode: "json (default) or strict" },
  },
  { method: "get", path: "/api/v1/teams/{team}/decisions", summary: "The gate's decision log, newest first; filter by service, environment, decision, changeType, from, to; page with before", auth: "session-or-read", query: { service: "service slug", environment: "environment", decision: "allow, warn or deny", changeType: "change type", from: "ISO 8601 instant", to: "ISO 8601 instant", before: "decision id: the page after it", limit: "1-200, default 50" } },
  { method: "get", path: "/api/v1/teams/{team}/decisions/{decision}", summary: "One gate decision with what it rested on", auth: "session-or-read" },
  { method: "get", path: "/api/v1/teams/{team}/policy", summary: "The team's error-budget policy and its version", auth: "session-or-read" },
  { method: "put", path: "/api/v1/teams/{team}/policy", summary: "Replace the team's policy: a new version, audited (team admins)", auth: "session", body: putPolicySchema },
  { method: "get", path: "/api/v1/teams/{team}/policy/history", summary: "Every version of the team's (and its services') policies, newest first", auth: "session-or-read", query: { service: "only this service's versions and the team's" } },
  { method: "get", path: `${S}/policy`, summary: "The policy a service is judged by (its own, or the team's)", auth: "session-or-read" },
  { method: "put", path: `${S}/policy`, summary: "Give a service its own policy: a new version, audited (team admins)", auth: "session", body: putPolicySchema },
  { method: "delete", path: `${S}/policy`, summary: "Send a service back to the team's policy: a new version, audited (team admins)", auth: "session", returnsBody: true },
  { method: "get", path: "/api/v1/teams/{team}/overrides", summary: "Overrides: active first, then the last 50 ended", auth: "session-or-read", query: { service: "service slug", activeOnly: "true for active ones only" } },
  { method: "post", path: "/api/v1/teams/{team}/overrides", summary: "Grant an override: service, environment, reason, who approved, expiry within the policy's maximum (team admins)", auth: "session", body: createOverrideSchema, created: true },
  { method: "delete", path: "/api/v1/teams/{team}/overrides/{override}", summary: "End an override before its expiry (team admins)", auth: "session", returnsBody: true },
  { method: "get", path: "/api/v1/teams/{team}/freezes", summary: "Manual freezes: current and coming, then the last 50 ended", auth: "session-or-read" },
  { method: "post", path: "/api/v1/teams/{team}/freezes", summary: "Declare a manual freeze for the team or one service (team admins)", auth: "session", body: createFreezeSchema, created: true },
  { method: "delete", path: "/api/v1/teams/{team}/freezes/{freeze}", summary: "Cancel a freeze (team admins)", auth: "session", returnsBody: true },
  { method: "get", path: "/api/v1/teams/{team}/github", summary: "The team's GitHub App for deployment protection rules, and its webhook URL (team admins)", auth: "session" },
  { method: "put", path: "/api/v1/teams/{team}/github", summary: "Connect a GitHub App: id, private key, webhook secret (write-only) (team admins)", auth: "session", body: putGithubSchema },
  { method: "delete", path: "/api/v1/teams/{team}/github", summary: "Disconnect the GitHub App (team admins)", auth: "session" },
  { method: "get", path: "/api/v1/teams/{team}/incidents", summary: "Incidents, newest first, with the budget each affected SLO lost", auth: "session-or-read" },
  { method: "post", path: "/api/v1/teams/{team}/incidents", summary: "Record an incident: severity, times, affected SLOs (service/slo), roles (editors)", auth: "session", body: createIncidentSchema, created: true },
  { method: "get", path: "/api/v1/teams/{team}/incidents/{incident}", summary: "An incident with its budget impact, whether a postmortem is required, and its timeline", auth: "session-or-read" },
  { method: "patch", path: "/api/v1/teams/{team}/incidents/{incident}", summary: "Update an incident (editors)", auth: "session", body: updateIncidentSchema },
  { method: "post", path: "/api/v1/teams/{team}/incidents/{incident}/timeline", summary: "Add a timeline entry (editors)", auth: "session", body: timelineEntrySchema, created: true },
  { method: "delete", path: "/api/v1/teams/{team}/incidents/{incident}/timeline/{entry}", summary: "Remove a timeline entry (editors)", auth: "session" },
  { method: "get", path: "/api/v1/teams/{team}/postmortems", summary: "The team's postmortems, drafts included", auth: "session-or-read" },
  { method: "post", path: "/api/v1/teams/{team}/postmortems", summary: "Start a postmortem from a template, pre-filled from an incident (editors)", auth: "session", body: createPostmortemSchema, created: true },
  { method: "get", path: "/api/v1/teams/{team}/postmortem-templates", summary: "Postmortem templates: the default blameless one and the team's", auth: "session-or-read" },
  { method: "put", path: "/api/v1/teams/{team}/postmortem-templates", summary: "Create or replace a team template by name (team admins)", auth: "session", body: templateSchema },
  { method: "delete", path: "/api/v1/teams/{team}/postmortem-templates/{template}", summary: "Delete a team template (team admins)", auth: "session" },
  { method: "get", path: "/api/v1/postmortems/search", summary: "Full-text search: published postmortems of every team, drafts of yours", auth: "session", query: { q: "words, \"a phrase\", -excluded" } },
  { method: "get", path: "/api/v1/postmortems/{postmortem}", summary: "A postmortem (drafts: its team; published: everyone signed in)", auth: "session-or-read" },
  { method: "patch", path: "/api/v1/postmortems/{postmortem}", summary: "Save an edit made from `revision`; 409 if someone saved since (nothing is overwritten) (editors)", auth: "session", body: savePostmortemSchema },
  { method: "post", path: "/api/v1/postmortems/{postmortem}/transitions", summary: "Submit for review, approve (publish) or request changes; audited (editors)", auth: "session", body: transitionSchema },
  { method: "get", path: "/api/v1/postmortems/{postmortem}/export", summary: "The postmortem as Markdown", auth: "session-or-read", produces: "text/markdown" },
  { method: "post", path: "/api/v1/postmortems/{postmortem}/action-items", summary: "Add an action item (editors; not once published)", auth: "session", body: createActionItemSchema, created: true },
  { method: "patch", path: "/api/v1/action-items/{item}", summary: "Update an action item: status (won't do needs a reason), owner, due date, ticket (editors)", auth: "session", body: updateActionItemSchema },
  { method: "get", path: "/api/v1/teams/{team}/action-items", summary: "The team's action items with open, overdue, completion rate and P0 age, per team and per owner", auth: "session-or-read" },
  { method: "get", path: "/api/v1/me/action-items", summary: "The caller's own action items across teams", auth: "session" },
  {
    method: "post",
    path: "/api/v1/github/webhook/{team}",
    summary: "GitHub's deployment_protection_rule webhook, verified by X-Hub-Signature-256; answered on the deployment's callback URL. 202 with the decision",
    auth: "github-signature",
  },
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
  `delete ${S}/slis/{sli}`,
  ...["archive", "restore"].map((a) => `post ${S}/slis/{sli}/${a}`),
  `post ${S}/slos`,
  ...["patch", "delete"].map((m) => `${m} ${S}/slos/{slo}`),
  ...["archive", "restore"].map((a) => `post ${S}/slos/{slo}/${a}`),
  `post ${S}/exclusions`,
  `delete ${S}/exclusions/{exclusion}`,
  "put /api/v1/teams/{team}/policy",
  ...["put", "delete"].map((m) => `${m} ${S}/policy`),
  ...["get", "post"].map((m) => `${m} /api/v1/teams/{team}/notification-channels`),
  "delete /api/v1/teams/{team}/notification-channels/{channel}",
  ...["get", "post"].map((m) => `${m} /api/v1/teams/{team}/data-sources`),
  ...["patch", "delete"].map((m) => `${m} /api/v1/teams/{team}/data-sources/{dataSource}`),
]);

const errorSchema = {
  type: "object",
  properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, fields: { type: "object", additionalProperties: { type: "string" } } }, required: ["code", "message"] } },
};

function jsonSchema(schema: ZodType) {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
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
    }[op.auth];
    if (definitionsScopeOps.has(`${op.method} ${op.path}`)) security.push({ token: ["definitions"] });
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      security,
      parameters: [...params, ...query],
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } } } : {}),
      responses: {
        [op.created ? "201" : op.method === "delete" && !op.returnsBody ? "204" : op.auth === "github-signature" ? "202" : "200"]: { description: "Success", content: { [op.produces ?? "application/json"]: {} } },
        "400": { description: "Malformed request (bad JSON, bad parameter)", content: { "application/json": { schema: errorSchema } } },
        "401": { description: "No valid session or token" },
        "403": { description: "Authenticated, but the role or token scope does not allow it" },
        "404": { description: "Not found, or belongs to a team the caller is not in" },
        "413": { description: "Body too large" },
        "415": { description: "Body is not JSON" },
        "422": { description: "Invalid fields, each named in error.fields", content: { "application/json": { schema: errorSchema } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Burnrate API", version: "1", description: "Error budgets, burn rates and SLO status. Machines authenticate with 'Authorization: Bearer <token>'; browsers with the session cookie (state changes need a same-origin Origin header)." },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        token: { type: "http", scheme: "bearer", description: "A team API token with scopes ingest, gate, read and/or definitions" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
    },
    paths,
  };
}
