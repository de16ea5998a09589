// What connecting a tracker refuses, and how it says so: each problem named by its field.
import { describe, expect, it } from "vitest";
import { fieldErrors } from "./field-errors";
import { createTicketIntegrationSchema, jiraWebhookSchema, linearWebhookSchema, updateTicketIntegrationSchema } from "./ticket-sync";

const jira = { provider: "jira", baseUrl: "https://acme.atlassian.net/", email: "ops@example.com", apiToken: "tok", project: "OPS" };
const linear = { provider: "linear", apiToken: "lin_api_x", project: "9cfb482a-81e3-4154-b5b9-2c805e70a02d" };

describe("createTicketIntegrationSchema", () => {
  it("fills defaults and trims the site's trailing slash", () => {
    expect(createTicketIntegrationSchema.parse(jira)).toMatchObject({ baseUrl: "https://acme.atlassian.net", issueType: "Task" });
    expect(createTicketIntegrationSchema.parse(linear)).toMatchObject({ baseUrl: "https://api.linear.app" });
  });

  it.each([
    ["no provider", { ...jira, provider: undefined }, "provider", "Pick a tracker"],
    ["another provider", { ...jira, provider: "github" }, "provider", "Pick a tracker"],
    ["a lower-case project key", { ...jira, project: "ops" }, "project", "Jira project key"],
    ["no email for Jira", { ...jira, email: undefined }, "email", "email"],
    ["a site that is not http(s)", { ...jira, baseUrl: "ftp://acme" }, "baseUrl", "http or https"],
    ["an empty token", { ...jira, apiToken: " " }, "apiToken", "API token"],
    ["a short webhook secret", { ...linear, webhookSecret: "short" }, "webhookSecret", "at least 16"],
    ["Jira's email on Linear (strict: the whole body names the key)", { ...linear, email: "x@example.com" }, "body", '"email"'],
    ["no Linear team", { ...linear, project: "" }, "project", "team's id"],
  ])("%s", (_, body, field, words) => {
    const r = createTicketIntegrationSchema.safeParse(body);
    expect(r.success).toBe(false);
    const errors = fieldErrors(r.error!);
    expect(errors).toHaveProperty([field]);
    expect(errors[field]).toContain(words);
  });
});

describe("updateTicketIntegrationSchema", () => {
  it("refuses a given secret together with a new one", () => {
    const r = updateTicketIntegrationSchema.safeParse({ webhookSecret: "0123456789abcdef", newWebhookSecret: true });
    expect(r.success).toBe(false);
    expect(fieldErrors(r.error!)).toHaveProperty(["newWebhookSecret"]);
  });
  it("takes a partial change", () => expect(updateTicketIntegrationSchema.parse({ issueType: "Bug" })).toEqual({ issueType: "Bug" }));
});

describe("webhook payloads (the parts we read)", () => {
  it("Jira: a numeric issue id becomes text; other fields are ignored", () => {
    const p = jiraWebhookSchema.parse({ webhookEvent: "jira:issue_updated", timestamp: 1, issue: { id: 10001, key: "OPS-1", fields: { status: { statusCategory: { key: "done" } }, summary: "x" } }, changelog: {} });
    expect(p.issue).toEqual({ id: "10001", key: "OPS-1", fields: { status: { statusCategory: { key: "done" } } } });
  });
  it("Linear: webhookTimestamp is required", () => {
    const r = linearWebhookSchema.safeParse({ action: "update", type: "Issue", data: { id: "x" } });
    expect(fieldErrors(r.error!)).toHaveProperty(["webhookTimestamp"]);
  });
});
