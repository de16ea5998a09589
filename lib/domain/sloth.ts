// Sloth (https://github.com/slok/sloth) service levels into Burnrate definitions. Pure conversion
// of documents already validated by lib/schemas/sloth.ts; lib/server/services/sloth.ts feeds them.
// Both dialects arrive in one shape (SlothDoc); `dialect` only decides how fields are spelt in
// problems (`slos[2].sli.raw` in prometheus/v1, `spec.slos[2].sli.raw` in PrometheusServiceLevel).
//
// Mapping decisions (docs/slo-as-code.md "Sloth files"):
// - One service per Sloth `service`; one pull SLI and one SLO per Sloth SLO, both slugged by the
//   SLO's `name` (SLI and SLO slugs are unique per service, each in its own table).
// - Events SLIs only: error_query becomes badQuery, total_query totalQuery. A raw error ratio or
//   an SLI plugin gives no event counts, so it is refused.
// - The compliance window is a rolling 30 days: Sloth files carry no period (it is the
//   `--default-slo-period` flag of `sloth generate`, 30d unless set).
// - Sloth files name no Prometheus server: the SLI's source has neither data source nor URL; the
//   plan gives it the team's data source named "default", or warns (lib/domain/definitions-plan.ts).
import type { AlertingDef, DefinitionProblem, DefinitionWarning, Labels, ServiceDef, SliDef, SloDef } from "./definitions";

export type SlothAlert = { disable: boolean; labels: Labels; annotations: Labels };
export type SlothPlugins = { overridePrevious: boolean; chain: { id: string }[] };
export type SlothSlo = {
  name: string;
  description: string;
  /** Percent in (0, 100] as written, e.g. 99.9. */
  objective: number;
  labels: Labels;
  plugins: SlothPlugins | null;
  sli: {
    events: { errorQuery: string; totalQuery: string } | null;
    raw: { errorRatioQuery: string } | null;
    plugin: { id: string } | null;
  };
  alerting: { name: string; labels: Labels; annotations: Labels; pageAlert: SlothAlert; ticketAlert: SlothAlert };
};
export type SlothDoc = { dialect: "prometheus/v1" | "kubernetes"; service: string; labels: Labels; sloPlugins: SlothPlugins | null; slos: SlothSlo[] };

/** Where a document came from, for problems and warnings. */
export type SlothSource = { file: string; index: number };

export type SlothResult = { services: ServiceDef[]; problems: DefinitionProblem[]; warnings: DefinitionWarning[] };

/** Sloth's window default (`sloth generate --default-slo-period`, 30d). */
export const SLOTH_WINDOW_DAYS = 30;

/**
 * Sloth plugins that only shape the Prometheus rules Sloth writes (their labels, intervals,
 * validation, debug output). Burnrate writes no rules and computes burn rates itself, so these
 * change nothing here and are accepted with a warning. Any other plugin (denominator
 * correction, an exhausted-budget alert, a plugin of your own) changes what is measured or
 * alerted in ways Burnrate cannot reproduce, and is refused.
 */
export const RULE_ONLY_PLUGINS: ReadonlySet<string> = new Set([
  "sloth.dev/core/sli_rules/v1",
  "sloth.dev/core/metadata_rules/v1",
  "sloth.dev/core/alert_rules/v1",
  "sloth.dev/core/validate/v1",
  "sloth.dev/core/debug/v1",
  "sloth.dev/core/noop/v1",
  "sloth.dev/contrib/info_labels/v1",
  "sloth.dev/contrib/remove_labels/v1",
  "sloth.dev/contrib/rule_intervals/v1",
  "sloth.dev/contrib/validate_victoria_metrics/v1",
]);

/**
 * A Sloth objective (a percent, e.g. 99.9) as Burnrate's exact fraction ("0.999"), by moving the
 * decimal point two places in the written digits: never multiplied as a float, which would give
 * Sloth's own 0.09999999999999432 kind of error. `written` is the number's shortest decimal form
 * (JavaScript's String(99.9) is "99.9"). null when it is not a plain decimal in (0, 100) or has
 * more than 8 decimal places as a fraction (numeric(9,8) in the schema).
 */
export function percentToFraction(written: string): string | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(written.trim());
  if (!m) return null;
  const whole = m[1]!.replace(/^0+(?=\d)/, "");
  const decimals = (m[2] ?? "").replace(/0+$/, "");
  if (whole.length > 2) return null; // 100 or more: no error budget at all
  const digits = (whole.padStart(2, "0") + decimals).replace(/0+$/, "");
  if (digits === "" || digits.length > 8) return null;
  return `0.${digits}`;
}

/**
 * Sloth's `{{.window}}` (any spacing) becomes `1m`, and `rate(` over it becomes `increase(`:
 * Burnrate pulls events per 1-minute step (lib/domain/prometheus-samples.ts rounds each step to
 * whole events), while Sloth only ever divides error by total, so its queries are usually
 * per-second rates. increase(x[1m]) is rate(x[1m]) x 60 in Prometheus: the same ratio, now as
 * the minute's events. `irate` and functions other than `rate` are left as written.
 */
export function toMinuteQuery(query: string): string {
  return query.replace(/\{\{-?\s*\.window\s*-?\}\}/g, "1m").replace(/\brate(\s*)\(/g, "increase$1(");
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slugProblem = (what: string, value: string): string | null =>
  value.length < 2 || value.length > 48 || !SLUG.test(value)
    ? `${what} "${value}" cannot be a Burnrate slug: use 2 to 48 lowercase letters, digits and single dashes (it names the ${what === "service" ? "service" : "SLI and SLO"} in URLs and the API).`
    : null;

/** One document into services (one) and problems; a document with any problem yields no service. */
export function fromSlothDoc(doc: SlothDoc, at: SlothSource): SlothResult {
  const k8s = doc.dialect === "kubernetes";
  const f = {
    root: (name: string) => (k8s ? `spec.${name}` : name),
    slo: (i: number, rest: string) => `${k8s ? "spec." : ""}slos[${i}]${rest ? `.${rest}` : ""}`,
    errorQuery: k8s ? "errorQuery" : "error_query",
    totalQuery: k8s ? "totalQuery" : "total_query",
    errorRatioQuery: k8s ? "errorRatioQuery" : "error_ratio_query",
    sloPlugins: k8s ? "sloPlugins" : "slo_plugins",
  };
  const problems: DefinitionProblem[] = [];
  const warnings: DefinitionWarning[] = [];
  const docName = `Sloth ${doc.service}`;
  const problem = (document: string, field: string, message: string) => problems.push({ file: at.file, document, field, message });

  const serviceSlug = slugProblem("service", doc.service);
  if (serviceSlug) problem(docName, f.root("service"), serviceSlug);
  const refusedPlugins = (p: SlothPlugins | null, document: string, field: string) => {
    if (!p) return;
    p.chain.forEach((x, j) => {
      if (!RULE_ONLY_PLUGINS.has(x.id))
        problem(document, `${field}.chain[${j}].id`, `Sloth plugin "${x.id}" is not run by Burnrate: it changes what Sloth measures or alerts on, which Burnrate computes itself from error_query and total_query; remove it, or keep this SLO in Sloth.`);
    });
    const harmless = [...new Set(p.chain.filter((x) => RULE_ONLY_PLUGINS.has(x.id)).map((x) => x.id))];
    if (harmless.length) warnings.push({ file: at.file, document, message: `Sloth plugins ${harmless.join(", ")} only shape the Prometheus rules Sloth writes; Burnrate writes none, so they have no effect here.` });
  };
  refusedPlugins(doc.sloPlugins, docName, f.root(f.sloPlugins));

  const slis: SliDef[] = [];
  const slos: SloDef[] = [];
  const seen = new Map<string, number>();
  doc.slos.forEach((s, i) => {
    const name = `SLO ${s.name}`;
    const before = problems.length;
    const slug = slugProblem("SLO name", s.name);
    if (slug) problem(name, f.slo(i, "name"), slug);
    if (seen.has(s.name)) problem(name, f.slo(i, "name"), `SLO "${s.name}" appears twice in service ${doc.service} (also ${f.slo(seen.get(s.name)!, "")}); Sloth SLO names are unique per service.`);
    seen.set(s.name, i);
    const objective = percentToFraction(String(s.objective));
    if (objective === null)
      problem(
        name,
        f.slo(i, "objective"),
        s.objective === 100
          ? `objective ${s.objective} leaves no error budget: Burnrate objectives are percentages below 100, e.g. 99.9.`
          : `objective ${s.objective} is not a percentage between 0 and 100 with at most 6 decimal places, e.g. 99.9.`,
      );
    refusedPlugins(s.plugins, name, f.slo(i, "plugins"));
    if (s.sli.raw)
      problem(
        name,
        f.slo(i, `sli.raw.${f.errorRatioQuery}`),
        `A raw error ratio cannot be imported: Burnrate counts good and total events per minute to compute budgets and burn rates, and a ratio gives no counts; write the SLI as sli.events with ${f.errorQuery} and ${f.totalQuery}.`,
      );
    if (s.sli.plugin)
      problem(
        name,
        f.slo(i, "sli.plugin"),
        `SLI plugin "${s.sli.plugin.id}" cannot be imported: its queries are written by Sloth plugin code that Burnrate does not run; write the SLI as sli.events with ${f.errorQuery} and ${f.totalQuery}.`,
      );
    const events = s.sli.events;
    if (!events && !s.sli.raw && !s.sli.plugin) problem(name, f.slo(i, "sli"), `The SLI is empty: give sli.events with ${f.errorQuery} and ${f.totalQuery}.`);
    if (events) {
      for (const [field, q] of [[f.errorQuery, events.errorQuery], [f.totalQuery, events.totalQuery]] as const) {
        const path = f.slo(i, `sli.events.${field}`);
        if (!/\{\{-?\s*\.window\s*-?\}\}/.test(q)) problem(name, path, `${field} does not use {{.window}}: Sloth requires it, and Burnrate replaces it with 1m to pull the events of each minute.`);
        else if (/\{\{/.test(toMinuteQuery(q))) problem(name, path, `${field} uses a template other than {{.window}}, which is the only one Sloth's event queries have.`);
      }
      // A constant total (VictoriaMetrics examples use vector(1)) makes the error query a ratio, not events.
      if (/^\s*vector\s*\(\s*[\d.]+\s*\)/.test(events.totalQuery))
        problem(
          name,
          f.slo(i, `sli.events.${f.totalQuery}`),
          `${f.totalQuery} is a constant, so ${f.errorQuery} is a ratio rather than a count of events; Burnrate needs counts per minute: write both as event counts (e.g. sum(rate(requests_total[{{.window}}]))).`,
        );
    }
    if (problems.length > before || !events || objective === null) return;
    slis.push({
      slug: s.name,
      name: s.name,
      description: "",
      labels: {},
      kind: "request_ratio",
      latencyThresholdMs: null,
      sliceMinutes: null,
      sliceTarget: null,
      sliceMethod: "count_good",
      source: { kind: "prometheus", dataSource: null, url: null, goodQuery: null, badQuery: toMinuteQuery(events.errorQuery), totalQuery: toMinuteQuery(events.totalQuery), threshold: null },
    });
    slos.push({
      slug: s.name,
      name: s.name,
      description: s.description,
      labels: s.labels,
      sli: s.name,
      objective,
      window: { kind: "rolling", days: SLOTH_WINDOW_DAYS },
      calendarStart: null,
      minEvents: 0,
      alerting: alertingOf(s.alerting),
      keeps: ["tuning", "channels", "minEvents"],
    });
  });
  if (problems.length) return { services: [], problems, warnings: [] };
  return { services: [{ slug: doc.service, name: doc.service, description: "", labels: doc.labels, slis, slos }], problems, warnings };
}

export function alertingOf(a: SlothSlo["alerting"]): AlertingDef {
  const alert = (x: SlothAlert) => ({ enabled: !x.disable, labels: x.labels, annotations: x.annotations });
  return { page: alert(a.pageAlert), ticket: alert(a.ticketAlert), name: a.name || null, labels: a.labels, annotations: a.annotations, channels: [], policies: [], rules: [], noData: { enabled: false }, budgetBelow: { enabled: false, percent: 25 } };
}

/**
 * Documents of one set into services: Sloth lets one service's SLOs be split over documents and
 * files, so services with the same slug are joined. Labels written twice must agree, and an SLO
 * name may appear once per service (Sloth refuses duplicates too).
 */
export function mergeSlothServices(parts: readonly { service: ServiceDef; at: SlothSource; dialect: SlothDoc["dialect"] }[]): { services: ServiceDef[]; problems: DefinitionProblem[] } {
  const byslug = new Map<string, { service: ServiceDef; at: SlothSource; sloAt: Map<string, SlothSource> }>();
  const problems: DefinitionProblem[] = [];
  const where = (at: SlothSource) => `${at.file} document ${at.index + 1}`;
  for (const p of parts) {
    const s = p.service;
    const found = byslug.get(s.slug);
    if (!found) {
      byslug.set(s.slug, { service: { ...s, labels: { ...s.labels }, slis: [...s.slis], slos: [...s.slos] }, at: p.at, sloAt: new Map(s.slos.map((o) => [o.slug, p.at])) });
      continue;
    }
    for (const [k, v] of Object.entries(s.labels)) {
      const old = found.service.labels[k];
      if (old !== undefined && old !== v)
        problems.push({ file: p.at.file, document: `Sloth ${s.slug}`, field: p.dialect === "kubernetes" ? `spec.labels.${k}` : `labels.${k}`, message: `Label ${k} of service ${s.slug} is "${v}" here but "${old}" in ${where(found.at)}; a service has one set of labels.` });
      else found.service.labels[k] = v;
    }
    s.slos.forEach((o, i) => {
      const first = found.sloAt.get(o.slug);
      if (first)
        problems.push({ file: p.at.file, document: `SLO ${o.slug}`, field: `${p.dialect === "kubernetes" ? "spec." : ""}slos[${i}].name`, message: `SLO "${o.slug}" of service ${s.slug} is also defined in ${where(first)}; Sloth SLO names are unique per service.` });
      else {
        found.sloAt.set(o.slug, p.at);
        found.service.slis.push(s.slis[i]!);
        found.service.slos.push(o);
      }
    });
  }
  return { services: problems.length ? [] : [...byslug.values()].map((x) => x.service), problems };
}
