// Background work on a PostgreSQL job queue (pg-boss), so several app replicas share it safely:
// a cron schedule fires once per minute across all replicas, and each SLI's sync job is
// "stately" with the SLI as singleton key, so one sync per SLI runs at a time, never two.
import PgBoss from "pg-boss";
import type { Logger } from "pino";
import { prisma } from "../db/client";
import { syncPrometheusSli } from "./prometheus-sync";

export const TICK_QUEUE = "prometheus-tick";
export const SYNC_QUEUE = "prometheus-sync";

export type JobRunner = { boss: PgBoss; enqueueSyncs: (sliIds?: string[]) => Promise<number>; stop: () => Promise<void> };

/**
 * Starts the queue. `schedule` (default on) fires the per-minute tick; `work` (default on)
 * makes this process a worker. Every replica runs both: the queue decides who does what.
 */
export async function startJobs(databaseUrl: string, log: Logger, opts: { schedule?: boolean; work?: boolean } = {}): Promise<JobRunner> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss", max: 4, application_name: "burnrate-jobs" });
  boss.on("error", (err) => log.error({ err }, "job queue error"));
  await boss.start();
  await boss.createQueue(TICK_QUEUE, { name: TICK_QUEUE, policy: "short" });
  await boss.createQueue(SYNC_QUEUE, { name: SYNC_QUEUE, policy: "stately", retryLimit: 0, expireInMinutes: 30 });

  /** Queues a sync of the given (default: every) Prometheus-sourced SLI; returns how many were queued, not already waiting. */
  const enqueueSyncs = async (sliIds?: string[]) => {
    const slis = await prisma().sli.findMany({ where: { source: "prometheus", ...(sliIds ? { id: { in: sliIds } } : {}) }, select: { id: true } });
    let queued = 0;
    for (const s of slis) if (await boss.send(SYNC_QUEUE, { sliId: s.id }, { singletonKey: s.id })) queued++;
    return queued;
  };

  if (opts.work !== false) {
    await boss.work(TICK_QUEUE, async () => {
      await enqueueSyncs();
    });
    await boss.work<{ sliId: string }>(SYNC_QUEUE, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
      if (!job) return;
      const r = await syncPrometheusSli(job.data.sliId);
      if (r.error) log.warn({ sli_id: r.sliId, error: r.error }, "Prometheus sync failed; the SLI shows stale data until it recovers");
      else if (r.buckets) log.info({ sli_id: r.sliId, buckets: r.buckets }, "Prometheus sync");
    });
  }
  if (opts.schedule !== false) await boss.schedule(TICK_QUEUE, "* * * * *");
  return { boss, enqueueSyncs, stop: () => boss.stop({ graceful: true, timeout: 10_000, wait: true }) };
}
