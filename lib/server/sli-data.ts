// SQL over SLI minute buckets: the bulk write of pushed data and the counts every status needs.
// Plain SQL through the pg pool: Prisma's row-at-a-time inserts are ~10x slower for bulk paths.
import { lookbacks, type Counts, type Lookback } from "../domain/burn-rate";
import type { Bucket } from "../domain/burndown";
import type { PoolClient } from "pg";
import { DAY_MS, HOUR_MS, isoWeekStart, MINUTE_MS, splitByDays, splitByHours, WEEK_MS, type Range } from "../domain/window";
import { db, reusedQuery, withTransaction } from "./db/client";
import { BUMP_SLI_GENERATIONS_SQL, bumpGeneration } from "./data-generation";
import { clockNow } from "./clock";
import { mapLimit } from "./concurrency";

export type BucketRow = { sliId: string; minute: Date; good: number; total: number };

/**
 * Writes minute buckets; for a bucket sent again the last value wins (idempotent re-sends).
 * Duplicates inside one batch are folded first (the later item wins). Returns the rows kept
 * (rows of an SLI deleted meanwhile are dropped).
 *
 * Each SLI has one writer at a time (an advisory lock), so the batch can read the buckets it
 * will replace, insert the new ones with a plain INSERT (no per-row conflict check), update
 * only the ones whose values changed, and add each bucket's change to its hour in the rollup.
 * The SLI rows are locked once per batch (FOR KEY SHARE), which is what a foreign key would do
 * per row at twice the cost; deleting an SLI waits for the writer and then deletes its buckets.
 */
export async function upsertBuckets(rows: readonly BucketRow[]): Promise<number> {
  const batch = keyed(rows);
  if (batch.rows.length === 0) return 0;
  await ensurePartitions(batch.rows);
  try {
    return await writeBatch(batch);
  } catch (err) {
    // A week this process saw was dropped by retention (another replica, or an SLO whose
    // window grew since): forget what it knew, make the partitions, and write again.
    if ((err as { code?: string }).code !== "23514") throw err;
    knownWeeks.clear();
    await ensurePartitions(batch.rows);
    return await writeBatch(batch);
  } finally {
    bumpGeneration(batch.ids);
  }
}

function writeBatch(batch: ReturnType<typeof keyed>): Promise<number> {
  return withTransaction(async (client) => {
    // Locks in one order (by key) in every writer, so concurrent batches cannot deadlock.
    await client.query(
      "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(id::text, 7) AS k FROM unnest($1::uuid[]) id ORDER BY 1) s",
      [batch.ids],
    );
    const live = await client.query<{ id: string }>("SELECT id FROM slis WHERE id = ANY($1::uuid[]) FOR KEY SHARE", [batch.ids]);
    const liveIds = new Set(live.rows.map((r) => r.id));
    const kept = liveIds.size === batch.ids.length ? batch.rows : batch.rows.filter((r) => liveIds.has(batch.ids[r.sli]!));
    if (kept.length === 0) return 0;

    const existing = await existingBuckets(client, batch.ids, kept);
    const inserts: KeyedRow[] = [];
    const updates: KeyedRow[] = [];
    // Change per hour: whole values of new buckets, differences of changed ones.
    const hours = new Map<number, PeriodSum>();
    const addToHour = (r: KeyedRow, good: number, total: number) => addToPeriod(hours, r.sli, r.minute, 3600, BigInt(good), BigInt(total));
    for (const r of kept) {
      const old = existing.get(r.key);
      if (!old) {
        inserts.push(r);
        addToHour(r, r.good, r.total);
      } else if (old.good !== r.good || old.total !== r.total) {
        updates.push(r);
        addToHour(r, r.good - old.good, r.total - old.total);
      }
    }
    if (inserts.length) {
      await client.query(`INSERT INTO sli_buckets (sli_id, minute, good, total) SELECT sli_id, minute, good, total FROM ${BUCKET_ROWS}`, bucketParams(batch.ids, inserts));
    }
    if (updates.length) {
      await client.query(
        `UPDATE sli_buckets b SET good = d.good, total = d.total FROM ${BUCKET_ROWS} WHERE b.sli_id = d.sli_id AND b.minute = d.minute`,
        bucketParams(batch.ids, updates),
      );
    }
    if (hours.size) {
      const days = new Map<number, PeriodSum>();
      for (const h of hours.values()) addToPeriod(days, h.sli, h.minute, 86_400, h.good, h.total);
      for (const [table, column, sums] of [
        ["sli_buckets_hourly", "hour", hours],
        ["sli_buckets_daily", "day", days],
      ] as const) {
        await client.query(
          `INSERT INTO ${table} AS r (sli_id, ${column}, good, total) SELECT sli_id, minute, good, total FROM ${BUCKET_ROWS}
           ON CONFLICT (sli_id, ${column}) DO UPDATE SET good = r.good + EXCLUDED.good, total = r.total + EXCLUDED.total`,
          bucketParams(batch.ids, [...sums.values()]),
        );
      }
    }
    // Data behind the last couple of minutes (a backfill, a correction) changes statuses already
    // computed: their stored snapshots must not be served any more (status-snapshots.ts).
    const late = lateSlis(batch.ids, inserts.concat(updates));
    if (late.length) await client.query(BUMP_SLI_GENERATIONS_SQL, [late]);
    return kept.length;
  });
}

/**
 * Minutes this far behind the clock are late: a status snapshot (at most a minute or so old)
 * may have been computed without them. Newer ones are what a live pusher sends; a snapshot is
 * "as of" its instant, as a Prometheus recording rule is.
 */
const LATE_DATA_SECONDS = 120;

/** The SLIs with a written row older than LATE_DATA_SECONDS. */
function lateSlis(ids: readonly string[], rows: readonly KeyedRow[]): string[] {
  const cutoff = clockNow().getTime() / 1000 - LATE_DATA_SECONDS;
  return [...new Set(rows.filter((r) => r.minute < cutoff).map((r) => ids[r.sli]!))];
}

/** A rollup change: an SLI (batch index), the start of its hour or day (epoch seconds) and the sums to add. */
type PeriodSum = { sli: number; minute: number; good: bigint; total: bigint };

/** Adds to the sum of the period (hour or day, in seconds) holding `at`; BigInt keeps the sums exact. */
function addToPeriod(sums: Map<number, PeriodSum>, sli: number, at: number, periodSeconds: number, good: bigint, total: bigint) {
  const start = at - (at % periodSeconds);
  const key = sli * 2 ** 22 + start / periodSeconds;
  const x = sums.get(key);
  if (x) {
    x.good += good;
    x.total += total;
  } else sums.set(key, { sli, minute: start, good, total });
}

/** A row with its SLI as an index into the batch's SLI ids and its minute in epoch seconds. */
type KeyedRow = { key: number; sli: number; minute: number; good: number; total: number };

/**
 * Folds duplicates (the later row wins) and sorts by SLI and minute, with numbers for keys:
 * string keys cost more than the database work for a batch of 10,000. A batch already in
 * order with no duplicates (what agents send) is taken as it is.
 */
function keyed(rows: readonly BucketRow[]) {
  const ids: string[] = [];
  const index = new Map<string, number>();
  const list: KeyedRow[] = new Array(rows.length);
  let ordered = true;
  let lastSliId = "";
  let sli = -1;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.sliId !== lastSliId) {
      lastSliId = r.sliId;
      sli = index.get(r.sliId) ?? -1;
      if (sli < 0) index.set(r.sliId, (sli = ids.push(r.sliId) - 1));
    }
    const minute = r.minute.getTime() / 1000;
    // Epoch minutes stay below 2^26 until the year 2097; with the SLI index above them the key is exact.
    const key = sli * 2 ** 26 + minute / 60;
    if (i > 0 && key <= list[i - 1]!.key) ordered = false;
    list[i] = { key, sli, minute, good: r.good, total: r.total };
  }
  if (ordered) return { ids, rows: list };
  const byKey = new Map<number, KeyedRow>();
  for (const r of list) byKey.set(r.key, r);
  const sorted = Float64Array.from(byKey.keys()).sort();
  return { ids, rows: Array.from(sorted, (k) => byKey.get(k)!) };
}

/**
 * Rows as query parameters, the cheap way: per row an index into the SLI ids, the minute (epoch
 * seconds) and the counts, as numeric array literals. Parsing 10,000 quoted uuids and
 * timestamps costs PostgreSQL and node-postgres more than the insert itself.
 */
function bucketParams(ids: readonly string[], list: readonly { sli: number; minute: number; good: number | bigint; total: number | bigint }[]) {
  return [ids, literal(list.map((r) => r.sli + 1)), literal(list.map((r) => r.minute)), literal(list.map((r) => r.good)), literal(list.map((r) => r.total))];
}
/** Numbers as a PostgreSQL array literal: "{1,2,3}". */
const literal = (xs: readonly (number | bigint)[]) => `{${xs.join(",")}}`;

/** The rows of bucketParams as a table d(sli_id, minute, good, total). */
const BUCKET_ROWS = `(SELECT ($1::uuid[])[i] AS sli_id, to_timestamp(s) AS minute, good, total
  FROM unnest($2::int[], $3::bigint[], $4::bigint[], $5::bigint[]) AS x(i, s, good, total)) d`;

/**
 * The stored buckets among `rows` (sorted by SLI and minute), read as index range scans over
 * runs of nearby minutes: a batch of new minutes finds nothing at the cost of a few probes.
 */
async function existingBuckets(client: PoolClient, ids: readonly string[], rows: readonly KeyedRow[]) {
  const runs: { sli: number; from: number; to: number }[] = [];
  for (const r of rows) {
    const last = runs.at(-1);
    if (last && last.sli === r.sli && r.minute - last.to <= 3600) last.to = r.minute;
    else runs.push({ sli: r.sli, from: r.minute, to: r.minute });
  }
  const { rows: found } = await client.query<{ i: number; s: number; good: string; total: string }>(
    `SELECT r.i, extract(epoch FROM b.minute)::bigint AS s, b.good, b.total
     FROM unnest($2::int[], $3::bigint[], $4::bigint[]) AS r(i, lo, hi)
     CROSS JOIN LATERAL (SELECT * FROM sli_buckets b WHERE b.sli_id = ($1::uuid[])[r.i + 1]
       AND b.minute >= to_timestamp(r.lo) AND b.minute <= to_timestamp(r.hi)) b`,
    [ids, literal(runs.map((r) => r.sli)), literal(runs.map((r) => r.from)), literal(runs.map((r) => r.to))],
  );
  return new Map(found.map((b) => [b.i * 2 ** 26 + Number(b.s) / 60, { good: Number(b.good), total: Number(b.total) }]));
}

/** Weeks whose partition this process knows exists (partitions are only dropped far behind writes). */
const knownWeeks = new Set<number>();

/** Creates the weekly partitions of sli_buckets that the rows need and this process has not seen yet. */
async function ensurePartitions(rows: readonly { minute: number }[]) {
  const missing = [...new Set(rows.map((r) => isoWeekStart(r.minute * 1000)))].filter((w) => !knownWeeks.has(w));
  if (missing.length === 0) return;
  await ensureBucketPartitions(new Date(Math.min(...missing)), new Date(Math.max(...missing) + WEEK_MS));
}

/** Creates the weekly partitions covering [from, to) (for bulk loads that write sli_buckets directly). */
export async function ensureBucketPartitions(from: Date, to: Date) {
  await db().pool.query("SELECT burnrate_ensure_bucket_partitions($1, $2)", [from, to]);
  for (let w = isoWeekStart(from.getTime()); w < to.getTime(); w += WEEK_MS) knownWeeks.add(w);
}

/** Recomputes the hourly and daily sums of an SLI from its minutes (after a bulk load that bypassed upsertBuckets). */
export async function rebuildRollups(client: PoolClient, sliId: string) {
  bumpGeneration([sliId]);
  await client.query(BUMP_SLI_GENERATIONS_SQL, [[sliId]]);
  await client.query(
    `INSERT INTO sli_buckets_hourly (sli_id, hour, good, total)
     SELECT sli_id, date_trunc('hour', minute, 'UTC'), sum(good), sum(total)
     FROM sli_buckets WHERE sli_id = $1 GROUP BY 1, 2
     ON CONFLICT (sli_id, hour) DO UPDATE SET good = EXCLUDED.good, total = EXCLUDED.total`,
    [sliId],
  );
  await client.query(
    `INSERT INTO sli_buckets_daily (sli_id, day, good, total)
     SELECT sli_id, date_trunc('day', hour, 'UTC'), sum(good), sum(total)
     FROM sli_buckets_hourly WHERE sli_id = $1 GROUP BY 1, 2
     ON CONFLICT (sli_id, day) DO UPDATE SET good = EXCLUDED.good, total = EXCLUDED.total`,
    [sliId],
  );
}

/** lib/domain/exclusion.ts exclusionAppliesTo: exclusion `e` applies to the SLI of a service (held to it by sli-data.test.ts). */
export const EXCLUSION_APPLIES_SQL = (e: string, serviceId: string, sliId: string) => `${e}.service_id = ${serviceId} AND (${e}.sli_id IS NULL OR ${e}.sli_id = ${sliId})`;

/** lib/domain/exclusion.ts exclusionCovers, negated, for bucket `b`: buckets inside an exclusion are left out of every count. */
export const NOT_EXCLUDED_SQL = (serviceId: string) => `NOT EXISTS (
  SELECT 1 FROM exclusions e
  WHERE ${EXCLUSION_APPLIES_SQL("e", serviceId, "b.sli_id")}
    AND b.minute >= e.starts_at AND b.minute < e.ends_at)`;
const notExcluded = NOT_EXCLUDED_SQL("$2");

const longestLookbackMinutes = Math.max(...Object.values(lookbacks));

/** Good/total over the window [windowStart, at) and over each lookback ending at `at`. */
export async function countWindowAndLookbacks(sli: { id: string; serviceId: string }, windowStart: Date, at: Date) {
  return (await countManyWindowsAndLookbacks([{ ...sli, windowStart }], at))[0]!;
}

/** Counts over the window and each lookback; `daily` splits the window by UTC day (for sparklines) when read through the rollup and `days`. */
/** SLIs per statement when there are many: 1,000 SLIs become four statements on four connections. */
const STATEMENT_CHUNK = 250;
/** Chunk statements of one call running at once: more than the database's cores gains nothing. */
const STATEMENT_CONCURRENCY = 4;

type WindowAndLookbacks = { window: Counts; lookbacks: Record<Lookback, Counts>; daily?: Bucket[] };

/**
 * countWindowAndLookbacks for many SLIs at one instant, in one statement: per SLI, the window's
 * whole hours and minute edges, and the lookbacks' hours and minutes (the same instants for
 * every SLI) as index range scans, never a scan of more rows than the counts need. The same
 * statement says which SLIs have an exclusion in range (no round trip before it); those are read
 * again per minute, one by one, as countWindowAndLookbacks does.
 */
export async function countManyWindowsAndLookbacks(list: readonly { id: string; serviceId: string; windowStart: Date }[], at: Date, { days = true } = {}): Promise<WindowAndLookbacks[]> {
  // PostgreSQL runs one statement on one core: big lists go as a few statements at once.
  if (list.length > 2 * STATEMENT_CHUNK) {
    const parts = [];
    for (let i = 0; i < list.length; i += STATEMENT_CHUNK) parts.push(list.slice(i, i + STATEMENT_CHUNK));
    // A few at a time: 10,000 SLOs are 40 statements, and all at once they would wait for the
    // pool's connections past its connect timeout (a 503) and starve every other request.
    return (await mapLimit(parts, STATEMENT_CONCURRENCY, (part) => countManyWindowsAndLookbacks(part, at, { days }))).flat();
  }
  if (list.length === 0) return [];
  const atMs = at.getTime();
  const earliest = Math.min(...list.map((x) => x.windowStart.getTime()), atMs - longestLookbackMinutes * MINUTE_MS);
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const ts = (ms: number) => `${p(new Date(ms))}::timestamptz`;

  // Lookbacks end at `at` for every SLI: their hour and minute bounds are shared parameters.
  const splits = (Object.entries(lookbacks) as [Lookback, number][]).map(([name, m]) => ({ name, split: splitByHours(atMs - m * MINUTE_MS, atMs) }));
  const hourTo = Math.floor(atMs / HOUR_MS) * HOUR_MS;
  const hourFrom = Math.min(hourTo, ...splits.flatMap((x) => (x.split.hours ? [x.split.hours.from] : [])));
  const hourCols = splits.map(({ name, split }) => {
    const cond = split.hours ? `hour >= ${ts(split.hours.from)}` : "false";
    return `sum(good) FILTER (WHERE ${cond}) AS "${name}_good", sum(total) FILTER (WHERE ${cond}) AS "${name}_total"`;
  });
  // The lookbacks' minute ranges overlap; scanned once each as disjoint runs.
  const runs = mergeRanges(splits.flatMap((x) => x.split.minutes));
  const minuteScan = runs.length
    ? runs.map((r) => `SELECT minute, good, total FROM sli_buckets b WHERE b.sli_id = s.sli_id AND b.minute >= ${ts(r.from)} AND b.minute < ${ts(r.to)}`).join(" UNION ALL ")
    : "SELECT NULL::timestamptz AS minute, 0::bigint AS good, 0::bigint AS total WHERE false";
  const minuteCols = splits.map(({ name, split }) => {
    const cond = split.minutes.map((r) => `(minute >= ${ts(r.from)} AND minute < ${ts(r.to)})`).join(" OR ") || "false";
    return `sum(good) FILTER (WHERE ${cond}) AS "${name}_good", sum(total) FILTER (WHERE ${cond}) AS "${name}_total"`;
  });

  // Per SLI: the window's whole days [d1, d2), the whole hours at its edges [h1lo, h1hi) and
  // [h2lo, h2hi), and its minute edges [m1lo, m1hi) and [m2lo, m2hi); absent parts are null.
  const rows = list.map((x, k) => ({ k, x, split: splitByDays(x.windowStart.getTime(), atMs) }));
  const col = (f: (r: (typeof rows)[number]) => number | undefined) => `${p(rows.map((r) => (f(r) === undefined ? null : new Date(f(r)!))))}::timestamptz[]`;
  const unnest = [
    `${p(rows.map((r) => r.k))}::int[]`,
    `${p(rows.map((r) => r.x.id))}::uuid[]`,
    `${p(rows.map((r) => r.x.serviceId))}::uuid[]`,
    col((r) => r.split.days?.from),
    col((r) => r.split.days?.to),
    col((r) => r.split.hours[0]?.from),
    col((r) => r.split.hours[0]?.to),
    col((r) => r.split.hours[1]?.from),
    col((r) => r.split.hours[1]?.to),
    col((r) => r.split.minutes[0]?.from),
    col((r) => r.split.minutes[0]?.to),
    col((r) => r.split.minutes[1]?.from),
    col((r) => r.split.minutes[1]?.to),
  ];
  const sum = (parts: string[], name: string) => parts.map((x) => `coalesce(${x}.${name}, 0)`).join(" + ");
  // Days and edge hours come back per UTC day as well (for sparklines), at no extra reads.
  // Without `days` (statuses for the API, the evaluator, the gate) the sums alone: no per-day arrays to build and parse.
  const perDay = (source: string) => !days ? `SELECT sum(good) AS good, sum(total) AS total, NULL::bigint[] AS days, NULL::numeric[] AS day_good, NULL::numeric[] AS day_total FROM (${source}) x` : `SELECT sum(g) AS good, sum(t) AS total, array_agg(extract(epoch FROM d)::bigint ORDER BY d) AS days,
        array_agg(g ORDER BY d) AS day_good, array_agg(t ORDER BY d) AS day_total
      FROM (SELECT d, sum(good) AS g, sum(total) AS t FROM (${source}) y GROUP BY 1) x`;
  const sql = `
    SELECT s.k,
      ${sum(["wd", "wh", "wm"], "good")} AS window_good, ${sum(["wd", "wh", "wm"], "total")} AS window_total,
      ${splits.map(({ name }) => `${sum(["hl", "ml"], `"${name}_good"`)} AS "${name}_good", ${sum(["hl", "ml"], `"${name}_total"`)} AS "${name}_total"`).join(",\n      ")},
      wd.days, wd.day_good, wd.day_total, wh.days AS hour_days, wh.day_good AS hour_day_good, wh.day_total AS hour_day_total,
      wm.head_good, wm.head_total,
      EXISTS (SELECT 1 FROM exclusions e WHERE ${EXCLUSION_APPLIES_SQL("e", "s.service_id", "s.sli_id")} AND e.starts_at < ${ts(atMs)} AND e.ends_at > ${ts(earliest)}) AS excluded
    FROM unnest(${unnest.join(", ")}) AS s(k, sli_id, service_id, d1, d2, h1lo, h1hi, h2lo, h2hi, m1lo, m1hi, m2lo, m2hi)
    CROSS JOIN LATERAL (${perDay("SELECT day AS d, good, total FROM sli_buckets_daily WHERE sli_id = s.sli_id AND day >= s.d1 AND day < s.d2")}) wd
    CROSS JOIN LATERAL (${perDay(`SELECT date_trunc('day', hour, 'UTC') AS d, good, total FROM sli_buckets_hourly WHERE sli_id = s.sli_id AND hour >= s.h1lo AND hour < s.h1hi
        UNION ALL SELECT date_trunc('day', hour, 'UTC'), good, total FROM sli_buckets_hourly WHERE sli_id = s.sli_id AND hour >= s.h2lo AND hour < s.h2hi`)}) wh
    CROSS JOIN LATERAL (SELECT sum(good) AS good, sum(total) AS total,
        sum(good) FILTER (WHERE head) AS head_good, sum(total) FILTER (WHERE head) AS head_total FROM (
      SELECT true AS head, good, total FROM sli_buckets b WHERE b.sli_id = s.sli_id AND b.minute >= s.m1lo AND b.minute < s.m1hi
      UNION ALL SELECT false, good, total FROM sli_buckets b WHERE b.sli_id = s.sli_id AND b.minute >= s.m2lo AND b.minute < s.m2hi) e) wm
    CROSS JOIN LATERAL (SELECT ${hourCols.join(", ")} FROM sli_buckets_hourly h
      WHERE h.sli_id = s.sli_id AND h.hour >= ${ts(hourFrom)} AND h.hour < ${ts(hourTo)}) hl
    CROSS JOIN LATERAL (SELECT ${minuteCols.join(", ")} FROM (${minuteScan}) b) ml`;
  type Days = { days: string[] | null; day_good: string[] | null; day_total: string[] | null };
  type Row = Record<string, number> & Days & { k: number; hour_days: string[] | null; hour_day_good: string[] | null; hour_day_total: string[] | null; head_good: string | null; head_total: string | null; excluded: boolean };
  const result = await reusedQuery<Row>(sql, params, list.length);
  const out: WindowAndLookbacks[] = new Array(list.length);
  const excluded: number[] = [];
  for (const r of result.rows) {
    if (r.excluded) {
      excluded.push(r.k);
      continue;
    }
    const c = countsOf(r);
    if (!days) {
      out[r.k] = c;
      continue;
    }
    // The window per UTC day, for sparklines: the minutes before the first whole hour go to the
    // first day and the ones after the last to the last, so the days add up to the window exactly.
    const x = list[r.k]!;
    const byDay = new Map<number, Bucket>();
    const add = (dayMs: number, good: number, total: number) => {
      const b = byDay.get(dayMs) ?? { start: new Date(dayMs), good: 0, total: 0 };
      b.good += good;
      b.total += total;
      byDay.set(dayMs, b);
    };
    const addAll = (d: Days) => (d.days ?? []).forEach((day, i) => add(Number(day) * 1000, Number(d.day_good![i]), Number(d.day_total![i])));
    addAll(r);
    addAll({ days: r.hour_days, day_good: r.hour_day_good, day_total: r.hour_day_total });
    const headGood = Number(r.head_good ?? 0);
    const headTotal = Number(r.head_total ?? 0);
    const dayOf = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
    if (headTotal || headGood) add(dayOf(x.windowStart.getTime()), headGood, headTotal);
    const seen = [...byDay.values()].reduce((a, b) => ({ good: a.good + b.good, total: a.total + b.total }), { good: 0, total: 0 });
    if (c.window.total !== seen.total || c.window.good !== seen.good) add(dayOf(atMs - 1), c.window.good - seen.good, c.window.total - seen.total);
    out[r.k] = { ...c, daily: [...byDay.values()].sort((a, b) => a.start.getTime() - b.start.getTime()) };
  }
  // SLIs with an exclusion in range (rare) are read again per minute, the exclusion left out: the
  // same statement said which, so the common case is one round trip.
  await Promise.all(excluded.map(async (k) => {
    const x = list[k]!;
    const [c, daily] = await Promise.all([countByMinute(x, x.windowStart, at), days ? bucketSeries(x, x.windowStart, at, 1440) : null]);
    out[k] = daily ? { ...c, daily: daily.filter((d) => d.total > 0 || d.good > 0) } : c;
  }));
  return out;
}

/** Sorted, disjoint ranges covering the same instants as `ranges`. */
function mergeRanges(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    const last = out.at(-1);
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
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
 * to the epoch, so whole hours come from the hourly rollup and only the edges from minutes,
 * unless an exclusion overlaps: then everything is read per minute. Both ways are one statement,
 * the choice made inside it (an uncorrelated EXISTS, evaluated once), so the chart costs one
 * round trip.
 */
export async function bucketSeries(sli: { id: string; serviceId: string }, from: Date, at: Date, stepMinutes: number): Promise<Bucket[]> {
  const stepMs = stepMinutes * 60_000;
  // The exclusion filter expects the service id as $2.
  const params: unknown[] = [sli.id, sli.serviceId, stepMs];
  const stepParam = "$3";
  const p = (v: number | Date) => {
    params.push(v instanceof Date ? v : new Date(v));
    return `$${params.length}::timestamptz`;
  };
  const [fromP, atP] = [p(from), p(at)];
  const perMinute = `SELECT b.minute AS t, b.good, b.total FROM sli_buckets b WHERE b.sli_id = $1 AND b.minute >= ${fromP} AND b.minute < ${atP} AND ${notExcluded}`;
  let source = perMinute;
  if (stepMs % HOUR_MS === 0) {
    const split = splitByHours(from.getTime(), at.getTime());
    const minutes = split.minutes.map((r) => `(b.minute >= ${p(r.from)} AND b.minute < ${p(r.to)})`).join(" OR ") || "false";
    const hours = split.hours ? `UNION ALL SELECT hour, good, total FROM sli_buckets_hourly WHERE sli_id = $1 AND hour >= ${p(split.hours.from)} AND hour < ${p(split.hours.to)}` : "";
    const rolled = `SELECT b.minute AS t, b.good, b.total FROM sli_buckets b WHERE b.sli_id = $1 AND (${minutes}) ${hours}`;
    const excluded = `EXISTS (SELECT 1 FROM exclusions e WHERE ${EXCLUSION_APPLIES_SQL("e", "$2", "$1")} AND e.starts_at < ${atP} AND e.ends_at > ${fromP})`;
    source = `SELECT * FROM (${rolled}) r WHERE NOT ${excluded} UNION ALL SELECT * FROM (${perMinute}) m WHERE ${excluded}`;
  }
  const { rows } = await reusedQuery<{ step: number; good: number; total: number }>(
    `SELECT floor(extract(epoch FROM x.t) * 1000 / ${stepParam})::bigint AS step, sum(x.good)::bigint AS good, sum(x.total)::bigint AS total
     FROM (${source}) x GROUP BY 1 ORDER BY 1`,
    params,
    1,
  );
  const byStep = new Map(rows.map((r) => [Number(r.step), r]));
  const out: Bucket[] = [];
  for (let s = Math.floor(from.getTime() / stepMs); s * stepMs < at.getTime(); s++) {
    const r = byStep.get(s);
    out.push({ start: new Date(s * stepMs), good: Number(r?.good ?? 0), total: Number(r?.total ?? 0) });
  }
  return out;
}


/** Start of the newest bucket before `at` for each SLI (one backward index probe each). */
export async function lastBucketsBefore(sliIds: readonly string[], at: Date): Promise<Map<string, Date>> {
  const ids = [...new Set(sliIds)];
  const { rows } = await reusedQuery<{ id: string; minute: Date }>(
    `SELECT s.id, b.minute FROM unnest($1::uuid[]) AS s(id)
     CROSS JOIN LATERAL (SELECT minute FROM sli_buckets WHERE sli_id = s.id AND minute < $2 ORDER BY minute DESC LIMIT 1) b`,
    [ids, at],
    ids.length,
  );
  return new Map(rows.map((r) => [r.id, r.minute]));
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
