// Each finding of docs/integrity.md with numbers worked by hand.
import { describe, expect, it } from "vitest";
import { assessIntegrity, COLLAPSE_FRACTION, COLLAPSE_MIN_MEDIAN_EVENTS, median, rawCounterReads, sourceAnomaliesOf, type IntegrityFacts } from "./sli-integrity";
import { complianceWindow, DAY_MS, HOUR_MS } from "./window";

const at = new Date("2026-12-04T12:30:00Z");
const window28 = complianceWindow({ kind: "rolling", days: 28 }, at); // starts 2026-11-06T12:30Z
const lastHourStart = new Date("2026-12-04T11:00:00Z");

const clean: IntegrityFacts = {
  source: "push",
  queries: [],
  sourceGoodOverTotal: { minutes: 0, first: null },
  sourceNegative: { minutes: 0, first: null },
  storedBadDays: { days: 0, first: null },
  lastHour: { start: lastHourStart, total: 6000, sameHourTotals: [6000, 5800, 6100, 2000, 1900, 6050, 5900] },
  firstDataAt: new Date("2026-10-01T00:00:00Z"),
  backfillFrom: null,
  sliCreatedAt: new Date("2026-09-01T00:00:00Z"),
  retentionDays: 35,
};
const kinds = (f: Partial<IntegrityFacts>) => assessIntegrity({ ...clean, ...f }, window28, at).findings.map((x) => x.kind);

describe("assessIntegrity: the ok case", () => {
  it("clean facts: ok, no findings", () => {
    expect(assessIntegrity(clean, window28, at)).toEqual({ state: "ok", findings: [] });
  });
});

describe("(1) good above total", () => {
  it("counts the source's minutes and names the first", () => {
    const r = assessIntegrity({ ...clean, sourceGoodOverTotal: { minutes: 3, first: new Date("2026-12-01T08:15:00Z") } }, window28, at);
    expect(r.state).toBe("uncertain");
    expect(r.findings).toEqual([
      {
        kind: "good_over_total",
        reason: "the source returned more good than total events for 3 minutes of the window (first Dec 1, 2026, 08:15 UTC); they were stored with good = total",
        since: "2026-12-01T08:15:00.000Z",
      },
    ]);
  });
  it("stored days whose sums hold more good than total", () => {
    const r = assessIntegrity({ ...clean, storedBadDays: { days: 1, first: new Date("2026-11-20T00:00:00Z") } }, window28, at);
    expect(r.findings[0]!.reason).toBe("the stored counts hold more good than total events (or a negative total) on 1 day of the window (first Nov 20, 2026, 00:00 UTC)");
  });

  // Samples at step T are the minute T - 60 s (prometheus-samples.ts). Slack: max(1, 1 % of total).
  const T = Date.UTC(2026, 11, 4, 10, 1);
  const m = (v: number) => new Map([[T, v]]);
  it.each([
    // total, good, mode, anomaly: hand-checked against the slack
    [100, 101, "good", null], // 1 over: within max(1, 1) = 1
    [100, 102, "good", "good_over_total"], // 2 over 100: past 1
    [1000, 1010, "good", null], // 10 over 1,000: exactly 1 %, allowed
    [1000, 1011, "good", "good_over_total"],
    [99.6, 99.9, "good", null], // increase() extrapolation: 100 and 100 after rounding
    [50, 60, "bad", "good_over_total"], // 60 bad of 50: good would be -10
    [-40, 0, "good", "negative"], // a raw delta across a counter reset
    [100, -3, "bad", "negative"],
    [NaN, 5, "good", null], // no total: a gap, not an anomaly
  ] as const)("total %s, %s = %s (%s mode) -> %s", (total, other, mode, kind) => {
    const out = sourceAnomaliesOf(m(total), m(other), mode);
    expect(out.map((a) => a.kind)).toEqual(kind ? [kind] : []);
    if (kind) expect(out[0]!.minute).toEqual(new Date(T - 60_000));
  });
});

describe("(2) denominator collapse", () => {
  it("median of the same hour over 7 days, seasonality included", () => {
    // Sorted: 1900, 2000, 5800, 5900, 6000, 6050, 6100 -> median 5,900 (the weekend's 2,000s do not drag it).
    expect(median(clean.lastHour!.sameHourTotals)).toBe(5900);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([])).toBeNull();
  });
  it.each([
    [589, true], // 589 < 0.1 x 5,900 = 590
    [590, false], // exactly 10 %: not below
    [0, true],
  ])("last hour %s events against a median of 5,900 -> flagged %s", (total, flagged) => {
    expect(kinds({ lastHour: { ...clean.lastHour!, total } }).includes("denominator_collapse")).toBe(flagged);
  });
  it("says how far it fell", () => {
    const r = assessIntegrity({ ...clean, lastHour: { ...clean.lastHour!, total: 236 } }, window28, at);
    // 236 / 5,900 = 0.04 = 4 %
    expect(r.findings[0]!.reason).toBe(
      "the last hour (from Dec 4, 2026, 11:00 UTC) had 236 events, 4% of the usual 5,900 for that hour (median of the 7 days before); below 10% the events are probably not all being counted",
    );
    expect(r.findings[0]!.since).toBe("2026-12-04T11:00:00.000Z");
  });
  it("a quiet SLI is not flagged: the usual hour is under the minimum volume", () => {
    expect(COLLAPSE_MIN_MEDIAN_EVENTS).toBe(100);
    // median 99 < 100: 0 events is not a collapse
    expect(kinds({ lastHour: { start: lastHourStart, total: 0, sameHourTotals: [99, 99, 99, 99, 99, 99, 99] } })).toEqual([]);
    // median 100: 9 < 0.1 x 100 = 10 is
    expect(kinds({ lastHour: { start: lastHourStart, total: 9, sameHourTotals: [100, 100, 100, 100, 100, 100, 100] } })).toEqual(["denominator_collapse"]);
    expect(COLLAPSE_FRACTION).toBe(0.1);
  });
  it("a new SLI with 2 days of history: the median over 7 is 0, nothing to compare", () => {
    expect(kinds({ lastHour: { start: lastHourStart, total: 0, sameHourTotals: [5000, 5000, 0, 0, 0, 0, 0] } })).toEqual([]);
  });
});

describe("(3) counter resets", () => {
  it.each([
    ['sum(increase(http_requests_total{code!~"5.."}[1m]))', []],
    ["sum(rate(http_requests_total[1m])) * 60", []],
    ['sum(irate(latency_bucket{le="0.3"}[1m]))', []],
    ["sum(increase(http_requests_total[5m:1m]))", []], // a subquery inside increase
    ["sum(http_requests_total) - sum(http_requests_total offset 1m)", ["http_requests_total"]],
    ["sum(delta(requests_count[1m]))", ["requests_count"]], // delta() is for gauges: it ignores resets
    ["sum(up)", []], // not a counter's name
    ["sum(increase(a_total[1m])) + sum(b_sum)", ["b_sum"]],
    ["sum(rate(", []], // does not parse: the sync reports it, not this check
  ] as const)("%s -> %j", (query, names) => {
    expect(rawCounterReads(query)).toEqual(names);
  });
  it("flags the query's field on a Prometheus SLI, never on a push SLI", () => {
    const queries = [
      { field: "totalQuery", query: "sum(http_requests_total) - sum(http_requests_total offset 1m)" },
      { field: "badQuery", query: 'sum(increase(http_requests_total{code=~"5.."}[1m]))' },
    ];
    const r = assessIntegrity({ ...clean, source: "prometheus", queries }, window28, at);
    expect(r.findings).toEqual([
      {
        kind: "raw_counter",
        reason: "totalQuery reads the counter http_requests_total without rate() or increase(): a restart resets a counter, and a raw delta then goes negative; use increase(...[1m])",
        since: null,
      },
    ]);
    expect(kinds({ source: "push", queries })).toEqual([]);
  });
  it("negative minutes recorded by the sync", () => {
    const r = assessIntegrity({ ...clean, sourceNegative: { minutes: 1, first: new Date("2026-12-03T09:00:00Z") } }, window28, at);
    expect(r.findings[0]!.reason).toBe(
      "the source returned negative counts for 1 minute of the window (first Dec 3, 2026, 09:00 UTC), a counter reset read as a raw delta; they were stored as 0",
    );
  });
});

describe("(4) coverage shorter than the window", () => {
  it("28-day SLO over 9 days of data (pushed, within retention: can still be backfilled)", () => {
    // Data from Nov 25 12:30 to Dec 4 12:30 = 9 days.
    const r = assessIntegrity({ ...clean, firstDataAt: new Date("2026-11-25T12:30:00Z") }, window28, at);
    expect(r.findings).toEqual([
      {
        kind: "short_coverage",
        reason: "28-day SLO over 9 days of data: the SLI's data starts Nov 25, 2026, 12:30 UTC, after the window's start Nov 6, 2026, 12:30 UTC; earlier minutes can still be pushed (backfilled)",
        since: "2026-11-25T12:30:00.000Z",
      },
    ]);
  });
  it("pushed, the window reaching past retention: says it cannot be backfilled", () => {
    const r = assessIntegrity({ ...clean, retentionDays: 14, firstDataAt: new Date("2026-11-25T12:30:00Z") }, window28, at);
    expect(r.findings[0]!.reason).toMatch(/; pushes older than the 14-day retention of minute data are refused, so the start cannot be backfilled$/);
  });
  it("Prometheus: the later of first data and backfill start", () => {
    const r = assessIntegrity({ ...clean, source: "prometheus", firstDataAt: new Date("2026-11-01T00:00:00Z"), backfillFrom: new Date("2026-11-19T12:30:00Z") }, window28, at);
    // Dec 4 12:30 - Nov 19 12:30 = 15 days
    expect(r.findings[0]!.reason).toMatch(/^28-day SLO over 15 days of data: .*; the source holds nothing older \(its retention may be shorter than the window\)$/);
  });
  it.each([
    [window28.start.getTime() + HOUR_MS - 60_000, false], // 59 minutes late: within the rollup's grain
    [window28.start.getTime() + HOUR_MS, true],
    [window28.start.getTime() - DAY_MS, false],
  ])("first data at %s -> flagged %s", (t, flagged) => {
    expect(kinds({ firstDataAt: new Date(t) }).includes("short_coverage")).toBe(flagged);
  });
  it("a pushed SLI made inside the window is young, not short: the gap counts from its making", () => {
    const made = new Date("2026-11-25T12:00:00Z");
    expect(kinds({ sliCreatedAt: made, firstDataAt: new Date("2026-11-25T12:30:00Z") })).toEqual([]);
    // Its data starting a day after it was made is a gap.
    expect(kinds({ sliCreatedAt: made, firstDataAt: new Date("2026-11-26T12:30:00Z") })).toEqual(["short_coverage"]);
    // A Prometheus SLI is read back to the window's start whenever it was made: a gap there is the source's.
    expect(kinds({ source: "prometheus", sliCreatedAt: made, firstDataAt: new Date("2026-11-25T12:30:00Z") })).toEqual(["short_coverage"]);
  });
  it("no data at all is freshness's no_data, not a coverage finding", () => {
    expect(kinds({ firstDataAt: null, lastHour: null })).toEqual([]);
  });
});

describe("(4) coverage in words", () => {
  it("under two days in hours: a 1-day SLO over 6 hours of data", () => {
    const window1 = complianceWindow({ kind: "rolling", days: 1 }, at);
    const r = assessIntegrity({ ...clean, firstDataAt: new Date(at.getTime() - 6 * HOUR_MS) }, window1, at);
    expect(r.findings[0]!.reason).toMatch(/^1-day SLO over 6 hours of data: /);
  });
});

// Composite SLOs, docs/composite-slos.md "Late or missing members": minutes materialised past the
// delay bound without a member's data (composite_gaps), counted per whenDelayed (Nobl9's
// Ignore / CountAsGood / CountAsBad), make the composite uncertain until the data arrives.
describe("(5) a composite's member late or missing", () => {
  const composite: IntegrityFacts = { ...clean, source: "composite" };
  const first = new Date("2026-12-04T10:05:00Z");
  it.each([
    // whenDelayed, minutes, the words
    ["ignore", 20, "was late or missing for 20 minutes of the window (first Dec 4, 2026, 10:05 UTC), left out (counted as missing)"],
    ["count_as_good", 1, "was late or missing for 1 minute of the window (first Dec 4, 2026, 10:05 UTC), counted as good"],
    ["count_as_bad", 1500, "was late or missing for 1,500 minutes of the window (first Dec 4, 2026, 10:05 UTC), counted as bad"],
  ] as const)("%s, %i minutes", (whenDelayed, minutes, words) => {
    const r = assessIntegrity({ ...composite, whenDelayed, compositeGaps: [{ member: "payments/availability", minutes, first }] }, window28, at);
    expect(r.state).toBe("uncertain");
    expect(r.findings).toEqual([
      { kind: "member_late", reason: `member payments/availability ${words}; those minutes are recomputed when its data arrives`, since: "2026-12-04T10:05:00.000Z" },
    ]);
  });
  it("one finding per late member; none without gaps", () => {
    const gaps = [
      { member: "payments/availability", minutes: 3, first },
      { member: "cart/latency", minutes: 7, first: new Date("2026-12-04T11:00:00Z") },
    ];
    expect(kinds({ source: "composite", whenDelayed: "ignore", compositeGaps: gaps })).toEqual(["member_late", "member_late"]);
    expect(assessIntegrity({ ...composite, whenDelayed: "ignore", compositeGaps: [] }, window28, at)).toEqual({ state: "ok", findings: [] });
    expect(kinds({ source: "composite", compositeGaps: [{ member: "a/b", minutes: 0, first }] })).toEqual([]);
  });
});
