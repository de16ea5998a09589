import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { createExclusionSchema, createServiceSchema, createSliSchema, createSloSchema, updateSliSchema } from "./catalog";
import { fieldErrors } from "./field-errors";
import { createActionItemSchema, createIncidentSchema, timelineEntrySchema, updateActionItemSchema } from "./incidents";
import { createTeamSchema, addMemberSchema } from "./teams";
import { createTokenSchema } from "./tokens";
import { createFreezeSchema, createOverrideSchema } from "./gate";
import { createChannelSchema } from "./notifications";

// What a form shows next to a field (and the API's 422 names by the same path): a sentence about
// the field, never a validator's wording. Each row: the schema, a bad input, the field path, the sentence.
const slo = { slug: "availability", name: "Availability", sli: "requests", objective: "99.9%", window: { kind: "rolling", days: 30 } };
const incident = { title: "Checkout down", severity: "SEV2", startedAt: "2026-11-16T09:00:00Z" };
const cases: [string, z.ZodType, unknown, string, string][] = [
  ["service without a name", createServiceSchema, { slug: "payments-api" }, "name", "Give the service a name"],
  ["service with a blank name", createServiceSchema, { slug: "payments-api", name: "  " }, "name", "Give the service a name"],
  ["service without a slug", createServiceSchema, { name: "Payments" }, "slug", "Give the service a slug"],
  ["service slug with capitals", createServiceSchema, { slug: "Payments", name: "Payments" }, "slug", "Use lowercase letters, digits and single dashes for the slug, e.g. payments-api"],
  ["service with a number for a name", createServiceSchema, { slug: "payments-api", name: 42 }, "name", "Give the service a name, as text"],
  ["service with an unknown field", createServiceSchema, { slug: "payments-api", name: "P", colour: "red" }, "body", "Leave out the unknown field colour"],
  ["SLI without a name", createSliSchema, { slug: "requests", kind: "request_ratio" }, "name", "Give the SLI a name"],
  ["SLI of an unknown kind", createSliSchema, { slug: "requests", name: "R", kind: "vibes" }, "kind", "Pick the kind of SLI: request_ratio, latency, time_slice"],
  ["latency SLI without a threshold", createSliSchema, { slug: "fast", name: "Fast", kind: "latency" }, "latencyThresholdMs", "Give the latency threshold of a latency SLI"],
  ["latency threshold typed as words", createSliSchema, { slug: "fast", name: "Fast", kind: "latency", latencyThresholdMs: "abc" }, "latencyThresholdMs", "Give the threshold in whole milliseconds"],
  ["time-slice SLI without a target", createSliSchema, { slug: "ts", name: "T", kind: "time_slice", sliceMinutes: 5 }, "sliceTarget", "Give the target each slice must meet"],
  ["Prometheus source without a total query", createSliSchema, { slug: "r", name: "R", kind: "request_ratio", prometheus: { url: "http://p:9090", badQuery: "x" } }, "prometheus.totalQuery", "Give the query for total events"],
  ["Prometheus source that is not a URL", createSliSchema, { slug: "r", name: "R", kind: "request_ratio", prometheus: { url: "prometheus", badQuery: "x", totalQuery: "y" } }, "prometheus.url", "Give the server's http(s) URL, e.g. http://prometheus:9090"],
  ["Prometheus source with no server", createSliSchema, { slug: "r", name: "R", kind: "request_ratio", prometheus: { badQuery: "x", totalQuery: "y" } }, "prometheus.url", "Give the server's http(s) URL, or the name of one of the team's data sources as dataSource"],
  ["Prometheus source with a URL and a data source", createSliSchema, { slug: "r", name: "R", kind: "request_ratio", prometheus: { url: "http://p:9090", dataSource: "prom-main", badQuery: "x", totalQuery: "y" } }, "prometheus.dataSource", "Give a url or a dataSource, not both"],
  ["data source with a header of its own", updateSliSchema, { threshold: { dataSource: "prom-main", authHeader: "Bearer x", query: "q", op: "lt", value: 1 } }, "threshold.authHeader", "A data source sends its own Authorization header: set it on the data source, or give a url instead"],
  ["histogram with a blank data source", createSliSchema, { slug: "r", name: "R", kind: "latency", histogram: { dataSource: " ", type: "classic", metric: "m", thresholdSeconds: 0.25 } }, "histogram.dataSource", "Give the data source's name, e.g. prom-main"],
  ["SLI edit changing the slug", updateSliSchema, { slug: "other" }, "slug", "An SLI's slug cannot change: create a new SLI and point its SLOs at it"],
  ["SLI edit changing the kind", updateSliSchema, { kind: "latency" }, "kind", "An SLI's kind cannot change: create a new SLI of that kind"],
  ["SLI edit with two sources", updateSliSchema, { prometheus: { url: "http://p:9090", badQuery: "x", totalQuery: "y" }, threshold: { url: "http://p:9090", query: "q", op: "lt", value: 1 } }, "threshold", "Give one source: prometheus or threshold, not both"],
  ["SLI edit with an empty query", updateSliSchema, { prometheus: { url: "http://p:9090", badQuery: "x", totalQuery: " " } }, "prometheus.totalQuery", "Give the query for total events"],
  ["SLO without an objective", createSloSchema, { ...slo, objective: undefined }, "objective", 'Give the objective, e.g. "99.9%" or "0.999"'],
  ["SLO objective of words", createSloSchema, { ...slo, objective: "high" }, "objective", 'Give the objective as a decimal such as "0.999" or "99.9%"'],
  ["SLO objective of 100%", createSloSchema, { ...slo, objective: "100%" }, "objective", "The objective must be between 0 and 1 (exclusive)"],
  ["SLO without an SLI", createSloSchema, { ...slo, sli: undefined }, "sli", "Pick the SLI this SLO measures"],
  ["SLO window of words", createSloSchema, { ...slo, window: { kind: "rolling", days: "a month" } }, "window.days", "Give the window in whole days"],
  ["SLO window too long", createSloSchema, { ...slo, window: { kind: "rolling", days: 400 } }, "window.days", "The window lasts at most 366 days"],
  ["SLO alert guard below zero", createSloSchema, { ...slo, minEvents: -1 }, "minEvents", "The alert guard cannot be negative"],
  ["exclusion without a reason", createExclusionSchema, { kind: "maintenance", startsAt: "2026-11-16T09:00:00Z", endsAt: "2026-11-16T10:00:00Z" }, "reason", "Give a reason"],
  ["exclusion without a start", createExclusionSchema, { kind: "maintenance", reason: "upgrade", endsAt: "2026-11-16T10:00:00Z" }, "startsAt", "Pick when it starts"],
  ["exclusion ending before it starts", createExclusionSchema, { kind: "maintenance", reason: "upgrade", startsAt: "2026-11-16T10:00:00Z", endsAt: "2026-11-16T09:00:00Z" }, "endsAt", "The end must be after the start"],
  ["incident without a title", createIncidentSchema, { ...incident, title: undefined }, "title", "Give the incident a title"],
  ["incident without a start", createIncidentSchema, { ...incident, startedAt: undefined }, "startedAt", "Pick when it started"],
  ["incident started at nonsense", createIncidentSchema, { ...incident, startedAt: "yesterday" }, "startedAt", "Pick when it started"],
  ["incident detected before it started", createIncidentSchema, { ...incident, detectedAt: "2026-11-16T08:00:00Z" }, "detectedAt", "It cannot be detected before it started"],
  ["incident of an unknown severity", createIncidentSchema, { ...incident, severity: "SEV9" }, "severity", "Pick a severity: SEV1, SEV2, SEV3, SEV4"],
  ["timeline entry without text", timelineEntrySchema, { at: "2026-11-16T09:00:00Z", kind: "note" }, "text", "Say what happened"],
  ["action item without a title", createActionItemSchema, { type: "prevent", priority: "P1" }, "title", "Give the action item a title"],
  ["action item due on no date", createActionItemSchema, { title: "Fix", type: "prevent", priority: "P1", dueDate: "soon" }, "dueDate", "Pick a due date, e.g. 2026-12-01"],
  ["action item with a ticket that is not a link", createActionItemSchema, { title: "Fix", type: "prevent", priority: "P1", ticketUrl: "JIRA-1" }, "ticketUrl", "Give a link starting with http:// or https://"],
  ["action item closed without a reason", updateActionItemSchema, { status: "wont_do" }, "wontDoReason", "Say why it won't be done"],
  ["team without a name", createTeamSchema, { slug: "payments" }, "name", "Give the team a name"],
  ["member without an email", addMemberSchema, { role: "viewer" }, "email", "Give an email address"],
  ["member with a bad email", addMemberSchema, { email: "ada", role: "viewer" }, "email", "Give an email address, e.g. ada@example.com"],
  ["member of an unknown role", addMemberSchema, { email: "ada@example.com", role: "owner" }, "role", "Pick a role: viewer, editor, admin"],
  ["token without a name", createTokenSchema, { scopes: ["ingest"] }, "name", "Give the token a name"],
  ["token without scopes", createTokenSchema, { name: "ci", scopes: [] }, "scopes", "Pick at least one scope"],
  ["token expiring at nonsense", createTokenSchema, { name: "ci", scopes: ["ingest"], expiresAt: "someday" }, "expiresAt", "Pick the day it expires, or leave it empty"],
  ["override without a reason", createOverrideSchema, { service: "api", approvedBy: "Dana", expiresAt: "2099-01-01T00:00:00Z" }, "reason", "Give a reason"],
  ["override without an approver", createOverrideSchema, { service: "api", reason: "hotfix", expiresAt: "2099-01-01T00:00:00Z" }, "approvedBy", "Say who approved it"],
  ["override without an expiry", createOverrideSchema, { service: "api", reason: "hotfix", approvedBy: "Dana" }, "expiresAt", "Pick when it expires"],
  ["freeze ending before it starts", createFreezeSchema, { reason: "holidays", startsAt: "2026-12-24T00:00:00Z", endsAt: "2026-12-23T00:00:00Z" }, "endsAt", "The end must be after the start"],
  ["Slack channel without a URL", createChannelSchema, { name: "#oncall", kind: "slack" }, "url", "Give the Slack incoming-webhook URL"],
  ["channel without a name", createChannelSchema, { kind: "slack", url: "https://hooks.example/x" }, "name", "Give the channel a name"],
];

describe("validation messages are sentences about the field", () => {
  it.each(cases)("%s", (_, schema, input, path, message) => {
    const r = schema.safeParse(input);
    expect(r.success).toBe(false);
    expect(fieldErrors(r.error!)[path]).toBe(message);
  });

  it("no message in the table reads like a validator", () => {
    for (const [, schema, input] of cases) {
      for (const m of Object.values(fieldErrors(schema.safeParse(input).error!))) {
        expect(m).toMatch(/^[A-Z]/);
        expect(m).not.toMatch(/Invalid input|Expected|ISO 8601|must be text|^is required/);
      }
    }
  });
});
