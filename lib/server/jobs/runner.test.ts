// The job queue across replicas: two runners on one database queue one sync per SLI, not two,
// and a worker carries it out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { prisma } from "../db/client";
import { createLogger } from "../logger";
import { makePrometheusSlo } from "../testing/factories";
import { startPrometheus } from "../testing/prometheus-server";
import { startJobs, SYNC_QUEUE, type JobRunner } from "./runner";

// The stand-ins listen on loopback, which the outbound guard refuses unless allowed (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const MIN = 60_000;
let prom: Awaited<ReturnType<typeof startPrometheus>>;
const runners: JobRunner[] = [];

beforeAll(async () => {
  const now = Math.floor(Date.now() / MIN) * MIN;
  const samples = Array.from({ length: 120 }, (_, i) => ({ labels: { code: "200" }, value: (i + 1) * 25, at: new Date(now - 32 * MIN + i * 15_000) }));
  prom = await startPrometheus("http_requests", samples);
}, 60_000);

afterAll(async () => {
  for (const r of runners) await r.stop();
  await prom?.stop();
});

describe("background jobs", () => {
  it("two replicas ticking at once queue one sync per SLI, and it runs", async () => {
    const { sliId } = await makePrometheusSlo(prom.url, { goodQuery: 'sum(increase(http_requests_total{code="200"}[1m]))', totalQuery: "sum(increase(http_requests_total[1m]))" });

    const log = createLogger("silent");
    const url = inject("databaseUrl");
    // Two replicas that only queue (no workers yet), asking for the same SLI at the same moment.
    const replicas = [await startJobs(url, log, { schedule: false, work: false }), await startJobs(url, log, { schedule: false, work: false })];
    runners.push(...replicas);
    const queued = await Promise.all([replicas[0]!.enqueueSyncs([sliId]), replicas[1]!.enqueueSyncs([sliId]), replicas[1]!.enqueueSyncs([sliId])]);
    expect(queued.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await replicas[0]!.boss.getQueueSize(SYNC_QUEUE)).toBe(1);

    // A worker replica carries it out.
    runners.push(await startJobs(url, log, { schedule: false }));

    const deadline = Date.now() + 60_000;
    let synced = null;
    // The backfill goes a day at a time, oldest first: wait until it has reached the last minutes.
    const caughtUp = (d: Date | null) => d !== null && d.getTime() >= Date.now() - 5 * MIN;
    while (Date.now() < deadline && !caughtUp(synced)) {
      synced = (await prisma().sli.findUniqueOrThrow({ where: { id: sliId } })).syncedUntil;
      if (!caughtUp(synced)) await new Promise((r) => setTimeout(r, 300));
    }
    expect(synced).not.toBeNull();
    const rows = await prisma().sliBucket.count({ where: { sliId: sliId } });
    expect(rows).toBeGreaterThan(20);
  }, 90_000);

  it("a new Prometheus SLI is backfilled at once, and an SLO with a longer window extends the backfill", async () => {
    // The worker replica of the test above is still running; nothing ticks (schedule: false).
    const waitFor = async <T,>(read: () => Promise<T>, ok: (v: T) => boolean) => {
      const deadline = Date.now() + 60_000;
      let v = await read();
      while (!ok(v) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 300));
        v = await read();
      }
      return v;
    };
    const { team, members, sliId } = await makePrometheusSlo(prom.url, { totalQuery: "sum(increase(http_requests_total[1m]))", badQuery: "vector(0)" });
    const sli = () => prisma().sli.findUniqueOrThrow({ where: { id: sliId } });
    const first = await waitFor(sli, (s) => s.syncedUntil !== null);
    expect(first.syncedUntil).not.toBeNull();
    // The 1-day SLO backfills the 7-day minimum.
    expect(Date.now() - first.backfillFrom!.getTime()).toBeLessThan(7 * 1440 * MIN + 2 * MIN);

    const { createSlo } = await import("../services/catalog");
    await createSlo(members.editor, team.slug, "web", { slug: "monthly", name: "Monthly", description: "", sli: "availability", objective: "0.999", window: { kind: "rolling", days: 30 }, minEvents: 0 });
    const extended = await waitFor(sli, (s) => s.backfillFrom!.getTime() < first.backfillFrom!.getTime() && s.syncedUntil !== null);
    expect(Date.now() - extended.backfillFrom!.getTime()).toBeGreaterThanOrEqual(30 * 1440 * MIN);
    expect(extended.syncedUntil).not.toBeNull();
  }, 90_000);
});
