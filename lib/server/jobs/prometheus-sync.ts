// Pulls one Prometheus-sourced SLI up to the last complete minute: on first sync it backfills the
// longest window of the SLI's SLOs, after downtime it catches up from where it stopped, and it
// records progress after every chunk, so a long backfill shows how far it got and a failure
// loses nothing (the next run resumes). Overlapping minutes are simply written again.
import { samplesToBuckets, thresholdToBuckets, type ThresholdRule } from "../../domain/prometheus-samples";
import { firstStepWithoutBucket, storedHistogram } from "../../domain/promql-histogram";
import { complianceWindow, MINUTE_MS, minuteOf } from "../../domain/window";
import { prisma } from "../db/client";
import { upsertBuckets } from "../sli-data";
import { windowOf } from "../services/stored-values";
import { queryRange } from "../sources/prometheus";
import { clockNow } from "../clock";
import { recordSliSync } from "./sync-progress";
import { sourceAnomaliesOf, type SourceAnomaly } from "../../domain/sli-integrity";
import { recordSourceAnomalies } from "../services/sli-integrity";
import { syncPrometheusGroup } from "./prometheus-group-sync";
import { storedServerOf } from "../services/source-server";

const CHUNK_MINUTES = 1440; // one day per query: 1,440 steps, well under Prometheus's 11,000-point limit
/** Minutes re-read on every sync, for samples that arrive late (scrape and rule delays). */
export const REREAD_MINUTES = 5;

export type SyncResult = { sliId: string; from: Date; to: Date; buckets: number; error?: string };

export async function syncPrometheusSli(sliId: string, now = clockNow()): Promise<SyncResult> {
  const sli = await prisma().sli.findUniqueOrThrow({ where: { id: sliId }, include: { slos: true, dataSource: true } });
  // A grouped SLO's member is filled by its group's sync, which asks once for every member.
  if (sli.groupId) {
    const g = await syncPrometheusGroup(sli.groupId, now);
    return { sliId, from: g.from, to: g.to, buckets: g.buckets, ...(g.error ? { error: g.error } : {}) };
  }
  const threshold: (ThresholdRule & { query: string }) | null =
    sli.promThresholdQuery && isThresholdOp(sli.thresholdOp) && sli.thresholdValue !== null ? { query: sli.promThresholdQuery, op: sli.thresholdOp, value: sli.thresholdValue } : null;
  if (sli.source !== "prometheus" || (!sli.promTotalQuery && !threshold)) throw new Error(`SLI ${sliId} has no Prometheus source`);
  const end = minuteOf(now); // buckets before this minute are complete
  // An archived SLI is not synced (a sync queued before it was archived does nothing); restoring
  // it resumes from syncedUntil, so Prometheus fills what it still holds of the gap.
  if (sli.archivedAt) return { sliId: sli.id, from: end, to: end, buckets: 0 };
  // The URL (and header) come from the team's named data source when the SLI names one.
  const src = storedServerOf(sli);
  if (!src) {
    // Applied from files that hold queries only (Sloth): shown on the SLI until someone gives it a source.
    const error = "no URL or data source is set: this SLI pulls nothing until one is";
    if (sli.lastSyncError !== error) await recordSliSync(sli.id, { lastSyncAt: clockNow(), lastSyncError: error });
    return { sliId: sli.id, from: end, to: end, buckets: 0, error };
  }
  const longest = Math.max(0, ...sli.slos.map((o) => end.getTime() - complianceWindow(windowOf(o), now).start.getTime()));
  const needed = minuteOf(new Date(end.getTime() - Math.max(longest, 7 * 1440 * MINUTE_MS)));
  // First sync, or an SLO with a longer window since: backfill (again) from what the windows need.
  // Minutes already stored are written again unchanged, which costs little and keeps one code path.
  const extend = !sli.backfillFrom || needed < sli.backfillFrom;
  const backfillFrom = extend ? needed : sli.backfillFrom!;
  const syncedUntil = extend ? null : sli.syncedUntil;
  const resumeAt = syncedUntil ? new Date(Math.max(backfillFrom.getTime(), syncedUntil.getTime() - REREAD_MINUTES * MINUTE_MS)) : backfillFrom;
  if (extend) await recordSliSync(sli.id, { backfillFrom, syncedUntil: null });

  const mode = sli.promBadQuery ? "bad" : "good";
  const histogram = storedHistogram(sli);
  const otherQuery = sli.promBadQuery ?? sli.promGoodQuery ?? "";
  let buckets = 0;
  for (let from = resumeAt.getTime(); from < end.getTime(); from += CHUNK_MINUTES * MINUTE_MS) {
    const to = Math.min(end.getTime(), from + CHUNK_MINUTES * MINUTE_MS);
    // Step times T = from+1m .. to fill the buckets [from, to).
    const first = new Date(from + MINUTE_MS);
    const last = new Date(to);
    try {
      // A threshold SLI reads its one series: each minute is one event, good when it meets the threshold.
      // Good above total or negative counts are clamped into a valid bucket (samplesToBuckets) and
      // recorded, so the SLO reads "uncertain" with the count (docs/integrity.md): clamping keeps
      // every other minute of the chunk; refusing would stop the sync and stale the whole SLI.
      let anomalies: SourceAnomaly[] = [];
      const minutes = threshold
        ? thresholdToBuckets(await queryRange(src, threshold.query, first, last), threshold)
        : await Promise.all([queryRange(src, sli.promTotalQuery!, first, last), queryRange(src, otherQuery, first, last)]).then(([total, other]) => {
            // A histogram's threshold bucket always has a series while requests arrive; none means
            // its buckets changed (docs/histograms.md): stop there rather than count every request bad.
            const gone = histogram ? firstStepWithoutBucket(total, other) : null;
            if (gone !== null) throw new Error(`the histogram's bucket for ${sli.histogramThreshold} s has no samples from ${new Date(gone - MINUTE_MS).toISOString()} while requests do: its buckets changed; create the SLI again with a bound it has`);
            anomalies = sourceAnomaliesOf(total, other, mode);
            return samplesToBuckets(total, other, mode);
          });
      const rows = minutes.map((b) => ({ sliId: sli.id, minute: b.start, good: b.good, total: b.total }));
      buckets += await upsertBuckets(rows);
      if (!threshold) await recordSourceAnomalies(sli.id, new Date(from), new Date(to), anomalies, backfillFrom);
      await recordSliSync(sli.id, { syncedUntil: new Date(to), lastSyncAt: clockNow(), lastSyncError: null });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      await recordSliSync(sli.id, { lastSyncAt: clockNow(), lastSyncError: error.slice(0, 1000) });
      return { sliId: sli.id, from: resumeAt, to: new Date(from), buckets, error };
    }
  }
  return { sliId: sli.id, from: resumeAt, to: end, buckets };
}

function isThresholdOp(op: string | null): op is ThresholdRule["op"] {
  return op === "lt" || op === "lte" || op === "gt" || op === "gte";
}
