// Background work on a PostgreSQL job queue (pg-boss), so several app replicas share it safely:
// the periodic jobs are queued once per period across all replicas (a singleton slot timed by
// the database's clock), and each SLI's sync job is "stately" with the SLI as singleton key, so
// one sync per SLI runs at a time, never two.
import pg from "pg";
import PgBoss from "pg-boss";
import type { Logger } from "pino";
import { poolOptions, prisma } from "../db/client";
import { deliver, DeliveryError } from "../services/notifications";
import { runDueAnalyses } from "./canary";
import { clockNow } from "../clock";
import { deleteExpiredCohorts } from "../services/cohorts";
import { materialiseExclusionSchedules } from "../services/exclusion-schedules";
import { evaluateAll, type AlertDelivery, type Delivery, type OverdueDelivery, type TierDelivery } from "./alert-evaluator";
import { syncPrometheusSli } from "./prometheus-sync";
import { syncPrometheusGroup } from "./prometheus-group-sync";
import { applyRetention } from "./retention";
import { purgeExpired } from "../services/sessions";
import { setSyncRequester } from "./sync-requests";
import { relayOutbox } from "./outbox";
import { deliverGithubCallback, setGithubCallbackEnqueuer, type GithubCallback } from "./github-callbacks";
import { getConfig } from "../config";
import { refreshRecentIncidents } from "../services/incidents";
import { materialiseComposites } from "../services/composite-materialise";
import { pushDueTickets } from "../services/ticket-sync";
import { postReviewNotices } from "./review-notices";

const QUEUE_SETUP_LOCK = 0x6a6f6273; // "jobs"

async function withAdvisoryLock<T>(databaseUrl: string, key: number, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [key]);
    return await fn();
  } finally {
    await client.end(); // ending the session releases the lock
  }
}

export const TICK_QUEUE = "prometheus-tick";
export const SYNC_QUEUE = "prometheus-sync";
export const EVALUATE_QUEUE = "alert-evaluate";
export const NOTIFY_QUEUE = "notify";
export const RETENTION_QUEUE = "retention";
export const GITHUB_QUEUE = "github-callback";
/** Action items' status changes to their Jira or Linear issues (lib/server/services/ticket-sync.ts). */
export const TICKET_PUSH_QUEUE = "ticket-push";
export const REVIEW_QUEUE = "review-notices";
/**
 * The periodic jobs and their periods in seconds. Every scheduling replica offers each one every
 * few seconds; pg-boss keeps one job per name and period slot, the slot computed from
 * PostgreSQL's now(), so the job runs once per period whatever the replicas' clocks say.
 * (pg-boss's own cron was used before: it finds the last cron time by the process's clock and
 * compares it with the database's, so a replica whose clock is minutes off queued nothing, and
 * when it won the shared 30-second cron slot no replica queued the minute's evaluation.)
 */
const PERIODIC: readonly (readonly [queue: string, seconds: number])[] = [
  [TICK_QUEUE, 60],
  [EVALUATE_QUEUE, 60],
  [RETENTION_QUEUE, 3_600],
  [TICKET_PUSH_QUEUE, 10],
  // Error-budget review notices: due from 09:00 local on a month's first working day (review-notices.ts).
  [REVIEW_QUEUE, 600],
];
/** How often a scheduling replica offers the periodic jobs: each runs within this long of its slot's start. */
const PERIODIC_OFFER_MS = 5_000;
/** How often a working replica moves outbox rows to the queue: the most a message waits before its first attempt. */
const OUTBOX_RELAY_MS = 1000;
/** Deliveries retry with exponential backoff from 10 s, for about an hour in all. */
const NOTIFY_RETRY = { retryLimit: 8, retryDelay: 10, retryBackoff: true } as const;

/** A receiver's Retry-After is honoured up to an hour, and 20 times per message; past either, the queue's own retries and backoff take over. */
const MAX_DEFERRAL_SECONDS = 3_600;
const MAX_DEFERRALS = 20;

/** When to ask again (seconds) if the receiver named a time, else undefined. */
export function deferral(e: unknown, deferrals: number): number | undefined {
  if (!(e instanceof DeliveryError) || e.retryAfterSeconds === undefined || deferrals >= MAX_DEFERRALS) return undefined;
  return Math.min(Math.max(1, e.retryAfterSeconds), MAX_DEFERRAL_SECONDS);
}

export type JobRunner = {
  boss: PgBoss;
  enqueueSyncs: (sliIds?: string[]) => Promise<number>;
  evaluate: (now?: Date) => Promise<{ alerts: AlertDelivery[]; tiers: TierDelivery[]; overdue: OverdueDelivery[] }>;
  stop: () => Promise<void>;
};

/**
 * Starts the queue. `schedule` (default on) fires the per-minute tick; `work` (default on)
 * makes this process a worker. Every replica runs both: the queue decides who does what.
 */
export async function startJobs(databaseUrl: string, log: Logger, opts: { schedule?: boolean; work?: boolean } = {}): Promise<JobRunner> {
  // The queue's pool has the app pool's bounds: a partition fails its statements, never hangs them.
  const config = getConfig();
  const bounds = poolOptions(databaseUrl, 4, { connectMs: config.DB_CONNECT_TIMEOUT_MS, queryMs: config.DB_QUERY_TIMEOUT_MS });
  const boss = new PgBoss({ ...bounds, schema: "pgboss", application_name: "burnrate-jobs" });
  boss.on("error", (err) => log.error({ err }, "job queue error"));
  // pg-boss's queue creation deadlocks when replicas start together: serialise it.
  await withAdvisoryLock(databaseUrl, QUEUE_SETUP_LOCK, async () => {
    await boss.start();
    await boss.createQueue(TICK_QUEUE, { name: TICK_QUEUE, policy: "short" });
    await boss.createQueue(SYNC_QUEUE, { name: SYNC_QUEUE, policy: "stately", retryLimit: 0, expireInMinutes: 30 });
    await boss.createQueue(EVALUATE_QUEUE, { name: EVALUATE_QUEUE, policy: "short" });
    await boss.createQueue(NOTIFY_QUEUE, { name: NOTIFY_QUEUE, ...NOTIFY_RETRY });
    await boss.createQueue(RETENTION_QUEUE, { name: RETENTION_QUEUE, policy: "short" });
    await boss.createQueue(GITHUB_QUEUE, { name: GITHUB_QUEUE, ...NOTIFY_RETRY });
    await boss.createQueue(TICKET_PUSH_QUEUE, { name: TICKET_PUSH_QUEUE, policy: "short" });
    await boss.createQueue(REVIEW_QUEUE, { name: REVIEW_QUEUE, policy: "short" });
  });

  /** Outbox rows (any replica's) to the notify queue, each send in the transaction that takes the row. */
  const relay = () =>
    relayOutbox(async (client, d: Delivery) => {
      await boss.send(NOTIFY_QUEUE, d, { ...NOTIFY_RETRY, db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) } });
    });

  /** Evaluates every SLO's alert state and every service's tier; each change's messages go to the outbox in its transaction, then to the queue. */
  const evaluate = async (now?: Date) => {
    const sent = await evaluateAll(now);
    if (opts.work !== false) await relay();
    return sent;
  };

  /** Queues a sync of the given (default: every) Prometheus-sourced SLI; returns how many were queued, not already waiting. */
  const enqueueSyncs = async (sliIds?: string[]) => {
    // A grouped SLO's members are synced by their group, once per group (docs/grouped-slos.md).
    const slis = await prisma().sli.findMany({ where: { source: "prometheus", archivedAt: null, groupId: null, ...(sliIds ? { id: { in: sliIds } } : {}) }, select: { id: true } });
    const groups = sliIds ? [] : await prisma().sloGroup.findMany({ where: { source: "prometheus", archivedAt: null }, select: { id: true } });
    let queued = 0;
    for (const s of slis) if (await boss.send(SYNC_QUEUE, { sliId: s.id }, { singletonKey: s.id })) queued++;
    for (const g of groups) if (await boss.send(SYNC_QUEUE, { groupId: g.id }, { singletonKey: g.id })) queued++;
    return queued;
  };

  if (opts.work !== false) {
    await boss.work(TICK_QUEUE, async () => {
      await enqueueSyncs();
    });
    await boss.work<{ sliId: string } | { groupId: string }>(SYNC_QUEUE, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
      if (!job) return;
      if ("groupId" in job.data) {
        const g = await syncPrometheusGroup(job.data.groupId);
        if (g.error) log.warn({ group_id: g.groupId, error: g.error }, "Prometheus sync of a grouped SLO failed or left values out");
        return;
      }
      const r = await syncPrometheusSli(job.data.sliId);
      if (r.error) log.warn({ sli_id: r.sliId, error: r.error }, "Prometheus sync failed; the SLI shows stale data until it recovers");
      else if (r.buckets) log.info({ sli_id: r.sliId, buckets: r.buckets }, "Prometheus sync");
    });
    await boss.work(EVALUATE_QUEUE, async () => {
      await refreshRecentIncidents();
      // Canary intervals before the alert evaluation, so an ended analysis's message is relayed with it.
      const canary = await runDueAnalyses();
      if (canary.judged.length) log.info({ intervals: canary.judged }, "canary analysis intervals judged");
      // Composite SLOs' minutes from their members' before the evaluation reads them (docs/composite-slos.md).
      const composites = await materialiseComposites(clockNow());
      if (composites.minutes + composites.recomputed) log.info({ composites }, "composite SLOs materialised");
      const sent = await evaluate();
      if (sent.alerts.length + sent.tiers.length + sent.overdue.length) {
        log.info({ alert_notifications: sent.alerts.length, tier_notifications: sent.tiers.length, overdue_notifications: sent.overdue.length }, "notifications queued");
      }
    });
    await boss.work(RETENTION_QUEUE, async () => {
      const r = await applyRetention(getConfig().MINUTE_RETENTION_DAYS);
      if (r.droppedPartitions.length) log.info({ partitions: r.droppedPartitions, cutoff: r.cutoff.toISOString() }, "dropped minute data past retention");
      const cohorts = await deleteExpiredCohorts(clockNow());
      if (cohorts) log.info({ cohorts }, "dropped expired cohorts with their minutes");
      // Recurring exclusions: occurrences up to their horizon, which moves on each hour (docs/exclusions.md).
      const schedules = await materialiseExclusionSchedules(clockNow());
      if (schedules.added + schedules.removed + schedules.failed.length) log.info({ exclusion_schedules: schedules }, "recurring exclusions brought up to date");
      const gone = await purgeExpired();
      if (gone.sessions + gone.rateLimits) log.info({ sessions: gone.sessions, rate_limits: gone.rateLimits }, "dropped expired sessions and rate-limit counters");
    });
    await boss.work<Delivery & { deferrals?: number }>(NOTIFY_QUEUE, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
      if (!job) return;
      try {
        await deliver(job.data.channelId, job.data);
      } catch (e) {
        // A receiver that says when to come back (429 or 503 with Retry-After) is asked again then,
        // not sooner: the message waits in the queue as a new job starting after that delay.
        const later = deferral(e, job.data.deferrals ?? 0);
        if (later === undefined) throw e;
        await boss.send(NOTIFY_QUEUE, { ...job.data, deferrals: (job.data.deferrals ?? 0) + 1 }, { ...NOTIFY_RETRY, startAfter: later });
        log.warn({ channel_id: job.data.channelId, retry_after_s: later }, "notification receiver asked us to come back later");
      }
    });
    // Each link keeps its own retry time (backoff), so a tracker that is down delays only its links.
    await boss.work(TICKET_PUSH_QUEUE, async () => {
      const r = await pushDueTickets();
      if (r.pushed + r.failed) log.info({ tickets_pushed: r.pushed, tickets_failed: r.failed }, "action item statuses pushed to their tickets");
    });
    await boss.work(REVIEW_QUEUE, async () => {
      const teams = await postReviewNotices(clockNow());
      if (teams.length) log.info({ teams }, "error-budget review notices queued");
    });
    await boss.work<GithubCallback>(GITHUB_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (job) await deliverGithubCallback(job.data);
    });
  }
  // The outbox is drained every second by every replica that works (SKIP LOCKED shares it out).
  let relaying: Promise<unknown> = Promise.resolve();
  const relayTimer =
    opts.work !== false
      ? setInterval(() => {
          relaying = relaying.then(relay).catch((err: unknown) => log.warn({ err }, "could not move notifications from the outbox to the queue; retrying"));
        }, OUTBOX_RELAY_MS)
      : undefined;
  relayTimer?.unref();
  setSyncRequester(enqueueSyncs);
  setGithubCallbackEnqueuer(async (c) => {
    await boss.send(GITHUB_QUEUE, c, NOTIFY_RETRY);
  });
  let offering: Promise<unknown> = Promise.resolve();
  let offerTimer: NodeJS.Timeout | undefined;
  if (opts.schedule !== false) {
    // Databases from before this change hold pg-boss cron schedules for the same queues.
    for (const [queue] of PERIODIC) await boss.unschedule(queue);
    const offer = async () => {
      for (const [queue, seconds] of PERIODIC) await boss.send(queue, {}, { singletonKey: queue, singletonSeconds: seconds });
    };
    await offer();
    offerTimer = setInterval(() => {
      offering = offering.then(offer).catch((err: unknown) => log.warn({ err }, "could not queue the periodic jobs; retrying"));
    }, PERIODIC_OFFER_MS);
    offerTimer.unref();
  }
  const stop = async () => {
    clearInterval(relayTimer);
    clearInterval(offerTimer);
    await relaying;
    await offering;
    setSyncRequester(null);
    setGithubCallbackEnqueuer(null);
    await boss.stop({ graceful: true, timeout: 10_000, wait: true });
  };
  return { boss, enqueueSyncs, evaluate, stop };
}
