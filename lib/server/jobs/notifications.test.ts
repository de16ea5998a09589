// Alert-state changes reach Slack and PagerDuty (local stand-ins for both: they are services
// outside this machine's reach): one message per change, not per evaluation, retried on failure.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger } from "../logger";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "../services/catalog";
import { createChannel, listChannels } from "../services/notifications";
import { ingestBatch } from "../services/ingest";
import { grantOverride } from "../services/overrides";
import { createPostmortem } from "../services/postmortems";
import { createActionItem, updateActionItem } from "../services/action-items";
import { startJobs, type JobRunner } from "./runner";
import { getSloStatus } from "../services/slo-status";
import { getOverview } from "../services/overview";

type Received = { path: string; body: Record<string, unknown> };
// The stand-ins listen on loopback, which the outbound guard refuses unless allowed (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const received: Received[] = [];
let failPagerDuty = 0;
let receiver: http.Server;
let base = "";
let runner: JobRunner;

beforeAll(async () => {
  receiver = http.createServer(async (req, res) => {
    let text = "";
    for await (const c of req) text += c;
    if (req.url === "/pd" && failPagerDuty > 0) {
      failPagerDuty--;
      return res.writeHead(503).end();
    }
    received.push({ path: req.url ?? "", body: JSON.parse(text) as Record<string, unknown> });
    res.writeHead(req.url === "/pd" ? 202 : 200).end("ok");
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  runner = await startJobs(inject("databaseUrl"), createLogger("silent"), { schedule: false });
});

afterAll(async () => {
  await runner?.stop();
  receiver?.close();
});

async function waitFor(pred: () => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  return pred();
}

describe("notifications", () => {
  it("sends one message per alert-state change to each channel, retrying a failing one", async () => {
    const { team, members } = await makeTeam(["admin", "editor"]);
    await createService(members.editor, team.slug, { slug: "web", name: "Web", description: "" });
    await createSli(members.editor, team.slug, "web", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    const slo = await createSlo(members.editor, team.slug, "web", { slug: "main", name: "Web availability", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
    await createChannel(members.admin, team.slug, { name: "slack", kind: "slack", url: `${base}/slack` });
    await createChannel(members.admin, team.slug, { name: "pd", kind: "pagerduty", url: `${base}/pd`, routingKey: "ROUTING-KEY-1" });
    expect((await listChannels(members.admin, team.slug)).map((c) => c.destination)).toEqual([new URL(base).host, new URL(base).host]);
    await expect(listChannels(members.editor, team.slug)).rejects.toMatchObject({ status: 403 });

    // The last hour fails at 50 %: a burn rate of 50 against a 1 % budget.
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const token = await makeTokenActor(team.slug, members.admin, ["ingest"]);
    const items = Array.from({ length: 60 }, (_, i) => ({ sli: "web/ok", minute: new Date(now.getTime() - (i + 1) * 60_000).toISOString(), good: 50, total: 100 }));
    await ingestBatch(token, { items }, now);

    failPagerDuty = 1; // the first PagerDuty attempt fails and is retried
    const first = (await runner.evaluate(now)).alerts;
    expect(first.filter((d) => d.change.sloId === slo!.id).map((d) => [d.change.from, d.change.to])).toEqual([["ok", "page"], ["ok", "page"]]);
    // Evaluating again without a change sends nothing.
    expect(((await runner.evaluate(now)).alerts).filter((d) => d.change.sloId === slo!.id)).toEqual([]);

    const mine = () => received.filter((r) => JSON.stringify(r.body).includes("Web availability") || JSON.stringify(r.body).includes(slo!.id));
    expect(await waitFor(() => mine().length >= 2)).toBe(true);
    const slack = mine().find((r) => r.path === "/slack")!;
    expect(String(slack.body.text)).toMatch(/^PAGE: Web availability \(web\) is burning its error budget/);
    const pd = mine().find((r) => r.path === "/pd")!;
    expect(pd.body).toMatchObject({ routing_key: "ROUTING-KEY-1", event_action: "trigger", dedup_key: `burnrate/${slo!.id}/page`, payload: { severity: "critical" } });
    expect(failPagerDuty).toBe(0);

    // Two hours later with no new data the fast burn has ended; the 3 d / 6 h ticket still holds.
    const later = new Date(now.getTime() + 2 * 3_600_000);
    const second = (await runner.evaluate(later)).alerts;
    expect(second.filter((d) => d.change.sloId === slo!.id).map((d) => [d.change.from, d.change.to])).toEqual([["page", "ticket"], ["page", "ticket"]]);
    expect(await waitFor(() => mine().length >= 5)).toBe(true); // Slack once, PagerDuty resolve + trigger
    expect(mine().filter((r) => r.path === "/pd").map((r) => [r.body.event_action, r.body.dedup_key])).toEqual([
      ["trigger", `burnrate/${slo!.id}/page`],
      ["resolve", `burnrate/${slo!.id}/page`],
      ["trigger", `burnrate/${slo!.id}/ticket`],
    ]);

    // Each change is kept with the burn rates and budget of its moment; the alert has fired
    // since the page began (a page that steps down to a ticket is the same run).
    const { alert } = await getSloStatus(members.editor, team.slug, "web", "main", later);
    expect(alert.firingSince).toBe(now.toISOString());
    expect(alert.history.map((h) => [h.from, h.to, h.at])).toEqual([["page", "ticket", later.toISOString()], ["ok", "page", now.toISOString()]]);
    expect(alert.history[1]!.burnRates["1h"]).toBeCloseTo(50, 9);
    expect(alert.history[1]!.remaining).toBeLessThan(1);
    expect(alert.periods).toEqual([{ start: now.toISOString(), end: null, severity: "page" }]);
    // The overview's row says the same.
    const row = (await getOverview(members.editor, later)).slos.find((r) => r.slo.id === slo!.id)!;
    expect([row.status.alerts.state, row.firingSince]).toEqual(["ticket", now.toISOString()]);
  }, 90_000);

  it("tells the team's Slack-compatible channels when a service changes tier and when an override is granted", async () => {
    const { team, members } = await makeTeam(["admin", "editor"]);
    await createService(members.editor, team.slug, { slug: "shop", name: "Shop", description: "" });
    await createSli(members.editor, team.slug, "shop", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    await createSlo(members.editor, team.slug, "shop", { slug: "main", name: "Shop availability", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
    await createChannel(members.admin, team.slug, { name: "slack", kind: "slack", url: `${base}/tiers` });
    await createChannel(members.admin, team.slug, { name: "pd", kind: "pagerduty", url: `${base}/pd-tiers`, routingKey: "RK" });
    const token = await makeTokenActor(team.slug, members.admin, ["ingest"]);
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const minute = new Date(now.getTime() - 3 * 3_600_000).toISOString(); // outside the alert lookbacks that page
    const setBad = (bad: number) => ingestBatch(token, { items: [{ sli: "shop/ok", minute, good: 10_000 - bad, total: 10_000 }] }, now);
    const mine = (path: string) => received.filter((r) => r.path === path);

    await setBad(10); // 90 % left: normal, recorded without a message
    expect((await runner.evaluate(now)).tiers.filter((t) => t.service === "shop")).toEqual([]);
    await setBad(95); // 5 % left: freeze
    const changed = (await runner.evaluate(now)).tiers.filter((t) => t.service === "shop");
    expect(changed.map((t) => [t.from, t.to])).toEqual([["normal", "freeze"]]); // Slack only: PagerDuty is for alerts
    expect((await runner.evaluate(now)).tiers.filter((t) => t.service === "shop")).toEqual([]); // no change, no message
    expect(await waitFor(() => mine("/tiers").length >= 1)).toBe(true);
    expect(String(mine("/tiers")[0]!.body.text)).toMatch(/^Deploy gate tightened: Shop \(team-\w+\) moved from normal to freeze \(Shop availability: 5% of the error budget left\)/);

    await grantOverride(members.admin, team.slug, { service: "shop", environment: "production", reason: "payment fix", approvedBy: "Dana", escalatedTo: null, expiresAt: new Date(Date.now() + 3_600_000) });
    expect(await waitFor(() => mine("/tiers").length >= 2)).toBe(true);
    expect(String(mine("/tiers")[1]!.body.text)).toMatch(/^Deploy gate override granted for Shop \(team-\w+\), production, until .*\nApproved by Dana; granted by user-\w+\. Reason: payment fix/);
    expect(mine("/pd-tiers")).toEqual([]);
  }, 90_000);

  it("announces an overdue action item once per day, however often the evaluator runs", async () => {
    const { team, members } = await makeTeam(["admin", "editor"]);
    await createChannel(members.admin, team.slug, { name: "slack", kind: "slack", url: `${base}/overdue` });
    const pm = await createPostmortem(members.editor, team.slug, { title: "Late follow-ups" });
    const item = await createActionItem(members.editor, pm.id, { title: "Add a canary stage", type: "prevent", priority: "P0", owner: null, dueDate: "2026-11-20", ticketUrl: null });
    await createActionItem(members.editor, pm.id, { title: "Not due yet", type: "prevent", priority: "P1", owner: null, dueDate: "2026-11-25", ticketUrl: null });
    const mine = (r: Awaited<ReturnType<typeof runner.evaluate>>) => r.overdue.filter((d) => d.itemId === item.id);
    const nov22 = new Date("2026-11-22T09:00:00Z");
    expect(mine(await runner.evaluate(nov22))).toHaveLength(1);
    expect(mine(await runner.evaluate(new Date("2026-11-22T17:00:00Z")))).toHaveLength(0); // same day: not again
    expect(mine(await runner.evaluate(new Date("2026-11-23T09:00:00Z")))).toHaveLength(1); // the next day: once more
    expect(await waitFor(() => received.filter((r) => r.path === "/overdue").length >= 2)).toBe(true);
    expect(String(received.find((r) => r.path === "/overdue")!.body.text)).toMatch(/^Overdue action item \(P0, due 2026-11-20\): Add a canary stage/);
    await updateActionItem(members.editor, item.id, { status: "done" });
    expect(mine(await runner.evaluate(new Date("2026-11-24T09:00:00Z")))).toHaveLength(0);
  }, 90_000);
});
