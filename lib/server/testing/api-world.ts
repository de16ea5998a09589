// A small world for the tests that call every operation of the API (the authorisation matrix
// and the fuzzer): team alpha with a service, SLI, SLO, incident, postmortem and action item,
// a valid body for every write (key: "method /path" as in openapi.ts), and concrete paths.
import { generateKeyPairSync } from "node:crypto";
import { defaultPolicy } from "../../domain/policy";
import type { operations } from "../openapi";

/** A body that is not JSON: sent as it is, with its media type. */
export type Raw = { raw: string; type: string };
export const isRaw = (b: unknown): b is Raw => typeof b === "object" && b !== null && "raw" in b;

/** A request body each write accepts from a caller allowed to make it (schemas: lib/schemas). */
export const sampleBodies: Record<string, unknown> = {
  "post /api/v1/users": { name: "x", email: "x@example.test", password: "0123456789ab" },
  // Paths name a missing person ({user} is the zero id): nobody is disabled by the matrix.
  "patch /api/v1/users/{user}": { disabled: true },
  // A wrong current password: the password stays (and the caller's other sessions too).
  "put /api/v1/me/password": { currentPassword: "not-the-current-password", newPassword: "a-new-password-0123" },
  "post /api/v1/teams": { slug: "gamma", name: "g" },
  "post /api/v1/teams/{team}/members": { email: "root@example.test", role: "viewer" },
  "patch /api/v1/teams/{team}/members/{userId}": { role: "viewer" },
  "post /api/v1/teams/{team}/tokens": { name: "matrix", scopes: ["read"] },
  "post /api/v1/teams/{team}/notification-channels": { kind: "slack", name: "ops", url: "https://hooks.example.test/x" },
  "post /api/v1/teams/{team}/prometheus-test": { url: "http://127.0.0.1:9", badQuery: "vector(0)", totalQuery: "vector(1)" },
  "post /api/v1/teams/{team}/prometheus-histogram-buckets": { url: "http://127.0.0.1:9", type: "classic", metric: "http_request_duration_seconds", matchers: 'job="api"', thresholdSeconds: 0.25 },
  "post /api/v1/teams/{team}/services": { slug: "svc2", name: "S" },
  "patch /api/v1/teams/{team}/services/{service}": { name: "Renamed" },
  "post /api/v1/teams/{team}/services/{service}/slis": { slug: "lat", name: "L", kind: "latency", latencyThresholdMs: 300 },
  "post /api/v1/teams/{team}/openslo": { raw: "apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: imported\nspec:\n  description: ''\n", type: "application/yaml" },
  "post /api/v1/teams/{team}/data-sources": { name: "prom-main", url: "https://prometheus.example.test", authHeader: "Bearer x" },
  "patch /api/v1/teams/{team}/data-sources/{dataSource}": { description: "the main one" },
  "post /api/v1/teams/{team}/definitions/plan": { files: [{ name: "slos/as-code.yaml", content: "apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: as-code\nspec:\n  description: ''\n" }], prune: false },
  "post /api/v1/teams/{team}/definitions/apply": { files: [{ name: "slos/as-code.yaml", content: "apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: as-code\nspec:\n  description: ''\n" }], prune: false, source: "abc123" },
  "post /api/v1/teams/{team}/services/{service}/slos": { slug: "xx", name: "X", sli: "avail", objective: "0.99", window: { kind: "rolling", days: 7 } },
  "patch /api/v1/teams/{team}/services/{service}/slos/{slo}": { objective: "0.995" },
  // The workbook's table as it is: the world's SLO alerts as before.
  "post /api/v1/teams/{team}/services/{service}/composites": { slug: "journey", name: "Journey", objective: "99.9%", window: { kind: "rolling", days: 28 }, members: [{ slo: "main", weight: 1 }] },
  "put /api/v1/teams/{team}/services/{service}/slos/{slo}/composite": { members: [{ slo: "main", weight: 2 }] },
  "put /api/v1/teams/{team}/services/{service}/slos/{slo}/alert-settings": { rules: [], page: { enabled: true }, ticket: { enabled: true }, minEvents: 0, noData: { enabled: false }, budgetBelow: { enabled: false, percent: 25 } },
  "post /api/v1/teams/{team}/services/{service}/slos/{slo}/alert-backtest": {},
  // Archive, restore and delete act on missing things (concretePath): nothing the other operations use goes.
  "delete /api/v1/teams/{team}/services/{service}": { confirm: "gone" },
  "post /api/v1/teams/{team}/services/{service}/archive": { baseUpdatedAt: "2026-11-22T10:15:00.000Z" },
  "post /api/v1/teams/{team}/services/{service}/restore": { baseUpdatedAt: "2026-11-22T10:15:00.000Z" },
  "patch /api/v1/teams/{team}/services/{service}/slis/{sli}": { description: "Edited by the authorisation matrix" },
  "delete /api/v1/teams/{team}/services/{service}/slis/{sli}": { confirm: "gone" },
  "post /api/v1/teams/{team}/services/{service}/slis/{sli}/archive": { baseUpdatedAt: "2026-11-22T10:15:00.000Z" },
  "post /api/v1/teams/{team}/services/{service}/slis/{sli}/restore": { baseUpdatedAt: "2026-11-22T10:15:00.000Z" },
  "post /api/v1/teams/{team}/services/{service}/slis/{sli}/reread": { confirm: "gone" },
  "delete /api/v1/teams/{team}/services/{service}/slos/{slo}": { confirm: "gone" },
  "post /api/v1/teams/{team}/services/{service}/slos/{slo}/archive": { baseUpdatedAt: "2026-11-22T10:15:00.000Z" },
  "post /api/v1/teams/{team}/services/{service}/slos/{slo}/restore": { baseUpdatedAt: "2026-11-22T10:15:00.000Z" },
  "post /api/v1/teams/{team}/services/{service}/groups": { slug: "by-region", name: "By region", labelKey: "region", kind: "request_ratio", objective: "0.99", window: { kind: "rolling", days: 7 } },
  "patch /api/v1/teams/{team}/services/{service}/groups/{group}": { objective: "0.995" },
  "post /api/v1/teams/{team}/services/{service}/exclusions": { kind: "maintenance", reason: "db upgrade", startsAt: "2026-01-01T00:00:00Z", endsAt: "2026-01-01T01:00:00Z" },
  "post /api/v1/teams/{team}/exclusion-schedules": { service: "svc", kind: "maintenance", reason: "weekly upgrade", rrule: "FREQ=WEEKLY;COUNT=2", dtstart: "2026-12-06T02:00", timeZone: "Europe/Berlin", durationMinutes: 60 },
  "post /api/v1/teams/{team}/exclusion-schedules/preview": { service: "svc", rrule: "FREQ=WEEKLY;COUNT=2", dtstart: "2026-12-06T02:00", timeZone: "Europe/Berlin", durationMinutes: 60 },
  "patch /api/v1/teams/{team}/exclusion-schedules/{schedule}": { service: "svc", kind: "maintenance", reason: "weekly upgrade", rrule: "FREQ=WEEKLY;COUNT=3", dtstart: "2026-12-06T02:00", timeZone: "Europe/Berlin", durationMinutes: 60 },
  "post /api/v1/ingest": { items: [{ sli: "svc/avail", minute: "2026-11-30T00:00:00Z", good: 1, total: 1 }] },
  "post /api/v1/gate": { service: "svc", environment: "production", version: "1", requester: "ci" },
  // A review's minutes: the first save of November's (a later call of the matrix finds revision 1 and gets a 409, not a refusal).
  "put /api/v1/teams/{team}/review-settings": { timeZone: "UTC" },
  "put /api/v1/teams/{team}/reviews": { period: "2026-11", status: "draft", notes: "matrix", decisions: [], baseRevision: 0 },
  "post /api/v1/deploys": { team: "alpha", service: "svc", environment: "production", version: "1" },
  // The regression check of a deploy (the path names a missing one): the default criteria.
  "post /api/v1/teams/{team}/deploys/{deploy}/regression": {},
  "post /api/v1/teams/{team}/analyses": { service: "svc", canary: "canary", baseline: "baseline", schedule: { count: 1, intervalMinutes: 5, initialDelayMinutes: 0, failureLimit: 0, inconclusiveLimit: 0 } },
  // Ticket sync: a Jira integration of alpha (the address is never called here); the item's issue
  // is refused with 422 (no Linear integration), so nothing leaves the machine.
  "post /api/v1/teams/{team}/ticket-integrations": { provider: "jira", baseUrl: "https://jira.example.test", email: "ops@example.test", apiToken: "matrix-token", project: "OPS" },
  "patch /api/v1/teams/{team}/ticket-integrations/{integration}": { issueType: "Bug" },
  "post /api/v1/action-items/{item}/ticket": { provider: "linear" },
  "post /api/v1/flagger/{team}/confirm-promotion": { name: "svc", namespace: "default", phase: "Promoting", metadata: {} },
  "post /api/v1/flagger/{team}/rollback": { name: "svc", namespace: "default", phase: "Progressing", metadata: {} },
  "put /api/v1/teams/{team}/policy": { policy: defaultPolicy },
  "put /api/v1/teams/{team}/services/{service}/policy": { policy: defaultPolicy },
  "post /api/v1/teams/{team}/overrides": { service: "svc", reason: "launch", approvedBy: "Dana", expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
  "post /api/v1/teams/{team}/silences": { service: "svc", slo: "main", reason: "planned failover test", endsAt: new Date(Date.now() + 3_600_000).toISOString() },
  "post /api/v1/teams/{team}/freezes": { reason: "holidays", startsAt: "2026-12-24T00:00:00Z", endsAt: "2026-12-27T00:00:00Z" },
  "put /api/v1/teams/{team}/github": { appId: "1", privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }), webhookSecret: "0123456789abcdef" },
  "post /api/v1/teams/{team}/incidents": { title: "Outage", severity: "SEV2", startedAt: "2026-11-01T10:00:00Z", slos: ["svc/main"] },
  "patch /api/v1/teams/{team}/incidents/{incident}": { summary: "updated" },
  "post /api/v1/teams/{team}/incidents/{incident}/timeline": { at: "2026-11-01T10:05:00Z", kind: "alert", text: "paged" },
  "post /api/v1/teams/{team}/postmortems": { title: "Another review" },
  "patch /api/v1/postmortems/{postmortem}": { revision: 1, title: "Outage review" },
  "post /api/v1/postmortems/{postmortem}/transitions": { action: "request_changes", comment: "x" },
  "post /api/v1/postmortems/{postmortem}/action-items": { title: "Fix more", type: "prevent", priority: "P2" },
  "patch /api/v1/action-items/{item}": { status: "in_progress" },
  "put /api/v1/teams/{team}/postmortem-templates": { name: "Short", sections: [{ key: "what", title: "What", prompt: "" }] },
};

const ZERO = "00000000-0000-0000-0000-000000000000";

export type WorldIds = { incident: string; postmortem: string; item: string };

/** Creates the world in team alpha (which must exist) through `post`, a caller allowed to. */
export async function seedWorld(send: (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>): Promise<WorldIds> {
  const post = (p: string, body: unknown) => send("POST", p, body);
  const ids: Partial<WorldIds> = {};
  const S = "/api/v1/teams/alpha/services";
  await post(S, { slug: "svc", name: "Service" });
  await post(`${S}/svc/slis`, { slug: "avail", name: "Availability", kind: "request_ratio" });
  await post(`${S}/svc/slos`, { slug: "main", name: "Main", sli: "avail", objective: "99.9%", window: { kind: "rolling", days: 28 } });
  const incident = await post("/api/v1/teams/alpha/incidents", { title: "Outage", severity: "SEV2", startedAt: "2026-11-01T10:00:00Z", slos: ["svc/main"] });
  ids.incident = String(incident.id);
  const postmortem = await post("/api/v1/teams/alpha/postmortems", { title: "Outage review", incident: ids.incident });
  ids.postmortem = String(postmortem.id);
  const item = await post(`/api/v1/postmortems/${ids.postmortem}/action-items`, { title: "Fix", type: "prevent", priority: "P1" });
  ids.item = String(item.id);
  return ids as WorldIds;
}

/** The concrete path: this team's real resources where one exists, a missing one for deletes (nothing is lost). */
export function concretePath(op: (typeof operations)[number], ids: WorldIds & { decision?: string }) {
  // Archive and restore act on the path's last parameter, as a delete does: a missing one.
  const changesState = /\/(archive|restore)$/.test(op.path);
  const gone = op.method === "delete" || changesState;
  return op.path
    .replace("{team}", "alpha")
    .replace("{service}", gone && (!op.path.includes("{service}/") || /\{service\}\/(archive|restore)$/.test(op.path)) ? "gone" : "svc")
    .replace("{slo}", gone ? "gone" : "main")
    .replace("{sli}", "gone")
    .replace("{incident}", ids.incident)
    .replace("{postmortem}", ids.postmortem)
    .replace("{item}", ids.item)
    .replace("{decision}", ids.decision ?? ZERO)
    .replace(/\{\w+\}/g, ZERO)
    .concat(op.path.endsWith("/search") ? "?q=outage" : op.path.endsWith("/budget-spent") ? "?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z" : "");
}
