// Can an SLO's numbers be trusted? Five ways an SLI's data goes silently wrong (issue 17,
// docs/integrity.md): more good than total events, a denominator that collapses, a counter
// reset read as a raw delta, data that covers less than the window, and (a composite) a member
// late or missing past the delay bound. Each is a finding
// with a sentence; any finding makes the SLO "uncertain". Pure: the service layer gathers the
// facts (lib/server/services/sli-integrity.ts) and passes the instant.
import { parser } from "@prometheus-io/lezer-promql";
import { WHEN_DELAYED_WORDS, type WhenDelayed } from "./composite";
import { formatCount, formatPercent, formatUtc } from "./format";
import type { Samples } from "./prometheus-samples";
import { DAY_MS, HOUR_MS, type WindowSpan } from "./window";

export const integrityKinds = ["good_over_total", "negative_counts", "raw_counter", "denominator_collapse", "short_coverage", "member_late"] as const;
export type IntegrityKind = (typeof integrityKinds)[number];
/** `since`: when the evidence begins (ISO), or null for a property of the definition (a query). */
export type IntegrityFinding = { kind: IntegrityKind; reason: string; since: string | null };
export type Integrity = { state: "ok" | "uncertain"; findings: IntegrityFinding[] };

export const INTEGRITY_OK: Integrity = { state: "ok", findings: [] };

/**
 * Denominator collapse: the last complete hour's total below this share of the median of the
 * same hour on the previous COLLAPSE_BASELINE_DAYS days. 10 %: a real traffic dip (a holiday,
 * a quiet night) rarely loses 90 % of an hour's usual volume, while a broken exporter, a
 * dropped label or a load balancer routing around the instrumented path does.
 */
export const COLLAPSE_FRACTION = 0.1;
/** Days of the same hour the median is taken over: one week, so weekday/weekend seasonality is in it. */
export const COLLAPSE_BASELINE_DAYS = 7;
/**
 * A usual hour below this many events is never "collapsed": at 100 an hour, 10 % is ten
 * events, where a quiet SLI's ordinary noise would flag it.
 */
export const COLLAPSE_MIN_MEDIAN_EVENTS = 100;
/**
 * Data starting this much after the window's start still counts as covering it: the first
 * data is read at the hourly rollup's grain, so less than an hour cannot be told apart.
 */
export const COVERAGE_SLACK_MS = HOUR_MS;
/**
 * A pulled minute counts as "more good than total" only past this share of the total (and at
 * least one whole event): increase() extrapolates each series from its own scrape times, so
 * good and total of a healthy minute differ by a fraction of an event, sometimes a little more
 * when the two series come from different targets.
 */
export const GOOD_OVER_TOTAL_SLACK_FRACTION = 0.01;
/** Functions that read a counter across resets (Prometheus docs, "Functions": rate, irate, increase). */
const RESET_AWARE = new Set(["rate", "irate", "increase"]);
/** Metric name suffixes of counters (OpenMetrics: counters end in _total; histograms and summaries add _count, _sum, _bucket). */
const COUNTER_NAME = /_(total|count|sum|bucket)$/;

export type SourceAnomalyKind = "good_over_total" | "negative";
export type SourceAnomaly = { minute: Date; kind: SourceAnomalyKind; rawGood: number; rawTotal: number };

/**
 * The minutes of a Prometheus range answer that no bucket can hold as given (the sync clamps
 * them, prometheus-samples.ts, and records these): a negative total or good/bad (a raw counter
 * delta across a reset), or good (bad) above total by more than the slack. Same step-to-minute
 * mapping as samplesToBuckets: the sample at T is the minute starting at T - 60 s.
 */
export function sourceAnomaliesOf(total: Samples, goodOrBad: Samples, mode: "good" | "bad"): SourceAnomaly[] {
  const out: SourceAnomaly[] = [];
  for (const [t, rawTotal] of [...total.entries()].sort((a, b) => a[0] - b[0])) {
    if (Number.isNaN(rawTotal)) continue;
    const raw = goodOrBad.get(t);
    const other = raw === undefined || Number.isNaN(raw) ? 0 : raw;
    const minute = new Date(t - 60_000);
    const rawGood = mode === "good" ? other : rawTotal - other;
    const n = Math.round(rawTotal);
    const o = Math.round(other);
    if (n < 0 || o < 0) out.push({ minute, kind: "negative", rawGood, rawTotal });
    else if (o - n > Math.max(1, GOOD_OVER_TOTAL_SLACK_FRACTION * n)) out.push({ minute, kind: "good_over_total", rawGood, rawTotal });
  }
  return out;
}

/**
 * Counter metrics a PromQL query reads without a reset-aware function around them, e.g.
 * `sum(http_requests_total) - sum(http_requests_total offset 1m)`: after a restart the counter
 * starts again at zero and such a delta goes negative. Parsed with Prometheus's own grammar
 * (@prometheus-io/lezer-promql); a query that does not parse gives none here (the sync reports it).
 */
export function rawCounterReads(query: string): string[] {
  const tree = parser.parse(query);
  const names = new Set<string>();
  let broken = false;
  tree.iterate({
    enter(node) {
      if (node.type.isError) broken = true;
      if (node.name !== "VectorSelector") return;
      const id = node.node.getChild("Identifier");
      const name = id ? query.slice(id.from, id.to) : "";
      if (!COUNTER_NAME.test(name)) return;
      for (let p = node.node.parent; p; p = p.parent) {
        if (p.name !== "FunctionCall") continue;
        const fn = p.getChild("FunctionIdentifier");
        if (fn && RESET_AWARE.has(query.slice(fn.from, fn.to))) return;
      }
      names.add(name);
    },
  });
  return broken ? [] : [...names];
}

/** What the service layer reads for one SLO (a few index probes per SLI, see the reader). */
export type IntegrityFacts = {
  source: "push" | "prometheus" | "composite";
  /** Prometheus: the configured queries by field name (totalQuery, goodQuery, badQuery). */
  queries: readonly { field: string; query: string }[];
  /** Minutes of the window the source answered with good > total, or negative counts (recorded by the sync). */
  sourceGoodOverTotal: { minutes: number; first: Date | null };
  sourceNegative: { minutes: number; first: Date | null };
  /** Stored UTC days of the window whose sums hold more good than total or a negative total (the daily rollup). */
  storedBadDays: { days: number; first: Date | null };
  /** Start of the last complete hour, its total, and the totals of the same hour on each of the days before (missing hours as 0). */
  lastHour: { start: Date; total: number; sameHourTotals: readonly number[] } | null;
  /** Start of the SLI's first stored hour (null: no data at all, which freshness reports). */
  firstDataAt: Date | null;
  /** Prometheus: data is complete from here (the sync's backfill start). */
  backfillFrom: Date | null;
  /** When the SLI was made: a pushed SLI younger than its window has no earlier data to miss. */
  sliCreatedAt: Date;
  /** MINUTE_RETENTION_DAYS: pushed minutes older than this are refused, so cannot be backfilled. */
  retentionDays: number;
  /**
   * A composite (docs/composite-slos.md): per member, the minutes of the window materialised past
   * the delay bound without its data (composite_gaps; a gap goes when the data arrives and the
   * minute is recomputed), and the rule they were counted by. Empty for other SLIs.
   */
  compositeGaps?: readonly { member: string; minutes: number; first: Date }[];
  whenDelayed?: WhenDelayed;
};

/** The median (the mean of the two middle values for an even count); null for none. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A span of data in words: whole hours under two days ("6 hours"), days to a tenth beyond ("9 days"). */
const span = (ms: number) => {
  if (ms < 2 * DAY_MS) {
    const h = Math.round(ms / HOUR_MS);
    return `${h} ${h === 1 ? "hour" : "hours"}`;
  }
  return `${Math.round((ms / DAY_MS) * 10) / 10} days`;
};

/** Every finding for one SLO over its window at `at`; "uncertain" when there is any. */
export function assessIntegrity(f: IntegrityFacts, window: Pick<WindowSpan, "start" | "periodMinutes">, at: Date): Integrity {
  const findings: IntegrityFinding[] = [];
  const iso = (d: Date | null) => d?.toISOString() ?? null;

  if (f.sourceGoodOverTotal.minutes > 0) {
    const n = f.sourceGoodOverTotal.minutes;
    findings.push({
      kind: "good_over_total",
      reason: `the source returned more good than total events for ${formatCount(n)} ${n === 1 ? "minute" : "minutes"} of the window (first ${formatUtc(f.sourceGoodOverTotal.first!)}); they were stored with good = total`,
      since: iso(f.sourceGoodOverTotal.first),
    });
  }
  if (f.storedBadDays.days > 0) {
    const n = f.storedBadDays.days;
    findings.push({
      kind: "good_over_total",
      reason: `the stored counts hold more good than total events (or a negative total) on ${formatCount(n)} ${n === 1 ? "day" : "days"} of the window (first ${formatUtc(f.storedBadDays.first!)})`,
      since: iso(f.storedBadDays.first),
    });
  }
  if (f.sourceNegative.minutes > 0) {
    const n = f.sourceNegative.minutes;
    findings.push({
      kind: "negative_counts",
      reason: `the source returned negative counts for ${formatCount(n)} ${n === 1 ? "minute" : "minutes"} of the window (first ${formatUtc(f.sourceNegative.first!)}), a counter reset read as a raw delta; they were stored as 0`,
      since: iso(f.sourceNegative.first),
    });
  }
  if (f.source === "prometheus") {
    for (const q of f.queries) {
      const names = rawCounterReads(q.query);
      if (names.length === 0) continue;
      findings.push({
        kind: "raw_counter",
        reason: `${q.field} reads the counter ${names.join(", ")} without rate() or increase(): a restart resets a counter, and a raw delta then goes negative; use increase(...[1m])`,
        since: null,
      });
    }
  }

  // Same hour of the day over the last week: seasonality-aware, and 8 rollup rows per SLI.
  const usual = f.lastHour ? median(f.lastHour.sameHourTotals) : null;
  if (f.lastHour && usual !== null && usual >= COLLAPSE_MIN_MEDIAN_EVENTS && f.lastHour.total < COLLAPSE_FRACTION * usual) {
    findings.push({
      kind: "denominator_collapse",
      reason: `the last hour (from ${formatUtc(f.lastHour.start)}) had ${formatCount(f.lastHour.total)} events, ${formatPercent(f.lastHour.total / usual, 1)} of the usual ${formatCount(usual)} for that hour (median of the ${f.lastHour.sameHourTotals.length} days before); below ${formatPercent(COLLAPSE_FRACTION)} the events are probably not all being counted`,
      since: iso(f.lastHour.start),
    });
  }

  // Coverage: the later of the first data and the backfill start, against the window's start. A
  // Prometheus source is read back to the window's start whenever the SLI was made, so a gap there
  // is data the source lacks; a pushed SLI made inside the window is young, not short of data
  // (its first pushes may still fill minutes before it was made): the gap counts from its making.
  const starts = [f.firstDataAt, f.source === "prometheus" ? f.backfillFrom : null].filter((d): d is Date => d !== null);
  const expectedFrom = f.source === "prometheus" ? window.start.getTime() : Math.max(window.start.getTime(), f.sliCreatedAt.getTime());
  if (f.firstDataAt !== null) {
    const from = new Date(Math.max(...starts.map((d) => d.getTime())));
    if (from.getTime() - expectedFrom >= COVERAGE_SLACK_MS) {
      const period = Math.round((window.periodMinutes / 1440) * 10) / 10;
      const why =
        f.source === "prometheus"
          ? "the source holds nothing older (its retention may be shorter than the window)"
          : window.start.getTime() < at.getTime() - f.retentionDays * DAY_MS
            ? `pushes older than the ${f.retentionDays}-day retention of minute data are refused, so the start cannot be backfilled`
            : "earlier minutes can still be pushed (backfilled)";
      findings.push({
        kind: "short_coverage",
        reason: `${period}-day SLO over ${span(at.getTime() - from.getTime())} of data: the SLI's data starts ${formatUtc(from)}, after the window's start ${formatUtc(window.start)}; ${why}`,
        since: iso(from),
      });
    }
  }

  // A composite computed without a member's data says so ("count them as missing and say so",
  // issue 17): the minutes stand until the data arrives, and may then change.
  for (const g of f.compositeGaps ?? []) {
    if (g.minutes <= 0) continue;
    findings.push({
      kind: "member_late",
      reason: `member ${g.member} was late or missing for ${formatCount(g.minutes)} ${g.minutes === 1 ? "minute" : "minutes"} of the window (first ${formatUtc(g.first)}), ${WHEN_DELAYED_WORDS[f.whenDelayed ?? "ignore"]}; those minutes are recomputed when its data arrives`,
      since: iso(g.first),
    });
  }
  return { state: findings.length ? "uncertain" : "ok", findings };
}
