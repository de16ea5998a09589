// Retention of minute data: whole weekly partitions of sli_buckets older than the configured
// retention are dropped (a catalog change, no row deletes), with the hourly and daily rollups of
// the same time, so a rollup never holds hours whose minutes are gone. Data an SLO's window (plus the
// longest lookback) still needs is kept, whatever the configuration says. The alert history of
// the same time goes with it. Members of grouped SLOs idle past their group's age-out are archived.
import { lookbacks } from "../../domain/burn-rate";
import { DAY_MS, MINUTE_MS, isoWeekStart, WEEK_MS } from "../../domain/window";
import { prisma, withTransaction } from "../db/client";
import { clockNow } from "../clock";
import { archiveIdleMembers } from "../services/slo-group-members";

/** Longest window an SLO can have per calendar unit, in days. */
const CALENDAR_DAYS = { week: 7, month: 31, quarter: 92 } as const;

export type RetentionResult = { cutoff: Date; droppedPartitions: string[]; deletedHours: number; agedOutMembers: number };

export async function applyRetention(retentionDays: number, now = clockNow()): Promise<RetentionResult> {
  const slos = await prisma().slo.findMany({ select: { windowKind: true, windowDays: true, calendarUnit: true } });
  const longestWindowDays = Math.max(0, ...slos.map((s) => (s.windowKind === "rolling" ? (s.windowDays ?? 0) : CALENDAR_DAYS[s.calendarUnit ?? "quarter"])));
  const keepMs = Math.max(retentionDays * DAY_MS, longestWindowDays * DAY_MS + Math.max(...Object.values(lookbacks)) * MINUTE_MS);
  // Only whole weeks go: a partition is dropped when all of it is older than the cutoff.
  const cutoff = new Date(isoWeekStart(now.getTime() - keepMs));
  const dropped = await withTransaction(async (client) => {
    // The same lock as partition creation: no partition is made and dropped at once.
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('burnrate_bucket_partitions', 0))");
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE i.inhparent = 'sli_buckets'::regclass AND n.nspname = 'burnrate_partitions'
       ORDER BY 1`,
    );
    const dropped: string[] = [];
    for (const { name } of rows) {
      const m = /^sli_buckets_(\d{4})(\d{2})(\d{2})$/.exec(name);
      if (!m) continue;
      const weekEnd = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + WEEK_MS;
      if (weekEnd > cutoff.getTime()) continue;
      await client.query(`DROP TABLE burnrate_partitions."${name}"`);
      dropped.push(name);
    }
    const hours = await client.query("DELETE FROM sli_buckets_hourly WHERE hour < $1", [cutoff]);
    // The cutoff is a Monday 00:00 UTC, so no day is cut in two.
    await client.query("DELETE FROM sli_buckets_daily WHERE day < $1", [cutoff]);
    // Alert history goes with the minutes it was computed from.
    await client.query("DELETE FROM slo_alert_changes WHERE at < $1", [cutoff]);
    return { cutoff, droppedPartitions: dropped, deletedHours: hours.rowCount ?? 0 };
  });
  // Grouped SLOs: members idle past their group's age-out are archived, hourly (docs/grouped-slos.md).
  const { archived } = await archiveIdleMembers(now);
  return { ...dropped, agedOutMembers: archived };
}
