// Latency SLIs from Prometheus histograms (docs/histograms.md; docs/domain.md "Terms": a latency
// SLI is requests faster than a threshold / all requests). Bucket bounds as Prometheus and its
// client libraries write them: Go's client formats `le` with strconv 'g' ("0.005", "1", "2.5",
// "1e+06"), Prometheus 3 normalises integral ones to "1.0", "+Inf" closes every histogram.
import { parser } from "@prometheus-io/lezer-promql";
import { describe, expect, it } from "vitest";
import {
  firstStepWithoutBucket,
  formatBound,
  histogramQueries,
  matchClassicBound,
  matchNativeBound,
  metricNameProblem,
  nativeBoundary,
  nativeLayoutOf,
  parseLe,
  parseMatchers,
  storedHistogram,
  type NativeBucket,
} from "./promql-histogram";

/** Go client's DefBuckets, as its `le` labels read. */
const DEF = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];

/** The node names of a PromQL expression's syntax tree, and whether any is an error. */
function parses(q: string): { ok: boolean; selectors: number } {
  let ok = true;
  let selectors = 0;
  parser.parse(q).iterate({
    enter(n) {
      if (n.type.isError) ok = false;
      if (n.name === "VectorSelector") selectors++;
    },
  });
  return { ok, selectors };
}

describe("parseLe: `le` texts as Prometheus parses them (Go ParseFloat)", () => {
  it.each([
    ["0.25", 0.25],
    ["1", 1],
    ["1.0", 1],
    ["2.5", 2.5],
    ["1e+06", 1e6],
    ["1E-3", 0.001],
    ["5e-05", 0.00005],
    [".5", 0.5],
    ["+Inf", Infinity],
    ["Inf", Infinity],
    ["+inf", Infinity],
    ["", null],
    ["NaN", null],
    ["0x10", null],
    ["1,5", null],
    ["abc", null],
  ])("%j -> %s", (text, value) => {
    expect(parseLe(text)).toBe(value);
  });
});

describe("matchClassicBound: the bucket whose bound is the threshold, else the nearest bounds named", () => {
  it.each([
    [0.25, DEF, ["0.25"]],
    [1, DEF, ["1"]],
    [0.005, DEF, ["0.005"]],
    [10, DEF, ["10"]],
    // Prometheus 3 writes "1.0"; a server holding both (an upgrade in the window) has two texts for one bound.
    [1, ["0.5", "1.0", "+Inf"], ["1.0"]],
    [1, ["0.5", "1", "1.0", "+Inf"], ["1", "1.0"]],
    [1e6, ["1000", "1e+06", "+Inf"], ["1e+06"]],
    [0.1, ["0.1", "0.2", "+Inf"], ["0.1"]],
  ])("%s s among %j -> le %j", (t, les, le) => {
    expect(matchClassicBound(t, les)).toEqual({ ok: true, value: t, le });
  });

  it.each([
    [0.3, DEF, "0.3 s lies between the buckets 0.25 and 0.5; pick one of them", 0.25, 0.5],
    [0.75, ["0.5", "1.0", "+Inf"], "0.75 s lies between the buckets 0.5 and 1.0; pick one of them", 0.5, 1],
    [0.001, DEF, "0.001 s lies below the smallest bucket 0.005; pick 0.005 or a larger bucket", null, 0.005],
    [30, DEF, "30 s lies above the largest bucket 10 (above it only +Inf, which counts every request); pick 10 or a smaller bucket", 10, Infinity],
    [2e6, ["1e+06", "+Inf"], "2000000 s lies above the largest bucket 1e+06 (above it only +Inf, which counts every request); pick 1e+06 or a smaller bucket", 1e6, Infinity],
    // 0.1 + 0.2 is not the float 0.3: float equality, no tolerance, for classic bounds.
    [0.1 + 0.2, ["0.25", "0.3", "+Inf"], "0.30000000000000004 s lies above the largest bucket 0.3 (above it only +Inf, which counts every request); pick 0.3 or a smaller bucket", 0.3, Infinity],
  ])("%s s among %j is refused: %s", (t, les, reason, lower, upper) => {
    expect(matchClassicBound(t, les)).toEqual({ ok: false, reason, lower, upper });
  });

  it("no buckets, or only +Inf, is refused with what to check", () => {
    expect(matchClassicBound(0.25, [])).toMatchObject({ ok: false, reason: expect.stringContaining("has no buckets on the server") });
    expect(matchClassicBound(0.25, ["+Inf"])).toMatchObject({ ok: false, reason: expect.stringContaining("only the +Inf bucket") });
    expect(matchClassicBound(0.25, ["NaN", "junk"])).toMatchObject({ ok: false, reason: expect.stringContaining("has no buckets") });
  });
});

describe("native boundaries 2^(k * 2^-schema) (Prometheus native histograms, exponential schemas)", () => {
  it.each([
    // [k, schema, boundary]
    [0, 0, 1],
    [-2, 0, 0.25],
    [-1, -1, 0.25], // schema -1: factor 4 per bucket
    [1, -4, 65536], // schema -4: factor 2^16
    [-8, 3, 0.5],
    [-16, 3, 0.25],
    [1, 1, Math.SQRT2],
    [3, 3, 2 ** (3 / 8)],
    [-255, 8, 2 ** (-255 / 256)],
  ])("k=%s schema=%s -> %s", (k, schema, b) => {
    expect(nativeBoundary(k, schema)).toBeCloseTo(b, 15);
  });

  it.each([
    [0.25, 0],
    [0.25, 3],
    [0.5, 8],
    [1, -4],
    [65536, -4],
    [Math.SQRT2, 1],
    [2 ** (3 / 8), 3],
    [0.001953125, 0], // 2^-9
  ])("%s s is a boundary of schema %s", (t, schema) => {
    const m = matchNativeBound(t, schema);
    expect(m.ok).toBe(true);
    if (m.ok) expect(Math.abs(m.value - t)).toBeLessThanOrEqual(1e-12 * t);
  });

  it.each([
    [0.3, 0, "0.3 s lies between the buckets 0.25 and 0.5 of the native histogram (schema 0); pick one of them"],
    [0.3, 1, "0.3 s lies between the buckets 0.25 and 0.3535533905932738 of the native histogram (schema 1); pick one of them"],
    [0.3, 3, "0.3 s lies between the buckets 0.29730177875068026 and 0.3242098886627524 of the native histogram (schema 3); pick one of them"],
    [0.5, -1, "0.5 s lies between the buckets 0.25 and 1 of the native histogram (schema -1); pick one of them"],
    [1.1, 0, "1.1 s lies between the buckets 1 and 2 of the native histogram (schema 0); pick one of them"],
  ])("%s s with schema %s is refused: %s", (t, schema, reason) => {
    expect(matchNativeBound(t, schema)).toMatchObject({ ok: false, reason });
  });

  it("a bound named in a refusal is accepted when typed back", () => {
    const m = matchNativeBound(0.3, 3);
    expect(m.ok).toBe(false);
    if (!m.ok) {
      expect(matchNativeBound(Number(formatBound(m.lower!)), 3).ok).toBe(true);
      expect(matchNativeBound(Number(formatBound(m.upper!)), 3).ok).toBe(true);
    }
  });

  it.each([
    [0.25, 9, "schema 9 is not"],
    [0.25, -5, "schema -5 is not"],
    [0.25, 1.5, "schema 1.5 is not"],
    [0, 0, "positive number"],
    [-1, 0, "positive number"],
    [NaN, 0, "positive number"],
    [Infinity, 0, "positive number"],
  ])("%s s with schema %s is refused (%s)", (t, schema, part) => {
    expect(matchNativeBound(t, schema)).toMatchObject({ ok: false, reason: expect.stringContaining(part) });
  });
});

describe("nativeLayoutOf: the schema behind the buckets an instant query answers", () => {
  // Recorded shape of /api/v1/query for a native histogram: [boundary rule, lower, upper, count].
  const b = (l: number, u: number, c = 1): NativeBucket => [0, String(l), String(u), String(c)];
  it.each([
    ["schema 0", [b(0.25, 0.5), b(0.5, 1), b(1, 2)], { kind: "exponential", schema: 0 }],
    ["schema 3", [b(2 ** (-17 / 8), 2 ** (-16 / 8)), b(0.25, 2 ** (-15 / 8))], { kind: "exponential", schema: 3 }],
    ["schema -2 (factor 16)", [b(1 / 16, 1), b(1, 16)], { kind: "exponential", schema: -2 }],
    ["the zero bucket is skipped", [[3, "-0.001", "0.001", "4"] as NativeBucket, b(0.5, 1)], { kind: "exponential", schema: 0 }],
    ["custom bounds (Prometheus 3 custom-bucket native histograms)", [b(0.1, 0.3), b(0.3, 0.7)], { kind: "custom", bounds: [0.1, 0.3, 0.7] }],
    ["no buckets with observations", [], { kind: "none" }],
  ])("%s", (_name, buckets, layout) => {
    expect(nativeLayoutOf(buckets)).toEqual(layout);
  });
});

describe("histogramQueries: the good and total events per minute", () => {
  const job = [{ name: "job", op: "=" as const, value: "api" }];
  it.each([
    [
      { type: "classic" as const, metric: "http_request_duration_seconds", matchers: job, le: ["0.25"] },
      'sum(increase(http_request_duration_seconds_bucket{job="api",le="0.25"}[1m]))',
      'sum(increase(http_request_duration_seconds_count{job="api"}[1m]))',
    ],
    [
      { type: "classic" as const, metric: "rpc_seconds", matchers: [], le: ["1", "1.0"] },
      'sum(increase(rpc_seconds_bucket{le=~"1|1\\\\.0"}[1m]))',
      "sum(increase(rpc_seconds_count[1m]))",
    ],
    [
      { type: "classic" as const, metric: "big", matchers: [], le: ["1e+06"] },
      'sum(increase(big_bucket{le="1e+06"}[1m]))',
      "sum(increase(big_count[1m]))",
    ],
    [
      { type: "native" as const, metric: "http_request_duration_seconds", matchers: job, threshold: 0.25 },
      'histogram_fraction(0, 0.25, sum(increase(http_request_duration_seconds{job="api"}[1m]))) * histogram_count(sum(increase(http_request_duration_seconds{job="api"}[1m])))',
      'histogram_count(sum(increase(http_request_duration_seconds{job="api"}[1m])))',
    ],
  ])("%j", (spec, goodQuery, totalQuery) => {
    const q = histogramQueries(spec);
    expect(q).toEqual({ goodQuery, totalQuery });
    expect(parses(q.goodQuery).ok && parses(q.totalQuery).ok).toBe(true);
  });
});

describe("hostile input: names and matchers never leave the selector", () => {
  it.each([
    ["http_request_duration_seconds", "classic", null],
    ["ns:latency_seconds", "native", null],
    ["http_request_duration_seconds_bucket", "classic", "without _bucket: http_request_duration_seconds"],
    ["rpc_seconds_count", "classic", "without _count: rpc_seconds"],
    ['x"}', "classic", "is not a Prometheus metric name"],
    ["x{job=\"a\"}", "classic", "is not a Prometheus metric name"],
    ["sum(x)", "native", "is not a Prometheus metric name"],
    ["9lives", "classic", "is not a Prometheus metric name"],
    ["", "classic", "is not a Prometheus metric name"],
    ["my.metric", "classic", "is not a Prometheus metric name"],
  ] as const)("metric %j (%s)", (name, type, part) => {
    const p = metricNameProblem(name, type);
    if (part === null) expect(p).toBeNull();
    else expect(p).toContain(part);
  });

  it.each([
    ['job="api"', 'job="api"'],
    ['{job="api", code!~"5.."}', 'job="api",code!~"5.."'],
    [' job = "api" , ', 'job="api"'],
    ["", ""],
    ['path="/a\\"b"', 'path="/a\\"b"'],
    ['handler="}) or vector(1) or up{x=\\"\\""', 'handler="}) or vector(1) or up{x=\\"\\""'],
  ])("matchers %j -> %j", (input, text) => {
    const r = parseMatchers(input);
    expect(r).toMatchObject({ ok: true, text });
    if (r.ok) {
      // The value with braces and quotes stays a string: one selector, valid PromQL.
      const q = histogramQueries({ type: "classic", metric: "m", matchers: r.matchers, le: ["0.25"] });
      expect(parses(q.goodQuery)).toEqual({ ok: true, selectors: 1 });
    }
  });

  it.each([
    ['job="api"} or vector(1) or x{a="b"', 'expected a comma after job="…", found "}"'],
    ["job=api", 'write the value of job in double quotes, e.g. job="api"'],
    ["job='api'", "write the value of job in double quotes"],
    ['job="api', "has no closing quote"],
    ['le="0.25"', "leave le out"],
    ['__name__="x"', 'the label "__name__" is reserved'],
    ['1job="x"', 'expected a label name at character 1 ("1job" is not one)'],
    ['job=="x"', "write the value of job in double quotes"],
    ['job<"x"', "expected =, !=, =~ or !~ after job"],
    ['job="a\\qb"', "has an escape PromQL and JSON do not share"],
    ['job="a" code="b"', 'expected a comma after job="…", found "c"'],
  ])("matchers %j are refused: %s", (input, part) => {
    expect(parseMatchers(input)).toMatchObject({ ok: false, reason: expect.stringContaining(part) });
  });
});

describe("firstStepWithoutBucket: a vanished bucket is an error, not every request bad", () => {
  it.each([
    ["all present", [[60, 10], [120, 10]], [[60, 9], [120, 10]], null],
    ["no requests, no bucket sample: nothing to judge", [[60, 0]], [], null],
    ["bucket gone from the second minute", [[60, 10], [120, 10], [180, 5]], [[60, 9]], 120],
  ] as const)("%s", (_n, total, good, first) => {
    expect(firstStepWithoutBucket(new Map(total.map(([t, v]) => [t, v])), new Map(good.map(([t, v]) => [t, v])))).toBe(first);
  });
});

describe("storedHistogram: the stored queries still the generated ones", () => {
  const row = {
    histogramType: "classic",
    histogramMetric: "m",
    histogramMatchers: 'job="api"',
    histogramThreshold: 1,
    histogramLe: "1|1.0",
    promGoodQuery: 'sum(increase(m_bucket{job="api",le=~"1|1\\\\.0"}[1m]))',
    promBadQuery: null,
    promTotalQuery: 'sum(increase(m_count{job="api"}[1m]))',
  };
  it.each([
    ["as created", {}, true],
    ["good query rewritten by an apply", { promGoodQuery: "sum(x)" }, false],
    ["a bad query instead", { promBadQuery: "sum(y)" }, false],
    ["no histogram columns", { histogramType: null }, false],
    ["native, as created", { histogramType: "native", histogramLe: null, histogramThreshold: 0.25, promGoodQuery: 'histogram_fraction(0, 0.25, sum(increase(m{job="api"}[1m]))) * histogram_count(sum(increase(m{job="api"}[1m])))', promTotalQuery: 'histogram_count(sum(increase(m{job="api"}[1m])))' }, true],
  ])("%s", (_n, change, kept) => {
    expect(storedHistogram({ ...row, ...change }) !== null).toBe(kept);
  });
});
