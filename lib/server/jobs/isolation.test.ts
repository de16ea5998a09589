// Contained failures: one team's SLI holds minutes whose window sums pass 2^53 (stored before
// counts were bounded, or written around the API). That SLO is shown with its error on its page,
// in the API and in /metrics; its team's gate still answers; and another team's page alert that
// fires at the same moment is still evaluated and delivered within the minute.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { prisma } from "../db/client";
import { createLogger } from "../logger";
import { upsertBuckets } from "../sli-data";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "../services/catalog";
import { askGate } from "../services/gate";
import { ingestBatch } from "../services/ingest";
import { renderMetrics } from "../services/metrics";
import { createChannel } from "../services/notifications";
import { getOverview } from "../services/overview";
import { getSloStatus } from "../services/slo-status";
import { listTeamStatus } from "../services/team-status";
import { startJobs, type JobRunner } from "./runner";

// The stand-ins listen on loopback, which the outbound guard refuses unless allowed (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const MIN = 60_000;
const received: string[] = [];
let receiver: http.Server;
let hook = "";
let runner: JobRunner;

beforeAll(async () => {
  receiver = http.createServer(async (req, res) => {
    let text = "";
    for await (const c of req) text += c;
    received.push(text);
    res.writeHead(200).end("ok");
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  runner = await startJobs(inject("databaseUrl"), createLogger("silent"), { schedule: false });
});

afterAll(async () => {
  await runner?.stop();
  receiver?.close();
});

async function teamWithSlo(service: string) {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: service, name: service, description: "" });
  const sli = await createSli(members.editor, team.slug, service, { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  await createSlo(members.editor, team.slug, service, { slug: "main", name: `${service} availability`, description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
  return { team, members, sliId: sli!.id };
}

describe("a poisoned SLI stays its own problem", () => {
  it("is shown with its error everywhere while another team's page alert is still sent", async () => {
    const now = new Date(Math.floor(Date.now() / MIN) * MIN);
    const poisoned = await teamWithSlo("ledger");
    const healthy = await teamWithSlo("checkout");
    await createChannel(healthy.members.admin, healthy.team.slug, { name: "ops", kind: "slack", url: hook });

    // Two minutes of 9 x 10^15 events each: each fits a JavaScript number, their sum does not.
    await upsertBuckets([1, 2].map((m) => ({ sliId: poisoned.sliId, minute: new Date(now.getTime() - m * MIN), good: 9e15, total: 9e15 })));
    // The other team burns at 50x: a page.
    const token = await makeTokenActor(healthy.team.slug, healthy.members.admin, ["ingest"]);
    await ingestBatch(token, { items: Array.from({ length: 60 }, (_, i) => ({ sli: "checkout/ok", minute: new Date(now.getTime() - (i + 1) * MIN).toISOString(), good: 50, total: 100 })) }, now);

    const sent = await runner.evaluate(now);
    expect(sent.alerts.filter((d) => d.change.team === healthy.team.slug).map((d) => d.change.to)).toEqual(["page"]);
    const deadline = Date.now() + 30_000;
    while (!received.some((m) => m.includes("checkout availability")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(received.find((m) => m.includes("checkout availability"))).toMatch(/PAGE: checkout availability/);

    // The poisoned SLO: its error on its page and in the API, never a 500, and nothing else of its team fails.
    const detail = await getSloStatus(poisoned.members.viewer, poisoned.team.slug, "ledger", "main", now);
    expect(detail.status).toMatchObject({ budget: { state: "no_data" }, alerts: { state: "no_data" } });
    expect(detail.status.error).toMatch(/^its stored event counts cannot be summed exactly/);
    expect((await listTeamStatus(poisoned.members.viewer, poisoned.team.slug, now)).slos[0]!.status.error).toBe(detail.status.error);
    expect((await getOverview(poisoned.members.viewer, now)).slos.find((r) => r.service.slug === "ledger")!.status.budget).toEqual({ state: "no_data" });
    const read = await makeTokenActor(poisoned.team.slug, poisoned.members.admin, ["read"]);
    expect(await renderMetrics(read, now)).toMatch(new RegExp(`^burnrate_slo_evaluation_failed\\{team="${poisoned.team.slug}",service="ledger",slo="main"\\} 1$`, "m"));
    const gate = await makeTokenActor(poisoned.team.slug, poisoned.members.admin, ["gate"]);
    const d = await askGate(gate, { service: "ledger", environment: "production", version: "v1", changeType: "feature", requester: "ci" });
    expect(d).toMatchObject({ decision: "warn", tier: "no_data" });
    expect(d.reasons).toContainEqual(expect.stringMatching(/^ledger availability could not be evaluated \(its stored event counts cannot be summed exactly/));
    // Its alert state was left as it was, not flipped to "no data".
    const states = await prisma().sloAlertState.findMany({ where: { slo: { service: { teamId: poisoned.team.id } } } });
    expect(states).toEqual([]);
  }, 90_000);
});
