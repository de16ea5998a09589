// Status snapshots: the alert evaluator computes every SLO's status once a minute anyway, so it
// stores each one (slo_status_snapshots) and the views that list many SLOs at once (the overview,
// a team's statuses, /metrics) read them instead of reading 30-day windows again: at 10,000 SLOs that is
// the difference between seconds and a few hundred milliseconds (docs/scaling.md).
//
// The rule for serving a snapshot, as a Prometheus recording rule is served: it is the status as
// of its instant, with the data that had arrived by then. It is served while
// - it is at most SNAPSHOT_MAX_AGE_MS old (the evaluator runs every minute) and not from the future;
// - its key still holds: the SLO's definition as read (objective, window, alert settings, SLI
//   kind and source), its SLI's stored data generation (bumped by late data: a backfill or a
//   correction, sli-data.ts) and its service's (bumped by exclusions and policy changes);
// - it had data (an SLO without any is cheap to compute, and its first data shows at once).
// Everything else is computed now, by the same engine (slo-status.ts): a snapshot is that
// engine's answer stored, never a second way of computing it.
import { createHash } from "node:crypto";
import { db } from "../db/client";
import { logger } from "../logger";
import { sloDefinitionOf, type SloStatusRow } from "./catalog";
import { serializeStatus, statusFromView, statusesWithDaysOf, type StatusWithDays } from "./slo-status";
import type { SloStatusView } from "../../schemas/views";

/** A snapshot older than this is not served: the evaluator's minute and its pass, with room to spare. */
export const SNAPSHOT_MAX_AGE_MS = 90_000;

/** Rows per statement when the evaluator stores its pass. */
const WRITE_CHUNK = 2000;

/** An SLO row with what its key needs: its SLI (with its data generation) and its service's generation. */
export type SnapshotRow = SloStatusRow & { service: { dataGeneration: bigint } };

/**
 * What a snapshot of the SLO depends on besides time, or null when its definition does not read.
 * The SLI's sync progress is left out: it moves every minute, and a snapshot is "as of" its instant.
 */
export function snapshotKey(row: SnapshotRow): string | null {
  let def;
  try {
    def = sloDefinitionOf(row);
  } catch {
    return null;
  }
  const definition = JSON.stringify({ ...def, sli: { ...def.sli, syncedUntil: null } }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return `${createHash("sha1").update(definition).digest("base64url")}:${row.sli.dataGeneration}:${row.service.dataGeneration}`;
}

/**
 * Stores the statuses of one evaluation at `at`. The keys are taken from the rows as they were
 * loaded before the statuses were computed, so a change that lands meanwhile leaves a key that
 * no longer holds. Statuses with an error are not stored. A failure is logged, never thrown:
 * the next pass writes them again and readers compute what they miss.
 */
export async function writeSnapshots(rows: readonly SnapshotRow[], computed: readonly StatusWithDays[], at: Date): Promise<void> {
  const kept = rows.flatMap((row, i) => {
    const c = computed[i]!;
    const key = c.status.error ? null : snapshotKey(row);
    return key ? [{ id: row.id, key, status: JSON.stringify(serializeStatus(c.status)), days: JSON.stringify(c.remainingByDay) }] : [];
  });
  try {
    for (let i = 0; i < kept.length; i += WRITE_CHUNK) {
      const part = kept.slice(i, i + WRITE_CHUNK);
      // An SLO deleted meanwhile is skipped; an older pass finishing late never overwrites a newer one.
      await db().pool.query(
        `INSERT INTO slo_status_snapshots (slo_id, at, key, status, remaining_by_day)
         SELECT u.id, $5, u.key, u.status, u.days FROM unnest($1::uuid[], $2::text[], $3::json[], $4::json[]) AS u(id, key, status, days)
         WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = u.id)
         ON CONFLICT (slo_id) DO UPDATE SET at = EXCLUDED.at, key = EXCLUDED.key, status = EXCLUDED.status, remaining_by_day = EXCLUDED.remaining_by_day
         WHERE slo_status_snapshots.at <= EXCLUDED.at`,
        [part.map((x) => x.id), part.map((x) => x.key), part.map((x) => x.status), part.map((x) => x.days), at],
      );
    }
  } catch (err) {
    logger().warn({ err }, "status snapshots could not be stored; views compute the statuses instead");
  }
}

/**
 * Each SLO's status (and with `days` its remaining budget per day) at about `at`: its snapshot
 * where one may be served (see the top of this file), computed at `at` where not. In input order;
 * each status carries the instant it is from.
 */
export async function latestStatusesWithDaysOf(rows: readonly SnapshotRow[], at: Date, { days = true } = {}): Promise<StatusWithDays[]> {
  if (rows.length === 0) return [];
  const { rows: stored } = await db().pool.query<{ slo_id: string; key: string; status: SloStatusView; remaining_by_day?: (number | null)[] }>(
    `SELECT slo_id, key, status${days ? ", remaining_by_day" : ""} FROM slo_status_snapshots WHERE slo_id = ANY($1::uuid[]) AND at <= $2 AND at > $3`,
    [rows.map((r) => r.id), at, new Date(at.getTime() - SNAPSHOT_MAX_AGE_MS)],
  );
  const byId = new Map(stored.map((s) => [s.slo_id, s]));
  const out: StatusWithDays[] = new Array(rows.length);
  const missing: number[] = [];
  rows.forEach((row, i) => {
    const s = byId.get(row.id);
    if (s && s.status.budget.state === "ok" && s.key === snapshotKey(row)) out[i] = { status: statusFromView(s.status), remainingByDay: s.remaining_by_day ?? [] };
    else missing.push(i);
  });
  if (missing.length) {
    const live = await statusesWithDaysOf(missing.map((i) => rows[i]!), at, { days });
    missing.forEach((i, k) => (out[i] = live[k]!));
  }
  return out;
}
