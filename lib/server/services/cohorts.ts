// Cohort minutes (docs/deploy-verification.md "Cohorts"): pushed ones stored in sli_cohort_buckets,
// apart from the SLI's own minutes so they never change an SLO's numbers; pulled ones read from
// Prometheus by the SLI's own queries narrowed to the cohort's label. Each cohort lives
// COHORT_TTL_DAYS after its last push or read; the number of live cohorts per SLI is capped.
import { v7 as uuidv7 } from "uuid";
import { cohortCapReason, cohortExpiry, cohortsOverCap } from "../../domain/cohort";
import { samplesToBuckets, thresholdToBuckets, type ThresholdRule } from "../../domain/prometheus-samples";
import { withCohortLabel } from "../../domain/promql-cohort";
import { MINUTE_MS } from "../../domain/window";
import { db, withTransaction } from "../db/client";
import { queryRange } from "../sources/prometheus";

export type CohortRow = { sliId: string; cohort: string; minute: Date; good: number; total: number };
export type CohortMinute = { minute: Date; good: number; total: number };

/**
 * Stores pushed cohort minutes (the last value sent for a minute wins). Returns, per input row,
 * null when stored or the reason it was refused (a new cohort over the cap). One writer per SLI
 * at a time (an advisory lock), so two pushes cannot both take the last free place.
 */
export async function storeCohortMinutes(rows: readonly CohortRow[], now: Date): Promise<(string | null)[]> {
  const out: (string | null)[] = rows.map(() => null);
  if (rows.length === 0) return out;
  const sliIds = [...new Set(rows.map((r) => r.sliId))].sort();
  const expiresAt = cohortExpiry(now);
  await withTransaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('cohort:' || id, 0)) FROM unnest($1::text[]) id ORDER BY id", [sliIds]);
    // An expired cohort not yet removed by retention is gone: its name starts afresh, without old minutes.
    await client.query("DELETE FROM sli_cohorts WHERE sli_id = ANY($1::uuid[]) AND expires_at <= $2", [sliIds, now]);
    const live = await client.query<{ sli_id: string; name: string }>("SELECT sli_id, name FROM sli_cohorts WHERE sli_id = ANY($1::uuid[])", [sliIds]);
    const refused = new Map<string, Set<string>>();
    for (const sliId of sliIds) {
      const names = live.rows.filter((r) => r.sli_id === sliId).map((r) => r.name);
      refused.set(sliId, cohortsOverCap(names, rows.filter((r) => r.sliId === sliId).map((r) => r.cohort)));
    }
    // Folded by (SLI, cohort, minute), the later row winning: one statement cannot update a row twice.
    const kept = new Map<string, CohortRow>();
    rows.forEach((r, i) => {
      if (refused.get(r.sliId)!.has(r.cohort)) out[i] = cohortCapReason();
      else kept.set(`${r.sliId}|${r.cohort}|${r.minute.getTime()}`, r);
    });
    if (kept.size === 0) return;
    const cohorts = [...new Map([...kept.values()].map((r) => [`${r.sliId}|${r.cohort}`, r])).values()];
    const ids = await client.query<{ id: string; sli_id: string; name: string }>(
      `INSERT INTO sli_cohorts (id, sli_id, name, expires_at)
       SELECT c.id, c.sli_id, c.name, $4::timestamptz FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS c(id, sli_id, name)
       ON CONFLICT (sli_id, name) DO UPDATE SET expires_at = EXCLUDED.expires_at
       RETURNING id, sli_id, name`,
      [cohorts.map(() => uuidv7()), cohorts.map((c) => c.sliId), cohorts.map((c) => c.cohort), expiresAt],
    );
    const idOf = new Map(ids.rows.map((r) => [`${r.sli_id}|${r.name}`, r.id]));
    const list = [...kept.values()];
    await client.query(
      `INSERT INTO sli_cohort_buckets (cohort_id, minute, good, total)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $4::bigint[])
       ON CONFLICT (cohort_id, minute) DO UPDATE SET good = EXCLUDED.good, total = EXCLUDED.total`,
      [list.map((r) => idOf.get(`${r.sliId}|${r.cohort}`)), list.map((r) => r.minute), list.map((r) => r.good), list.map((r) => r.total)],
    );
  });
  return out;
}

/**
 * A pushed cohort's minutes in [from, to), oldest first; reading them keeps the cohort alive
 * (an analysis still needs it). An unknown or expired cohort has no minutes.
 */
export async function pushedCohortMinutes(sliId: string, cohort: string, from: Date, to: Date, now: Date): Promise<CohortMinute[]> {
  const pool = db().pool;
  const touched = await pool.query<{ id: string }>("UPDATE sli_cohorts SET expires_at = GREATEST(expires_at, $3) WHERE sli_id = $1 AND name = $2 AND expires_at > $4 RETURNING id", [
    sliId,
    cohort,
    cohortExpiry(now),
    now,
  ]);
  const id = touched.rows[0]?.id;
  if (!id) return [];
  const { rows } = await pool.query<{ minute: Date; good: string; total: string }>(
    "SELECT minute, good, total FROM sli_cohort_buckets WHERE cohort_id = $1 AND minute >= $2 AND minute < $3 ORDER BY minute",
    [id, from, to],
  );
  return rows.map((r) => ({ minute: r.minute, good: Number(r.good), total: Number(r.total) }));
}

export type PromCohortSli = {
  promCohortLabel: string;
  source: { url: string; authHeader: string | null };
  promTotalQuery: string | null;
  promGoodQuery: string | null;
  promBadQuery: string | null;
  threshold: (ThresholdRule & { query: string }) | null;
};

/**
 * A cohort's minutes in [from, to) pulled from Prometheus: each of the SLI's queries with the
 * cohort's label added (lib/domain/promql-cohort.ts), through the same guarded client and the
 * same sample-to-bucket rules as the SLI's own sync (lib/server/jobs/prometheus-sync.ts).
 */
export async function pulledCohortMinutes(sli: PromCohortSli, cohort: string, from: Date, to: Date): Promise<CohortMinute[]> {
  const narrow = (q: string) => {
    const r = withCohortLabel(q, sli.promCohortLabel, cohort);
    if (!r.ok) throw new Error(r.reason);
    return r.query;
  };
  // Step times T = from+1m .. to fill the buckets [from, to), as in the sync.
  const first = new Date(from.getTime() + MINUTE_MS);
  const last = to;
  if (last < first) return [];
  const buckets = sli.threshold
    ? thresholdToBuckets(await queryRange(sli.source, narrow(sli.threshold.query), first, last), sli.threshold)
    : await Promise.all([queryRange(sli.source, narrow(sli.promTotalQuery ?? ""), first, last), queryRange(sli.source, narrow(sli.promBadQuery ?? sli.promGoodQuery ?? ""), first, last)]).then(([total, other]) =>
        samplesToBuckets(total, other, sli.promBadQuery ? "bad" : "good"),
      );
  return buckets.map((b) => ({ minute: b.start, good: b.good, total: b.total }));
}

/** Removes cohorts past their life, with their minutes (the retention job). */
export async function deleteExpiredCohorts(now: Date): Promise<number> {
  const r = await db().pool.query("DELETE FROM sli_cohorts WHERE expires_at <= $1", [now]);
  return r.rowCount ?? 0;
}
