// Ticket sync end to end on the real database, against local stand-ins for Jira Cloud and Linear
// (lib/server/testing/jira-stand-in.ts, linear-stand-in.ts) that answer in the documented shapes
// and send their signed webhooks back to our route handlers over HTTP: an issue created from an
// item, the item's status pushed, the tracker's status changes applied, and every refusal.
import { Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as jiraWebhook } from "@/app/api/v1/webhooks/jira/[integration]/route";
import { POST as linearWebhook } from "@/app/api/v1/webhooks/linear/[integration]/route";
import { prisma } from "../db/client";
import { createLogger } from "../logger";
import { makeTeam } from "../testing/factories";
import { JiraStandIn } from "../testing/jira-stand-in";
import { LinearStandIn } from "../testing/linear-stand-in";
import { startRouteServer } from "../testing/route-server";
import { createActionItem, updateActionItem } from "./action-items";
import { createPostmortem } from "./postmortems";
import { createTicketIntegration, deleteTicketIntegration, listTicketIntegrations, testTicketIntegration, updateTicketIntegration } from "./ticket-integrations";
import { createTicket, deleteTicket, getTicket, pushDueTickets } from "./ticket-sync";
import { TICKET_SYNC_EMAIL, ticketSyncActor } from "./ticket-actor";

// The stand-ins listen on loopback, which the outbound guard refuses unless allowed (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const JIRA_TOKEN = "ATATT3xFfGF0-jira-token-never-shown";
const LINEAR_KEY = "lin_api_never_shown_0123456789";
const LINEAR_TEAM = "9cfb482a-81e3-4154-b5b9-2c805e70a02d";
const jira = new JiraStandIn("ops@example.test", JIRA_TOKEN, "OPS");
const linear = new LinearStandIn(LINEAR_KEY, LINEAR_TEAM);
let routes: { url: string; stop: () => Promise<void> };

// Every log line of this file, to show that no credential is ever logged.
const logLines: string[] = [];
const holder = globalThis as { [k: symbol]: unknown };
const loggerKey = Symbol.for("burnrate.logger");
const previousLogger = holder[loggerKey];

beforeAll(async () => {
  holder[loggerKey] = createLogger("debug", new Writable({ write: (chunk: Buffer, _e, done) => (logLines.push(chunk.toString()), done()) }));
  await jira.start();
  await linear.start();
  routes = await startRouteServer([
    { pattern: /^\/api\/v1\/webhooks\/jira\/([^/]+)$/, names: ["integration"], handler: jiraWebhook as never },
    { pattern: /^\/api\/v1\/webhooks\/linear\/([^/]+)$/, names: ["integration"], handler: linearWebhook as never },
  ]);
});
afterAll(async () => {
  holder[loggerKey] = previousLogger;
  await Promise.all([jira.stop(), linear.stop(), routes?.stop()]);
  // No answer, error or log line of this file holds a credential.
  expect(logLines.join("\n")).not.toContain(JIRA_TOKEN);
  expect(logLines.join("\n")).not.toContain(LINEAR_KEY);
});
beforeEach(() => {
  jira.down = false;
  linear.down = false;
});

async function world(provider: "jira" | "linear") {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  const pm = await createPostmortem(members.editor, team.slug, { title: "Checkout outage" });
  const item = await createActionItem(members.editor, pm.id, { title: "Add a canary stage for pool changes", type: "prevent", priority: "P1", owner: null, dueDate: "2026-12-20", ticketUrl: null });
  const integration =
    provider === "jira"
      ? await createTicketIntegration(members.admin, team.slug, { provider, baseUrl: jira.url, email: jira.email, apiToken: JIRA_TOKEN, project: "OPS", issueType: "Task" })
      : await createTicketIntegration(members.admin, team.slug, { provider, baseUrl: linear.url, apiToken: LINEAR_KEY, project: LINEAR_TEAM });
  const hook = { url: `${routes.url}/api/v1/webhooks/${provider}/${integration.id}`, secret: integration.webhookSecret! };
  (provider === "jira" ? jira : linear).webhook = hook;
  return { team, members, pm, item, integration, hook };
}

const statusOf = async (id: string) => (await prisma().actionItem.findUniqueOrThrow({ where: { id } })).status;
const post = (url: string, body: string, headers: Record<string, string>) => fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe("integrations (team admins)", () => {
  it("test their connection: the Jira project and the Linear team are read with the stored settings; a problem is told in our words", async () => {
    const j = await world("jira");
    expect(await testTicketIntegration(j.members.admin, j.team.slug, j.integration.id)).toEqual({ ok: true, problem: null, retry: false });
    expect(jira.requests.at(-1)).toMatchObject({ method: "GET", path: "/rest/api/3/project/OPS" });
    // A project the account cannot see: refused for good (retry false), and what to check is named.
    await updateTicketIntegration(j.members.admin, j.team.slug, j.integration.id, { project: "NOPE" });
    const missing = await testTicketIntegration(j.members.admin, j.team.slug, j.integration.id);
    expect(missing).toMatchObject({ ok: false, retry: false, problem: expect.stringContaining("check the project") });
    // A wrong token: refused, naming the token, never showing it.
    await updateTicketIntegration(j.members.admin, j.team.slug, j.integration.id, { project: "OPS", apiToken: "wrong-token" });
    const refused = await testTicketIntegration(j.members.admin, j.team.slug, j.integration.id);
    expect(refused).toMatchObject({ ok: false, retry: false, problem: expect.stringContaining("API token") });
    expect(JSON.stringify(refused)).not.toContain("wrong-token");
    // Jira down: worth trying again.
    await updateTicketIntegration(j.members.admin, j.team.slug, j.integration.id, { apiToken: JIRA_TOKEN });
    jira.down = true;
    expect(await testTicketIntegration(j.members.admin, j.team.slug, j.integration.id)).toMatchObject({ ok: false, retry: true });
    jira.down = false;
    // Team admins of this team only.
    await expect(testTicketIntegration(j.members.editor, j.team.slug, j.integration.id)).rejects.toMatchObject({ status: 403 });
    const other = await makeTeam(["admin"]);
    await expect(testTicketIntegration(other.members.admin, other.team.slug, j.integration.id)).rejects.toMatchObject({ status: 404 });

    const l = await world("linear");
    expect(await testTicketIntegration(l.members.admin, l.team.slug, l.integration.id)).toEqual({ ok: true, problem: null, retry: false });
    expect(linear.operations.at(-1)).toMatchObject({ name: "TeamStates", variables: { id: LINEAR_TEAM } });
    await updateTicketIntegration(l.members.admin, l.team.slug, l.integration.id, { project: "0b7a1f3c-0000-4000-8000-000000000000" });
    expect(await testTicketIntegration(l.members.admin, l.team.slug, l.integration.id)).toMatchObject({ ok: false, retry: false });
  });

  it("stores the token write-only, shows a secret it made once, and audits without secrets", async () => {
    const { team, members, integration } = await world("jira");
    expect(integration.webhookSecret).toMatch(/^[\w-]{43}$/);
    expect(integration.webhookUrl).toMatch(new RegExp(`/api/v1/webhooks/jira/${integration.id}$`));
    const listed = await listTicketIntegrations(members.admin, team.slug);
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty("webhookSecret");
    expect(JSON.stringify(listed)).not.toContain(JIRA_TOKEN);
    const changed = await updateTicketIntegration(members.admin, team.slug, integration.id, { apiToken: "another-token", newWebhookSecret: true });
    expect(changed.webhookSecret).toMatch(/^[\w-]{43}$/);
    expect(changed.webhookSecret).not.toBe(integration.webhookSecret);
    const audit = await prisma().auditLog.findMany({ where: { teamId: team.id, targetType: "ticket_integration" } });
    expect(audit.map((a) => a.action).sort()).toEqual(["ticket_integration.create", "ticket_integration.update"]);
    expect(JSON.stringify(audit)).not.toContain(JIRA_TOKEN);
    expect(JSON.stringify(audit)).not.toContain(integration.webhookSecret!);
  });

  it("is for team admins only; one of each tracker per team; the address is checked", async () => {
    const { team, members } = await world("jira");
    const linearInput = { provider: "linear" as const, baseUrl: linear.url, apiToken: LINEAR_KEY, project: LINEAR_TEAM, webhookSecret: "given-by-linear-0123456789" };
    await expect(createTicketIntegration(members.editor, team.slug, linearInput)).rejects.toMatchObject({ status: 403 });
    await expect(listTicketIntegrations(members.editor, team.slug)).rejects.toMatchObject({ status: 403 });
    await expect(createTicketIntegration(members.admin, team.slug, { provider: "jira", baseUrl: jira.url, email: "x@example.test", apiToken: "t", project: "OPS", issueType: "Task" })).rejects.toMatchObject({ status: 409 });
    // A secret the admin gives (Linear makes its own) is not echoed.
    const made = await createTicketIntegration(members.admin, team.slug, linearInput);
    expect(made).not.toHaveProperty("webhookSecret");
    await expect(createTicketIntegration(members.admin, team.slug, { ...linearInput, provider: "linear", baseUrl: "http://169.254.169.254" })).rejects.toMatchObject({ status: 422, fields: { baseUrl: expect.stringContaining("link-local") } });
    // Changing the address is checked the same way, and leaves the stored one as it was.
    await expect(updateTicketIntegration(members.admin, team.slug, made.id, { baseUrl: "http://10.0.0.7" })).rejects.toMatchObject({ status: 422, fields: { baseUrl: expect.any(String) } });
    expect((await listTicketIntegrations(members.admin, team.slug)).find((i) => i.id === made.id)?.baseUrl).toBe(linear.url);
  });
});

describe("Jira", () => {
  it("creates the issue from the item (documented request shape) and links it, audited", async () => {
    const { team, members, item } = await world("jira");
    const state = await createTicket(members.editor, item.id, { provider: "jira" });
    expect(state.link).toMatchObject({ provider: "jira", key: expect.stringMatching(/^OPS-\d+$/), remoteStatus: "new", syncedStatus: "open", pending: false, lastError: null });
    const issue = jira.issues.get(state.link!.key)!;
    expect(issue.summary).toBe(item.title);
    expect(issue.issueType).toBe("Task");
    expect(issue.description).toMatchObject({ type: "doc", version: 1, content: expect.arrayContaining([expect.objectContaining({ type: "paragraph" })]) });
    expect(state.link!.url).toBe(`${jira.url}/browse/${issue.key}`);
    expect((await prisma().actionItem.findUniqueOrThrow({ where: { id: item.id } })).ticketUrl).toBe(state.link!.url);
    expect(await prisma().auditLog.count({ where: { teamId: team.id, action: "action_item.ticket_create", targetId: item.id } })).toBe(1);
    expect(JSON.stringify(state)).not.toContain(JIRA_TOKEN);
    // A viewer sees it; a second issue for the same item is refused.
    expect((await getTicket(members.viewer, item.id)).link?.key).toBe(issue.key);
    await expect(createTicket(members.editor, item.id, { provider: "jira" })).rejects.toMatchObject({ status: 409 });
    await expect(createTicket(members.viewer, item.id, { provider: "jira" })).rejects.toMatchObject({ status: 403 });
  });

  it("two creations at once (a double click, two tabs) make one issue: the other is a 409", async () => {
    const { members, item } = await world("jira");
    const before = jira.issues.size;
    const both = await Promise.allSettled([createTicket(members.editor, item.id, { provider: "jira" }), createTicket(members.editor, item.id, { provider: "jira" })]);
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(both.find((r) => r.status === "rejected")).toMatchObject({ reason: { status: 409 } });
    expect(jira.issues.size - before).toBe(1);
  });

  it("pushes the item's status (done -> Done, not Won't Do; then reopened), and the webhook echo changes nothing", async () => {
    const sent = jira.requests.length;
    const { members, item } = await world("jira");
    const { link } = await createTicket(members.editor, item.id, { provider: "jira" });
    await updateActionItem(members.editor, item.id, { status: "done" });
    expect((await getTicket(members.editor, item.id)).link?.pending).toBe(true);
    const before = jira.webhookAnswers.length;
    expect(await pushDueTickets()).toEqual({ pushed: 1, failed: 0 });
    await jira.idle();
    expect(jira.statusOf(link!.key).name).toBe("Done");
    // The echo came back signed, was accepted, and left the item as it is.
    expect(jira.webhookAnswers.slice(before)).toEqual([{ status: 200, body: expect.stringContaining("already done") }]);
    expect(await statusOf(item.id)).toBe("done");
    expect((await getTicket(members.editor, item.id)).link).toMatchObject({ pending: false, syncedStatus: "done", remoteStatus: "done" });
    // Nothing more to push: a second pass does nothing, and asks Jira nothing.
    const asked = jira.requests.length;
    expect(await pushDueTickets()).toEqual({ pushed: 0, failed: 0 });
    expect(jira.requests.length).toBe(asked);
    await updateActionItem(members.editor, item.id, { status: "wont_do", wontDoReason: "superseded by the new pool" });
    await pushDueTickets();
    // Already in a done-category status: Jira is asked, not moved.
    expect(jira.statusOf(link!.key).name).toBe("Done");
    await updateActionItem(members.editor, item.id, { status: "open" });
    await pushDueTickets();
    expect(jira.statusOf(link!.key).name).toBe("To Do");
    // Every request of this test carried basic auth with the account's email and token.
    expect(new Set(jira.requests.slice(sent).map((r) => r.authorization))).toEqual(new Set([`Basic ${Buffer.from(`${jira.email}:${JIRA_TOKEN}`).toString("base64")}`]));
  });

  it("a status change in Jira moves the item to done and back to open, audited as ticket sync", async () => {
    const { team, members, item } = await world("jira");
    const { link } = await createTicket(members.editor, item.id, { provider: "jira" });
    expect(await jira.move(link!.key, "Done")).toBe(200);
    expect(await statusOf(item.id)).toBe("done");
    expect(await jira.move(link!.key, "To Do")).toBe(200);
    expect(await statusOf(item.id)).toBe("open");
    const audit = await prisma().auditLog.findMany({ where: { teamId: team.id, action: "action_item.update", targetId: item.id, sourceRef: { not: null } }, orderBy: { createdAt: "asc" }, include: { actor: true } });
    expect(audit.map((a) => [a.actor?.email, a.sourceRef, (a.after as { status: string }).status])).toEqual([
      [TICKET_SYNC_EMAIL, `jira:${link!.key}`, "done"],
      [TICKET_SYNC_EMAIL, `jira:${link!.key}`, "open"],
    ]);
    // Nothing to push back: both sides agree.
    expect((await getTicket(members.editor, item.id)).link?.pending).toBe(false);
    // The system actor's user never signs in.
    expect((await prisma().user.findUniqueOrThrow({ where: { email: TICKET_SYNC_EMAIL } })).disabledAt).not.toBeNull();
  });

  it("refuses unsigned and wrongly signed deliveries (401, nothing changes), unknown integrations (404), malformed (422) and oversized (413) bodies", async () => {
    const { members, item, hook, integration } = await world("jira");
    const { link } = await createTicket(members.editor, item.id, { provider: "jira" });
    const issue = jira.issues.get(link!.key)!;
    issue.statusId = "10002"; // Done in Jira, not sent
    const body = jira.issueUpdatedBody(issue, { id: "10000", name: "To Do", category: "new" });
    for (const headers of [{} as Record<string, string>, { "x-hub-signature": jira.sign(body, "not-the-secret") }, { "x-hub-signature": jira.sign(body).replace("sha256=", "sha1=") }, { "x-hub-signature-256": jira.sign(body) }]) {
      const r = await post(hook.url, body, headers);
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error: { message: string } }).error.message).toContain("X-Hub-Signature");
    }
    expect(await statusOf(item.id)).toBe("open");
    expect((await post(`${routes.url}/api/v1/webhooks/jira/00000000-0000-0000-0000-000000000000`, body, { "x-hub-signature": jira.sign(body) })).status).toBe(404);
    expect((await post(`${routes.url}/api/v1/webhooks/linear/${integration.id}`, body, { "linear-signature": "00" })).status).toBe(404);
    const garbled = "{not json";
    expect((await post(hook.url, garbled, { "x-hub-signature": jira.sign(garbled) })).status).toBe(422);
    const wrongShape = JSON.stringify({ webhookEvent: "jira:issue_updated", issue: { id: issue.id, key: issue.key, fields: {} } });
    const r = await post(hook.url, wrongShape, { "x-hub-signature": jira.sign(wrongShape) });
    expect(r.status).toBe(422);
    expect(((await r.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty(["issue.fields.status"]);
    const huge = JSON.stringify({ webhookEvent: "jira:issue_updated", padding: "x".repeat(1024 * 1024) });
    expect((await post(hook.url, huge, { "x-hub-signature": jira.sign(huge) })).status).toBe(413);
    expect(await statusOf(item.id)).toBe("open");
    // The same delivery, signed: applied once; sent again, it changes nothing.
    const first = await post(hook.url, body, { "x-hub-signature": jira.sign(body) });
    expect(await first.json()).toEqual({ applied: "done", ignored: null });
    const again = await post(hook.url, body, { "x-hub-signature": jira.sign(body) });
    expect(((await again.json()) as { ignored: string }).ignored).toMatch(/applied already/);
    expect(await statusOf(item.id)).toBe("done");
  });

  it("an edit in Jira that does not change the status leaves a change of ours on its way alone", async () => {
    const { members, item, hook } = await world("jira");
    const { link } = await createTicket(members.editor, item.id, { provider: "jira" });
    await updateActionItem(members.editor, item.id, { status: "done" }); // not pushed yet: Jira still says To Do
    const issue = jira.issues.get(link!.key)!;
    const edit = JSON.parse(jira.issueUpdatedBody(issue, jira.statusOf(issue.key))) as { changelog: { items: unknown[] } };
    edit.changelog.items = [{ field: "summary", fieldtype: "jira", fromString: "old", toString: "new" }];
    const body = JSON.stringify(edit);
    const r = await post(hook.url, body, { "x-hub-signature": jira.sign(body) });
    expect(await r.json()).toEqual({ applied: null, ignored: `the update of ${issue.key} did not change its status` });
    expect(await statusOf(item.id)).toBe("done");
    expect(await pushDueTickets()).toEqual({ pushed: 1, failed: 0 });
    await jira.idle();
    expect(jira.statusOf(issue.key).name).toBe("Done");
  });

  it("a tracker that is down: the change waits, is retried with backoff, and goes through when it is back", async () => {
    const { members, item } = await world("jira");
    const { link } = await createTicket(members.editor, item.id, { provider: "jira" });
    await updateActionItem(members.editor, item.id, { status: "in_progress" });
    jira.down = true;
    const t0 = new Date();
    expect(await pushDueTickets(t0)).toEqual({ pushed: 0, failed: 1 });
    const failed = (await getTicket(members.editor, item.id)).link!;
    expect(failed).toMatchObject({ pending: true, lastError: expect.stringContaining("HTTP 503") });
    expect(Date.parse(failed.nextAttemptAt!) - t0.getTime()).toBe(30_000);
    expect(failed.lastError).not.toContain(JIRA_TOKEN);
    // Not before its time, even once Jira is back.
    jira.down = false;
    expect(await pushDueTickets(new Date(t0.getTime() + 10_000))).toEqual({ pushed: 0, failed: 0 });
    expect(await pushDueTickets(new Date(t0.getTime() + 31_000))).toEqual({ pushed: 1, failed: 0 });
    expect(jira.statusOf(link!.key).name).toBe("In Progress");
    expect((await getTicket(members.editor, item.id)).link).toMatchObject({ pending: false, lastError: null, nextAttemptAt: null });
  });

  it("a refused token: the issue is not created, and the error names neither the token nor Jira's words", async () => {
    const { team, members, item, integration } = await world("jira");
    await updateTicketIntegration(members.admin, team.slug, integration.id, { apiToken: "wrong-token-value" });
    const e = (await createTicket(members.editor, item.id, { provider: "jira" }).catch((x: unknown) => x)) as { status: number; message: string };
    expect(e).toMatchObject({ status: 422, message: expect.stringContaining("HTTP 401") });
    expect(e.message).not.toContain("wrong-token-value");
    expect(e.message).not.toContain("Client must be authenticated");
    expect((await getTicket(members.editor, item.id)).link).toBeNull();
  });

  it("another team's item cannot be linked or read, and unlinking keeps the issue", async () => {
    const a = await world("jira");
    const b = await world("jira");
    await expect(createTicket(a.members.editor, b.item.id, { provider: "jira" })).rejects.toMatchObject({ status: 404, message: "action item not found" });
    await expect(getTicket(a.members.viewer, b.item.id)).rejects.toMatchObject({ status: 404 });
    const { link } = await createTicket(b.members.editor, b.item.id, { provider: "jira" });
    await expect(deleteTicket(a.members.editor, b.item.id)).rejects.toMatchObject({ status: 404 });
    // Team a's webhook secret does not move team b's item: its integration does not know the issue.
    const issue = jira.issues.get(link!.key)!;
    issue.statusId = "10002";
    const body = jira.issueUpdatedBody(issue, { id: "10000", name: "To Do", category: "new" });
    const r = await post(a.hook.url, body, { "x-hub-signature": jira.sign(body, a.hook.secret) });
    expect(((await r.json()) as { ignored: string }).ignored).toMatch(/not linked/);
    expect(await statusOf(b.item.id)).toBe("open");
    await deleteTicket(b.members.editor, b.item.id);
    expect((await getTicket(b.members.editor, b.item.id)).link).toBeNull();
    expect(jira.issues.has(link!.key)).toBe(true);
    // Removing the integration unlinks its items.
    const again = await createTicket(b.members.editor, b.item.id, { provider: "jira" });
    expect(again.link).not.toBeNull();
    await deleteTicketIntegration(b.members.admin, b.team.slug, b.integration.id);
    expect((await getTicket(b.members.editor, b.item.id)).link).toBeNull();
  });
});

describe("the system actor", () => {
  it("is an editor of its own team only: another team's item is not found, admin actions are refused", async () => {
    const a = await world("jira");
    const b = await world("jira");
    const actor = await ticketSyncActor(a.team.id, "jira:OPS-1");
    await expect(updateActionItem(actor, b.item.id, { status: "done" })).rejects.toMatchObject({ status: 404, message: "action item not found" });
    expect(await statusOf(b.item.id)).toBe("open");
    await expect(createTicketIntegration(actor, a.team.slug, { provider: "linear", baseUrl: linear.url, apiToken: "x", project: LINEAR_TEAM })).rejects.toMatchObject({ status: 403 });
    await expect(listTicketIntegrations(actor, b.team.slug)).rejects.toMatchObject({ status: 404 });
    expect((await updateActionItem(actor, a.item.id, { status: "in_progress" })).status).toBe("in_progress");
  });
});

describe("Linear", () => {
  it("creates the issue (IssueCreate with the team id), pushes done (TeamStates, IssueUpdate) and ignores the echo", async () => {
    const { members, item } = await world("linear");
    const state = await createTicket(members.editor, item.id, { provider: "linear" });
    expect(state.link).toMatchObject({ provider: "linear", key: expect.stringMatching(/^ENG-\d+$/), remoteStatus: "unstarted", syncedStatus: "open", pending: false });
    const id = [...linear.issues.values()].find((i) => i.identifier === state.link!.key)!.id;
    expect(linear.operations.at(-1)).toMatchObject({ name: "IssueCreate", variables: { input: { teamId: LINEAR_TEAM, title: item.title } }, authorization: LINEAR_KEY });
    await updateActionItem(members.editor, item.id, { status: "done" });
    const before = linear.webhookAnswers.length;
    expect(await pushDueTickets()).toEqual({ pushed: 1, failed: 0 });
    await linear.idle();
    expect(linear.stateOf(id).name).toBe("Done");
    expect(linear.webhookAnswers.slice(before)).toEqual([{ status: 200, body: expect.stringContaining("already done") }]);
    expect(await statusOf(item.id)).toBe("done");
    await updateActionItem(members.editor, item.id, { status: "wont_do", wontDoReason: "not needed after the migration" });
    await pushDueTickets();
    expect(linear.stateOf(id).name).toBe("Canceled");
  });

  it("a state change in Linear moves the item: canceled -> won't do with a reason, started -> in progress", async () => {
    const { team, members, item } = await world("linear");
    const { link } = await createTicket(members.editor, item.id, { provider: "linear" });
    const id = [...linear.issues.values()].find((i) => i.identifier === link!.key)!.id;
    expect(await linear.move(id, "Canceled")).toBe(200);
    expect(await prisma().actionItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: "wont_do", wontDoReason: `Canceled in Linear (${link!.key})` });
    expect(await linear.move(id, "In Progress")).toBe(200);
    expect(await statusOf(item.id)).toBe("in_progress");
    // Backlog is still "open" to us: the item moves once, Triage after it changes nothing.
    await linear.move(id, "Backlog");
    await linear.move(id, "Triage");
    expect(await statusOf(item.id)).toBe("open");
    expect(await prisma().auditLog.count({ where: { teamId: team.id, action: "action_item.update", targetId: item.id, sourceRef: `linear:${link!.key}` } })).toBe(3);
  });

  it("refuses an old (replayed) webhook and a bad signature, changing nothing", async () => {
    const { members, item, hook } = await world("linear");
    const { link } = await createTicket(members.editor, item.id, { provider: "linear" });
    const issue = [...linear.issues.values()].find((i) => i.identifier === link!.key)!;
    const from = issue.stateId;
    issue.stateId = linear.states.find((s) => s.type === "completed")!.id;
    const old = linear.issueUpdateBody(issue, from, Date.now() - 2 * 60_000);
    const r = await post(hook.url, old, { "linear-signature": linear.sign(old) });
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/webhookTimestamp .* more than 60 s/);
    const fresh = linear.issueUpdateBody(issue, from);
    expect((await post(hook.url, fresh, { "linear-signature": linear.sign(fresh, "wrong-secret-0123456789") })).status).toBe(401);
    expect((await post(hook.url, fresh, { "linear-signature": `sha256=${linear.sign(fresh)}` })).status).toBe(401);
    expect(await statusOf(item.id)).toBe("open");
    expect((await post(hook.url, fresh, { "linear-signature": linear.sign(fresh) })).status).toBe(200);
    expect(await statusOf(item.id)).toBe("done");
    // The same delivery again, within the minute: nothing more.
    expect(await (await post(hook.url, fresh, { "linear-signature": linear.sign(fresh) })).json()).toMatchObject({ applied: null });
    // An update that did not change the state (a new title) moves nothing.
    const retitled = JSON.parse(linear.issueUpdateBody(issue, from)) as { updatedFrom: Record<string, unknown>; data: { state: { type: string } } };
    retitled.updatedFrom = { title: "old title" };
    retitled.data.state.type = "canceled";
    const retitledBody = JSON.stringify(retitled);
    expect(await (await post(hook.url, retitledBody, { "linear-signature": linear.sign(retitledBody) })).json()).toEqual({ applied: null, ignored: `the update of ${issue.identifier} did not change its state` });
    expect(await statusOf(item.id)).toBe("done");
    // Other events are answered and ignored.
    const comment = JSON.stringify({ action: "create", type: "Comment", data: { id: "c1" }, webhookTimestamp: Date.now() });
    expect(await (await post(hook.url, comment, { "linear-signature": linear.sign(comment) })).json()).toEqual({ applied: null, ignored: "Comment create is not handled" });
  });

  it("an item already in progress: its new issue is moved to a started state at once", async () => {
    const { members, item } = await world("linear");
    await updateActionItem(members.editor, item.id, { status: "in_progress" });
    const { link } = await createTicket(members.editor, item.id, { provider: "linear" });
    await linear.idle();
    expect(link).toMatchObject({ remoteStatus: "started", syncedStatus: "in_progress", pending: false });
    expect(linear.stateOf([...linear.issues.values()].find((i) => i.identifier === link!.key)!.id).name).toBe("In Progress");
    expect(await statusOf(item.id)).toBe("in_progress");
  });

  it("Linear down while the item changes: retried, then pushed", async () => {
    const { members, item } = await world("linear");
    const { link } = await createTicket(members.editor, item.id, { provider: "linear" });
    const id = [...linear.issues.values()].find((i) => i.identifier === link!.key)!.id;
    await updateActionItem(members.editor, item.id, { status: "in_progress" });
    linear.down = true;
    const t0 = new Date();
    expect(await pushDueTickets(t0)).toEqual({ pushed: 0, failed: 1 });
    linear.down = false;
    expect(await pushDueTickets(new Date(t0.getTime() + 31_000))).toEqual({ pushed: 1, failed: 0 });
    expect(linear.stateOf(id).name).toBe("In Progress");
  });
});
