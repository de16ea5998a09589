// Latency SLIs from Prometheus histograms (docs/histograms.md): what buckets a histogram has on
// its server, and whether a threshold is one of their bounds. Asked through the outbound guard
// (lib/server/http/outbound.ts) when an editor checks the buckets in the form and again when the
// SLI is created, so a threshold between two buckets is never stored: the count below it would be
// an interpolation, not a count.
import {
  classicBucketSelector,
  formatBound,
  histogramQueries,
  matchClassicBound,
  matchCustomBound,
  matchNativeBound,
  nativeBucketQuery,
  nativeLayoutOf,
  parseLe,
  parseMatchers,
  type BoundMatch,
  type HistogramType,
  type LabelMatcher,
} from "../../domain/promql-histogram";
import type { HistogramCheckInput, HistogramSourceInput } from "../../schemas/catalog";
import type { HistogramBuckets } from "../../schemas/views";
import { AppError } from "../errors";
import type { OutboundPolicy } from "../http/outbound";
import { labelValues, PromQueryError, queryInstant, type PromSource } from "../sources/prometheus";
import type { Actor } from "./actor";
import { requirePersonInTeam } from "./access";
import { serverColumns, serverField, serverOf, type SourceServer } from "./source-server";
import { clockNow } from "../clock";

/** How far back the server is asked for the histogram's buckets: its current layout. */
const LOOKBACK_MS = 60 * 60_000;

type Layout = { bounds: string[]; schema: number | null; match: (threshold: number) => BoundMatch };

/** The histogram's bounds on the server, or a PromQueryError saying why there are none to read. */
async function readLayout(src: PromSource, type: HistogramType, metric: string, matchers: LabelMatcher[], now: Date, policy: OutboundPolicy): Promise<Layout> {
  if (type === "classic") {
    const les = await labelValues(src, "le", classicBucketSelector(metric, matchers), new Date(now.getTime() - LOOKBACK_MS), now, undefined, policy);
    if (les.length === 0) throw new PromQueryError(`no ${metric}_bucket series with an le label in the last hour: check the metric name and the matchers, and that the histogram is classic`);
    const bounds = [...les].sort((a, b) => (parseLe(a) ?? NaN) - (parseLe(b) ?? NaN) || a.localeCompare(b));
    return { bounds, schema: null, match: (t) => matchClassicBound(t, les) };
  }
  const samples = await queryInstant(src, nativeBucketQuery(metric, matchers), now, undefined, policy);
  if (!samples[0]) throw new PromQueryError(`no ${metric} series in the last hour: check the metric name and the matchers`);
  const h = samples[0].histogram;
  if (!h) throw new PromQueryError(`${metric} holds float samples, not native histograms: pick the classic type`);
  const layout = nativeLayoutOf(h[1].buckets ?? []);
  if (layout.kind === "none") throw new PromQueryError(`${metric} had no observations above 0 in the last hour, so its bucket layout cannot be read; check again once it has traffic`);
  if (layout.kind === "exponential") return { bounds: [], schema: layout.schema, match: (t) => matchNativeBound(t, layout.schema) };
  return { bounds: layout.bounds.map(formatBound), schema: null, match: (t) => matchCustomBound(t, layout.bounds) };
}

function matchersOf(text: string): LabelMatcher[] {
  const r = parseMatchers(text);
  // The schema stored the canonical text of matchers it had parsed.
  if (!r.ok) throw new AppError("invalid", `The matchers are not valid: ${r.reason}`, { matchers: r.reason });
  return r.matchers;
}

function queriesFor(type: HistogramType, metric: string, matchers: LabelMatcher[], m: Extract<BoundMatch, { ok: true }>) {
  return histogramQueries(type === "classic" ? { type, metric, matchers, le: m.le } : { type, metric, matchers, threshold: m.value });
}

/** "Check buckets" in the SLI form: the bounds found, and the verdict on a threshold if given. Editors only (it calls a URL the caller chose). */
export async function checkHistogramBuckets(actor: Actor, team: string, input: HistogramCheckInput, now = clockNow(), policy: OutboundPolicy = {}): Promise<HistogramBuckets> {
  const access = await requirePersonInTeam(actor, team, "editor");
  const server = await serverOf(access.teamId, input, "", { policy });
  const matchers = matchersOf(input.matchers);
  let layout: Layout;
  try {
    layout = await readLayout(server, input.type, input.metric, matchers, now, policy);
  } catch (e) {
    if (e instanceof PromQueryError && e.refused) throw new AppError("invalid", e.message, { [serverField(server)]: e.message });
    if (e instanceof PromQueryError) return { ok: false, error: e.message };
    throw e;
  }
  const t = input.thresholdSeconds;
  if (t == null) return { ok: true, type: input.type, bounds: layout.bounds, schema: layout.schema, threshold: null };
  const m = layout.match(t);
  const q = m.ok ? queriesFor(input.type, input.metric, matchers, m) : null;
  return {
    ok: true,
    type: input.type,
    bounds: layout.bounds,
    schema: layout.schema,
    threshold: {
      seconds: m.ok ? m.value : t,
      matches: m.ok,
      message: m.ok ? null : m.reason,
      lower: !m.ok && m.lower !== null ? formatBound(m.lower) : null,
      upper: !m.ok && m.upper !== null ? formatBound(m.upper) : null,
      goodQuery: q?.goodQuery ?? null,
      totalQuery: q?.totalQuery ?? null,
    },
  };
}

/**
 * The SLI columns of a histogram source, after asking its server that the threshold is a bucket
 * bound: refused (422 on the field) when it is not, or when the buckets cannot be read.
 */
export async function histogramColumns(input: HistogramSourceInput, server: SourceServer, now = clockNow(), policy: OutboundPolicy = {}) {
  const matchers = matchersOf(input.matchers);
  let layout: Layout;
  try {
    layout = await readLayout(server, input.type, input.metric, matchers, now, policy);
  } catch (e) {
    if (!(e instanceof PromQueryError)) throw e;
    const why = e.refused ? e.message : `the buckets could not be checked: ${e.message}`;
    const field = e.refused ? serverField(server, "histogram") : "histogram.metric";
    throw new AppError("invalid", `histogram: ${why}`, { [field]: why });
  }
  const m = layout.match(input.thresholdSeconds);
  if (!m.ok) throw new AppError("invalid", `histogram.thresholdSeconds: ${m.reason}`, { "histogram.thresholdSeconds": m.reason });
  const q = queriesFor(input.type, input.metric, matchers, m);
  const ms = m.value * 1000;
  return {
    source: "prometheus" as const,
    ...serverColumns(server),
    promGoodQuery: q.goodQuery,
    promTotalQuery: q.totalQuery,
    histogramType: input.type,
    histogramMetric: input.metric,
    histogramMatchers: input.matchers,
    histogramThreshold: m.value,
    histogramLe: input.type === "classic" ? m.le.join("|") : null,
    // The documented threshold in whole milliseconds when it is one (0.25 s -> 250; 0.0025 s has none).
    latencyThresholdMs: Number.isInteger(ms) ? ms : null,
  };
}
