// Is an SLI's data current? A status computed from stale data must say so, or a silent
// exporter looks like a perfect SLO.
export type FreshnessFacts = {
  source: "push" | "prometheus";
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

export function freshnessOf(f: FreshnessFacts, at: Date): Freshness {
  const lastDataAt = f.lastDataAt?.toISOString() ?? null;
  const minutesSince = (d: Date) => (at.getTime() - d.getTime()) / 60_000;
  if (f.source === "prometheus") {
    if (f.lastSyncError) return { state: f.lastDataAt ? "stale" : "no_data", lastDataAt, reason: `the last sync failed: ${f.lastSyncError}` };
    if (!f.syncedUntil) return { state: "no_data", lastDataAt, reason: "the first sync has not run yet" };
    if (minutesSince(f.syncedUntil) > PULL_STALE_AFTER_MINUTES) return { state: "stale", lastDataAt, reason: `synced only up to ${f.syncedUntil.toISOString()}` };
    return { state: "fresh", lastDataAt, reason: null };
  }
  if (!f.lastDataAt) return { state: "no_data", lastDataAt, reason: "no data has been pushed yet" };
  if (minutesSince(f.lastDataAt) > PUSH_STALE_AFTER_MINUTES) return { state: "stale", lastDataAt, reason: `no data pushed for ${Math.floor(minutesSince(f.lastDataAt))} minutes` };
  return { state: "fresh", lastDataAt, reason: null };
}
