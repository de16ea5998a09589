// The facts lib/domain/sli-integrity.ts judges, for many SLOs in one statement (like the status
// reader, sli-data.ts): per SLO a handful of index probes, never a scan of its minutes. The
// anomalies a Prometheus source answered with are recorded here too, by the sync.
import { whenDelayedModes, type WhenDelayed } from "../../domain/composite";
import { COLLAPSE_BASELINE_DAYS, type IntegrityFacts, type SourceAnomaly } from "../../domain/sli-integrity";
import { DAY_MS, HOUR_MS } from "../../domain/window";
import { getConfig } from "../config";
import { reusedQuery, withTransaction } from "../db/client";

export type IntegritySubject = {
  sliId: string;
  windowStart: Date;
  sli: {
    source: "push" | "prometheus" | "composite";
    promTotalQuery: string | null;
    promGoodQuery: string | null;
    promBadQuery: string | null;
    promThresholdQuery: string | null;
    backfillFrom: Date | null;
    createdAt: Date;
  };
};

/** SLOs per statement: the same chunking as the status reader's counts. */
const STATEMENT_CHUNK = 250;

/**
 * Integrity facts of each SLO at `at`, in input order. Per SLO: the SLI's first stored hour (one
 * index probe), the window's daily rollup rows with good > total or a negative
 * total, the source anomalies recorded in the window, and the last complete hour with the same
 * hour on each of the COLLAPSE_BASELINE_DAYS days before (eight hourly rows, by key); for a
 * composite, its recorded gaps in the window per member (composite_gaps, by key) and its late rule.
 */
export async function integrityFactsOf(list: readonly IntegritySubject[], at: Date): Promise<IntegrityFacts[]> {
  if (list.length > STATEMENT_CHUNK) {
    const parts = [];
    for (let i = 0; i < list.length; i += STATEMENT_CHUNK) parts.push(list.slice(i, i + STATEMENT_CHUNK));
    return (await Promise.all(parts.map((p) => integrityFactsOf(p, at)))).flat();
  }
  if (list.length === 0) return [];
  const lastHour = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS;
  const hours = Array.from({ length: COLLAPSE_BASELINE_DAYS + 1 }, (_, d) => new Date(lastHour - d * DAY_MS));
  type Row = {
    k: number;
    first_hour: Date | null;
    bad_days: number;
    bad_first: Date | null;
    got: number;
    got_first: Date | null;
    neg: number;
    neg_first: Date | null;
    hours: string[] | null;
    totals: string[] | null;
    when_delayed: string | null;
    gaps: { member: string; minutes: number; first: string }[] | null;
  };
  const { rows } = await reusedQuery<Row>(
    `SELECT s.k, fh.hour AS first_hour, sd.bad_days, sd.bad_first, an.got, an.got_first, an.neg, an.neg_first, lh.hours, lh.totals, sl.when_delayed, cg.gaps
     FROM unnest($1::int[], $2::uuid[], $3::timestamptz[]) AS s(k, sli_id, ws)
     LEFT JOIN LATERAL (SELECT hour FROM sli_buckets_hourly WHERE sli_id = s.sli_id ORDER BY hour LIMIT 1) fh ON true
     CROSS JOIN LATERAL (SELECT count(*)::int AS bad_days, min(day) AS bad_first FROM sli_buckets_daily
       WHERE sli_id = s.sli_id AND day >= date_trunc('day', s.ws, 'UTC') AND day < $4 AND (good > total OR total < 0)) sd
     CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE kind = 'good_over_total')::int AS got, min(minute) FILTER (WHERE kind = 'good_over_total') AS got_first,
         count(*) FILTER (WHERE kind = 'negative')::int AS neg, min(minute) FILTER (WHERE kind = 'negative') AS neg_first
       FROM sli_source_anomalies WHERE sli_id = s.sli_id AND minute >= s.ws AND minute < $4) an
     CROSS JOIN LATERAL (SELECT array_agg(extract(epoch FROM hour)::bigint) AS hours, array_agg(total) AS totals
       FROM sli_buckets_hourly WHERE sli_id = s.sli_id AND hour = ANY($5::timestamptz[])) lh
     JOIN slis sl ON sl.id = s.sli_id
     LEFT JOIN LATERAL (SELECT json_agg(json_build_object('member', sv.slug || '/' || m.slug, 'minutes', g.n, 'first', g.first) ORDER BY sv.slug, m.slug) AS gaps
       FROM (SELECT member_slo_id, count(*)::int AS n, min(minute) AS first FROM composite_gaps
             WHERE sl.source = 'composite' AND sli_id = s.sli_id AND minute >= s.ws AND minute < $4 GROUP BY member_slo_id) g
       JOIN slos m ON m.id = g.member_slo_id JOIN services sv ON sv.id = m.service_id) cg ON true`,
    [list.map((_, k) => k), list.map((x) => x.sliId), list.map((x) => x.windowStart), at, hours],
    list.length,
  );
  const retentionDays = getConfig().MINUTE_RETENTION_DAYS;
  const out: IntegrityFacts[] = new Array(list.length);
  for (const r of rows) {
    const x = list[r.k]!;
    const totalAt = new Map((r.hours ?? []).map((h, i) => [Number(h) * 1000, Number(r.totals![i])]));
    const queries = [
      ["totalQuery", x.sli.promTotalQuery],
      ["goodQuery", x.sli.promGoodQuery],
      ["badQuery", x.sli.promBadQuery],
      ["thresholdQuery", x.sli.promThresholdQuery],
    ] as const;
    out[r.k] = {
      source: x.sli.source,
      queries: queries.flatMap(([field, query]) => (query ? [{ field, query }] : [])),
      sourceGoodOverTotal: { minutes: r.got, first: r.got_first },
      sourceNegative: { minutes: r.neg, first: r.neg_first },
      storedBadDays: { days: r.bad_days, first: r.bad_first },
      // A missing hour had no events: 0, so an SLI younger than a week has a low median and is not flagged.
      lastHour: { start: hours[0]!, total: totalAt.get(lastHour) ?? 0, sameHourTotals: hours.slice(1).map((h) => totalAt.get(h.getTime()) ?? 0) },
      firstDataAt: r.first_hour,
      backfillFrom: x.sli.backfillFrom,
      sliCreatedAt: x.sli.createdAt,
      retentionDays,
      compositeGaps: (r.gaps ?? []).map((g) => ({ member: g.member, minutes: g.minutes, first: new Date(g.first) })),
      whenDelayed: (whenDelayedModes as readonly string[]).includes(r.when_delayed ?? "") ? (r.when_delayed as WhenDelayed) : "ignore",
    };
  }
  return out;
}

/**
 * Records what a Prometheus source answered for the minutes [from, to) of an SLI: the range is
 * re-read on every sync (late samples), so its rows are replaced. Rows before `keepFrom` (the
 * sync's backfill start: the oldest minute any of the SLI's windows needs) go with them.
 */
export async function recordSourceAnomalies(sliId: string, from: Date, to: Date, anomalies: readonly SourceAnomaly[], keepFrom: Date): Promise<void> {
  const cutoff = keepFrom;
  await withTransaction(async (client) => {
    await client.query("DELETE FROM sli_source_anomalies WHERE sli_id = $1 AND ((minute >= $2 AND minute < $3) OR minute < $4)", [sliId, from, to, cutoff]);
    if (anomalies.length === 0) return;
    await client.query(
      `INSERT INTO sli_source_anomalies (sli_id, minute, kind, raw_good, raw_total)
       SELECT $1, to_timestamp(m), k, g, t FROM unnest($2::bigint[], $3::text[], $4::float8[], $5::float8[]) AS x(m, k, g, t)
       ON CONFLICT (sli_id, minute, kind) DO UPDATE SET raw_good = EXCLUDED.raw_good, raw_total = EXCLUDED.raw_total`,
      [sliId, anomalies.map((a) => a.minute.getTime() / 1000), anomalies.map((a) => a.kind), anomalies.map((a) => a.rawGood), anomalies.map((a) => a.rawTotal)],
    );
  });
}
