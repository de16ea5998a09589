// Pulling from a real Prometheus: the numbers Burnrate stores agree with what PromQL computes
// over the same data; a backfill, a counter reset, a source that is down and a catch-up.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makePrometheusSlo } from "../testing/factories";
import { startPrometheus } from "../testing/prometheus-server";
import { getSli, updateSli } from "../services/catalog";
import { getSloStatus } from "../services/slo-status";
import { syncPrometheusSli } from "./prometheus-sync";

// The stand-ins listen on loopback, which the outbound guard refuses unless allowed (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const MIN = 60_000;
const now = new Date(Math.floor(Date.now() / MIN) * MIN);
const start = new Date(now.getTime() - 6 * 60 * MIN);
let prom: Awaited<ReturnType<typeof startPrometheus>>;

beforeAll(async () => {
  // Every 15 s: 25 requests; in the last hour 1 of them fails. Three hours ago the process
  // restarts and its counters begin again from zero (a counter reset).
  const samples = [];
  let ok = 0;
  let failed = 0;
  for (let t = start.getTime(); t <= now.getTime() - 2 * MIN; t += 15_000) {
    if (t === start.getTime() + 3 * 60 * MIN) ok = failed = 0;
    const failing = t > now.getTime() - 60 * MIN;
    ok += failing ? 24 : 25;
    failed += failing ? 1 : 0;
    samples.push({ labels: { code: "200" }, value: ok, at: new Date(t) }, { labels: { code: "500" }, value: failed, at: new Date(t) });
  }
  prom = await startPrometheus("http_requests", samples);
}, 60_000);

afterAll(async () => {
  await prom?.stop();
});

const promSlo = (url: string) =>
  makePrometheusSlo(url, { authHeader: "Bearer not-logged", badQuery: 'sum(increase(http_requests_total{code="500"}[1m]))', totalQuery: "sum(increase(http_requests_total[1m]))" });

describe("Prometheus pull", () => {
  it("backfills and agrees with PromQL over the same data", async () => {
    const { team, members, sliId } = await promSlo(prom.url);
    const r = await syncPrometheusSli(sliId, now);
    expect(r.error).toBeUndefined();
    const { status } = await getSloStatus(members.viewer, team.slug, "web", "main", now);
    const promTotal = await prom.instant("sum_over_time((sum(increase(http_requests_total[1m])))[1d:1m])", now);
    const promBad = await prom.instant('sum_over_time((sum(increase(http_requests_total{code="500"}[1m])))[1d:1m])', now);
    expect(status.total).toBe(promTotal);
    expect(status.badEvents).toBe(promBad);
    // By construction: 100 requests a minute; 4 failures a minute in the last hour.
    expect(status.burnRates["30m"]).toBe(4);
    const sli = await prisma().sli.findUniqueOrThrow({ where: { id: sliId } });
    expect(sli.syncedUntil?.toISOString()).toBe(now.toISOString());
    expect(sli.backfillFrom?.toISOString()).toBe(new Date(now.getTime() - 7 * 1440 * MIN).toISOString());
  });

  it("a sync is not an edit: the SLI's updatedAt stays, so an edit opened before it still saves", async () => {
    const { team, members, sliId } = await promSlo(prom.url);
    const opened = await getSli(members.editor, team.slug, "web", "availability");
    const r = await syncPrometheusSli(sliId, now);
    expect(r.error).toBeUndefined();
    const synced = await prisma().sli.findUniqueOrThrow({ where: { id: sliId } });
    expect(synced.syncedUntil?.toISOString()).toBe(now.toISOString());
    expect(synced.updatedAt.toISOString()).toBe(opened.updatedAt);
    const saved = await updateSli(members.editor, team.slug, "web", "availability", { name: "Availability (web)", baseUpdatedAt: new Date(opened.updatedAt) });
    expect(saved.name).toBe("Availability (web)");
    // The edit moved it; the next sync (a failing one here) does not.
    await prisma().sli.update({ where: { id: sliId }, data: { promUrl: "http://127.0.0.1:9" } });
    const after = (await prisma().sli.findUniqueOrThrow({ where: { id: sliId } })).updatedAt;
    expect((await syncPrometheusSli(sliId, now)).error).toBeDefined();
    expect(await prisma().sli.findUniqueOrThrow({ where: { id: sliId } })).toMatchObject({ updatedAt: after, lastSyncError: expect.any(String) });
  });

  it("survives the counter reset: no negative or missing minute around it", async () => {
    const { sliId } = await promSlo(prom.url);
    await syncPrometheusSli(sliId, now);
    const reset = start.getTime() + 3 * 60 * MIN;
    const around = await prisma().sliBucket.findMany({ where: { sliId, minute: { gte: new Date(reset - 3 * MIN), lt: new Date(reset + 3 * MIN) } }, orderBy: { minute: "asc" } });
    expect(around).toHaveLength(6);
    for (const b of around) expect([Number(b.good), Number(b.total)]).toEqual([100, 100]);
  });

  it("a source that is down: the error is recorded, nothing stored is lost, and the next sync catches up", async () => {
    const { team, members, sliId } = await promSlo(prom.url);
    const earlier = new Date(now.getTime() - 2 * 60 * MIN);
    await syncPrometheusSli(sliId, earlier);
    const before = await prisma().sliBucket.count({ where: { sliId } });

    // Point the SLI at a server that answers 500 with garbage, then at one that never answers.
    const broken = http.createServer((_req, res) => res.writeHead(500).end("<html>oops</html>"));
    await new Promise<void>((r) => broken.listen(0, "127.0.0.1", () => r()));
    const port = (broken.address() as { port: number }).port;
    await prisma().sli.update({ where: { id: sliId }, data: { promUrl: `http://127.0.0.1:${port}` } });
    const failed = await syncPrometheusSli(sliId, now);
    expect(failed.error).toContain("HTTP 500");
    broken.close();
    let row = await prisma().sli.findUniqueOrThrow({ where: { id: sliId } });
    expect(row.lastSyncError).toContain("HTTP 500");
    expect(row.lastSyncError).not.toContain("not-logged");
    expect(row.syncedUntil?.toISOString()).toBe(earlier.toISOString());
    expect(await prisma().sliBucket.count({ where: { sliId } })).toBe(before);
    const status = await getSloStatus(members.viewer, team.slug, "web", "main", now);
    expect(status.status.total).toBeGreaterThan(0);
    expect(status.status.freshness).toMatchObject({ state: "stale", reason: expect.stringContaining("the last sync failed") });
    expect(status.status.freshness.reason).toContain("HTTP 500");

    // Back up: the sync resumes where it stopped and the data agrees again.
    await prisma().sli.update({ where: { id: sliId }, data: { promUrl: prom.url } });
    const caughtUp = await syncPrometheusSli(sliId, now);
    expect(caughtUp.error).toBeUndefined();
    expect(caughtUp.from.toISOString()).toBe(new Date(earlier.getTime() - 5 * MIN).toISOString());
    row = await prisma().sli.findUniqueOrThrow({ where: { id: sliId } });
    expect(row).toMatchObject({ syncedUntil: now, lastSyncError: null });
    const after = await getSloStatus(members.viewer, team.slug, "web", "main", now);
    expect(after.status.total).toBe(await prom.instant("sum_over_time((sum(increase(http_requests_total[1m])))[1d:1m])", now));
    expect(after.status.freshness.state).toBe("fresh");
  });

  it("a source that answers 200 with garbage: each is named, nothing stored changes, and other SLIs sync as usual", async () => {
    const { sliId } = await promSlo(prom.url);
    const other = await promSlo(prom.url);
    await syncPrometheusSli(sliId, new Date(now.getTime() - 60 * MIN));
    const before = await prisma().sliBucket.count({ where: { sliId } });
    const answers: [string, string][] = [
      ["not json at all", "not Prometheus JSON"],
      [JSON.stringify({ hello: "world" }), "not Prometheus JSON"],
      [JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } }), "expected a range vector (matrix), got vector"],
      [JSON.stringify({ status: "success", data: { resultType: "matrix", result: [{ metric: {}, values: 42 }] } }), "malformed range vector"],
      [JSON.stringify({ status: "success", data: { resultType: "matrix", result: [{ metric: {}, values: [["x", "1"]] }] } }), "malformed range vector"],
    ];
    let answer = answers[0]![0];
    const garbage = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(answer));
    await new Promise<void>((r) => garbage.listen(0, "127.0.0.1", () => r()));
    await prisma().sli.update({ where: { id: sliId }, data: { promUrl: `http://127.0.0.1:${(garbage.address() as { port: number }).port}` } });
    for (const [body, problem] of answers) {
      answer = body;
      const [bad, good] = await Promise.all([syncPrometheusSli(sliId, now), syncPrometheusSli(other.sliId, now)]);
      expect(bad.error).toContain(problem);
      expect(good.error).toBeUndefined();
    }
    garbage.close();
    expect(await prisma().sliBucket.count({ where: { sliId } })).toBe(before);
    expect((await prisma().sli.findUniqueOrThrow({ where: { id: sliId } })).lastSyncError).toContain("malformed range vector");
    expect((await prisma().sli.findUniqueOrThrow({ where: { id: other.sliId } })).lastSyncError).toBeNull();
  });

  it("a source that hangs times out instead of blocking the sync", async () => {
    const { sliId } = await promSlo(prom.url);
    const hanging = http.createServer(() => {});
    await new Promise<void>((r) => hanging.listen(0, "127.0.0.1", () => r()));
    const port = (hanging.address() as { port: number }).port;
    await prisma().sli.update({ where: { id: sliId }, data: { promUrl: `http://127.0.0.1:${port}` } });
    const r = await syncPrometheusSli(sliId, now);
    expect(r.error).toContain("no answer within 10 s");
    hanging.closeAllConnections();
    hanging.close();
  }, 40_000);

  it("test query: reports what the source returns over the last hour, and why nothing did", async () => {
    const { testPrometheusSource } = await import("../services/prometheus-test");
    const { team, members } = await promSlo(prom.url);
    const src = { url: prom.url, badQuery: 'sum(increase(http_requests_total{code="500"}[1m]))', totalQuery: "sum(increase(http_requests_total[1m]))" };
    const r = await testPrometheusSource(members.editor, team.slug, src, now);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // The last hour: 1 request in 25 fails (the samples stop 2 minutes before now).
    expect(r.minutesWithData).toBeGreaterThan(50);
    expect(r.sli).toBeCloseTo(24 / 25, 2);
    const broken = await testPrometheusSource(members.editor, team.slug, { ...src, totalQuery: "sum(rate(" }, now);
    expect(broken).toMatchObject({ ok: false, error: expect.stringMatching(/query failed \(HTTP 400\)/) });
    const down = await testPrometheusSource(members.editor, team.slug, { ...src, url: "http://127.0.0.1:9" }, now);
    expect(down).toMatchObject({ ok: false, error: expect.stringContaining("could not reach") });
    // Viewers may not make the server call out.
    await expect(testPrometheusSource(members.viewer, team.slug, src, now)).rejects.toMatchObject({ status: 403 });
  });
});
