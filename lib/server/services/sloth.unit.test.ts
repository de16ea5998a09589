// Every Sloth file in testdata/sloth (Sloth's own examples and test fixtures, see its README)
// through the dispatcher, as a team would apply it: each imports, and we say into what, or is
// refused with a sentence naming its document and field.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDefinitionFiles } from "./definition-files";

const root = path.join(import.meta.dirname, "testdata/sloth");
const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(path.join(d, f)).isDirectory() ? walk(path.join(d, f)) : [path.join(d, f)]));
const files = walk(root)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => path.relative(root, f))
  .sort();
const parse = (name: string) => parseDefinitionFiles([{ name, content: readFileSync(path.join(root, name), "utf8") }]);

type Slo = { slug: string; objective: string; page: boolean; ticket: boolean };
type Expect = { imports: { service: string; labels: Record<string, string>; slos: Slo[] }[] } | { refused: [document: string, field: string, message: string][] };

const q = (job: string) => ({
  bad: `sum(increase(http_request_duration_seconds_count{job="${job}",code=~"(5..|429)"}[1m]))`,
  total: `sum(increase(http_request_duration_seconds_count{job="${job}"}[1m]))`,
});
const myservice = { owner: "myteam", repo: "myorg/myservice", tier: "2" };
const myservice2 = { owner: "myteam2", repo: "myorg/myservice2", tier: "1" };
const wifi = { cluster: "valhalla", component: "ubiquiti", context: "home" };
const on = (slug: string, objective: string): Slo => ({ slug, objective, page: true, ticket: true });
const raw = (k8s: boolean) =>
  `A raw error ratio cannot be imported: Burnrate counts good and total events per minute to compute budgets and burn rates, and a ratio gives no counts; write the SLI as sli.events with ${k8s ? "errorQuery and totalQuery" : "error_query and total_query"}.`;
const misspelt = "pageAlert is not a field of alerting: this format spells it page_alert. ticketAlert is not a field of alerting: this format spells it ticket_alert.";
const plugin = (id: string) => `Sloth plugin "${id}" is not run by Burnrate: it changes what Sloth measures or alerts on, which Burnrate computes itself from error_query and total_query; remove it, or keep this SLO in Sloth.`;
const slugTooLong = (name: string) => `SLO name "${name}" cannot be a Burnrate slug: use 2 to 48 lowercase letters, digits and single dashes (it names the SLI and SLO in URLs and the API).`;
const constantTotal =
  "total_query is a constant, so error_query is a ratio rather than a count of events; Burnrate needs counts per minute: write both as event counts (e.g. sum(rate(requests_total[{{.window}}]))).";
const alertWindows = `apiVersion "sloth.slok.dev/v1" is not one Burnrate reads: use openslo/v1 or openslo/v1alpha (OpenSLO), or Sloth's version: prometheus/v1 or kind PrometheusServiceLevel.`;

const expected: Record<string, Expect> = {
  "examples/getting-started.yml": { imports: [{ service: "myservice", labels: myservice, slos: [on("requests-availability", "0.999")] }] },
  "examples/k8s-getting-started.yml": { imports: [{ service: "myservice", labels: myservice, slos: [on("requests-availability", "0.999")] }] },
  "examples/multifile.yml": { imports: [{ service: "myservice", labels: myservice, slos: [on("requests-availability", "0.999")] }, { service: "myservice2", labels: myservice2, slos: [on("requests-availability", "0.9999")] }] },
  "examples/k8s-multifile.yml": { imports: [{ service: "myservice", labels: myservice, slos: [on("requests-availability", "0.999")] }, { service: "myservice2", labels: myservice2, slos: [on("requests-availability", "0.9999")] }] },
  "examples/home-wifi.yml": { imports: [{ service: "home-wifi", labels: wifi, slos: [on("good-wifi-client-satisfaction", "0.95"), on("risk-wifi-client-satisfaction", "0.999")] }] },
  "examples/k8s-home-wifi.yml": { imports: [{ service: "home-wifi", labels: wifi, slos: [on("good-wifi-client-satisfaction", "0.95"), on("risk-wifi-client-satisfaction", "0.999")] }] },
  "examples/kubernetes-apiserver.yml": { imports: [{ service: "k8s-apiserver", labels: { cluster: "valhalla", component: "kubernetes" }, slos: [on("requests-availability", "0.999"), on("requests-latency", "0.99")] }] },
  "examples/no-alerts.yml": { imports: [{ service: "myapp", labels: { owner: "myteam" }, slos: [{ slug: "http-availability", objective: "0.9999", page: false, ticket: false }] }] },
  "examples/slo-plugin-getting-started.yml": { imports: [{ service: "myservice", labels: myservice, slos: [on("requests-availability", "0.999")] }] },
  "examples/slo-plugin-k8s-getting-started.yml": { imports: [{ service: "myservice", labels: myservice, slos: [on("requests-availability", "0.999")] }] },
  "examples/raw-home-wifi.yml": { refused: [["SLO wifi-client-satisfaction", "slos[0].sli.raw.error_ratio_query", raw(false)]] },
  "examples/plugin-getting-started.yml": {
    refused: [["SLO requests-availability", "slos[0].sli.plugin", 'SLI plugin "getting_started_availability" cannot be imported: its queries are written by Sloth plugin code that Burnrate does not run; write the SLI as sli.events with error_query and total_query.']],
  },
  // Sloth's own example writes page_alert in a Kubernetes object, whose fields are camelCase: Sloth drops those labels silently.
  "examples/plugin-k8s-getting-started.yml": {
    refused: [["SLO requests-availability", "spec.slos[0].alerting", "page_alert is not a field of alerting: this format spells it pageAlert. ticket_alert is not a field of alerting: this format spells it ticketAlert."]],
  },
  "examples/contrib-denominator-corrected.yaml": { refused: [["Sloth svc01", "spec.sloPlugins.chain[0].id", plugin("sloth.dev/contrib/denominator_corrected_rules/v1")]] },
  "examples/contrib-slo-plugins.yml": {
    refused: [
      ["SLO requests-availability-contrib-plugin-info-labels-v1", "slos[0].name", slugTooLong("requests-availability-contrib-plugin-info-labels-v1")],
      ["SLO requests-availability-contrib-plugin-rule-intervals-v1", "slos[1].name", slugTooLong("requests-availability-contrib-plugin-rule-intervals-v1")],
    ],
  },
  "examples/victoria-metrics.yml": {
    refused: [
      ["SLO grpc-latency-percentile-90", "slos[0].sli.events.total_query", constantTotal],
      ["SLO grpc-latency-percentile-99", "slos[1].sli.events.total_query", constantTotal],
    ],
  },
  "examples/windows/7d.yaml": { refused: [["document 1", "apiVersion", alertWindows]] },
  "examples/windows/custom-30d.yaml": { refused: [["document 1", "apiVersion", alertWindows]] },
  "integration/in-base.yaml": { refused: [["SLO slo02", "slos[1].sli.raw.error_ratio_query", raw(false)]] },
  "integration/in-base-k8s.yaml": { refused: [["SLO slo02", "spec.slos[1].sli.raw.errorRatioQuery", raw(true)]] },
  "integration/in-multifile.yaml": { refused: [["SLO slo02", "slos[1].sli.raw.error_ratio_query", raw(false)], ["SLO slo02", "slos[1].sli.raw.error_ratio_query", raw(false)]] },
  "integration/in-multifile-k8s.yaml": { refused: [["SLO slo02", "spec.slos[1].sli.raw.errorRatioQuery", raw(true)], ["SLO slo02", "spec.slos[1].sli.raw.errorRatioQuery", raw(true)]] },
  "integration/in-invalid-version.yaml": {
    refused: [["document 1", "", "This is neither an OpenSLO document (apiVersion openslo/v1 or openslo/v1alpha) nor a Sloth file (version: prometheus/v1, or kind PrometheusServiceLevel)."]],
  },
  "integration/in-sli-plugin.yaml": {
    refused: [["SLO slo1", "slos[0].sli.plugin", 'SLI plugin "integration_test" cannot be imported: its queries are written by Sloth plugin code that Burnrate does not run; write the SLI as sli.events with error_query and total_query.']],
  },
  "integration/in-slo-plugin.yaml": {
    refused: [
      ["Sloth svc01", "slo_plugins.chain[0].id", plugin("integration-tests/plugin1")],
      ["Sloth svc01", "slo_plugins.chain[1].id", plugin("integration-tests/plugin1")],
      ["SLO slo1", "slos[0].plugins.chain[0].id", plugin("integration-tests/plugin1")],
      ["SLO slo1", "slos[0].plugins.chain[1].id", plugin("integration-tests/plugin1")],
    ],
  },
  "integration/in-slo-plugin-k8s.yaml": {
    refused: [
      ["Sloth svc01", "spec.sloPlugins.chain[0].id", plugin("integration-tests/plugin1")],
      ["Sloth svc01", "spec.sloPlugins.chain[1].id", plugin("integration-tests/plugin1")],
      ["SLO slo1", "spec.slos[0].plugins.chain[0].id", plugin("integration-tests/plugin1")],
      ["SLO slo1", "spec.slos[0].plugins.chain[1].id", plugin("integration-tests/plugin1")],
    ],
  },
  // Sloth's "good" fixtures write pageAlert in prometheus/v1 files: Sloth ignores the key (and its labels); Burnrate says so.
  "integration/validate/good/good-aa.yaml": { refused: [["SLO slo1", "slos[0].alerting", misspelt]] },
  "integration/validate/good/good-ab.yaml": { refused: [["SLO slo1", "slos[0].alerting", misspelt]] },
  "integration/validate/good/good-ba.yaml": { refused: [["SLO slo1", "slos[0].alerting", misspelt]] },
  "integration/validate/good/good-k8s.yaml": { refused: [["SLO slo02", "spec.slos[1].sli.raw.errorRatioQuery", raw(true)]] },
  "integration/validate/good/good-multi.yaml": { refused: [["SLO slo02", "slos[1].sli.raw.error_ratio_query", raw(false)], ["SLO slo02", "slos[1].sli.raw.error_ratio_query", raw(false)]] },
  "integration/validate/good/good-multi-k8s.yaml": { refused: [["SLO slo02", "spec.slos[1].sli.raw.errorRatioQuery", raw(true)], ["SLO slo02", "spec.slos[1].sli.raw.errorRatioQuery", raw(true)]] },
  "integration/validate/bad/bad-aa.yaml": { refused: [["SLO slo1", "slos[0].alerting", misspelt]] },
  "integration/validate/bad/bad-ab.yaml": { refused: [["SLO slo1", "slos[0].alerting", misspelt]] },
  "integration/validate/bad/bad-ba.yaml": { refused: [["SLO slo1", "slos[0].alerting", misspelt]] },
  "integration/validate/bad/bad-k8s.yaml": { refused: [["Sloth document 1", "spec.service", "service is empty: every PrometheusServiceLevel names its service."]] },
  "integration/validate/bad/bad-multi.yaml": {
    refused: [
      ["SLO slo02", "slos[1].sli.raw.error_ratio_query", raw(false)],
      ["SLO slo02", "slos[1].sli", "The SLI is empty: give sli.events with error_query and total_query."],
    ],
  },
  "integration/validate/bad/bad-multi-k8s.yaml": { refused: [["SLO slo02", "spec.slos[1].sli.raw.errorRatioQuery", raw(true)], ["SLO slo02", "spec.slos[1].sli.raw.errorRatioQuery", raw(true)]] },
  "integration/duplicates/bad-prom-multi-duplicates.yaml": { refused: [["SLO slo1", "slos[0].alerting", misspelt], ["SLO slo1", "slos[0].alerting", misspelt]] },
  "integration/duplicates/prom/bad-prom-1-original.yaml": { refused: [["SLO slo1", "slos[0].alerting", misspelt]] },
  "integration/duplicates/prom/bad-prom-1-duplicate.yaml": { refused: [["SLO slo1", "slos[0].alerting", misspelt]] },
  "integration/duplicates/k8s/bad-k8s-1-original.yaml": { refused: [["SLO slo02", "spec.slos[1].sli.raw.errorRatioQuery", raw(true)]] },
  "integration/duplicates/k8s/bad-k8s-1-duplicate.yaml": { refused: [["SLO slo02", "spec.slos[1].sli.raw.errorRatioQuery", raw(true)]] },
};

describe("Sloth's own files (testdata/sloth)", () => {
  it("every file is in the table below, and the table names no file that is not there", () => {
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  it.each(files)("%s", (name) => {
    const r = parse(name);
    const want = expected[name]!;
    if ("refused" in want) {
      expect(r.problems.map((p) => [p.document, p.field, p.message])).toEqual(want.refused);
      expect(r.problems.every((p) => p.file === name)).toBe(true);
      // Nothing is created from a refused file.
      expect(r.set.services).toEqual([]);
      return;
    }
    expect(r.problems).toEqual([]);
    expect(
      r.set.services.map((s) => ({
        service: s.slug,
        labels: s.labels,
        slos: s.slos.map((o) => ({ slug: o.slug, objective: o.objective, page: o.alerting.page.enabled, ticket: o.alerting.ticket.enabled })),
      })),
    ).toEqual(want.imports);
    for (const s of r.set.services) {
      // One pull SLI per SLO, named alike; a rolling 30-day window (Sloth's default period).
      expect(s.slis.map((x) => x.slug)).toEqual(s.slos.map((o) => o.sli));
      for (const o of s.slos) expect(o.window).toEqual({ kind: "rolling", days: 30 });
      for (const x of s.slis) {
        expect(x.source).toMatchObject({ kind: "prometheus", dataSource: null, url: null, goodQuery: null });
        if (x.source.kind === "prometheus") expect(`${x.source.badQuery} ${x.source.totalQuery}`).not.toMatch(/\{\{|\brate\(/);
      }
    }
  });

  it("getting-started: the queries, per minute, and the alert settings as written (prometheus/v1 and Kubernetes alike)", () => {
    const v1 = parse("examples/getting-started.yml").set;
    expect(parse("examples/k8s-getting-started.yml").set).toEqual(v1);
    const [sli] = v1.services[0]!.slis;
    expect(sli!.source).toEqual({ kind: "prometheus", dataSource: null, url: null, goodQuery: null, badQuery: q("myservice").bad, totalQuery: q("myservice").total, threshold: null });
    expect(v1.services[0]!.slos[0]!.alerting).toEqual({
      name: "MyServiceHighErrorRate",
      labels: { category: "availability" },
      annotations: { summary: "High error rate on 'myservice' requests responses" },
      page: { enabled: true, labels: { severity: "pageteam", routing_key: "myteam" }, annotations: {} },
      ticket: { enabled: true, labels: { severity: "slack", slack_channel: "#alerts-myteam" }, annotations: {} },
      channels: [],
      policies: [],
      rules: [],
      noData: { enabled: false },
      budgetBelow: { enabled: false, percent: 25 },
    });
    expect(v1.services[0]!.slos[0]!.description).toBe("Common SLO based on availability for HTTP request responses.");
  });

  it("the other Kubernetes twins read the same as their prometheus/v1 files", () => {
    expect(parse("examples/k8s-multifile.yml").set).toEqual(parse("examples/multifile.yml").set);
    expect(parse("examples/k8s-home-wifi.yml").set).toEqual(parse("examples/home-wifi.yml").set);
  });

  it("home-wifi: a subquery over {{.window}} becomes one over 1m", () => {
    const sli = parse("examples/home-wifi.yml").set.services[0]!.slis[0]!;
    expect(sli.source).toMatchObject({
      badQuery: "sum_over_time((count(unifipoller_client_satisfaction_ratio < 0.75))[1m:]) OR on() vector(0)",
      totalQuery: "sum_over_time((count(unifipoller_client_satisfaction_ratio))[1m:])",
    });
  });

  it("slo-plugin-getting-started: debug plugins are accepted with a warning that they do nothing here", () => {
    const warnings = parse("examples/slo-plugin-getting-started.yml").warnings;
    expect(warnings.map((w) => w.document)).toEqual(["Sloth myservice", "SLO requests-availability"]);
    expect(warnings[0]!.message).toBe("Sloth plugins sloth.dev/core/debug/v1 only shape the Prometheus rules Sloth writes; Burnrate writes none, so they have no effect here.");
  });

  it("a service split over two files is one service; the same SLO in both is refused", () => {
    const read = (n: string) => ({ name: n, content: readFileSync(path.join(root, n), "utf8") });
    const twice = parseDefinitionFiles([read("examples/getting-started.yml"), read("examples/k8s-getting-started.yml")]);
    expect(twice.problems).toEqual([
      {
        file: "examples/k8s-getting-started.yml",
        document: "SLO requests-availability",
        field: "spec.slos[0].name",
        message: 'SLO "requests-availability" of service myservice is also defined in examples/getting-started.yml document 1; Sloth SLO names are unique per service.',
      },
    ]);
    const joined = parseDefinitionFiles([read("examples/getting-started.yml"), { name: "more.yml", content: readFileSync(path.join(root, "examples/getting-started.yml"), "utf8").replace('name: "requests-availability"', 'name: "requests-availability-2"') }]);
    expect(joined.problems).toEqual([]);
    expect(joined.set.services.map((s) => [s.slug, s.slos.map((o) => o.slug)])).toEqual([["myservice", ["requests-availability", "requests-availability-2"]]]);
  });
});

describe("Sloth schema problems name the document and the field", () => {
  it.each([
    ["objective written as text", 'version: prometheus/v1\nservice: web\nslos:\n  - name: avail\n    objective: "99.9"\n    sli: {events: {error_query: "a[{{.window}}]", total_query: "b[{{.window}}]"}}\n', ["SLO avail", "slos[0].objective", "objective must be a number: the percentage, e.g. 99.9."]],
    ["a missing total query", "version: prometheus/v1\nservice: web\nslos:\n  - name: avail\n    objective: 99\n    sli: {events: {error_query: \"a[{{.window}}]\"}}\n", ["SLO avail", "slos[0].sli.events.total_query", "total_query is missing."]],
    ["an SLI written as a list", "version: prometheus/v1\nservice: web\nslos:\n  - name: avail\n    objective: 99\n    sli: []\n", ["SLO avail", "slos[0].sli", "sli must be a mapping of fields, not a list."]],
    ["a PrometheusServiceLevel without spec", "apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata: {name: x}\n", ["Sloth document 1", "spec", "spec is missing."]],
    ["no slos", "version: prometheus/v1\nservice: web\nslos: []\n", ["Sloth web", "slos", "slos is empty: a Sloth file defines at least one SLO."]],
    ["an unknown root field", "version: prometheus/v1\nservice: web\nsloPlugins: {chain: []}\nslos:\n  - name: avail\n    objective: 99\n    sli: {events: {error_query: \"a[{{.window}}]\", total_query: \"b[{{.window}}]\"}}\n", ["Sloth web", "sloPlugins", "sloPlugins is not a field of a Sloth prometheus/v1 file: this format spells it slo_plugins."]],
    ["a label that is a list", "version: prometheus/v1\nservice: web\nlabels: {team: [a]}\nslos:\n  - name: avail\n    objective: 99\n    sli: {events: {error_query: \"a[{{.window}}]\", total_query: \"b[{{.window}}]\"}}\n", ["Sloth web", "labels.team", "A label value must be text (or a number or true/false), not a list or a mapping."]],
  ])("%s", (_, content, [document, field, message]) => {
    const r = parseDefinitionFiles([{ name: "x.yml", content }]);
    expect(r.problems.map((p) => [p.document, p.field, p.message])).toEqual([[document, field, message]]);
  });

  it("unquoted numbers and booleans in labels are kept as the text they stand for (Sloth's victoria-metrics example)", () => {
    const r = parseDefinitionFiles([{ name: "x.yml", content: "version: prometheus/v1\nservice: web\nlabels: {tier: 2, generated: true, le: 0.2}\nslos:\n  - name: avail\n    objective: 99\n    sli: {events: {error_query: \"a[{{.window}}]\", total_query: \"b[{{.window}}]\"}}\n" }]);
    expect(r.set.services[0]!.labels).toEqual({ tier: "2", generated: "true", le: "0.2" });
  });
});
