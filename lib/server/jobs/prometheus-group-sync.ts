// Pulls a Prometheus-sourced grouped SLO (docs/grouped-slos.md): each chunk of minutes is asked
// once with the group's `by (label)` queries and the series are fanned out to the members by
// label value; a new value makes a member (capped), so new endpoints or regions appear on their
// own. Progress is the group's, as a single SLI's is (prometheus-sync.ts), and each member's SLI
// gets the same syncedUntil so its freshness reads as any Prometheus SLI's.
import { samplesToBuckets } from "../../domain/prometheus-samples";
import { complianceWindow, MINUTE_MS, minuteOf } from "../../domain/window";
import { prisma } from "../db/client";
import { upsertBuckets } from "../sli-data";
import { windowOf } from "../services/stored-values";
import { queryRangeByLabel } from "../sources/prometheus";
import { clockNow } from "../clock";
import { recordGroupSync } from "./sync-progress";
import { ensureMembers, groupRef, type GroupRow } from "../services/slo-group-members";

const CHUNK_MINUTES = 1440; // as prometheus-sync.ts: one day per query
const REREAD_MINUTES = 5;

export type GroupSyncResult = { groupId: string; from: Date; to: Date; buckets: number; members: number; error?: string };

export async function syncPrometheusGroup(groupId: string, now = clockNow()): Promise<GroupSyncResult> {
  const group = await prisma().sloGroup.findUniqueOrThrow({ where: { id: groupId }, include: { service: { select: { slug: true, teamId: true, archivedAt: true } } } });
  const end = minuteOf(now);
  const none = { groupId, from: end, to: end, buckets: 0, members: 0 };
  if (group.source !== "prometheus" || !group.promTotalQuery || !group.promUrl || group.archivedAt || group.service.archivedAt) return none;
  const src = { url: group.promUrl, authHeader: group.promAuthHeader };
  const longest = end.getTime() - complianceWindow(windowOf(group), now).start.getTime();
  const needed = minuteOf(new Date(end.getTime() - Math.max(longest, 7 * 1440 * MINUTE_MS)));
  const extend = !group.backfillFrom || needed < group.backfillFrom;
  const backfillFrom = extend ? needed : group.backfillFrom!;
  const syncedUntil = extend ? null : group.syncedUntil;
  const resumeAt = syncedUntil ? new Date(Math.max(backfillFrom.getTime(), syncedUntil.getTime() - REREAD_MINUTES * MINUTE_MS)) : backfillFrom;
  if (extend) await prisma().sloGroup.update({ where: { id: group.id }, data: { backfillFrom, syncedUntil: null } });

  const mode = group.promBadQuery ? "bad" : "good";
  const otherQuery = group.promBadQuery ?? group.promGoodQuery ?? "";
  let buckets = 0;
  const seen = new Set<string>();
  const leftOut = new Set<string>();
  for (let from = resumeAt.getTime(); from < end.getTime(); from += CHUNK_MINUTES * MINUTE_MS) {
    const to = Math.min(end.getTime(), from + CHUNK_MINUTES * MINUTE_MS);
    const first = new Date(from + MINUTE_MS);
    const last = new Date(to);
    try {
      const [total, other] = await Promise.all([queryRangeByLabel(src, group.promTotalQuery, group.labelKey, first, last), queryRangeByLabel(src, otherQuery, group.labelKey, first, last)]);
      const members = await ensureMembers(group, [...total.keys()], null, now);
      const rows = [];
      const synced: string[] = [];
      for (const [value, samples] of total) {
        const m = members.get(value);
        // A value removed by hand (its member SLO deleted) is left out on purpose: not an error.
        if (m && "removed" in m) continue;
        if (!m || !("sliId" in m)) {
          leftOut.add(value);
          continue;
        }
        seen.add(value);
        synced.push(m.sliId);
        // A value with no bad (or good) series in a minute had none: samplesToBuckets reads a missing one as 0.
        for (const b of samplesToBuckets(samples, other.get(value) ?? new Map(), mode)) rows.push({ sliId: m.sliId, minute: b.start, good: b.good, total: b.total });
      }
      buckets += await upsertBuckets(rows);
      // The members' progress follows the group's, so each reads fresh or stale as a Prometheus SLI does.
      const error = leftOut.size ? overCap(group, [...leftOut]) : null;
      await recordGroupSync(group.id, { syncedUntil: new Date(to), lastSyncAt: clockNow(), lastSyncError: error }, { backfillFrom, syncedUntil: new Date(to), lastSyncAt: clockNow(), lastSyncError: null });
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
      await recordGroupSync(group.id, { lastSyncAt: clockNow(), lastSyncError: error }, { lastSyncAt: clockNow(), lastSyncError: error });
      return { groupId, from: resumeAt, to: new Date(from), buckets, members: seen.size, error };
    }
  }
  return { groupId, from: resumeAt, to: end, buckets, members: seen.size, ...(leftOut.size ? { error: overCap(group, [...leftOut]) } : {}) };
}

function overCap(group: GroupRow, values: string[]) {
  const shown = values.slice(0, 10).map((v) => `"${v}"`).join(", ");
  return `group "${groupRef(group)}" is at its maximum of ${group.maxMembers} live members; ${values.length} value(s) left out: ${shown}${values.length > 10 ? ", ..." : ""}`;
}
