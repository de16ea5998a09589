import { describe, expect, it } from "vitest";
import { fromSlothDoc, mergeSlothServices, percentToFraction, toMinuteQuery, type SlothDoc, type SlothSlo } from "./sloth";
import { parseObjective, budgetUnits } from "./budget";

const at = { file: "slos.yml", index: 0 };
const alert = { disable: false, labels: {}, annotations: {} };
const slo = (over: Partial<SlothSlo> = {}): SlothSlo => ({
  name: "requests-availability",
  description: "Availability",
  objective: 99.9,
  labels: {},
  plugins: null,
  sli: { events: { errorQuery: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))', totalQuery: "sum(rate(http_requests_total[{{.window}}]))" }, raw: null, plugin: null },
  alerting: { name: "HighErrorRate", labels: {}, annotations: {}, pageAlert: alert, ticketAlert: alert },
  ...over,
});
const doc = (over: Partial<SlothDoc> = {}): SlothDoc => ({ dialect: "prometheus/v1", service: "myservice", labels: { owner: "myteam" }, sloPlugins: null, slos: [slo()], ...over });

describe("percentToFraction: Sloth's percent objective as Burnrate's exact fraction", () => {
  it.each([
    // docs/domain.md "Terms": 99.9% -> an error budget of 0.1%.
    ["99.9", "0.999"],
    ["99.99", "0.9999"],
    ["99", "0.99"],
    ["95", "0.95"],
    ["90", "0.9"],
    ["5", "0.05"],
    ["0.5", "0.005"],
    ["99.95", "0.9995"], // docs/domain.md "Budget figures": 1 week at 99.95%
    ["99.999999", "0.99999999"], // 8 places, numeric(9,8)
    ["099.90", "0.999"],
    ["99.9999999", null], // 9 places as a fraction
    ["100", null], // no budget
    ["0", null],
    ["1e-7", null],
    ["-5", null],
  ])("%s%% -> %s", (written, fraction) => expect(percentToFraction(written)).toBe(fraction));

  it("has no float error: Sloth's tests assert a budget of 0.09999999999999432 for 99.9; the budget here is exactly 0.1%", () => {
    expect(100 - 99.9).toBe(0.09999999999999432); // what multiplying floats gives (Sloth's own assertion)
    const o = parseObjective(percentToFraction(String(99.9))!);
    expect(budgetUnits(o)).toBe(100_000); // 0.001 x 10^8
  });
});

describe("toMinuteQuery: events per 1-minute step", () => {
  it.each([
    ["sum(rate(x_total[{{.window}}]))", "sum(increase(x_total[1m]))"],
    ["sum(rate(x_total[{{ .window }}]))", "sum(increase(x_total[1m]))"],
    ["sum(rate (x_total[{{- .window -}}]))", "sum(increase (x_total[1m]))"],
    ["sum(increase(x_total[{{.window}}]))", "sum(increase(x_total[1m]))"],
    ["sum(irate(x_total[{{.window}}]))", "sum(irate(x_total[1m]))"],
    ["sum(job_error_rate(x))", "sum(job_error_rate(x))"],
    ["sum_over_time((count(up < 1))[{{.window}}:])", "sum_over_time((count(up < 1))[1m:])"],
  ])("%s -> %s", (q, expected) => expect(toMinuteQuery(q)).toBe(expected));
});

describe("fromSlothDoc", () => {
  it("an events SLO becomes one pull SLI and one SLO over a rolling 30 days (Sloth's default period), with its alert settings", () => {
    const r = fromSlothDoc(
      doc({
        slos: [
          slo({
            labels: { category: "availability" },
            alerting: {
              name: "HighErrorRate",
              labels: { team: "a" },
              annotations: { summary: "High error rate" },
              pageAlert: { disable: false, labels: { severity: "critical" }, annotations: {} },
              ticketAlert: { disable: true, labels: { severity: "warning" }, annotations: { runbook: "r" } },
            },
          }),
        ],
      }),
      at,
    );
    expect(r.problems).toEqual([]);
    expect(r.services).toEqual([
      {
        slug: "myservice",
        name: "myservice",
        description: "",
        labels: { owner: "myteam" },
        slis: [
          {
            slug: "requests-availability",
            name: "requests-availability",
            description: "",
            labels: {},
            kind: "request_ratio",
            latencyThresholdMs: null,
            sliceMinutes: null,
            sliceTarget: null,
            sliceMethod: "count_good",
            source: { kind: "prometheus", dataSource: null, url: null, goodQuery: null, badQuery: 'sum(increase(http_requests_total{code=~"5.."}[1m]))', totalQuery: "sum(increase(http_requests_total[1m]))", threshold: null },
          },
        ],
        slos: [
          {
            slug: "requests-availability",
            name: "requests-availability",
            description: "Availability",
            labels: { category: "availability" },
            sli: "requests-availability",
            objective: "0.999",
            window: { kind: "rolling", days: 30 },
            calendarStart: null,
            minEvents: 0,
            // Sloth has no field for these: an apply keeps what the SLO has (definitions-plan.ts).
            keeps: ["tuning", "channels", "minEvents"],
            alerting: {
              name: "HighErrorRate",
              labels: { team: "a" },
              annotations: { summary: "High error rate" },
              page: { enabled: true, labels: { severity: "critical" }, annotations: {} },
              ticket: { enabled: false, labels: { severity: "warning" }, annotations: { runbook: "r" } },
              channels: [],
              policies: [],
              rules: [],
              noData: { enabled: false },
              budgetBelow: { enabled: false, percent: 25 },
            },
          },
        ],
      },
    ]);
    // No server is named: the plan gives the SLI the team's "default" data source, or warns (definitions-plan.ts).
    expect(r.warnings).toEqual([]);
  });

  const refusals: [string, SlothDoc, { document: string; field: string; message: RegExp }][] = [
    ["a raw error ratio", doc({ slos: [slo({ sli: { events: null, raw: { errorRatioQuery: "1 - x" }, plugin: null } })] }), { document: "SLO requests-availability", field: "slos[0].sli.raw.error_ratio_query", message: /^A raw error ratio cannot be imported: .* write the SLI as sli\.events with error_query and total_query\.$/ }],
    ["a raw error ratio (Kubernetes spelling)", doc({ dialect: "kubernetes", slos: [slo({ sli: { events: null, raw: { errorRatioQuery: "1 - x" }, plugin: null } })] }), { document: "SLO requests-availability", field: "spec.slos[0].sli.raw.errorRatioQuery", message: /with errorQuery and totalQuery\.$/ }],
    ["an SLI plugin", doc({ slos: [slo({ sli: { events: null, raw: null, plugin: { id: "my_plugin" } } })] }), { document: "SLO requests-availability", field: "slos[0].sli.plugin", message: /^SLI plugin "my_plugin" cannot be imported/ }],
    ["an empty SLI", doc({ slos: [slo({ sli: { events: null, raw: null, plugin: null } })] }), { document: "SLO requests-availability", field: "slos[0].sli", message: /^The SLI is empty/ }],
    ["objective 100", doc({ slos: [slo({ objective: 100 })] }), { document: "SLO requests-availability", field: "slos[0].objective", message: /^objective 100 leaves no error budget/ }],
    ["objective 101", doc({ slos: [slo({ objective: 101 })] }), { document: "SLO requests-availability", field: "slos[0].objective", message: /^objective 101 is not a percentage between 0 and 100/ }],
    ["objective 0", doc({ slos: [slo({ objective: 0 })] }), { document: "SLO requests-availability", field: "slos[0].objective", message: /^objective 0 is not a percentage between 0 and 100/ }],
    ["a query without {{.window}}", doc({ slos: [slo({ sli: { events: { errorQuery: "sum(x[5m])", totalQuery: "sum(y[{{.window}}])" }, raw: null, plugin: null } })] }), { document: "SLO requests-availability", field: "slos[0].sli.events.error_query", message: /^error_query does not use \{\{\.window\}\}/ }],
    ["another template", doc({ slos: [slo({ sli: { events: { errorQuery: "sum(x[{{.window}}]) / {{.other}}", totalQuery: "sum(y[{{.window}}])" }, raw: null, plugin: null } })] }), { document: "SLO requests-availability", field: "slos[0].sli.events.error_query", message: /uses a template other than/ }],
    ["a constant total (VictoriaMetrics example)", doc({ slos: [slo({ sli: { events: { errorQuery: "1 - histogram_share(0.2, x[{{.window}}])", totalQuery: "vector(1)[{{.window}}]" }, raw: null, plugin: null } })] }), { document: "SLO requests-availability", field: "slos[0].sli.events.total_query", message: /^total_query is a constant/ }],
    ["a service that is no slug", doc({ service: "My_Service" }), { document: "Sloth My_Service", field: "service", message: /^service "My_Service" cannot be a Burnrate slug/ }],
    ["an SLO name longer than 48", doc({ slos: [slo({ name: "a".repeat(49) })] }), { document: `SLO ${"a".repeat(49)}`, field: "slos[0].name", message: /cannot be a Burnrate slug/ }],
    ["an SLO name twice", doc({ slos: [slo(), slo()] }), { document: "SLO requests-availability", field: "slos[1].name", message: /appears twice in service myservice \(also slos\[0\]\)/ }],
    ["a plugin that changes the SLO", doc({ sloPlugins: { overridePrevious: false, chain: [{ id: "sloth.dev/contrib/denominator_corrected_rules/v1" }] } }), { document: "Sloth myservice", field: "slo_plugins.chain[0].id", message: /^Sloth plugin "sloth\.dev\/contrib\/denominator_corrected_rules\/v1" is not run by Burnrate/ }],
    ["an SLO plugin of the SLO (Kubernetes)", doc({ dialect: "kubernetes", slos: [slo({ plugins: { overridePrevious: false, chain: [{ id: "mine/v1" }] } })] }), { document: "SLO requests-availability", field: "spec.slos[0].plugins.chain[0].id", message: /^Sloth plugin "mine\/v1"/ }],
  ];
  it.each(refusals)("refuses %s, naming the document and the field, and yields nothing", (_, d, expected) => {
    const r = fromSlothDoc(d, at);
    expect(r.services).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: "slos.yml", document: expected.document, field: expected.field });
    expect(r.problems[0]!.message).toMatch(expected.message);
  });

  it("accepts plugins that only shape Sloth's rules, with a warning that they do nothing here", () => {
    const r = fromSlothDoc(doc({ sloPlugins: { overridePrevious: true, chain: [{ id: "sloth.dev/core/debug/v1" }, { id: "sloth.dev/contrib/rule_intervals/v1" }] } }), at);
    expect(r.problems).toEqual([]);
    expect(r.services).toHaveLength(1);
    expect(r.warnings[0]).toEqual({ file: "slos.yml", document: "Sloth myservice", message: "Sloth plugins sloth.dev/core/debug/v1, sloth.dev/contrib/rule_intervals/v1 only shape the Prometheus rules Sloth writes; Burnrate writes none, so they have no effect here." });
  });

  it("keeps an alert name absent as null", () => {
    const r = fromSlothDoc(doc({ slos: [slo({ alerting: { name: "", labels: {}, annotations: {}, pageAlert: { ...alert, disable: true }, ticketAlert: { ...alert, disable: true } } })] }), at);
    expect(r.services[0]!.slos[0]!.alerting).toMatchObject({ name: null, page: { enabled: false }, ticket: { enabled: false } });
  });
});

describe("mergeSlothServices", () => {
  const part = (d: SlothDoc, index: number) => ({ service: fromSlothDoc(d, { file: "a.yml", index }).services[0]!, at: { file: "a.yml", index }, dialect: d.dialect });

  it("joins one service's SLOs written in two documents", () => {
    const r = mergeSlothServices([part(doc(), 0), part(doc({ labels: { tier: "1" }, slos: [slo({ name: "latency" })] }), 1)]);
    expect(r.problems).toEqual([]);
    expect(r.services.map((s) => [s.slug, s.labels, s.slos.map((o) => o.slug), s.slis.map((x) => x.slug)])).toEqual([["myservice", { owner: "myteam", tier: "1" }, ["requests-availability", "latency"], ["requests-availability", "latency"]]]);
  });

  it("refuses an SLO defined in two documents, and labels that disagree", () => {
    const r = mergeSlothServices([part(doc(), 0), part(doc({ labels: { owner: "other" } }), 1)]);
    expect(r.services).toEqual([]);
    expect(r.problems).toEqual([
      { file: "a.yml", document: "Sloth myservice", field: "labels.owner", message: 'Label owner of service myservice is "other" here but "myteam" in a.yml document 1; a service has one set of labels.' },
      { file: "a.yml", document: "SLO requests-availability", field: "slos[0].name", message: 'SLO "requests-availability" of service myservice is also defined in a.yml document 1; Sloth SLO names are unique per service.' },
    ]);
  });
});
