// SQL over SLI minute buckets: the bulk write of pushed data and the counts every status needs.
// Plain SQL through the pg pool: Prisma's row-at-a-time inserts are ~10x slower for bulk paths.
import { lookbacks, type Counts, type Lookback } from "../domain/burn-rate";
import type { Bucket } from "../domain/burndown";
import { db } from "./db/client";

export type BucketRow = { sliId: string; minute: Date; good: number; total: number };

/**
 * Writes minute buckets; for a bucket sent again the last value wins (idempotent re-sends).
 * Duplicates inside one batch are folded first (the later item wins), and rows are written in
 * key order so concurrent batches touching the same buckets cannot deadlock.
 */
export async function upsertBuckets(rows: readonly BucketRow[]): Promise<number> {
  const byKey = new Map<string, BucketRow>();
  for (const r of rows) byKey.set(`${r.sliId}|${r.minute.toISOString()}`, r);
  const sorted = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  const CHUNK = 5000;
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const part = sorted.slice(i, i + CHUNK);
    await db().pool.query(
      `INSERT INTO sli_buckets (sli_id, minute, good, total)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $4::bigint[])
       ON CONFLICT (sli_id, minute) DO UPDATE SET good = EXCLUDED.good, total = EXCLUDED.total`,
      [part.map((r) => r.sliId), part.map((r) => r.minute.toISOString()), part.map((r) => r.good), part.map((r) => r.total)],
    );
  }
  return sorted.length;
}

// Buckets inside an exclusion of the SLI (or of its whole service) are left out of every count.
const notExcluded = `NOT EXISTS (
  SELECT 1 FROM exclusions e
  WHERE e.service_id = $2 AND (e.sli_id IS NULL OR e.sli_id = b.sli_id)
    AND b.minute >= e.starts_at AND b.minute < e.ends_at)`;

const longestLookbackMinutes = Math.max(...Object.values(lookbacks));

/** Good/total over the window [windowStart, at) and over each lookback ending at `at`, in one scan. */
export async function countWindowAndLookbacks(sli: { id: string; serviceId: string }, windowStart: Date, at: Date) {
  const entries = Object.entries(lookbacks) as [Lookback, number][];
  const columns = entries
    .map(([k, m]) => {
      const since = `b.minute >= $4::timestamptz - interval '${m} minutes'`;
      return `coalesce(sum(b.good) FILTER (WHERE ${since}), 0)::bigint AS "${k}_good", coalesce(sum(b.total) FILTER (WHERE ${since}), 0)::bigint AS "${k}_total"`;
    })
    .join(",\n");
  const { rows } = await db().pool.query<Record<string, number>>(
    `SELECT coalesce(sum(b.good) FILTER (WHERE b.minute >= $3), 0)::bigint AS window_good,
            coalesce(sum(b.total) FILTER (WHERE b.minute >= $3), 0)::bigint AS window_total,
            ${columns}
     FROM sli_buckets b
     WHERE b.sli_id = $1 AND b.minute >= least($3::timestamptz, $4::timestamptz - interval '${longestLookbackMinutes} minutes')
       AND b.minute < $4 AND ${notExcluded}`,
    [sli.id, sli.serviceId, windowStart, at],
  );
  const r = rows[0] ?? {};
  const get = (k: string): Counts => ({ good: Number(r[`${k}_good`] ?? 0), total: Number(r[`${k}_total`] ?? 0) });
  return {
    window: get("window"),
    lookbacks: Object.fromEntries(entries.map(([k]) => [k, get(k)])) as Record<Lookback, Counts>,
  };
}

/** Minute buckets in [from, at), exclusions left out, oldest first (time-slice SLIs need them whole). */
export async function minuteBuckets(sli: { id: string; serviceId: string }, from: Date, at: Date): Promise<Bucket[]> {
  const { rows } = await db().pool.query<{ minute: Date; good: number; total: number }>(
    `SELECT b.minute, b.good, b.total FROM sli_buckets b
     WHERE b.sli_id = $1 AND b.minute >= $3 AND b.minute < $4 AND ${notExcluded}
     ORDER BY b.minute`,
    [sli.id, sli.serviceId, from, at],
  );
  return rows.map((r) => ({ start: r.minute, good: Number(r.good), total: Number(r.total) }));
}

/** Sums per step (in minutes, dividing an hour or a day) over [from, at), gaps filled with zeros. */
export async function bucketSeries(sli: { id: string; serviceId: string }, from: Date, at: Date, stepMinutes: number): Promise<Bucket[]> {
  const stepMs = stepMinutes * 60_000;
  const { rows } = await db().pool.query<{ step: number; good: number; total: number }>(
    `SELECT floor(extract(epoch FROM b.minute) * 1000 / $5)::bigint AS step, sum(b.good)::bigint AS good, sum(b.total)::bigint AS total
     FROM sli_buckets b
     WHERE b.sli_id = $1 AND b.minute >= $3 AND b.minute < $4 AND ${notExcluded}
     GROUP BY 1 ORDER BY 1`,
    [sli.id, sli.serviceId, from, at, stepMs],
  );
  const byStep = new Map(rows.map((r) => [Number(r.step), r]));
  const out: Bucket[] = [];
  for (let s = Math.floor(from.getTime() / stepMs); s * stepMs < at.getTime(); s++) {
    const r = byStep.get(s);
    out.push({ start: new Date(s * stepMs), good: Number(r?.good ?? 0), total: Number(r?.total ?? 0) });
  }
  return out;
}

/** Start of the newest bucket before `at` (one backward index probe). */
export async function lastBucketBefore(sliId: string, at: Date): Promise<Date | null> {
  const { rows } = await db().pool.query<{ minute: Date }>("SELECT minute FROM sli_buckets WHERE sli_id = $1 AND minute < $2 ORDER BY minute DESC LIMIT 1", [sliId, at]);
  return rows[0]?.minute ?? null;
}

/** Good/total over [from, to), exclusions left out. */
export async function countRange(sli: { id: string; serviceId: string }, from: Date, to: Date) {
  const { rows } = await db().pool.query<{ good: number; total: number }>(
    `SELECT coalesce(sum(b.good), 0)::bigint AS good, coalesce(sum(b.total), 0)::bigint AS total
     FROM sli_buckets b WHERE b.sli_id = $1 AND b.minute >= $3 AND b.minute < $4 AND ${notExcluded}`,
    [sli.id, sli.serviceId, from, to],
  );
  return { good: Number(rows[0]?.good ?? 0), total: Number(rows[0]?.total ?? 0) };
}
