// SLI integrity end to end (docs/integrity.md): each condition produced through the real paths
// (push ingestion, the Prometheus sync against a real Prometheus), read back through the status
// services the API answers with, the gate and /metrics; and the ok case.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makePrometheusSlo, makeTeam, makeTokenActor } from "../testing/factories";
import { startPrometheus } from "../testing/prometheus-server";
import { syncPrometheusSli } from "../jobs/prometheus-sync";
import { createService, createSli, createSlo } from "./catalog";
import { ingestBatch } from "./ingest";
import { getSloStatus } from "./slo-status";
import { listTeamStatus } from "./team-status";
import { askGate } from "./gate";
import { renderMetrics } from "./metrics";
import { getOverview } from "./overview";

process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Half past the hour, so "the last complete hour" is the one before it.
const now = new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR / 2);
const lastHour = now.getTime() - HOUR / 2 - HOUR;

/** A team with one pushed SLI and an SLO of `days` on it, and a token to push with. */
async function pushed(days: number) {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  await createSli(members.editor, team.slug, "api", { slug: "availability", name: "Availability", description: "", kind: "request_ratio" });
  await createSlo(members.editor, team.slug, "api", { slug: "main", name: "Main", description: "", sli: "availability", objective: "0.99", window: { kind: "rolling", days }, minEvents: 0 });
  const token = await makeTokenActor(team.slug, members.admin, ["ingest", "gate"]);
  const push = async (items: { at: number; good: number; total: number }[]) => {
    const r = await ingestBatch(token, { items: items.map((x) => ({ sli: "api/availability", minute: new Date(x.at).toISOString(), good: x.good, total: x.total })) }, now);
    expect(r.rejected).toEqual([]);
  };
  const status = async () => (await getSloStatus(members.viewer, team.slug, "api", "main", now)).status;
  return { team, members, token, push, status };
}

/** The same hour on each of the 7 days before: one minute of 1,000 events each (median 1,000). */
const usualWeek = () => Array.from({ length: 7 }, (_, d) => ({ at: lastHour - (d + 1) * DAY + 10 * MIN, good: 999, total: 1000 }));

describe("SLI integrity through ingestion and the status API", () => {
  it("ok: data older than the window, the usual volume in the last hour", async () => {
    const w = await pushed(1);
    // The last hour: 60 minutes of 100 events = 6,000, above 10 % of the median 1,000.
    await w.push([...usualWeek(), ...Array.from({ length: 60 }, (_, i) => ({ at: lastHour + i * MIN, good: 100, total: 100 }))]);
    expect((await w.status()).integrity).toEqual({ state: "ok", findings: [] });
    const team = await listTeamStatus(w.members.viewer, w.team.slug, now);
    expect(team.slos[0]!.status.integrity.state).toBe("ok");
    expect(await renderMetrics(w.members.viewer, now)).toContain(`burnrate_slo_uncertain{team="${w.team.slug}",service="api",slo="main",kind="denominator_collapse"} 0`);
  });

  it("denominator collapse: 50 events in the last hour against a usual 1,000", async () => {
    const w = await pushed(1);
    await w.push([...usualWeek(), { at: lastHour + 5 * MIN, good: 50, total: 50 }]);
    const s = await w.status();
    expect(s.integrity.state).toBe("uncertain");
    // 50 / 1,000 = 5 %, below the 10 % line.
    expect(s.integrity.findings).toEqual([
      {
        kind: "denominator_collapse",
        reason: expect.stringMatching(/^the last hour \(from .+\) had 50 events, 5% of the usual 1,000 for that hour \(median of the 7 days before\)/),
        since: new Date(lastHour).toISOString(),
      },
    ]);
    const metrics = await renderMetrics(w.members.viewer, now);
    expect(metrics).toContain(`burnrate_slo_uncertain{team="${w.team.slug}",service="api",slo="main",kind="denominator_collapse"} 1`);
    // The overview (and the service page, from the same rows) carries it for the badge.
    const overview = await getOverview(w.members.viewer, now);
    expect(overview.slos.find((r) => r.team.slug === w.team.slug)!.status.integrity.findings.map((f) => f.kind)).toEqual(["denominator_collapse"]);
  });

  it("coverage: a 7-day SLO over 2 days of data; the gate says so and decides as before", async () => {
    const w = await pushed(7);
    // First data two days ago (its hour starts 2 days and 30 minutes before now: 2.0 days rounded).
    await w.push([{ at: now.getTime() - 2 * DAY, good: 100, total: 100 }, { at: now.getTime() - 5 * MIN, good: 100, total: 100 }]);
    // Made just now, the SLI is young: nothing is missing.
    expect((await w.status()).integrity).toEqual({ state: "ok", findings: [] });
    // Made ten days ago (as if), its first five days in the window have no data: that is a gap.
    await prisma().sli.updateMany({ where: { service: { teamId: w.team.id } }, data: { createdAt: new Date(now.getTime() - 10 * DAY) } });
    const s = await w.status();
    expect(s.integrity.findings).toEqual([
      {
        kind: "short_coverage",
        reason: expect.stringMatching(/^7-day SLO over 2 days of data: the SLI's data starts .+, after the window's start .+; earlier minutes can still be pushed \(backfilled\)$/),
        since: new Date(Math.floor((now.getTime() - 2 * DAY) / HOUR) * HOUR).toISOString(),
      },
    ]);
    // The gate runs on the real clock: its window is a little later, the finding the same.
    const d = await askGate(w.token, { service: "api", environment: "production", version: "v1", changeType: "feature", requester: "ci" });
    expect(d.decision).toBe("allow");
    expect(d.reasons).toContainEqual(expect.stringMatching(/^Main's numbers are uncertain \(7-day SLO over 2(\.\d)? days of data: .*\); the gate used them as they are$/));
  });

  it("good above total is refused at the door: nothing stored, so no good_over_total finding", async () => {
    const w = await pushed(1);
    await w.push(usualWeek());
    const r = await ingestBatch(w.token, { items: [{ sli: "api/availability", minute: new Date(lastHour).toISOString(), good: 120, total: 100 }] }, now);
    expect(r).toEqual({ accepted: 0, rejected: [{ index: 0, field: "good", reason: "good must not exceed total" }] });
    expect((await w.status()).integrity.findings.map((f) => f.kind)).not.toContain("good_over_total");
  });
});

describe("SLI integrity through the Prometheus sync", () => {
  const start = new Date(now.getTime() - 6 * HOUR);
  const reset = start.getTime() + 3 * HOUR;
  let prom: Awaited<ReturnType<typeof startPrometheus>>;

  beforeAll(async () => {
    // Every 15 s: 25 requests; in the last hour 1 of them fails. Three hours in, the process
    // restarts and its counters begin again from zero (a counter reset).
    const samples = [];
    let ok = 0;
    let failed = 0;
    for (let t = start.getTime(); t <= now.getTime() - 2 * MIN; t += 15_000) {
      if (t === reset) ok = failed = 0;
      const failing = t > now.getTime() - HOUR;
      ok += failing ? 24 : 25;
      failed += failing ? 1 : 0;
      samples.push({ labels: { code: "200" }, value: ok, at: new Date(t) }, { labels: { code: "500" }, value: failed, at: new Date(t) });
    }
    prom = await startPrometheus("http_requests", samples);
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });

  it("good above total from the source: stored clamped, counted, and the SLO uncertain", async () => {
    // In the failing hour 96 good + 10 x 4 = 136 "good" of 100: a broken good query.
    const { team, members, sliId } = await makePrometheusSlo(prom.url, {
      goodQuery: 'sum(increase(http_requests_total{code="200"}[1m])) + 10 * sum(increase(http_requests_total{code="500"}[1m]))',
      totalQuery: "sum(increase(http_requests_total[1m]))",
    });
    expect((await syncPrometheusSli(sliId, now)).error).toBeUndefined();
    const recorded = await prisma().sliSourceAnomaly.findMany({ where: { sliId }, orderBy: { minute: "asc" } });
    expect(recorded.length).toBeGreaterThan(50); // the failing hour's minutes (its edges depend on extrapolation)
    expect(recorded.length).toBeLessThanOrEqual(60);
    expect(recorded.every((a) => a.kind === "good_over_total" && a.rawGood > a.rawTotal)).toBe(true);
    // Nonsense is not stored: each of those minutes holds good = total.
    const buckets = await prisma().sliBucket.findMany({ where: { sliId, minute: { in: recorded.map((a) => a.minute) } } });
    expect(buckets.every((b) => b.good === b.total)).toBe(true);
    const { status } = await getSloStatus(members.viewer, team.slug, "web", "main", now);
    const f = status.integrity.findings.find((x) => x.kind === "good_over_total")!;
    expect(f.reason).toContain(`for ${recorded.length} minutes of the window`);
    expect(f.since).toBe(recorded[0]!.minute.toISOString());
    // A sync that reads the same minutes again replaces their rows, never adds to them.
    await syncPrometheusSli(sliId, now);
    expect(await prisma().sliSourceAnomaly.count({ where: { sliId } })).toBe(recorded.length);
  });

  it("a raw counter delta: the query is flagged and the reset's negative minute counted (stored as 0)", async () => {
    const { team, members, sliId } = await makePrometheusSlo(prom.url, {
      badQuery: 'sum(increase(http_requests_total{code="500"}[1m]))',
      totalQuery: "sum(http_requests_total) - sum(http_requests_total offset 1m)",
    });
    expect((await syncPrometheusSli(sliId, now)).error).toBeUndefined();
    const { status } = await getSloStatus(members.viewer, team.slug, "web", "main", now);
    expect(status.integrity.state).toBe("uncertain");
    const kinds = status.integrity.findings.map((x) => x.kind);
    expect(kinds).toContain("raw_counter");
    expect(kinds).toContain("negative_counts");
    expect(status.integrity.findings.find((x) => x.kind === "raw_counter")!.reason).toMatch(/^totalQuery reads the counter http_requests_total without rate\(\) or increase\(\)/);
    // The step at the reset (25 now, ~18,000 a minute before) is the one negative minute.
    const negative = status.integrity.findings.find((x) => x.kind === "negative_counts")!;
    expect(negative.reason).toContain("negative counts for 1 minute of the window");
    expect(negative.since).toBe(new Date(reset - MIN).toISOString());
    const b = await prisma().sliBucket.findUniqueOrThrow({ where: { sliId_minute: { sliId, minute: new Date(reset - MIN) } } });
    expect([Number(b.good), Number(b.total)]).toEqual([0, 0]);
  });

  it("increase() over the same counters: no source finding (only coverage, Prometheus holding 6 hours of a 1-day window)", async () => {
    const { team, members, sliId } = await makePrometheusSlo(prom.url, { badQuery: 'sum(increase(http_requests_total{code="500"}[1m]))', totalQuery: "sum(increase(http_requests_total[1m]))" });
    await syncPrometheusSli(sliId, now);
    const { status } = await getSloStatus(members.viewer, team.slug, "web", "main", now);
    expect(status.integrity.findings.map((x) => x.kind)).toEqual(["short_coverage"]);
    // Prometheus's first sample is 6 hours before `now`; its hour starts up to an hour earlier.
    expect(status.integrity.findings[0]!.reason).toMatch(/^1-day SLO over [67] hours of data: .*; the source holds nothing older \(its retention may be shorter than the window\)$/);
  });
});
