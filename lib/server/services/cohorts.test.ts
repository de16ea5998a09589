// Cohort data (docs/deploy-verification.md "Cohorts"): pushed minutes kept apart from the SLI's
// own, the cap on live cohorts, their life, and cohorts pulled from a real Prometheus by label.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { startPrometheus } from "../testing/prometheus-server";
import { COHORT_TTL_DAYS, MAX_LIVE_COHORTS_PER_SLI } from "../../domain/cohort";
import { createService, createSli, createSlo } from "./catalog";
import { ingestBatch } from "./ingest";
import { getSloStatus } from "./slo-status";
import { deleteExpiredCohorts, pulledCohortMinutes, pushedCohortMinutes } from "./cohorts";
import { getAnalysis, startAnalysis } from "./analyses";
import { runDueAnalyses } from "../jobs/canary";
import { createAnalysisSchema } from "../../schemas/analysis";

// The Prometheus stand-in listens on loopback, which the outbound guard refuses unless allowed.
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const MIN = 60_000;
const DAY = 86_400_000;
const now = new Date("2026-06-01T00:00:00Z");
const minute = (i: number) => new Date(now.getTime() - i * MIN).toISOString();

async function setup() {
  const { team, members } = await makeTeam(["admin", "editor"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  const sli = await createSli(members.editor, team.slug, "api", { slug: "availability", name: "Availability", description: "", kind: "request_ratio" });
  await createSlo(members.editor, team.slug, "api", { slug: "main", name: "Main", description: "", sli: "availability", objective: "0.99", window: { kind: "rolling", days: 7 }, minEvents: 0 });
  const token = await makeTokenActor(team.slug, members.admin, ["ingest"]);
  return { team, members, sli: sli!, token };
}

describe("pushed cohort minutes", () => {
  it("never change the SLO's numbers; the last value sent for a minute wins", async () => {
    const { team, members, sli, token } = await setup();
    await ingestBatch(token, { items: Array.from({ length: 30 }, (_, i) => ({ sli: "api/availability", minute: minute(i + 1), good: 990, total: 1000 })) }, now);
    const before = await getSloStatus(members.editor, team.slug, "api", "main", now);
    const r = await ingestBatch(
      token,
      {
        items: [
          ...Array.from({ length: 30 }, (_, i) => ({ sli: "api/availability", cohort: "canary", minute: minute(i + 1), bad: 500, total: 1000 })),
          { sli: sli.id, cohort: "canary", minute: minute(1), bad: 7, total: 100 },
        ],
      },
      now,
    );
    expect(r).toEqual({ accepted: 31, rejected: [] });
    const after = await getSloStatus(members.editor, team.slug, "api", "main", now);
    expect(after.status).toEqual(before.status);
    expect(await prisma().sliBucket.count({ where: { sliId: sli.id } })).toBe(30);
    const canary = await pushedCohortMinutes(sli.id, "canary", new Date(minute(1)), new Date(now), now);
    expect(canary).toEqual([{ minute: new Date(minute(1)), good: 93, total: 100 }]);
  });

  it("refuses a cohort over the cap, naming the field, the cap and how to free a place; an expired one frees it", async () => {
    const { sli, token } = await setup();
    const item = (cohort: string) => ({ sli: "api/availability", cohort, minute: minute(1), good: 1, total: 1 });
    const full = await ingestBatch(token, { items: Array.from({ length: MAX_LIVE_COHORTS_PER_SLI }, (_, i) => item(`v${i}`)) }, now);
    expect(full.accepted).toBe(MAX_LIVE_COHORTS_PER_SLI);
    const over = await ingestBatch(token, { items: [item("one-more"), item("v3")] }, now);
    expect(over.accepted).toBe(1);
    expect(over.rejected).toEqual([{ index: 0, field: "cohort", reason: expect.stringMatching(/already has 20 live cohorts.*reuse one of their names, or wait until one expires/) }]);
    // Nothing of a push accepted: the route answers 422 (app/api/v1/ingest/route.ts).
    expect((await ingestBatch(token, { items: [item("one-more")] }, now)).accepted).toBe(0);
    // COHORT_TTL_DAYS after their last push every one of them has expired: a new name fits again.
    const later = new Date(now.getTime() + COHORT_TTL_DAYS * DAY + MIN);
    expect((await ingestBatch(token, { items: [{ ...item("one-more"), minute: new Date(later.getTime() - 2 * MIN).toISOString() }] }, later)).accepted).toBe(1);
    expect((await prisma().sliCohort.findMany({ where: { sliId: sli.id } })).map((c) => c.name)).toEqual(["one-more"]);
  });

  it("refuses malformed and hostile cohort names by field; items without a cohort keep the fast path's answer", async () => {
    const { token } = await setup();
    const r = await ingestBatch(
      token,
      {
        items: [
          { sli: "api/availability", cohort: 'canary"}', minute: minute(1), good: 1, total: 1 },
          { sli: "api/availability", cohort: "", minute: minute(1), good: 1, total: 1 },
          { sli: "api/availability", cohort: "x".repeat(65), minute: minute(1), good: 1, total: 1 },
          { sli: "api/availability", cohort: 7, minute: minute(1), good: 1, total: 1 },
          { sli: "api/availability", minute: minute(1), good: 1, total: 1 },
        ],
      },
      now,
    );
    expect(r.accepted).toBe(1);
    expect(r.rejected.map((x) => [x.index, x.field])).toEqual([
      [0, "cohort"],
      [1, "cohort"],
      [2, "cohort"],
      [3, "cohort"],
    ]);
  });

  it("the retention job removes cohorts past their life with their minutes; a read by an analysis keeps one alive", async () => {
    const { sli, token } = await setup();
    await ingestBatch(token, { items: ["old", "read"].map((cohort) => ({ sli: "api/availability", cohort, minute: minute(1), good: 1, total: 1 })) }, now);
    const readAt = new Date(now.getTime() + 5 * DAY);
    expect(await pushedCohortMinutes(sli.id, "read", new Date(minute(1)), now, readAt)).toHaveLength(1);
    const sweep = new Date(now.getTime() + COHORT_TTL_DAYS * DAY + MIN);
    expect(await deleteExpiredCohorts(sweep)).toBeGreaterThanOrEqual(1);
    expect((await prisma().sliCohort.findMany({ where: { sliId: sli.id } })).map((c) => c.name)).toEqual(["read"]);
    expect(await prisma().sliCohortBucket.count({ where: { cohort: { sliId: sli.id } } })).toBe(1);
  });
});

describe("cohorts pulled from Prometheus", () => {
  const end = new Date(Math.floor(Date.now() / MIN) * MIN);
  const from = new Date(end.getTime() - 40 * MIN);
  let prom: Awaited<ReturnType<typeof startPrometheus>>;

  beforeAll(async () => {
    // Every 15 s, per version: 100 requests; the baseline fails 1 of them, the canary 4.
    const samples = [];
    const counts = { baseline: { ok: 0, bad: 0 }, canary: { ok: 0, bad: 0 } };
    for (let t = from.getTime() - 5 * MIN; t <= end.getTime(); t += 15_000) {
      for (const version of ["baseline", "canary"] as const) {
        const bad = version === "canary" ? 4 : 1;
        counts[version].ok += 100 - bad;
        counts[version].bad += bad;
        samples.push({ labels: { code: "200", version }, value: counts[version].ok, at: new Date(t) }, { labels: { code: "500", version }, value: counts[version].bad, at: new Date(t) });
      }
    }
    prom = await startPrometheus("http_requests", samples);
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });

  it("reads a cohort by the SLI's own queries narrowed to the cohort label, and an analysis judges it", async () => {
    const { team, members } = await makeTeam(["admin", "editor"]);
    const svc = await prisma().service.create({ data: { teamId: team.id, slug: "web", name: "Web" } });
    const sli = await prisma().sli.create({
      data: {
        serviceId: svc.id, slug: "availability", name: "Availability", kind: "request_ratio", source: "prometheus", promUrl: prom.url, promCohortLabel: "version",
        promBadQuery: 'sum(increase(http_requests_total{code="500"}[1m]))', promTotalQuery: "sum(increase(http_requests_total[1m]))",
      },
    });
    const src = { promCohortLabel: "version", source: { url: prom.url, authHeader: null }, promTotalQuery: sli.promTotalQuery, promGoodQuery: null, promBadQuery: sli.promBadQuery, threshold: null };
    const canary = await pulledCohortMinutes(src, "canary", new Date(end.getTime() - 20 * MIN), new Date(end.getTime() - 10 * MIN));
    expect(canary).toHaveLength(10);
    // 16 of 400 requests a minute fail in the canary (increase() over 1 m of 15 s samples).
    for (const m of canary) expect((m.total - m.good) / m.total).toBeCloseTo(0.04, 2);
    const gate = await makeTokenActor(team.slug, members.admin, ["gate"]);
    const startedAt = new Date(end.getTime() - 30 * MIN);
    const a = await startAnalysis(gate, team.slug, createAnalysisSchema.parse({ service: "web", canary: "canary", baseline: "baseline", schedule: { count: 1, intervalMinutes: 20, initialDelayMinutes: 0, failureLimit: 0, inconclusiveLimit: 0 } }), startedAt);
    const run = await runDueAnalyses(new Date(end.getTime() - 5 * MIN), { teamId: team.id });
    expect(run.judged.filter((j) => j.id === a.id)).toMatchObject([{ outcome: "fail", status: "failed" }]);
    const view = await getAnalysis(gate, team.slug, a.id);
    expect(view.intervals[0]!.metrics[0]).toMatchObject({ classification: "High", experimentCount: 20, controlCount: 20 });
  });

  it("a query that already selects on the cohort label is refused with a sentence", async () => {
    const src = { promCohortLabel: "version", source: { url: prom.url, authHeader: null }, promTotalQuery: 'sum(increase(http_requests_total{version="x"}[1m]))', promGoodQuery: null, promBadQuery: "vector(0)", threshold: null };
    await expect(pulledCohortMinutes(src, "canary", from, end)).rejects.toThrow('already selects on the label "version"');
  });
});

describe("an SLI's cohort label", () => {
  const prometheus = { url: "https://prometheus.example.test", badQuery: 'sum(increase(http_requests_total{code="500"}[1m]))', totalQuery: "sum(increase(http_requests_total[1m]))" };
  it("is stored and shown with the SLI; a query that already selects on it is refused at save time, naming the query", async () => {
    const { createSliSchema } = await import("../../schemas/catalog");
    const { team, members } = await makeTeam(["admin", "editor"]);
    await createService(members.editor, team.slug, { slug: "web", name: "Web", description: "" });
    const input = createSliSchema.parse({ slug: "availability", name: "Availability", description: "", kind: "request_ratio", prometheus: { ...prometheus, cohortLabel: "version" } });
    expect((await createSli(members.editor, team.slug, "web", input))!.prometheus).toMatchObject({ cohortLabel: "version" });
    const clash = createSliSchema.safeParse({ slug: "bb", name: "B", description: "", kind: "request_ratio", prometheus: { ...prometheus, totalQuery: 'sum(increase(x{version="1"}[1m]))', cohortLabel: "version" } });
    expect(clash.success).toBe(false);
    expect(clash.error!.issues[0]).toMatchObject({ path: ["prometheus", "totalQuery"], message: expect.stringContaining('already selects on the label "version"') });
    expect(createSliSchema.safeParse({ slug: "cc", name: "C", description: "", kind: "request_ratio", prometheus: { ...prometheus, cohortLabel: "__name__" } }).success).toBe(false);
  });
});
