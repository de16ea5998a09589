import { describe, expect, it } from "vitest";
import { parseObjective } from "./budget";
import { lookbacks, type Counts, type Lookback } from "./burn-rate";
import { escapeLabelValue, renderAlertRules, renderExposition, sloMetricFamilies } from "./exposition";
import { computeSloStatus } from "./slo-status";
import { complianceWindow } from "./window";

const at = new Date("2026-06-01T00:00:00Z");
const counts = (rate: number) =>
  Object.fromEntries(Object.entries(lookbacks).map(([k, m]) => [k, { total: m * 100, good: m * 100 - Math.round(m * 100 * rate) }])) as Record<Lookback, Counts>;

describe("exposition format", () => {
  it("escapes label values", () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it("renders HELP, TYPE and samples", () => {
    const text = renderExposition([{ name: "x_ratio", help: "A ratio.", type: "gauge", samples: [{ labels: { a: "1", b: 'q"' }, value: 0.5 }, { labels: {}, value: -Infinity }] }]);
    expect(text).toBe('# HELP x_ratio A ratio.\n# TYPE x_ratio gauge\nx_ratio{a="1",b="q\\""} 0.5\nx_ratio -Inf\n');
  });

  it("exports an SLO's numbers and leaves no-data values out", () => {
    const id = { team: "payments", service: "api", slo: "availability", objective: "0.999" };
    const window = complianceWindow({ kind: "rolling", days: 30 }, at);
    const ok = computeSloStatus({ objective: parseObjective("0.999"), window, windowCounts: { good: 999_500, total: 1_000_000 }, lookbackCounts: counts(0.02), minEvents: 0 });
    const zero = Object.fromEntries(Object.keys(lookbacks).map((k) => [k, { good: 0, total: 0 }])) as Record<Lookback, Counts>;
    const empty = computeSloStatus({ objective: parseObjective("0.999"), window, windowCounts: { good: 0, total: 0 }, lookbackCounts: zero, minEvents: 0 });
    const text = renderExposition(sloMetricFamilies([{ id, status: ok }, { id: { ...id, slo: "quiet" }, status: empty }]));
    expect(text).toContain('burnrate_slo_error_budget_remaining_ratio{team="payments",service="api",slo="availability"} 0.5\n');
    expect(text).toContain('burnrate_slo_burn_rate{team="payments",service="api",slo="availability",window="1h"} 20\n');
    expect(text).toContain('burnrate_slo_alert_firing{team="payments",service="api",slo="availability",severity="page"} 1\n');
    expect(text).toContain('burnrate_slo_events{team="payments",service="api",slo="quiet",kind="total"} 0\n');
    expect(text).not.toContain('burnrate_slo_error_budget_remaining_ratio{team="payments",service="api",slo="quiet"}');
    expect(text).not.toContain("NaN");
  });
});

describe("burnrate_slo_uncertain (docs/integrity.md)", () => {
  it("1 for each kind of finding the SLO has, 0 for the others", () => {
    const id = { team: "payments", service: "api", slo: "availability", objective: "0.999" };
    const window = complianceWindow({ kind: "rolling", days: 28 }, at);
    const integrity = {
      source: "push" as const,
      queries: [],
      sourceGoodOverTotal: { minutes: 0, first: null },
      sourceNegative: { minutes: 0, first: null },
      storedBadDays: { days: 0, first: null },
      lastHour: null,
      firstDataAt: new Date(at.getTime() - 9 * 86_400_000), // 9 days of a 28-day window
      backfillFrom: null,
      sliCreatedAt: new Date(0),
      retentionDays: 100,
    };
    const s = computeSloStatus({ objective: parseObjective("0.999"), window, windowCounts: { good: 999, total: 1000 }, lookbackCounts: counts(0), minEvents: 0, integrity });
    expect(s.integrity.state).toBe("uncertain");
    const text = renderExposition(sloMetricFamilies([{ id, status: s }]));
    expect(text).toContain('burnrate_slo_uncertain{team="payments",service="api",slo="availability",kind="short_coverage"} 1\n');
    expect(text).toContain('burnrate_slo_uncertain{team="payments",service="api",slo="availability",kind="denominator_collapse"} 0\n');
    expect(text).toContain('burnrate_slo_uncertain{team="payments",service="api",slo="availability",kind="member_late"} 0\n');
    // One series per kind (integrityKinds), 1 for the kinds the SLO has.
    expect(text.match(/^burnrate_slo_uncertain\{/gm)).toHaveLength(6);
  });
});

describe("alerting rules", () => {
  it("uses the table's windows and the factors scaled to the period (28 d: 13.44, 5.6, 2.8, 0.93...)", () => {
    const yaml = renderAlertRules({ team: "t", service: "s", slo: "o", objective: "0.999" }, "Availability", 28 * 1440);
    expect(yaml).toContain('burnrate_slo_burn_rate{team="t",service="s",slo="o",window="1h"} > 13.44\n          and ignoring(window)\n          burnrate_slo_burn_rate{team="t",service="s",slo="o",window="5m"} > 13.44');
    expect(yaml).toContain('window="6h"} > 5.6');
    expect(yaml).toContain('window="30m"} > 5.6');
    expect(yaml).toContain('window="1d"} > 2.8');
    expect(yaml).toContain('window="2h"} > 2.8');
    expect(yaml).toContain('window="3d"} > 0.9333333333333333');
    expect(yaml).toContain('window="6h"} > 0.9333333333333333');
    expect(yaml.match(/severity: page/g)).toHaveLength(2);
    expect(yaml.match(/severity: ticket/g)).toHaveLength(2);
  });
});
