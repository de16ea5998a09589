// Is an SLI's data current? A status computed from stale data must say so, or a silent
// exporter looks like a perfect SLO.
export type FreshnessFacts = {
  source: "push" | "prometheus" | "composite";
  /** Start of the newest minute bucket before the instant evaluated, if any. */
  lastDataAt: Date | null;
  /** Prometheus sources: data is complete up to here, and the last sync's error if it failed. */
  syncedUntil?: Date | null;
  lastSyncError?: string | null;
};

export type Freshness = { state: "fresh" | "stale" | "no_data"; lastDataAt: string | null; reason: string | null };

/** Pushed data older than this is stale (a pusher sends every minute; allow for batching). */
export const PUSH_STALE_AFTER_MINUTES = 15;
/** A Prometheus sync runs every minute; this many minutes behind is stale. */
export const PULL_STALE_AFTER_MINUTES = 5;

/** Below this many days still to do, a backfill counts as finished (progress is shown to a tenth of a day). */
const BACKFILL_SLACK_DAYS = 0.1;

export type SyncProgress = {
  backfillFrom: string | null;
  syncedUntil: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  daysDone: number;
  daysToDo: number | null;
  /** "pending": never synced; "backfilling": catching up on the window; "done": within a tenth of a day of now. */
  backfill: "pending" | "backfilling" | "done";
};

/** How far a Prometheus backfill has come, in days done of days to do, and whether it has finished. */
export function syncProgressOf(s: { backfillFrom: Date | null; syncedUntil: Date | null; lastSyncAt: Date | null; lastSyncError: string | null }, now: Date): SyncProgress {
  const from = s.backfillFrom?.getTime();
  const days = (ms: number) => Math.round((ms / 86_400_000) * 10) / 10;
  const daysDone = from !== undefined && s.syncedUntil ? days(s.syncedUntil.getTime() - from) : 0;
  const daysToDo = from !== undefined ? days(now.getTime() - from) : null;
  return {
    backfillFrom: s.backfillFrom?.toISOString() ?? null,
    syncedUntil: s.syncedUntil?.toISOString() ?? null,
    lastSyncAt: s.lastSyncAt?.toISOString() ?? null,
    lastError: s.lastSyncError,
    daysDone,
    daysToDo,
    backfill: daysToDo === null ? "pending" : daysDone + BACKFILL_SLACK_DAYS < daysToDo ? "backfilling" : "done",
  };
}

export function freshnessOf(f: FreshnessFacts, at: Date): Freshness {
  const lastDataAt = f.lastDataAt?.toISOString() ?? null;
  const minutesSince = (d: Date) => (at.getTime() - d.getTime()) / 60_000;
  // Composites are materialised from their members like a sync (docs/composite-slos.md): same rule.
  if (f.source !== "push") {
    if (f.lastSyncError) return { state: f.lastDataAt ? "stale" : "no_data", lastDataAt, reason: `the last sync failed: ${f.lastSyncError}` };
    if (!f.syncedUntil) return { state: "no_data", lastDataAt, reason: "the first sync has not run yet" };
    if (minutesSince(f.syncedUntil) > PULL_STALE_AFTER_MINUTES) return { state: "stale", lastDataAt, reason: `synced only up to ${f.syncedUntil.toISOString()}` };
    return { state: "fresh", lastDataAt, reason: null };
  }
  if (!f.lastDataAt) return { state: "no_data", lastDataAt, reason: "no data has been pushed yet" };
  if (minutesSince(f.lastDataAt) > PUSH_STALE_AFTER_MINUTES) return { state: "stale", lastDataAt, reason: `no data pushed for ${Math.floor(minutesSince(f.lastDataAt))} minutes` };
  return { state: "fresh", lastDataAt, reason: null };
}
