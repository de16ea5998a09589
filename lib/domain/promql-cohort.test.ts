import { describe, expect, it } from "vitest";
import { withCohortLabel } from "./promql-cohort";

const rewrite = (q: string, v = "canary") => withCohortLabel(q, "version", v);

describe("withCohortLabel (docs/deploy-verification.md, Cohorts pulled from Prometheus)", () => {
  // Queries from Sloth's examples (examples/getting-started.yml, with {{.window}} resolved to 5m as Sloth renders them)
  // and Prometheus's querying examples (docs/querying/examples.md).
  it.each([
    [
      'sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[5m]))',
      'sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)",version="canary"}[5m]))',
    ],
    ["sum(rate(http_request_duration_seconds_count[5m])) by (job)", 'sum(rate(http_request_duration_seconds_count{version="canary"}[5m])) by (job)'],
    ["sum by (job) (rate(http_requests_total{}[5m]))", 'sum by (job) (rate(http_requests_total{version="canary"}[5m]))'],
    ['http_requests_total{job="apiserver", handler="/api/comments",}', 'http_requests_total{job="apiserver", handler="/api/comments",version="canary"}'],
    [
      "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[10m])))",
      'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket{version="canary"}[10m])))',
    ],
    ["rate(http_requests_total[5m] offset 1w)", 'rate(http_requests_total{version="canary"}[5m] offset 1w)'],
    ["max_over_time(deriv(rate(distance_covered_total[5s])[30s:5s])[10m:])", 'max_over_time(deriv(rate(distance_covered_total{version="canary"}[5s])[30s:5s])[10m:])'],
    ['{__name__=~"job:.*"}', '{__name__=~"job:.*",version="canary"}'],
    [
      "sum(rate(errors_total[1m])) / sum(rate(requests_total[1m]))",
      'sum(rate(errors_total{version="canary"}[1m])) / sum(rate(requests_total{version="canary"}[1m]))',
    ],
    // A label value that looks like a selector is a string and stays untouched.
    ['count(up{job="a{b}"})', 'count(up{job="a{b}",version="canary"})'],
  ])("%s", (query, expected) => {
    expect(rewrite(query)).toEqual({ ok: true, query: expected });
  });

  it("quotes the cohort as a PromQL string", () => {
    expect(rewrite("up", "v1.4.2")).toEqual({ ok: true, query: 'up{version="v1.4.2"}' });
  });

  it.each([
    ['sum(rate(http_requests_total{version="v1"}[5m]))', 'already selects on the label "version"'],
    ['sum(rate(a{version=~"v.*"}[5m])) / sum(rate(b[5m]))', 'already selects on the label "version"'],
    ["sum(rate(x[{{.window}}]))", "not valid PromQL"],
    ["sum(rate(x[5m])", "not valid PromQL"],
    ["", "empty"],
    ["vector(1)", "selects no series"],
  ])("refuses %s with a sentence", (query, words) => {
    const r = rewrite(query);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(words);
  });

  it("a by (version) grouping is not a clash: the matcher narrows what is grouped", () => {
    expect(rewrite("sum by (version) (rate(x[5m]))")).toEqual({ ok: true, query: 'sum by (version) (rate(x{version="canary"}[5m]))' });
  });

  it("refuses a label name Prometheus reserves or cannot hold", () => {
    expect(withCohortLabel("up", "__name__", "x").ok).toBe(false);
    expect(withCohortLabel("up", "1abc", "x").ok).toBe(false);
  });
});
