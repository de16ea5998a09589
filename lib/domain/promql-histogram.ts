// Latency SLIs from a Prometheus histogram (docs/histograms.md): "a request is good when it took
// at most T seconds" read from the histogram's own buckets, so the count is exact only when T is
// a bucket boundary. Between two boundaries the share below T is an interpolation (PromQL's
// histogram_quantile/histogram_fraction assume observations spread evenly in a bucket), and an
// SLO must not pass an estimate off as a count: such a threshold is refused, naming the nearest
// boundaries. Everything here is pure: the buckets come in as found on the server.
//
// Classic histograms (Prometheus docs, "Histograms and summaries"): cumulative counters
// `<m>_bucket{le="<upper bound>"}` and `<m>_count`; good = increase of the `le="T"` bucket,
// total = increase of `_count`, per 1-minute step.
// Native histograms (Prometheus docs, "Native histograms", exponential schemas): bucket
// boundaries are 2^(k * 2^-schema) for integer k and schema -4..8; good = histogram_fraction(0, T, h)
// x histogram_count(h), which is an exact count when T is a boundary (the fraction of every
// bucket up to T is whole).

/** The two kinds of Prometheus histogram this product reads. */
export const histogramTypes = ["classic", "native"] as const;
export type HistogramType = (typeof histogramTypes)[number];

export type MatchOp = "=" | "!=" | "=~" | "!~";
export type LabelMatcher = { name: string; op: MatchOp; value: string };

/** Prometheus's metric name syntax (the classic, unquoted one). */
const METRIC_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*$/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Schemas of exponential native histograms (Prometheus: -4 to 8). */
export const NATIVE_SCHEMAS = { min: -4, max: 8 } as const;
/**
 * How close a threshold must be to a native boundary 2^(k * 2^-schema) that is not a power of
 * two: Prometheus takes those from a table of float64 constants and this product from Math.pow,
 * which may differ in the last bit. 1e-12 relative keeps histogram_fraction's interpolation
 * below 1e-11 of one bucket's count: under half an event while a bucket holds fewer than 5e10
 * events a minute, above the 1e10 a minute budget.ts accepts.
 */
export const NATIVE_BOUND_TOLERANCE = 1e-12;

/** Why a metric name cannot be a histogram's, or null when it can. */
export function metricNameProblem(name: string, type: HistogramType): string | null {
  if (!METRIC_NAME.test(name)) return `"${name}" is not a Prometheus metric name (letters, digits, _ and :, not starting with a digit)`;
  const suffix = /_(bucket|count|sum)$/.exec(name);
  if (type === "classic" && suffix) return `give the histogram's name without _${suffix[1]}: ${name.slice(0, suffix.index)} (its _bucket and _count series are read)`;
  return null;
}

export type MatchersResult = { ok: true; matchers: LabelMatcher[]; text: string } | { ok: false; reason: string };

/**
 * Label matchers as typed, e.g. `job="api", code!~"5.."` (braces optional), read strictly: label
 * names, one of = != =~ !~, and double-quoted values with JSON's escapes. Anything else (a
 * closing brace, `or vector(1)`, an unquoted value) is refused, so the text can never break out
 * of the selector it is put in. `text` is the canonical form, as the queries write it.
 */
export function parseMatchers(input: string): MatchersResult {
  let s = input.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1).trim();
  const matchers: LabelMatcher[] = [];
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  ws();
  while (i < s.length) {
    const name = /^[A-Za-z0-9_]*/.exec(s.slice(i))![0];
    if (!LABEL_NAME.test(name)) return { ok: false, reason: `expected a label name at character ${i + 1}${name ? ` ("${name}" is not one)` : ""}` };
    if (name === "le") return { ok: false, reason: "leave le out: the threshold picks the bucket" };
    if (name.startsWith("__")) return { ok: false, reason: `the label "${name}" is reserved (names starting with __); give the metric name in its own field` };
    i += name.length;
    ws();
    const op = (["=~", "!~", "!=", "="] as const).find((o) => s.startsWith(o, i));
    if (!op) return { ok: false, reason: `expected =, !=, =~ or !~ after ${name}` };
    i += op.length;
    ws();
    if (s[i] !== '"') return { ok: false, reason: `write the value of ${name} in double quotes, e.g. ${name}${op}"api"` };
    let j = i + 1;
    while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
    if (j >= s.length) return { ok: false, reason: `the value of ${name} has no closing quote` };
    let value: string;
    try {
      value = JSON.parse(s.slice(i, j + 1)) as string;
    } catch {
      return { ok: false, reason: `the value of ${name} has an escape PromQL and JSON do not share (use \\\\, \\" or \\n)` };
    }
    matchers.push({ name, op, value });
    i = j + 1;
    ws();
    if (i < s.length) {
      if (s[i] !== ",") return { ok: false, reason: `expected a comma after ${name}${op}"…", found "${s[i]}"` };
      i++;
      ws();
    }
  }
  return { ok: true, matchers, text: matchers.map(renderMatcher).join(",") };
}

function renderMatcher(m: LabelMatcher): string {
  // JSON's string syntax is a subset of PromQL's (Go's), so the value is quoted and escaped safely.
  return `${m.name}${m.op}${JSON.stringify(m.value)}`;
}

function selector(metric: string, matchers: LabelMatcher[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.map(renderMatcher).join(",")}}`;
}

/**
 * The `le` texts of one bound as a matcher: one text is an equality; several (Prometheus 3 writes
 * "1.0" where older servers or clients wrote "1") an alternation of the texts, each escaped.
 */
function leMatcher(les: readonly string[]): LabelMatcher {
  if (les.length === 1) return { name: "le", op: "=", value: les[0]! };
  return { name: "le", op: "=~", value: les.map((t) => t.replace(/[.+*?^$()[\]{}|\\]/g, "\\$&")).join("|") };
}

export type HistogramSpec =
  | { type: "classic"; metric: string; matchers: LabelMatcher[]; /** The bound's `le` texts as the server stores them. */ le: readonly string[] }
  | { type: "native"; metric: string; matchers: LabelMatcher[]; /** The boundary, in seconds. */ threshold: number };

/** The good and total events per 1-minute step, as the sync pulls them: the one place they are written. */
export function histogramQueries(h: HistogramSpec): { goodQuery: string; totalQuery: string } {
  if (h.type === "classic") {
    return {
      goodQuery: `sum(increase(${selector(`${h.metric}_bucket`, [...h.matchers, leMatcher(h.le)])}[1m]))`,
      totalQuery: `sum(increase(${selector(`${h.metric}_count`, h.matchers)}[1m]))`,
    };
  }
  const sum = `sum(increase(${selector(h.metric, h.matchers)}[1m]))`;
  return { goodQuery: `histogram_fraction(0, ${formatBound(h.threshold)}, ${sum}) * histogram_count(${sum})`, totalQuery: `histogram_count(${sum})` };
}

/** The query asking a server which `le` bounds a classic histogram has (for /api/v1/label/le/values). */
export function classicBucketSelector(metric: string, matchers: LabelMatcher[]): string {
  return selector(`${metric}_bucket`, matchers);
}

/** The instant query whose answer shows a native histogram's buckets (and so its schema). */
export function nativeBucketQuery(metric: string, matchers: LabelMatcher[]): string {
  return `sum(increase(${selector(metric, matchers)}[1h]))`;
}

/** A number as PromQL and the messages write it: the shortest text that reads back as the same float. */
export function formatBound(v: number): string {
  return v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : String(v);
}

/**
 * An `le` label's text as a number, as Prometheus parses it (Go's ParseFloat): "0.25", "1",
 * "1.0", "1e+06", "+Inf". Null for anything else ("", "0x10", "NaN"): such a series is no bucket.
 */
export function parseLe(text: string): number | null {
  const t = text.trim();
  if (/^[+]?inf(inity)?$/i.test(t)) return Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null;
  return Number(t);
}

export type BoundMatch =
  | { ok: true; value: number; le: string[] }
  | { ok: false; reason: string; lower: number | null; upper: number | null };

/**
 * The classic bucket whose upper bound is exactly the threshold (float equality: "0.25" and 0.25
 * are the same float, "0.3" is not 0.25), or the nearest bounds either side in a sentence.
 */
export function matchClassicBound(threshold: number, les: readonly string[]): BoundMatch {
  const byValue = new Map<number, string[]>();
  for (const text of les) {
    const v = parseLe(text);
    if (v === null || Number.isNaN(v)) continue;
    byValue.set(v, [...(byValue.get(v) ?? []), text]);
  }
  const exact = byValue.get(threshold);
  if (exact && threshold !== Infinity) return { ok: true, value: threshold, le: exact.sort() };
  const values = [...byValue.keys()].sort((a, b) => a - b);
  if (values.length === 0) return { ok: false, reason: "the histogram has no buckets on the server: check the metric name, the matchers and that it is being scraped", lower: null, upper: null };
  const textOf = (v: number) => byValue.get(v)![0]!;
  return refusal(threshold, values.filter((v) => v < threshold).pop() ?? null, values.find((v) => v > threshold) ?? null, textOf);
}

function refusal(t: number, lower: number | null, upper: number | null, textOf: (v: number) => string = formatBound): BoundMatch {
  const T = formatBound(t);
  if (lower !== null && upper !== null && upper !== Infinity) return { ok: false, reason: `${T} s lies between the buckets ${textOf(lower)} and ${textOf(upper)}; pick one of them`, lower, upper };
  if (lower !== null) return { ok: false, reason: `${T} s lies above the largest bucket ${textOf(lower)} (above it only +Inf, which counts every request); pick ${textOf(lower)} or a smaller bucket`, lower, upper };
  if (upper !== null && upper !== Infinity) return { ok: false, reason: `${T} s lies below the smallest bucket ${textOf(upper)}; pick ${textOf(upper)} or a larger bucket`, lower, upper };
  return { ok: false, reason: "the histogram has only the +Inf bucket, which counts every request: it has no bound to use as a threshold", lower, upper };
}

/** A native boundary 2^(k * 2^-schema): exact for powers of two, to Math.pow's rounding otherwise. */
export function nativeBoundary(k: number, schema: number): number {
  if (schema <= 0) return 2 ** (k * 2 ** -schema);
  const per = 2 ** schema;
  const whole = Math.floor(k / per);
  return 2 ** whole * 2 ** ((k - whole * per) / per);
}

/** Whether the threshold is a boundary of the exponential schema, or the nearest boundaries either side. */
export function matchNativeBound(threshold: number, schema: number): BoundMatch {
  if (!Number.isInteger(schema) || schema < NATIVE_SCHEMAS.min || schema > NATIVE_SCHEMAS.max) return { ok: false, reason: `schema ${schema} is not an exponential native histogram schema (${NATIVE_SCHEMAS.min} to ${NATIVE_SCHEMAS.max})`, lower: null, upper: null };
  if (!(threshold > 0) || !Number.isFinite(threshold)) return { ok: false, reason: "the threshold must be a positive number of seconds", lower: null, upper: null };
  const x = Math.log2(threshold) * 2 ** schema;
  const k = Math.round(x);
  const b = nativeBoundary(k, schema);
  if (Math.abs(b - threshold) <= NATIVE_BOUND_TOLERANCE * b) return { ok: true, value: b, le: [] };
  const lo = nativeBoundary(Math.floor(x), schema);
  const hi = nativeBoundary(Math.ceil(x), schema);
  // log2 may land a hair off an integer: the neighbours are then the next boundaries out.
  const lower = lo < threshold ? lo : nativeBoundary(Math.floor(x) - 1, schema);
  const upper = hi > threshold ? hi : nativeBoundary(Math.ceil(x) + 1, schema);
  return { ...(refusal(threshold, lower, upper) as Extract<BoundMatch, { ok: false }>), reason: `${formatBound(threshold)} s lies between the buckets ${formatBound(lower)} and ${formatBound(upper)} of the native histogram (schema ${schema}); pick one of them` };
}

/** A native histogram's buckets as the HTTP API answers: [boundary rule, lower, upper, count] with numbers as text. */
export type NativeBucket = [number, string, string, string];

export type NativeLayout = { kind: "exponential"; schema: number } | { kind: "custom"; bounds: number[] } | { kind: "none" };

/**
 * The schema behind a native histogram's buckets: each positive bucket spans a factor of
 * 2^(2^-schema), so schema = -log2(log2(upper / lower)). Buckets that agree on no exponential
 * schema have custom bounds (Prometheus 3's custom-bucket native histograms): their bounds are
 * then the ones to pick from (only buckets with observations are answered).
 */
export function nativeLayoutOf(buckets: readonly NativeBucket[]): NativeLayout {
  const spans = buckets.map(([, l, u]) => [Number(l), Number(u)] as const).filter(([l, u]) => l > 0 && Number.isFinite(u) && u > l);
  if (spans.length === 0) return { kind: "none" };
  const schemas = new Set(spans.map(([l, u]) => -Math.log2(Math.log2(u / l))));
  const [only] = [...schemas].map((s) => Math.round(s));
  if ([...schemas].every((s) => Math.abs(s - only!) < 1e-6) && only! >= NATIVE_SCHEMAS.min && only! <= NATIVE_SCHEMAS.max && spans.every(([l, u]) => matchNativeBound(u, only!).ok && matchNativeBound(l, only!).ok)) {
    return { kind: "exponential", schema: only! };
  }
  return { kind: "custom", bounds: [...new Set(spans.flatMap(([l, u]) => [l, u]))].sort((a, b) => a - b) };
}

/** A custom-bucket native histogram: the threshold must be one of the bounds seen. */
export function matchCustomBound(threshold: number, bounds: readonly number[]): BoundMatch {
  return matchClassicBound(threshold, bounds.map(formatBound));
}

/**
 * The first step (ms) whose total has events but whose good series is missing. For a histogram
 * that means the threshold's bucket is gone (the buckets were changed), not "no good request":
 * the sync stops there instead of counting every request as bad.
 */
export function firstStepWithoutBucket(total: ReadonlyMap<number, number>, good: ReadonlyMap<number, number>): number | null {
  const missing = [...total.entries()].filter(([t, v]) => v > 0 && !good.has(t)).map(([t]) => t);
  return missing.length === 0 ? null : Math.min(...missing);
}

export type HistogramColumns = {
  histogramType: string | null;
  histogramMetric: string | null;
  histogramMatchers: string | null;
  histogramThreshold: number | null;
  histogramLe: string | null;
  promGoodQuery: string | null;
  promBadQuery: string | null;
  promTotalQuery: string | null;
};

/**
 * The histogram an SLI's stored queries were generated from, or null: when the columns are not
 * set, or when the queries are no longer the generated ones (an SLO-as-code apply rewrote them),
 * the SLI is an ordinary query SLI again and nothing histogram-specific applies to it.
 */
export function storedHistogram(row: HistogramColumns): HistogramSpec | null {
  const { histogramType: type, histogramMetric: metric, histogramThreshold: threshold } = row;
  if ((type !== "classic" && type !== "native") || !metric || threshold === null || row.promBadQuery !== null) return null;
  const m = parseMatchers(row.histogramMatchers ?? "");
  if (!m.ok) return null;
  const spec: HistogramSpec = type === "classic" ? { type, metric, matchers: m.matchers, le: (row.histogramLe ?? "").split("|") } : { type, metric, matchers: m.matchers, threshold };
  const q = histogramQueries(spec);
  return q.goodQuery === row.promGoodQuery && q.totalQuery === row.promTotalQuery ? spec : null;
}
