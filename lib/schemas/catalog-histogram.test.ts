// Hostile and mistaken input to a histogram or threshold SLI (docs/histograms.md): each refused
// with a sentence on the field it concerns, before anything asks a server or stores a row.
import { describe, expect, it } from "vitest";
import { createSliSchema, histogramCheckSchema } from "./catalog";
import { fieldErrors } from "./field-errors";

const histogram = { url: "http://prometheus:9090", type: "classic", metric: "http_request_duration_seconds", matchers: 'job="api"', thresholdSeconds: 0.25 };
const sli = (h: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ slug: "latency", name: "Latency", kind: "latency", histogram: { ...histogram, ...h }, ...extra });
const problems = (input: unknown) => {
  const r = createSliSchema.safeParse(input);
  return r.success ? {} : fieldErrors(r.error);
};

describe("histogram SLIs", () => {
  it("a valid one parses, its matchers in canonical form", () => {
    const r = createSliSchema.parse(sli({ matchers: ' { job = "api" , code!~"5.." } ' }));
    expect(r.histogram).toEqual({ ...histogram, matchers: 'job="api",code!~"5.."' });
  });

  it.each([
    [{ thresholdSeconds: NaN }, "histogram.thresholdSeconds", "Give the threshold in seconds as a number, e.g. 0.25"],
    [{ thresholdSeconds: Infinity }, "histogram.thresholdSeconds", "Give the threshold in seconds as a number, e.g. 0.25"],
    [{ thresholdSeconds: "0.25" }, "histogram.thresholdSeconds", "Give the threshold in seconds as a number, e.g. 0.25"],
    [{ thresholdSeconds: -0.25 }, "histogram.thresholdSeconds", "The threshold must be above 0 s"],
    [{ thresholdSeconds: 0 }, "histogram.thresholdSeconds", "The threshold must be above 0 s"],
    [{ thresholdSeconds: 1e308 }, "histogram.thresholdSeconds", "The threshold must be at most 3,600 s (an hour)"],
    [{ thresholdSeconds: undefined }, "histogram.thresholdSeconds", "Give the threshold in seconds as a number, e.g. 0.25"],
    [{ metric: 'x"} or vector(1) or y{"' }, "histogram.metric", 'is not a Prometheus metric name'],
    [{ metric: "http_request_duration_seconds{job=\"a\"}" }, "histogram.metric", "is not a Prometheus metric name"],
    [{ metric: "http_request_duration_seconds_bucket" }, "histogram.metric", "Give the histogram's name without _bucket: http_request_duration_seconds"],
    [{ metric: "" }, "histogram.metric", "Give the histogram's metric name"],
    [{ matchers: 'job="api"} or vector(1) or up{a="b"' }, "histogram.matchers", 'The matchers are not valid: expected a comma after job="…", found "}"'],
    [{ matchers: 'le="0.25"' }, "histogram.matchers", "The matchers are not valid: leave le out"],
    [{ matchers: "job=api" }, "histogram.matchers", 'The matchers are not valid: write the value of job in double quotes, e.g. job="api"'],
    [{ type: "summary" }, "histogram.type", "Pick the histogram's type: classic (le buckets) or native"],
    [{ url: "file:///etc/passwd" }, "histogram.url", "Give the server's http(s) URL, e.g. http://prometheus:9090"],
  ])("%j -> %s", (h, field, message) => {
    expect(problems(sli(h))[field]).toContain(message);
  });

  it("a histogram makes a latency SLI with its own threshold, from one source", () => {
    expect(problems(sli({}, { kind: "request_ratio" })).kind).toBe("A histogram gives a latency SLI: pick kind latency (or time_slice)");
    expect(problems(sli({}, { latencyThresholdMs: 300 })).latencyThresholdMs).toBe("Leave latencyThresholdMs out: the histogram's thresholdSeconds is the threshold");
    expect(problems(sli({}, { prometheus: { url: "http://p:9090", goodQuery: "a", totalQuery: "b" } })).histogram).toBe("Give one source: prometheus or histogram, not both");
    expect(problems(sli({}))).toEqual({});
  });

  it("every problem at once: a bad metric name is named although the matchers failed too", () => {
    expect(problems(sli({ metric: "x_bucket", matchers: "job=api" }))).toEqual({
      "histogram.metric": "Give the histogram's name without _bucket: x (its _bucket and _count series are read)",
      "histogram.matchers": 'The matchers are not valid: write the value of job in double quotes, e.g. job="api"',
    });
  });

  it("check buckets takes the same fields, the threshold optional", () => {
    expect(histogramCheckSchema.parse({ ...histogram, thresholdSeconds: undefined }).thresholdSeconds).toBeUndefined();
    expect(histogramCheckSchema.safeParse({ ...histogram, metric: "a b" }).success).toBe(false);
  });
});

describe("threshold SLIs (OpenSLO thresholdMetric: op and value)", () => {
  const threshold = { url: "http://prometheus:9090", query: "histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))", op: "lt", value: 0.3 };
  const t = (x: Record<string, unknown>) => ({ slug: "p99", name: "p99", kind: "time_slice", sliceMinutes: 5, sliceTarget: "0.9", threshold: { ...threshold, ...x } });

  it("a valid one parses", () => {
    expect(createSliSchema.parse(t({})).threshold).toEqual(threshold);
  });

  it.each([
    [{ op: "lessThan" }, "threshold.op", "Pick how the value compares with the threshold: lt, lte, gt, gte"],
    [{ value: NaN }, "threshold.value", "Give the threshold as a number"],
    [{ value: "0.3" }, "threshold.value", "Give the threshold as a number"],
    [{ value: 1e300 }, "threshold.value", "Give a threshold between -1e15 and 1e15"],
    [{ query: "" }, "threshold.query", "Give the query for the value"],
    [{ query: "x".repeat(4001) }, "threshold.query", "Use at most 4,000 characters for the query"],
  ])("%j -> %s", (x, field, message) => {
    expect(problems(t(x))[field]).toBe(message);
  });
});
