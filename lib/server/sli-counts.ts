// The counts every status needs, for many SLIs at one instant, set-based (sli-data.ts
// countManyWindowsAndLookbacks calls this for the SLIs without exclusions). SLIs whose windows
// start at the same instant (every rolling window of one length, every calendar month...) share
// all their bounds, so one statement per group reads the rollups and minute edges of all of
// them with `sli_id = ANY(...)` index scans, and tags each row with its segment: the window's
// days, its edge hours and minutes, and the pieces of time between lookback starts. PostgreSQL
// sums per (SLI, segment) with two aggregates, then per SLI adds the segments each window and
// lookback covers. The same rows as the per-SLI statement it replaces read, without its ~10
// correlated subqueries per SLI (issue 17: 10,000 statuses in under a second).
import { lookbacks, type Counts, type Lookback } from "../domain/burn-rate";
import type { Bucket } from "../domain/burndown";
import { DAY_MS, HOUR_MS, MINUTE_MS, splitByDays, splitByHours, type Range } from "../domain/window";
import { db } from "./db/client";

export type WindowAndLookbacks = { window: Counts; lookbacks: Record<Lookback, Counts>; daily?: Bucket[] };

/** SLIs per statement: a few statements at once use the database's cores. */
const CHUNK = 2500;
/** Segment codes: window days from 1 (0 = the head minutes, TAIL = the tail minutes), then the lookbacks' hours and minutes. */
const TAIL = 9999;
const HOURS = 10_000;
const MINUTES = 20_000;

/** Sorted, disjoint ranges covering the same instants as `ranges`. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    const last = out.at(-1);
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** Counts of SLIs (none with an exclusion in range) at `at`, in input order; `daily` when `days`. */
export async function countSetBased(list: readonly { id: string; windowStart: Date }[], at: Date, days: boolean): Promise<WindowAndLookbacks[]> {
  const out: WindowAndLookbacks[] = new Array(list.length);
  const groups = new Map<number, number[]>();
  list.forEach((x, k) => groups.set(x.windowStart.getTime(), [...(groups.get(x.windowStart.getTime()) ?? []), k]));
  const jobs: Promise<void>[] = [];
  for (const [start, ks] of groups) {
    for (let i = 0; i < ks.length; i += CHUNK) {
      const part = ks.slice(i, i + CHUNK);
      jobs.push(countGroup(part.map((k) => list[k]!.id), start, at.getTime(), days).then((rows) => part.forEach((k, j) => (out[k] = rows[j]!))));
    }
  }
  await Promise.all(jobs);
  return out;
}

/** One statement for SLIs sharing the window start `start`. */
async function countGroup(ids: readonly string[], start: number, atMs: number, days: boolean): Promise<WindowAndLookbacks[]> {
  const params: unknown[] = [ids];
  const p = (v: unknown) => `$${params.push(v)}`;
  const ts = (ms: number) => `${p(new Date(ms))}::timestamptz`;
  const within = (col: string, r: Range) => `(${col} >= ${ts(r.from)} AND ${col} < ${ts(r.to)})`;

  // The window: whole days from the daily rollup, edge hours from the hourly, edge minutes.
  const w = splitByDays(start, atMs);
  const base = Math.floor(start / DAY_MS) * DAY_MS;
  const dayIndex = (col: string) => `(1 + floor((extract(epoch FROM ${col}) * 1000 - ${base}) / ${DAY_MS}))::int`;
  const parts: string[] = [];
  if (w.days) parts.push(`SELECT sli_id, ${dayIndex("day")} AS seg, good, total FROM sli_buckets_daily WHERE sli_id = ANY($1::uuid[]) AND ${within("day", w.days)}`);
  if (w.hours.length) parts.push(`SELECT sli_id, ${dayIndex("hour")} AS seg, good, total FROM sli_buckets_hourly WHERE sli_id = ANY($1::uuid[]) AND (${w.hours.map((r) => within("hour", r)).join(" OR ")})`);
  w.minutes.forEach((r, i) => parts.push(`SELECT sli_id, ${i === 0 ? 0 : TAIL} AS seg, good, total FROM sli_buckets b WHERE sli_id = ANY($1::uuid[]) AND ${within("minute", r)}`));

  // The lookbacks end at `at`: their whole hours share one scan cut at each lookback's first
  // hour, their minute edges one scan cut at every edge.
  const splits = (Object.entries(lookbacks) as [Lookback, number][]).map(([name, m]) => ({ name, split: splitByHours(atMs - m * MINUTE_MS, atMs) }));
  const hourStarts = [...new Set(splits.flatMap((x) => (x.split.hours ? [x.split.hours.from] : [])))].sort((a, b) => a - b);
  const hourTo = Math.floor(atMs / HOUR_MS) * HOUR_MS;
  if (hourStarts.length) {
    parts.push(`SELECT sli_id, ${HOURS} + width_bucket(hour, ${p(hourStarts.map((h) => new Date(h)))}::timestamptz[]) AS seg, good, total FROM sli_buckets_hourly
      WHERE sli_id = ANY($1::uuid[]) AND hour >= ${ts(hourStarts[0]!)} AND hour < ${ts(hourTo)}`);
  }
  const runs = mergeRanges(splits.flatMap((x) => x.split.minutes));
  const cuts = [...new Set(splits.flatMap((x) => x.split.minutes.flatMap((r) => [r.from, r.to])))].sort((a, b) => a - b);
  if (runs.length) {
    parts.push(`SELECT sli_id, ${MINUTES} + width_bucket(minute, ${p(cuts.map((c) => new Date(c)))}::timestamptz[]) AS seg, good, total FROM sli_buckets
      WHERE sli_id = ANY($1::uuid[]) AND (${runs.map((r) => within("minute", r)).join(" OR ")})`);
  }
  // Which segments each lookback covers: hour segment j holds hours from hourStarts[j-1]; minute
  // segment j holds minutes in [cuts[j-1], cuts[j]).
  const segsOf = (name: Lookback) => {
    const s = splits.find((x) => x.name === name)!.split;
    const hourSegs = s.hours ? hourStarts.flatMap((h, j) => (h >= s.hours!.from ? [HOURS + j + 1] : [])) : [];
    const minuteSegs = cuts.slice(0, -1).flatMap((c, j) => (s.minutes.some((r) => c >= r.from && cuts[j + 1]! <= r.to) ? [MINUTES + j + 1] : []));
    return [...hourSegs, ...minuteSegs];
  };
  const names = Object.keys(lookbacks) as Lookback[];
  const filter = (segs: number[]) => (segs.length ? `seg = ANY('{${segs.join(",")}}'::int[])` : "false");
  const sql = `
    SELECT sli_id, sum(g) FILTER (WHERE seg < ${HOURS}) AS window_good, sum(t) FILTER (WHERE seg < ${HOURS}) AS window_total,
      ${names.map((n, i) => `sum(g) FILTER (WHERE ${filter(segsOf(n))}) AS l${i}_good, sum(t) FILTER (WHERE ${filter(segsOf(n))}) AS l${i}_total`).join(",\n      ")}
      ${days ? `, array_agg(seg ORDER BY seg) FILTER (WHERE seg < ${HOURS}) AS segs, array_agg(g ORDER BY seg) FILTER (WHERE seg < ${HOURS}) AS seg_good, array_agg(t ORDER BY seg) FILTER (WHERE seg < ${HOURS}) AS seg_total` : ""}
    FROM (SELECT sli_id, seg, sum(good) AS g, sum(total) AS t FROM (${parts.join("\n      UNION ALL ")}) x GROUP BY 1, 2) y
    GROUP BY sli_id`;
  type Row = Record<string, string | null> & { sli_id: string; segs?: number[] | null; seg_good?: string[] | null; seg_total?: string[] | null };
  const { rows } = parts.length ? await db().pool.query<Row>(sql, params) : { rows: [] as Row[] };
  const byId = new Map(rows.map((r) => [r.sli_id, r]));
  const n = (v: string | null | undefined) => Number(v ?? 0);
  const lastDay = Math.floor((atMs - 1) / DAY_MS) * DAY_MS;
  return ids.map((id) => {
    const r = byId.get(id);
    const window = { good: n(r?.window_good), total: n(r?.window_total) };
    const lb = Object.fromEntries(names.map((name, i) => [name, { good: n(r?.[`l${i}_good`]), total: n(r?.[`l${i}_total`]) }])) as Record<Lookback, Counts>;
    if (!days) return { window, lookbacks: lb };
    // Per UTC day, for sparklines: the head minutes go to the first day, the tail to the last.
    const byDay = new Map<number, Bucket>();
    (r?.segs ?? []).forEach((seg, i) => {
      const good = n(r!.seg_good![i]);
      const total = n(r!.seg_total![i]);
      if (seg !== 0 && seg !== TAIL) return add(byDay, base + (seg - 1) * DAY_MS, good, total);
      if (good || total) add(byDay, seg === 0 ? base : lastDay, good, total);
    });
    return { window, lookbacks: lb, daily: [...byDay.values()].sort((a, b) => a.start.getTime() - b.start.getTime()) };
  });
}

function add(byDay: Map<number, Bucket>, dayMs: number, good: number, total: number) {
  const b = byDay.get(dayMs) ?? { start: new Date(dayMs), good: 0, total: 0 };
  b.good += good;
  b.total += total;
  byDay.set(dayMs, b);
}
