// SQL over SLI minute buckets: the bulk write of pushed data and the counts every status needs.
// Plain SQL through the pg pool: Prisma's row-at-a-time inserts are ~10x slower for bulk paths.
import { lookbacks, type Counts, type Lookback } from "../domain/burn-rate";
import type { Bucket } from "../domain/burndown";
import type { PoolClient } from "pg";
import { HOUR_MS, MINUTE_MS, splitByHours } from "../domain/window";
import { db, withTransaction } from "./db/client";

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
  if (sorted.length === 0) return 0;
  await withTransaction(async (client) => {
    // One writer per SLI at a time: the hourly sums below are recomputed from the minutes, and
    // two concurrent writers to one hour would each miss the other's uncommitted minutes.
    await client.query(
      "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(id::text, 7) AS k FROM unnest($1::uuid[]) id ORDER BY 1) s",
      [[...new Set(sorted.map((r) => r.sliId))]],
    );
    const CHUNK = 5000;
    for (let i = 0; i < sorted.length; i += CHUNK) {
      const part = sorted.slice(i, i + CHUNK);
      await client.query(
        `INSERT INTO sli_buckets (sli_id, minute, good, total)
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $4::bigint[])
         ON CONFLICT (sli_id, minute) DO UPDATE SET good = EXCLUDED.good, total = EXCLUDED.total`,
        [part.map((r) => r.sliId), part.map((r) => r.minute.toISOString()), part.map((r) => r.good), part.map((r) => r.total)],
      );
    }
    const hours = new Map<string, [string, string]>();
    for (const r of sorted) {
      const hour = new Date(Math.floor(r.minute.getTime() / HOUR_MS) * HOUR_MS).toISOString();
      hours.set(`${r.sliId}|${hour}`, [r.sliId, hour]);
    }
    const list = [...hours.values()];
    await client.query(
      // LATERAL: one primary-key range scan per hour, whatever the planner thinks of the table.
      `INSERT INTO sli_buckets_hourly (sli_id, hour, good, total)
       SELECT a.sli_id, a.hour, s.good, s.total
       FROM unnest($1::uuid[], $2::timestamptz[]) AS a(sli_id, hour)
       CROSS JOIN LATERAL (
         SELECT sum(b.good) AS good, sum(b.total) AS total FROM sli_buckets b
         WHERE b.sli_id = a.sli_id AND b.minute >= a.hour AND b.minute < a.hour + interval '1 hour') s
       ON CONFLICT (sli_id, hour) DO UPDATE SET good = EXCLUDED.good, total = EXCLUDED.total`,
      [list.map((h) => h[0]), list.map((h) => h[1])],
    );
  });
  return sorted.length;
}

/** Recomputes all hourly sums of an SLI from its minutes (after a bulk load that bypassed upsertBuckets). */
export async function rebuildHourlyRollup(client: PoolClient, sliId: string) {
  await client.query(
    `INSERT INTO sli_buckets_hourly (sli_id, hour, good, total)
     SELECT sli_id, date_trunc('hour', minute AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', sum(good), sum(total)
     FROM sli_buckets WHERE sli_id = $1 GROUP BY 1, 2
     ON CONFLICT (sli_id, hour) DO UPDATE SET good = EXCLUDED.good, total = EXCLUDED.total`,
    [sliId],
  );
}

// Buckets inside an exclusion of the SLI (or of its whole service) are left out of every count.
const notExcluded = `NOT EXISTS (
  SELECT 1 FROM exclusions e
  WHERE e.service_id = $2 AND (e.sli_id IS NULL OR e.sli_id = b.sli_id)
    AND b.minute >= e.starts_at AND b.minute < e.ends_at)`;

const longestLookbackMinutes = Math.max(...Object.values(lookbacks));

/**
 * Good/total over the window [windowStart, at) and over each lookback ending at `at`. Whole
 * hours come from the hourly rollup, the edges from minute buckets; when an exclusion overlaps,
 * everything is read per minute (exclusions cut hours into pieces).
 */
export async function countWindowAndLookbacks(sli: { id: string; serviceId: string }, windowStart: Date, at: Date) {
  const from = new Date(Math.min(windowStart.getTime(), at.getTime() - longestLookbackMinutes * MINUTE_MS));
  if (await hasExclusions(sli, from, at)) return countByMinute(sli, windowStart, at);
  const ranges: [string, number][] = [["window", windowStart.getTime()], ...(Object.entries(lookbacks) as [Lookback, number][]).map(([k, m]): [string, number] => [k, at.getTime() - m * MINUTE_MS])];
  const params: unknown[] = [sli.id];
  const p = (v: number) => {
    params.push(new Date(v));
    return `$${params.length}::timestamptz`;
  };
  const minuteConds: string[] = [];
  let hourLo = Infinity;
  let hourHi = -Infinity;
  const columns = ranges.map(([name, start]) => {
    const split = splitByHours(start, at.getTime());
    const m = split.minutes.map((r) => `(t >= ${p(r.from)} AND t < ${p(r.to)})`);
    minuteConds.push(...m);
    const parts = [`src = 'm' AND (${m.length ? m.join(" OR ") : "false"})`];
    if (split.hours) {
      parts.push(`src = 'h' AND t >= ${p(split.hours.from)} AND t < ${p(split.hours.to)}`);
      hourLo = Math.min(hourLo, split.hours.from);
      hourHi = Math.max(hourHi, split.hours.to);
    }
    const filter = parts.map((x) => `(${x})`).join(" OR ");
    return `coalesce(sum(good) FILTER (WHERE ${filter}), 0)::bigint AS "${name}_good", coalesce(sum(total) FILTER (WHERE ${filter}), 0)::bigint AS "${name}_total"`;
  });
  const hourly = hourLo < hourHi ? `UNION ALL SELECT 'h' AS src, hour AS t, good, total FROM sli_buckets_hourly WHERE sli_id = $1 AND hour >= ${p(hourLo)} AND hour < ${p(hourHi)}` : "";
  const sql = `SELECT ${columns.join(",\n")} FROM (
      SELECT 'm' AS src, t, good, total FROM (SELECT minute AS t, good, total FROM sli_buckets WHERE sli_id = $1) b
      WHERE ${minuteConds.length ? minuteConds.join(" OR ") : "false"}
      ${hourly}) x`;
  const result = await db().pool.query<Record<string, number>>(sql, params);
  return countsOf(result.rows[0] ?? {});
}

function countsOf(r: Record<string, number>) {
  const get = (k: string): Counts => ({ good: Number(r[`${k}_good`] ?? 0), total: Number(r[`${k}_total`] ?? 0) });
  return {
    window: get("window"),
    lookbacks: Object.fromEntries(Object.keys(lookbacks).map((k) => [k, get(k)])) as Record<Lookback, Counts>,
  };
}

/** The same counts read from minute buckets only, exclusions left out: one scan. */
export async function countByMinute(sli: { id: string; serviceId: string }, windowStart: Date, at: Date) {
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
  return countsOf(rows[0] ?? {});
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

/**
 * Sums per step over [from, at), gaps filled with zeros. Steps are whole hours or days aligned
 * to the epoch, so whole hours come from the hourly rollup and only the edges from minutes
 * (unless an exclusion overlaps: then everything is read per minute).
 */
export async function bucketSeries(sli: { id: string; serviceId: string }, from: Date, at: Date, stepMinutes: number): Promise<Bucket[]> {
  const stepMs = stepMinutes * 60_000;
  const rollup = stepMs % HOUR_MS === 0 && !(await hasExclusions(sli, from, at));
  // The minute-only query filters exclusions, whose SQL expects the service id as $2.
  const params: unknown[] = rollup ? [sli.id, stepMs] : [sli.id, sli.serviceId, stepMs];
  const stepParam = rollup ? "$2" : "$3";
  const p = (v: number | Date) => {
    params.push(v instanceof Date ? v : new Date(v));
    return `$${params.length}::timestamptz`;
  };
  let source: string;
  if (rollup) {
    const split = splitByHours(from.getTime(), at.getTime());
    const minutes = split.minutes.map((r) => `(b.minute >= ${p(r.from)} AND b.minute < ${p(r.to)})`).join(" OR ") || "false";
    const hours = split.hours ? `UNION ALL SELECT hour, good, total FROM sli_buckets_hourly WHERE sli_id = $1 AND hour >= ${p(split.hours.from)} AND hour < ${p(split.hours.to)}` : "";
    source = `SELECT b.minute AS t, b.good, b.total FROM sli_buckets b WHERE b.sli_id = $1 AND (${minutes}) ${hours}`;
  } else {
    source = `SELECT b.minute AS t, b.good, b.total FROM sli_buckets b WHERE b.sli_id = $1 AND b.minute >= ${p(from)} AND b.minute < ${p(at)} AND ${notExcluded}`;
  }
  const { rows } = await db().pool.query<{ step: number; good: number; total: number }>(
    `SELECT floor(extract(epoch FROM x.t) * 1000 / ${stepParam})::bigint AS step, sum(x.good)::bigint AS good, sum(x.total)::bigint AS total
     FROM (${source}) x GROUP BY 1 ORDER BY 1`,
    params,
  );
  const byStep = new Map(rows.map((r) => [Number(r.step), r]));
  const out: Bucket[] = [];
  for (let s = Math.floor(from.getTime() / stepMs); s * stepMs < at.getTime(); s++) {
    const r = byStep.get(s);
    out.push({ start: new Date(s * stepMs), good: Number(r?.good ?? 0), total: Number(r?.total ?? 0) });
  }
  return out;
}

async function hasExclusions(sli: { id: string; serviceId: string }, from: Date, to: Date) {
  const { rows } = await db().pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM exclusions WHERE service_id = $1 AND (sli_id IS NULL OR sli_id = $2) AND starts_at < $4 AND ends_at > $3",
    [sli.serviceId, sli.id, from, to],
  );
  return (rows[0]?.n ?? 0) > 0;
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
