// SLO as code, OpenSLO (https://github.com/OpenSLO/OpenSLO, README.md is the spec): validated
// documents into a DefinitionSet with a sentence for everything Burnrate cannot represent, and a
// DefinitionSet back into OpenSLO v1 documents. Pure conversion on objects; YAML and zod live in
// lib/schemas/openslo.ts and lib/server/services/openslo.ts. docs/slo-as-code.md has the mapping.
//
// Decisions where the spec leaves it to the implementation:
// - SLIs name no service; an SLI belongs to the service of each SLO that uses it (copied into each).
//   An SLI, AlertPolicy, AlertCondition or AlertNotificationTarget no SLO uses imports nothing
//   (a warning): shared libraries of them can live in the same repository.
// - Burnrate SLI slugs are per service, OpenSLO names per file: the export names an SLI
//   "<service>-<sli>" and keeps its slug in the annotation burnrate.dev/slug.
// - One SLO per objective: one objective keeps the SLO's name as slug; several become
//   "<slo>-<objective displayName or name, slugified>".
// - An SLI used with different objective settings (slices, thresholds) becomes one Burnrate SLI
//   per setting: the first keeps the slug, later ones get "-2", "-3", ...
// - Labels: a list value is stored joined with ","; the export writes a value holding "," as a list.
// - A Prometheus source without url and metricSourceRef names no server: the plan gives it the
//   team's data source named "default", or warns (lib/domain/definitions-plan.ts).
// - Composite SLOs (objectives with their own indicators) are read and written in openslo-composite.ts.
import type { AlertPolicyDef, AlertingDef, DataSourceDef, DefinitionProblem, DefinitionSet, DefinitionWarning, Labels, ServiceDef, SliDef, SliSourceDef, SloDef, ThresholdOp } from "./definitions";
import { defaultAlerting } from "./definitions";
import { alertFactor, alertRuleProblems, alertRules, lookbacks, type AlertRule, type AlertRuleOverride } from "./burn-rate";
import type { SloWindow } from "./window";
import { addComposites, compositeDoc, compositesOfService, expandComposite, relabelMemberProblems, type CompositeRead } from "./openslo-composite";

// --- validated document shapes (lib/schemas/openslo.ts produces them) ---------------------------

export type OsMetadata = { name: string; displayName: string; labels: Record<string, string | string[]>; annotations: Record<string, string> };
export type OsMetricSource = { metricSourceRef: string | null; type: string | null; spec: Record<string, unknown> };
export type OsIndicator = {
  metadata: OsMetadata;
  spec: {
    description: string;
    ratioMetric: { counter: boolean | null; good: OsMetricSource | null; bad: OsMetricSource | null; total: OsMetricSource | null; rawType: string | null; raw: OsMetricSource | null } | null;
    thresholdMetric: OsMetricSource | null;
  };
};
export type OsObjective = {
  displayName: string;
  name: string;
  op: string | null;
  value: number | null;
  target: number | null;
  targetPercent: number | null;
  timeSliceTarget: number | null;
  timeSliceWindow: string | null;
  /** The objective has its own indicator or a compositeWeight (a composite SLO, docs/composite-slos.md). */
  composite: boolean;
  indicator?: OsIndicator | null;
  indicatorRef?: string | null;
  compositeWeight?: number | null;
};
export type OsTimeWindow = { duration: string; isRolling: boolean | null; calendar: { startTime: string; timeZone: string } | null };
export type OsAlertCondition = {
  metadata: OsMetadata;
  spec: { description: string; severity: string; condition: { kind: string; op: string | null; threshold: number; lookbackWindow: string; alertAfter: string } };
};
export type OsTarget = { metadata: OsMetadata; spec: { description: string; target: string } };
type Ref<T> = { ref: string } | { inline: T };
export type OsAlertPolicy = {
  metadata: OsMetadata;
  spec: {
    description: string;
    alertWhenNoData: boolean;
    alertWhenResolved: boolean;
    alertWhenBreaching: boolean;
    conditions: Ref<OsAlertCondition>[];
    notificationTargets: Ref<OsTarget>[];
  };
};
export type OsSlo = {
  /** Came from openslo/v1alpha: messages name its fields (timeWindows, ratioMetrics). */
  alpha: boolean;
  metadata: OsMetadata;
  spec: {
    description: string;
    service: string;
    indicator: OsIndicator | null;
    indicatorRef: string | null;
    timeWindow: OsTimeWindow[];
    budgetingMethod: string;
    objectives: OsObjective[];
    alertPolicies: Ref<OsAlertPolicy>[];
  };
};
export type OsService = { metadata: OsMetadata; spec: { description: string } };
export type OsDataSource = { metadata: OsMetadata; spec: { description: string; type: string; connectionDetails: Record<string, unknown> } };

export type OsDocument = { file: string } & (
  | { kind: "Service"; doc: OsService }
  | { kind: "SLI"; doc: OsIndicator }
  | { kind: "SLO"; doc: OsSlo }
  | { kind: "DataSource"; doc: OsDataSource }
  | { kind: "AlertPolicy"; doc: OsAlertPolicy }
  | { kind: "AlertCondition"; doc: OsAlertCondition }
  | { kind: "AlertNotificationTarget"; doc: OsTarget }
);

/** Where a definition came from, so a check of the API's rules can name the document and field. */
export type Origin = { file: string; document: string; fields: Record<string, string> };
export type OpenSloResult = {
  set: DefinitionSet;
  problems: DefinitionProblem[];
  warnings: DefinitionWarning[];
  /** Keys: service slug; "service/sli"; "service/slo". */
  origins: { services: Map<string, Origin>; slis: Map<string, Origin>; slos: Map<string, Origin> };
};

export const ANN = "burnrate.dev";
/** Prometheus-compatible servers Burnrate pulls from (the query_range API). */
export const PROMETHEUS_TYPES = ["Prometheus", "Thanos", "Mimir", "VictoriaMetrics", "Cortex"] as const;
const promType = (t: string) => PROMETHEUS_TYPES.find((p) => p.toLowerCase() === t.toLowerCase()) ?? null;
/** Connection fields that hold secrets; Burnrate keeps the Authorization header write-only instead. */
const SECRET = /secret|password|passwd|token|api[-_]?key|access[-_]?key|credential|auth/i;
const THRESHOLD_OPS: readonly ThresholdOp[] = ["lt", "lte", "gt", "gte"];
const PULL_TYPES = `Prometheus-compatible servers (${PROMETHEUS_TYPES.join(", ")})`;

// --- durations ----------------------------------------------------------------------------------

/** OpenSLO duration shorthand: a whole number and one of m, h, d, w, M, Q, Y. */
export function parseDuration(s: string): { n: number; unit: "m" | "h" | "d" | "w" | "M" | "Q" | "Y" } | null {
  const m = /^(\d{1,6})(m|h|d|w|M|Q|Y)$/.exec(s.trim());
  return m ? { n: Number(m[1]), unit: m[2] as "m" } : null;
}

const FIXED_MINUTES = { m: 1, h: 60, d: 1440, w: 10080 } as const;

/** Minutes of a fixed-length duration (m, h, d, w), or null for months, quarters, years and junk. */
export function durationMinutes(s: string): number | null {
  const d = parseDuration(s);
  return d && d.unit in FIXED_MINUTES ? d.n * FIXED_MINUTES[d.unit as keyof typeof FIXED_MINUTES] : null;
}

/** A duration in minutes as OpenSLO writes it, in the largest unit that divides it. */
export function formatDuration(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

const CALENDAR = { "1w": "week", "1M": "month", "1Q": "quarter" } as const;
const CALENDAR_DURATION = { week: "1w", month: "1M", quarter: "1Q" } as const;
const UNIT_WORDS: Record<string, string> = { m: "minute", h: "hour", d: "day", w: "week", M: "month", Q: "quarter", Y: "year" };

/**
 * Checks a calendar window's startTime, written without a zone in the window's time zone: it must
 * be a boundary of Burnrate's calendar windows (lib/domain/window.ts): Monday 00:00 for weeks, the
 * 1st at 00:00 for months, 1 January, April, July or October at 00:00 for quarters. The wall-clock
 * text is enough to judge that; no zone arithmetic is needed. Returns null when it is one.
 */
export function calendarStartProblem(startTime: string, unit: "week" | "month" | "quarter", timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(startTime.trim());
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0))) : null;
  if (!m || !date || date.getUTCDate() !== Number(m[3]) || date.getUTCMonth() !== Number(m[2]) - 1 || Number(m[4] ?? 0) > 23)
    return `startTime "${startTime}" is not a date and time such as 2024-01-01 00:00:00 (written without a zone, in the window's timeZone)`;
  const midnight = date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0;
  const ok =
    unit === "week" ? midnight && date.getUTCDay() === 1 : unit === "month" ? midnight && date.getUTCDate() === 1 : midnight && date.getUTCDate() === 1 && date.getUTCMonth() % 3 === 0;
  if (ok) return null;
  const rule = { week: "weekly windows begin on Monday at 00:00", month: "monthly windows begin on the 1st at 00:00", quarter: "quarterly windows begin on 1 January, April, July and October at 00:00" }[unit];
  return `startTime ${startTime} is not the start of a calendar ${unit} in ${timeZone}; Burnrate's ${rule}, so the window cannot start there (it is not moved: write a startTime on such a boundary, or leave it out)`;
}

/** The time window as Burnrate's, or a problem naming the field. */
export function windowOf(tw: OsTimeWindow, field: string): { window: SloWindow; calendarStart: string | null } | { field: string; message: string } {
  const d = parseDuration(tw.duration);
  const rolling = tw.isRolling ?? tw.calendar === null;
  if (!d) return { field: `${field}.duration`, message: `duration "${tw.duration}" is not an OpenSLO duration: write a whole number and one of m, h, d, w, M, Q, Y, e.g. 28d or 1M` };
  if (rolling) {
    const minutes = durationMinutes(tw.duration);
    if (minutes === null)
      return { field: `${field}.duration`, message: `A rolling window of ${tw.duration} has no fixed number of days; Burnrate's rolling windows are whole days (e.g. 28d, 4w or 720h): write e.g. 30d, or a calendar window (isRolling: false) of 1M` };
    if (minutes % 1440 !== 0) return { field: `${field}.duration`, message: `A rolling window of ${tw.duration} is not a whole number of days; Burnrate's rolling windows are whole days, e.g. 28d, 4w or 720h` };
    return { window: { kind: "rolling", days: minutes / 1440 }, calendarStart: null };
  }
  const unit = CALENDAR[tw.duration as keyof typeof CALENDAR];
  if (!unit)
    return {
      field: `${field}.duration`,
      message: `A calendar window of ${d.n} ${UNIT_WORDS[d.unit]}${d.n === 1 ? "" : "s"} (${tw.duration}) is not one Burnrate has: calendar windows are 1w (a week from Monday), 1M (a month from the 1st) or 1Q (a quarter); for other lengths use a rolling window in days`,
    };
  const timeZone = tw.calendar?.timeZone ?? "UTC";
  const start = tw.calendar?.startTime ?? null;
  if (start !== null) {
    const problem = calendarStartProblem(start, unit, timeZone);
    if (problem) return { field: `${field}.calendar.startTime`, message: problem };
  }
  return { window: { kind: "calendar", unit, timeZone }, calendarStart: start?.trim() ?? null };
}

// --- numbers and names --------------------------------------------------------------------------

/** A YAML number as the decimal text it was written as ("0.995"), without binary noise for ordinary values. */
export function decimalText(n: number): string {
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(12).replace(/\.?0+$/, "") : s;
}

/** targetPercent (99.95) as a fraction's decimal text ("0.9995"), by moving the point in the text, not by dividing. */
export function percentText(n: number): string {
  const [int = "0", frac = ""] = decimalText(n).split(".");
  const padded = int.padStart(3, "0");
  const out = `${padded.slice(0, -2)}.${padded.slice(-2)}${frac}`.replace(/^0+(?=\d)/, "").replace(/\.?0+$/, "");
  return out.startsWith(".") ? `0${out}` : out || "0";
}

/** Lowercase letters, digits and single dashes (Burnrate's slugs). */
export function slugify(s: string): string {
  return s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function labelsOf(l: Record<string, string | string[]>): Labels {
  return Object.fromEntries(Object.entries(l).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]));
}

// --- import ---------------------------------------------------------------------------------------

export const docName = (kind: string, name: string) => `${kind} ${name}`;

/** What one indicator reads: pushed or pulled (a composite is made of SLOs, not read from a source). */
type ReadSource = Exclude<SliSourceDef, { kind: "composite" }>;
type Source = { def: ReadSource } | { problem: { field: string; message: string } };

export function fromOpenSlo(docs: readonly OsDocument[]): OpenSloResult {
  const problems: DefinitionProblem[] = [];
  const warnings: DefinitionWarning[] = [];
  const origins: OpenSloResult["origins"] = { services: new Map(), slis: new Map(), slos: new Map() };
  const byKind = <K extends OsDocument["kind"]>(kind: K) => docs.filter((d): d is Extract<OsDocument, { kind: K }> => d.kind === kind);
  const problem = (file: string, document: string, field: string, message: string) => problems.push({ file, document, field, message });

  // Named documents, each name once per kind.
  const named = <K extends OsDocument["kind"]>(kind: K) => {
    const map = new Map<string, Extract<OsDocument, { kind: K }>>();
    for (const d of byKind(kind)) {
      const name = d.doc.metadata.name;
      if (map.has(name)) problem(d.file, docName(kind, name), "metadata.name", `Another ${kind} in these files is also named "${name}"; names must be unique per kind`);
      else map.set(name, d);
    }
    return map;
  };
  const dataSourceDocs = named("DataSource");
  const sliDocs = named("SLI");
  const policyDocs = named("AlertPolicy");
  const conditionDocs = named("AlertCondition");
  const targetDocs = named("AlertNotificationTarget");
  const serviceDocs = named("Service");
  const used = { SLI: new Set<string>(), AlertPolicy: new Set<string>(), AlertCondition: new Set<string>(), AlertNotificationTarget: new Set<string>() };

  // Data sources: Prometheus-compatible servers by URL, never secrets.
  const dataSources: DataSourceDef[] = [];
  for (const [name, d] of dataSourceDocs) {
    const where = docName("DataSource", name);
    const type = promType(d.doc.spec.type);
    if (!type) problem(d.file, where, "spec.type", notPullable(d.doc.spec.type));
    for (const key of Object.keys(d.doc.spec.connectionDetails))
      if (SECRET.test(key)) problem(d.file, where, `spec.connectionDetails.${key}`, `Secrets are not read from files: leave ${key} out and set the data source's Authorization header in Burnrate (it is stored write-only and never exported)`);
    const url = d.doc.spec.connectionDetails.url ?? d.doc.spec.connectionDetails.address;
    if (typeof url !== "string" || !/^https?:\/\/\S+$/.test(url)) problem(d.file, where, "spec.connectionDetails.url", "Give the server's http(s) URL in spec.connectionDetails.url, e.g. http://prometheus:9090");
    else if (type) dataSources.push({ name, displayName: d.doc.metadata.displayName, description: d.doc.spec.description, type, url, labels: labelsOf(d.doc.metadata.labels) });
  }

  const services = new Map<string, ServiceDef>();
  const serviceOf = (slug: string) => {
    let s = services.get(slug);
    if (!s) {
      const doc = serviceDocs.get(slug);
      s = { slug, name: doc ? doc.doc.metadata.displayName || slug : slug, description: doc?.doc.spec.description ?? "", labels: doc ? labelsOf(doc.doc.metadata.labels) : {}, slis: [], slos: [] };
      services.set(slug, s);
    }
    return s;
  };
  for (const [name, d] of serviceDocs) {
    serviceOf(name);
    origins.services.set(name, { file: d.file, document: docName("Service", name), fields: { slug: "metadata.name", name: "metadata.displayName", description: "spec.description" } });
  }

  /** A metric source as a Burnrate source, or why not. */
  const sourceOf = (ms: OsMetricSource, field: string, counter: boolean | null): Source => {
    const refDoc = ms.metricSourceRef ? dataSourceDocs.get(ms.metricSourceRef) : undefined;
    const type = ms.type ?? refDoc?.doc.spec.type ?? null;
    if (type && type.toLowerCase() === "burnrate") return { def: { kind: "push" } };
    if (type && !promType(type)) return { problem: { field: `${field}.${ms.type ? "type" : "metricSourceRef"}`, message: notPullable(type) } };
    for (const key of Object.keys(ms.spec))
      if (SECRET.test(key)) return { problem: { field: `${field}.spec.${key}`, message: `Secrets are not read from files: leave ${key} out and set the Authorization header on the data source in Burnrate` } };
    const query = ms.spec.query ?? ms.spec.promql;
    if (typeof query !== "string" || !query.trim()) return { problem: { field: `${field}.spec.query`, message: "Give the PromQL query in spec.query" } };
    if (ms.spec.queryType !== undefined && String(ms.spec.queryType).toLowerCase() !== "promql")
      return { problem: { field: `${field}.spec.queryType`, message: `queryType "${String(ms.spec.queryType)}" is not PromQL; Burnrate runs PromQL against ${PULL_TYPES}` } };
    const url = typeof ms.spec.url === "string" ? ms.spec.url : typeof ms.spec.address === "string" ? ms.spec.address : null;
    if (url !== null && !/^https?:\/\/\S+$/.test(url)) return { problem: { field: `${field}.spec.url`, message: "Give the server's http(s) URL, e.g. http://prometheus:9090" } };
    if (!type && !ms.metricSourceRef)
      return { problem: { field: `${field}.type`, message: `Say where to pull from: type Prometheus (or another of ${PULL_TYPES.replace("Prometheus-compatible servers ", "")}) with spec.url, or metricSourceRef naming a data source` } };
    // counter: true means the query returns a monotonic counter; Burnrate reads events per
    // 1-minute step, so it takes the counter's increase over each minute.
    // Sloth-style templates ({{.window}}) are filled with Burnrate's step: events per minute.
    const written = query.trim().replace(/\{\{\s*\.window\s*\}\}/g, "1m");
    const q = counter ? `sum(increase((${written})[1m:]))` : written;
    return {
      def: {
        kind: "prometheus",
        dataSource: ms.metricSourceRef ?? null,
        url: ms.metricSourceRef ? null : url,
        goodQuery: q,
        badQuery: null,
        totalQuery: null,
        threshold: null,
      },
    };
  };

  type IndicatorRead = { source: ReadSource; threshold: boolean } | null;
  /** The indicator's source (the same for every objective); problems go to the indicator's document. */
  const readIndicator = (ind: OsIndicator, file: string, document: string, base: string): IndicatorRead => {
    const before = problems.length;
    const { ratioMetric: rm, thresholdMetric: tm } = ind.spec;
    const at = (f: string) => `${base}.${f}`;
    if (rm && tm) return problem(file, document, at("thresholdMetric"), "Give either a ratioMetric or a thresholdMetric, not both"), null;
    if (tm) {
      const s = sourceOf(tm, at("thresholdMetric.metricSource"), null);
      if ("problem" in s) return problem(file, document, s.problem.field, s.problem.message), null;
      if (s.def.kind === "push") return problem(file, document, at("thresholdMetric.metricSource.type"), "Pushed counts have no threshold: push good and total counts to /api/v1/ingest with a ratioMetric"), null;
      return { source: { ...s.def, goodQuery: null, threshold: { query: s.def.goodQuery!, op: "lt", value: 0 } }, threshold: true };
    }
    if (!rm) return problem(file, document, base, "Give the indicator a ratioMetric (good or bad, and total) or a thresholdMetric"), null;
    if (rm.raw || rm.rawType)
      return (
        problem(file, document, at("ratioMetric.raw"), "A raw ratio (rawType and raw) carries no event counts, so budgets and burn rates cannot be weighed by events; Burnrate needs counts: give good (or bad) and total queries, or push good and total counts to /api/v1/ingest"),
        null
      );
    if (rm.good && rm.bad) return problem(file, document, at("ratioMetric.bad"), "Give good or bad, not both (with total)"), null;
    const numerator = rm.good ?? rm.bad;
    if (!numerator) return problem(file, document, at("ratioMetric.good"), "Give good (or bad) events with total"), null;
    if (!rm.total) return problem(file, document, at("ratioMetric.total"), "Give total events with good (or bad)"), null;
    const which = rm.good ? "good" : "bad";
    const num = sourceOf(numerator, at(`ratioMetric.${which}.metricSource`), rm.counter);
    const total = sourceOf(rm.total, at("ratioMetric.total.metricSource"), rm.counter);
    for (const s of [num, total]) if ("problem" in s) problem(file, document, s.problem.field, s.problem.message);
    if (problems.length > before || "problem" in num || "problem" in total) return null;
    if (num.def.kind !== total.def.kind)
      return problem(file, document, at("ratioMetric.total.metricSource"), `${which} and total must both be pulled from one Prometheus-compatible server, or both pushed`), null;
    if (num.def.kind === "push" || total.def.kind === "push") return { source: { kind: "push" }, threshold: false };
    if (num.def.dataSource !== total.def.dataSource || num.def.url !== total.def.url)
      return problem(file, document, at("ratioMetric.total.metricSource"), `${which} and total must be pulled from the same server (the same metricSourceRef or url)`), null;
    return {
      source: { ...num.def, goodQuery: which === "good" ? num.def.goodQuery : null, badQuery: which === "bad" ? num.def.goodQuery : null, totalQuery: total.def.goodQuery },
      threshold: false,
    };
  };

  const indicatorReads = new Map<OsIndicator, IndicatorRead>();
  const sloSlugs = new Map<string, string>(); // "service/slug" -> document that made it

  // Composite SLOs (docs/composite-slos.md): each objective with its own indicator becomes a
  // member SLO read like any single-objective SLO; the composite itself is added after them.
  const composites: CompositeRead[] = [];
  const memberDocs = new Map<string, { document: string; objective: number }>();
  const sloDocs = byKind("SLO").flatMap((d) => expandComposite(d, composites, memberDocs, problem));

  for (const d of sloDocs) {
    const slo = d.doc;
    const where = docName("SLO", slo.metadata.name);
    const f = alphaFields(slo.alpha);
    const before = problems.length;
    const p = (field: string, message: string) => problem(d.file, where, field, message);

    // The indicator, inline or by reference.
    let ind: OsIndicator | null = null;
    let indFile = d.file;
    let indDoc = where;
    let indBase = f.indicator;
    if (slo.spec.indicator && slo.spec.indicatorRef) p("spec.indicatorRef", "Give either an inline indicator or an indicatorRef, not both");
    else if (slo.spec.indicator) ind = slo.spec.indicator;
    else if (slo.spec.indicatorRef) {
      const ref = sliDocs.get(slo.spec.indicatorRef);
      if (!ref) p("spec.indicatorRef", `No SLI named "${slo.spec.indicatorRef}" is in these files; Burnrate needs the SLI's metric source: add its SLI document, or write it inline as spec.indicator`);
      else {
        ind = ref.doc;
        indFile = ref.file;
        indDoc = docName("SLI", ref.doc.metadata.name);
        indBase = "spec";
        used.SLI.add(slo.spec.indicatorRef);
      }
    } else p(f.indicator, "Give the SLO an indicator (inline) or an indicatorRef naming an SLI");


    let read: IndicatorRead = null;
    if (ind) {
      if (!indicatorReads.has(ind)) {
        const first = problems.length;
        indicatorReads.set(ind, readIndicator(ind, indFile, indDoc, indBase));
        if (slo.alpha) for (const x of problems.slice(first)) x.field = alphaField(x.field);
      }
      read = indicatorReads.get(ind)!;
    }
    const w = slo.spec.timeWindow[0]!;
    const win = windowOf(w, f.window);
    // v1alpha writes count and unit where v1 writes duration.
    if ("message" in win) p(slo.alpha ? win.field.replace(/\.duration$/, ".unit") : win.field, win.message);
    const method = slo.spec.budgetingMethod;
    const methods = slo.alpha ? ["Occurrences", "Timeslices"] : ["Occurrences", "Timeslices", "RatioTimeslices"];
    if (!methods.includes(method)) p("spec.budgetingMethod", `budgetingMethod "${method}" is not one OpenSLO ${slo.alpha ? "v1alpha" : "v1"} defines: use ${methods.join(", ")}`);
    const alerting = alertingOf(slo, d.file, where, "window" in win ? win.window : null);
    const extras = alertExtrasOf(slo.metadata.annotations[`${ANN}/alerting`]);
    if (extras === null) p(`metadata.annotations.${ANN}/alerting`, `The annotation ${ANN}/alerting is Burnrate's own (alert name, labels and annotations as JSON, written by its export); it is not valid here: leave it out`);
    else if (extras.off && slo.spec.alertPolicies.length > 0) p(`metadata.annotations.${ANN}/alerting`, `The annotation ${ANN}/alerting says every alert is off, but spec.alertPolicies names policies: keep one of the two`);
    else {
      Object.assign(alerting, { name: extras.name, labels: extras.labels, annotations: extras.annotations, page: { ...alerting.page, ...extras.page }, ticket: { ...alerting.ticket, ...extras.ticket } });
      if (extras.off) alerting.page.enabled = alerting.ticket.enabled = false;
    }
    const tuningText = slo.metadata.annotations[`${ANN}/alert-tuning`];
    const tuning = alertTuningOf(tuningText);
    if (typeof tuning === "string") p(`metadata.annotations.${ANN}/alert-tuning`, `The annotation ${ANN}/alert-tuning is Burnrate's own (per-row alert settings as JSON, written by its export): ${tuning}`);
    else Object.assign(alerting, tuning);
    if (problems.length > before || !ind || !read || !("window" in win)) continue;

    const svcSlug = slo.spec.service;
    const svc = serviceOf(svcSlug);
    if (!origins.services.has(svcSlug)) origins.services.set(svcSlug, { file: d.file, document: where, fields: { slug: "spec.service", name: "spec.service", description: "spec.service" } });
    const ann = ind.metadata.annotations;
    const objectives = slo.spec.objectives;
    objectives.forEach((o, i) => {
      const of = `spec.objectives[${i}]`;
      const target = o.target !== null ? decimalText(o.target) : o.targetPercent !== null ? percentText(o.targetPercent) : null;
      if (o.target !== null && o.targetPercent !== null) return p(`${of}.targetPercent`, "Give target or targetPercent, not both");
      if (target === null) return p(`${of}.target`, "Give the objective's target, e.g. 0.999 (or targetPercent: 99.9)");
      let source = read.source;
      if (read.threshold) {
        const op = o.op as ThresholdOp | null;
        if (!op || !THRESHOLD_OPS.includes(op)) return p(`${of}.op`, `A thresholdMetric needs the objective's op: one of ${THRESHOLD_OPS.join(", ")} (a minute is good when its value op value holds)`);
        if (o.value === null) return p(`${of}.value`, "A thresholdMetric needs the objective's value: the threshold each minute's value is compared with");
        source = { ...(source as Extract<SliSourceDef, { kind: "prometheus" }>), threshold: { query: (source as Extract<SliSourceDef, { kind: "prometheus" }>).threshold!.query, op, value: o.value } };
      }
      let kind: SliDef["kind"] = "request_ratio";
      let sliceMinutes: number | null = null;
      let sliceTarget: string | null = null;
      let sliceMethod: SliDef["sliceMethod"] = "count_good";
      if (method === "Timeslices" || method === "RatioTimeslices") {
        kind = "time_slice";
        sliceMethod = method === "RatioTimeslices" ? "mean_ratio" : "count_good";
        const minutes = o.timeSliceWindow === null ? null : durationMinutes(o.timeSliceWindow);
        if (o.timeSliceWindow === null) return p(`${of}.timeSliceWindow`, `${method} needs the objective's timeSliceWindow, e.g. 1m`);
        if (minutes === null || minutes < 1 || minutes > 1440)
          return p(`${of}.timeSliceWindow`, `timeSliceWindow "${o.timeSliceWindow}" is not a slice Burnrate has: slices are whole minutes from 1m to 1d, e.g. 1m or 5m`);
        sliceMinutes = minutes;
        if (method === "Timeslices") {
          if (o.timeSliceTarget === null) return p(`${of}.timeSliceTarget`, "Timeslices needs the objective's timeSliceTarget: the ratio a slice must meet to be good, e.g. 0.95");
          sliceTarget = decimalText(o.timeSliceTarget);
        }
      } else {
        const k = ann[`${ANN}/kind`];
        if (k === "latency") kind = "latency";
      }
      const latency = kind === "latency" ? Number(ann[`${ANN}/latency-threshold-ms`] ?? NaN) : null;
      const sli: SliDef = {
        slug: ann[`${ANN}/slug`] ?? ind!.metadata.name,
        name: ind!.metadata.displayName || ind!.metadata.name,
        description: ind!.spec.description,
        labels: labelsOf(ind!.metadata.labels),
        kind,
        latencyThresholdMs: latency !== null && Number.isFinite(latency) ? latency : null,
        sliceMinutes,
        sliceTarget,
        sliceMethod,
        source,
      };
      // The same SLI with the same settings is shared; another setting is another SLI.
      const same = (x: SliDef) => JSON.stringify({ ...x, slug: "" }) === JSON.stringify({ ...sli, slug: "" });
      const existing = svc.slis.find((x) => sliBase(x.slug, sli.slug) && same(x));
      let sliSlug = existing?.slug;
      if (!sliSlug) {
        sliSlug = sli.slug;
        for (let n = 2; svc.slis.some((x) => x.slug === sliSlug); n++) sliSlug = `${sli.slug}-${n}`;
        svc.slis.push({ ...sli, slug: sliSlug });
        origins.slis.set(`${svcSlug}/${sliSlug}`, {
          file: indFile,
          document: indDoc,
          fields: { slug: indBase === "spec" ? "metadata.name" : `${f.indicator}.metadata.name`, name: "metadata.displayName", sliceMinutes: `${of}.timeSliceWindow`, sliceTarget: `${of}.timeSliceTarget` },
        });
      }
      const several = objectives.length > 1;
      const label = o.displayName || o.name || String(i + 1);
      const slug = several ? `${slo.metadata.name}-${slugify(o.name || o.displayName || String(i + 1))}`.slice(0, 48).replace(/-+$/, "") : slo.metadata.name;
      const key = `${svcSlug}/${slug}`;
      if (sloSlugs.has(key)) return p(several ? `${of}.displayName` : "metadata.name", `Another SLO of service "${svcSlug}" (${sloSlugs.get(key)}) is also named "${slug}"; SLO names must be unique per service`);
      sloSlugs.set(key, where);
      const def: SloDef = {
        slug,
        name: several ? `${slo.metadata.displayName || slo.metadata.name}: ${label}`.slice(0, 100) : slo.metadata.displayName || slo.metadata.name,
        description: slo.spec.description,
        labels: labelsOf(slo.metadata.labels),
        sli: sliSlug,
        objective: target,
        window: win.window,
        calendarStart: win.calendarStart,
        minEvents: Number(slo.metadata.annotations[`${ANN}/min-events`] ?? 0) || 0,
        alerting,
        keeps: [...(tuningText === undefined ? (["tuning"] as const) : []), ...(slo.metadata.annotations[`${ANN}/min-events`] === undefined ? (["minEvents"] as const) : [])],
      };
      svc.slos.push(def);
      origins.slos.set(key, {
        file: d.file,
        document: where,
        fields: { slug: several ? `${of}.displayName` : "metadata.name", name: "metadata.displayName", objective: `${of}.${o.target !== null ? "target" : "targetPercent"}`, window: f.window, minEvents: "metadata.annotations" },
      });
    });
  }

  addComposites(composites, { serviceOf, sloSlugs, origins, problem, alertingOf });

  /**
   * An alert document written inline or named by ref, with where its fields are reported: inline,
   * at `at` (the referring document); by ref, in its own document. An unknown name is a problem.
   */
  function resolve<D extends OsAlertPolicy | OsAlertCondition>(
    entry: { ref: string } | { inline: D },
    kind: "AlertPolicy" | "AlertCondition",
    docs: Map<string, { file: string; doc: D }>,
    at: { file: string; document: string; base: string },
    refField: string,
    remedy: string,
  ): { doc: D; file: string; document: string; base: string } | null {
    if (!("ref" in entry)) return { doc: entry.inline, ...at };
    const ref = docs.get(entry.ref);
    if (!ref) {
      problem(at.file, at.document, refField, `No ${kind} named "${entry.ref}" is in these files; ${remedy}`);
      return null;
    }
    used[kind].add(entry.ref);
    return { doc: ref.doc, file: ref.file, document: docName(kind, entry.ref), base: "spec" };
  }

  /** The SLO's alert settings from its alert policies, each condition one row of the burn-rate table. */
  function alertingOf(slo: OsSlo, file: string, where: string, window: SloWindow | null): AlertingDef {
    const alerting = defaultAlerting();
    if (slo.spec.alertPolicies.length === 0) return alerting;
    alerting.page.enabled = false;
    alerting.ticket.enabled = false;
    const periods = window ? periodRange(window) : null;
    slo.spec.alertPolicies.forEach((entry, i) => {
      const field = `spec.alertPolicies[${i}]`;
      const p = resolve(entry, "AlertPolicy", policyDocs, { file, document: where, base: `${field}.spec` }, field, "add its AlertPolicy document (Burnrate keeps alert policies on each SLO)");
      if (!p) return;
      const { doc: policy, file: pFile, document: pDoc, base: pBase } = p;
      const def: AlertPolicyDef = {
        name: policy.metadata.name,
        displayName: policy.metadata.displayName,
        description: policy.spec.description,
        alertWhenBreaching: policy.spec.alertWhenBreaching,
        alertWhenResolved: policy.spec.alertWhenResolved,
        alertWhenNoData: policy.spec.alertWhenNoData,
        conditions: [],
        targets: [],
      };
      policy.spec.conditions.forEach((c, j) => {
        const cField = `${pBase}.conditions[${j}]`;
        const r = resolve(c, "AlertCondition", conditionDocs, { file: pFile, document: pDoc, base: `${cField}.spec` }, `${cField}.conditionRef`, "add its AlertCondition document or write it inline");
        if (!r) return;
        const { doc: cond, file: cFile, document: cDoc, base: cBase } = r;
        const k = cond.spec.condition;
        if (k.kind.toLowerCase() !== "burnrate") return problem(cFile, cDoc, `${cBase}.condition.kind`, `Condition kind "${k.kind}" is not one Burnrate alerts on: it alerts on burn rates (kind: burnrate)`);
        if (k.op !== null && k.op !== "gt" && k.op !== "gte")
          return problem(cFile, cDoc, `${cBase}.condition.op`, `Burnrate alerts when the burn rate rises above the threshold (op gt or gte), not with op ${k.op}`);
        if (!periods) return;
        const long = durationMinutes(k.lookbackWindow);
        const row = alertRules.find((r) => r.longMinutes === long && factorMatches(k.threshold, r, periods));
        if (!row)
          return problem(
            cFile,
            cDoc,
            `${cBase}.condition`,
            `A burn rate of ${k.threshold} over ${k.lookbackWindow} is not a row of Burnrate's alert table; for SLO ${slo.metadata.name}'s ${windowWords(window!)} window Burnrate alerts on ${rowsText(periods)}`,
          );
        if (row.severity === "page") alerting.page.enabled = true;
        else alerting.ticket.enabled = true;
        def.conditions.push({ name: cond.metadata.name, displayName: cond.metadata.displayName, description: cond.spec.description, severity: row.severity, threshold: k.threshold, lookbackWindow: k.lookbackWindow, alertAfter: k.alertAfter });
      });
      policy.spec.notificationTargets.forEach((t) => {
        if ("ref" in t) {
          const ref = targetDocs.get(t.ref);
          if (ref) used.AlertNotificationTarget.add(t.ref);
          // A name with no document is a channel of the team, named as is.
          def.targets.push(ref ? targetOf(ref.doc) : { name: t.ref, displayName: "", description: "", target: "" });
        } else def.targets.push(targetOf(t.inline));
      });
      alerting.policies.push(def);
      for (const t of def.targets) if (!alerting.channels.includes(t.name)) alerting.channels.push(t.name);
    });
    return alerting;
  }

  for (const [kind, map] of [["SLI", sliDocs], ["AlertPolicy", policyDocs], ["AlertCondition", conditionDocs], ["AlertNotificationTarget", targetDocs]] as const)
    for (const [name, d] of map as Map<string, { file: string }>)
      if (!used[kind].has(name))
        warnings.push({ file: d.file, document: docName(kind, name), message: `${kind} ${name} is not imported: no SLO in these files uses it, and Burnrate keeps ${kind === "SLI" ? "SLIs under the service of the SLOs that use them" : "alert settings on each SLO"}.` });

  relabelMemberProblems(problems, memberDocs);
  const unique = new Map(problems.map((x) => [JSON.stringify(x), x]));
  return { set: { dataSources, services: [...services.values()] }, problems: [...unique.values()], warnings, origins };
}

function sliBase(slug: string, base: string) {
  return slug === base || /^-\d+$/.test(slug.slice(base.length));
}

function targetOf(t: OsTarget) {
  return { name: t.metadata.name, displayName: t.metadata.displayName, description: t.spec.description, target: t.spec.target };
}

/** A v1 field of the converted v1alpha SLO as the v1alpha file writes it (ratioMetrics on the objectives, source and query). */
function alphaField(field: string): string {
  return field
    .replace(/^spec\.indicator\.ratioMetric\./, "spec.objectives[0].ratioMetrics.")
    .replace(/\.metricSource\.type$/, ".source")
    .replace(/\.metricSource\.spec\./, ".")
    .replace(/\.metricSource$/, "");
}

function alphaFields(alpha: boolean) {
  return alpha ? { indicator: "spec.indicator", window: "spec.timeWindows[0]" } : { indicator: "spec.indicator.spec", window: "spec.timeWindow[0]" };
}

function notPullable(type: string) {
  return `Burnrate pulls from ${PULL_TYPES} or takes pushed counts; ${type} is not one of them: push good and total counts to /api/v1/ingest instead (or query a Prometheus-compatible server)`;
}

/** Shortest and longest compliance period of a window, in minutes (calendar months and quarters vary). */
export function periodRange(w: SloWindow): [number, number] {
  if (w.kind === "rolling") return [w.days * 1440, w.days * 1440];
  return w.unit === "week" ? [7 * 1440, 7 * 1440] : w.unit === "month" ? [28 * 1440, 31 * 1440] : [90 * 1440, 92 * 1440];
}

/** A threshold matches a row when it lies within the row's factors for the window's periods, to rounding (4 significant digits). */
function factorMatches(threshold: number, rule: AlertRule, [min, max]: [number, number]): boolean {
  const lo = alertFactor(rule, min);
  const hi = alertFactor(rule, max);
  const tol = Math.max(0.00005, hi * 0.0005);
  return threshold >= lo - tol && threshold <= hi + tol;
}

const round = (n: number) => String(Number(n.toFixed(4)));

function rowsText([min, max]: [number, number]): string {
  return alertRules
    .map((r) => {
      const lo = round(alertFactor(r, min));
      const hi = round(alertFactor(r, max));
      return `${lo === hi ? lo : `${lo} to ${hi}`} over ${formatDuration(r.longMinutes)} (${r.severity})`;
    })
    .join(", ");
}

function windowWords(w: SloWindow) {
  return w.kind === "rolling" ? `${w.days}-day rolling` : `calendar-${w.unit}`;
}

// --- export -------------------------------------------------------------------------------------

export type Doc = Record<string, unknown>;

/** A date on every calendar boundary (Monday 1 January 2024), for calendar windows imported without a startTime. */
export const DEFAULT_CALENDAR_START = "2024-01-01 00:00:00";

export function metadataOf(name: string, displayName: string, labels: Labels, annotations: Record<string, string> = {}): Doc {
  const out: Doc = { name };
  if (displayName) out.displayName = displayName;
  if (Object.keys(labels).length) out.labels = Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v.includes(",") ? v.split(",") : v]));
  if (Object.keys(annotations).length) out.annotations = annotations;
  return out;
}

function metricSourceOf(serviceSlug: string, sli: SliDef, series: string, query: string | null): Doc {
  const s = sli.source;
  if (s.kind !== "prometheus") return { metricSource: { type: "Burnrate", spec: { service: serviceSlug, sli: sli.slug, series } } };
  const spec: Doc = { query };
  if (!s.dataSource && s.url) spec.url = s.url;
  // With a data source the type is the DataSource's; an inline url says Prometheus (any compatible server answers the same API).
  return { metricSource: s.dataSource ? { metricSourceRef: s.dataSource, spec } : { type: "Prometheus", spec } };
}

/** The OpenSLO v1 documents of a set: data sources, then per service its Service, SLIs and SLOs. */
export function toOpenSlo(set: DefinitionSet): Doc[] {
  const docs: Doc[] = [];
  for (const d of set.dataSources)
    docs.push({ apiVersion: "openslo/v1", kind: "DataSource", metadata: metadataOf(d.name, d.displayName, d.labels), spec: { ...(d.description ? { description: d.description } : {}), type: d.type, connectionDetails: { url: d.url } } });
  const sloOf = (service: string, slug: string) => set.services.find((x) => x.slug === service)?.slos.find((o) => o.slug === slug) ?? null;
  for (const s of set.services) {
    docs.push({ apiVersion: "openslo/v1", kind: "Service", metadata: metadataOf(s.slug, s.name === s.slug ? "" : s.name, s.labels), spec: { description: s.description } });
    // Composites: their own members (same service, named "<composite>-…") are written inside them, not on their own.
    const { compositeOf, owned } = compositesOfService(s, sloOf);
    for (const slo of s.slos) {
      const c = compositeOf.get(slo.sli);
      if (c) docs.push(compositeDoc(s.slug, slo, c, owned, sloOf));
    }
    for (const sli of s.slis) {
      if (sli.source.kind === "composite") continue;
      const annotations: Record<string, string> = { [`${ANN}/slug`]: sli.slug };
      if (sli.kind === "latency") annotations[`${ANN}/kind`] = "latency";
      if (sli.latencyThresholdMs !== null) annotations[`${ANN}/latency-threshold-ms`] = String(sli.latencyThresholdMs);
      const src = sli.source;
      const spec: Doc = { description: sli.description };
      if (src.kind === "prometheus" && src.threshold) spec.thresholdMetric = metricSourceOf(s.slug, sli, "value", src.threshold.query);
      else {
        const bad = src.kind === "prometheus" && src.badQuery !== null;
        spec.ratioMetric = {
          counter: src.kind === "push",
          [bad ? "bad" : "good"]: metricSourceOf(s.slug, sli, bad ? "bad" : "good", src.kind === "prometheus" ? (bad ? src.badQuery : src.goodQuery) : null),
          total: metricSourceOf(s.slug, sli, "total", src.kind === "prometheus" ? src.totalQuery : null),
        };
      }
      docs.push({ apiVersion: "openslo/v1", kind: "SLI", metadata: metadataOf(`${s.slug}-${sli.slug}`, sli.name, sli.labels, annotations), spec });
    }
    for (const slo of s.slos) {
      if (compositeOf.has(slo.sli) || owned.has(slo.slug)) continue;
      const sli = s.slis.find((x) => x.slug === slo.sli);
      const w = slo.window;
      const objective: Doc = { displayName: slo.name, target: Number(slo.objective) };
      if (sli?.source.kind === "prometheus" && sli.source.threshold) Object.assign(objective, { op: sli.source.threshold.op, value: sli.source.threshold.value });
      const slices = sli?.kind === "time_slice" && sli.sliceMinutes !== null;
      if (slices && sli.sliceMethod === "count_good" && sli.sliceTarget !== null) objective.timeSliceTarget = Number(sli.sliceTarget);
      if (slices) objective.timeSliceWindow = formatDuration(sli.sliceMinutes!);
      docs.push({
        apiVersion: "openslo/v1",
        kind: "SLO",
        metadata: metadataOf(slo.slug, slo.name, slo.labels, { ...(slo.minEvents ? { [`${ANN}/min-events`]: String(slo.minEvents) } : {}), ...alertExtrasAnnotation(slo.alerting), ...alertTuningAnnotation(slo.alerting) }),
        spec: {
          description: slo.description,
          service: s.slug,
          indicatorRef: `${s.slug}-${slo.sli}`,
          timeWindow: [
            w.kind === "rolling"
              ? { duration: `${w.days}d`, isRolling: true }
              : { duration: CALENDAR_DURATION[w.unit], isRolling: false, calendar: { startTime: slo.calendarStart ?? DEFAULT_CALENDAR_START, timeZone: w.timeZone } },
          ],
          budgetingMethod: slices ? (sli.sliceMethod === "mean_ratio" ? "RatioTimeslices" : "Timeslices") : "Occurrences",
          objectives: [objective],
          ...alertPoliciesOf(slo, w),
        },
      });
    }
  }
  return docs;
}

export const windowDoc = (w: SloWindow, calendarStart: string | null): Doc =>
  w.kind === "rolling" ? { duration: `${w.days}d`, isRolling: true } : { duration: CALENDAR_DURATION[w.unit], isRolling: false, calendar: { startTime: calendarStart ?? DEFAULT_CALENDAR_START, timeZone: w.timeZone } };

function policyDoc(p: AlertPolicyDef): Doc {
  return {
    kind: "AlertPolicy",
    metadata: metadataOf(p.name, p.displayName, {}),
    spec: {
      description: p.description,
      alertWhenNoData: p.alertWhenNoData,
      alertWhenResolved: p.alertWhenResolved,
      alertWhenBreaching: p.alertWhenBreaching,
      conditions: p.conditions.map((c) => ({
        kind: "AlertCondition",
        metadata: metadataOf(c.name, c.displayName, {}),
        spec: { description: c.description, severity: c.severity, condition: { kind: "burnrate", op: "gt", threshold: c.threshold, lookbackWindow: c.lookbackWindow, ...(c.alertAfter ? { alertAfter: c.alertAfter } : {}) } },
      })),
      // A target without its kind of target is a channel of the team, referred to by name.
      notificationTargets: p.targets.map((t) =>
        t.target ? { kind: "AlertNotificationTarget", metadata: metadataOf(t.name, t.displayName, {}), spec: { description: t.description, target: t.target } } : { targetRef: t.name },
      ),
    },
  };
}

/**
 * Alert settings without OpenSLO policies (made in the app, or by a Sloth file) that differ from
 * the default (every row on, every channel): written as one policy with a condition per row
 * that is on, at the row's factor for the window (a nominal 30-day month and 91-day quarter,
 * which the import accepts for any month or quarter), so the import restores them. All rows off
 * has no OpenSLO form (a policy needs a condition) and exports as the default.
 */
export function alertPoliciesOf(slo: SloDef, w: SloWindow): Doc {
  const a = slo.alerting;
  if (a.policies.length) return { alertPolicies: a.policies.map(policyDoc) };
  const rows = alertRules.filter((r) => a[r.severity].enabled);
  if ((rows.length === alertRules.length && a.channels.length === 0) || rows.length === 0) return {};
  const period = w.kind === "rolling" ? w.days * 1440 : { week: 7, month: 30, quarter: 91 }[w.unit] * 1440;
  return {
    alertPolicies: [
      policyDoc({
        name: `${slo.slug}-alerts`,
        displayName: "",
        description: "Burnrate's burn-rate alerts for this SLO",
        alertWhenBreaching: true,
        alertWhenResolved: true,
        alertWhenNoData: false,
        conditions: rows.map((r) => ({
          name: `${r.severity}-${formatDuration(r.longMinutes)}`,
          displayName: "",
          description: "",
          severity: r.severity,
          threshold: Number(alertFactor(r, period).toFixed(4)),
          lookbackWindow: formatDuration(r.longMinutes),
          alertAfter: formatDuration(r.shortMinutes),
        })),
        targets: a.channels.map((name) => ({ name, displayName: "", description: "", target: "" })),
      }),
    ],
  };
}

/** `off`: every alert row is off. No alertPolicies means Burnrate's default rows (all on), so "none" needs saying. */
type AlertExtras = Pick<AlertingDef, "name" | "labels" | "annotations"> & { page: { labels: Labels; annotations: Labels }; ticket: { labels: Labels; annotations: Labels }; off?: true };

/** Alert name, labels and annotations (Sloth's alerting) have no OpenSLO field: one annotation of JSON keeps them. */
export function alertExtrasAnnotation(a: AlertingDef): Record<string, string> {
  const off = !a.page.enabled && !a.ticket.enabled && a.policies.length === 0;
  const extras: AlertExtras = { name: a.name, labels: a.labels, annotations: a.annotations, page: { labels: a.page.labels, annotations: a.page.annotations }, ticket: { labels: a.ticket.labels, annotations: a.ticket.annotations }, ...(off ? { off } : {}) };
  const empty = !off && a.name === null && [a.labels, a.annotations, a.page.labels, a.page.annotations, a.ticket.labels, a.ticket.annotations].every((l) => Object.keys(l).length === 0);
  return empty ? {} : { [`${ANN}/alerting`]: JSON.stringify(extras) };
}

/**
 * Per-row changes to the burn-rate table and the no-data and budget-below alerts (docs/alerting.md)
 * have no OpenSLO field either: one annotation of JSON keeps them, written only when set, so an
 * export applied again restores them. The policies' conditions stay the workbook's rows.
 */
type AlertTuning = Pick<AlertingDef, "rules" | "noData" | "budgetBelow">;
export function alertTuningAnnotation(a: AlertingDef): Record<string, string> {
  const d = defaultAlerting();
  const set = a.rules.length > 0 || a.noData.enabled !== d.noData.enabled || a.budgetBelow.enabled !== d.budgetBelow.enabled || a.budgetBelow.percent !== d.budgetBelow.percent;
  const tuning: AlertTuning = { rules: a.rules, noData: a.noData, budgetBelow: a.budgetBelow };
  return set ? { [`${ANN}/alert-tuning`]: JSON.stringify(tuning) } : {};
}

/** The annotation back: the defaults when absent, or what is wrong with it. */
function alertTuningOf(text: string | undefined): AlertTuning | string {
  const d = defaultAlerting();
  if (text === undefined) return { rules: d.rules, noData: d.noData, budgetBelow: d.budgetBelow };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return "it is not JSON";
  }
  const o = v as Partial<AlertTuning>;
  if (typeof v !== "object" || v === null || !Array.isArray(o.rules)) return "it needs a rules list";
  const keys = new Set(["enabled", "long", "short", "factor", "budgetPercent"]);
  for (const [i, r] of o.rules.entries()) {
    const x = r as Record<string, unknown>;
    if (typeof r !== "object" || r === null || Object.keys(x).some((k) => !keys.has(k))) return `rules[${i}] has fields other than ${[...keys].join(", ")}`;
    if ((x.enabled !== undefined && typeof x.enabled !== "boolean") || (x.factor !== undefined && typeof x.factor !== "number") || (x.budgetPercent !== undefined && typeof x.budgetPercent !== "number")) return `rules[${i}]: enabled is true or false, factor and budgetPercent are numbers`;
    for (const k of ["long", "short"] as const) if (x[k] !== undefined && !(typeof x[k] === "string" && x[k] in lookbacks)) return `rules[${i}].${k} must be one of ${Object.keys(lookbacks).join(", ")}`;
  }
  const problem = alertRuleProblems(o.rules as AlertRuleOverride[])[0];
  if (problem) return `${problem.field}: ${problem.message}`;
  const noData = o.noData ?? d.noData;
  const budgetBelow = o.budgetBelow ?? d.budgetBelow;
  if (typeof noData?.enabled !== "boolean") return "noData.enabled is true or false";
  if (typeof budgetBelow?.enabled !== "boolean" || typeof budgetBelow.percent !== "number" || !(budgetBelow.percent > 0 && budgetBelow.percent < 100)) return "budgetBelow is { enabled, percent } with percent above 0 and below 100";
  return { rules: o.rules as AlertRuleOverride[], noData: { enabled: noData.enabled }, budgetBelow: { enabled: budgetBelow.enabled, percent: budgetBelow.percent } };
}

/** The annotation back; absent: the defaults; null: not Burnrate's JSON. */
function alertExtrasOf(text: string | undefined): AlertExtras | null {
  const none: AlertExtras = { name: null, labels: {}, annotations: {}, page: { labels: {}, annotations: {} }, ticket: { labels: {}, annotations: {} } };
  if (text === undefined) return none;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const labels = (x: unknown): x is Labels => typeof x === "object" && x !== null && !Array.isArray(x) && Object.values(x).every((s) => typeof s === "string");
  const sev = (x: unknown) => typeof x === "object" && x !== null && labels((x as AlertExtras["page"]).labels) && labels((x as AlertExtras["page"]).annotations);
  const o = v as AlertExtras;
  if (typeof v !== "object" || v === null || !(o.name === null || typeof o.name === "string") || !labels(o.labels) || !labels(o.annotations) || !sev(o.page) || !sev(o.ticket) || !(o.off === undefined || o.off === true)) return null;
  return { name: o.name, labels: o.labels, annotations: o.annotations, page: { labels: o.page.labels, annotations: o.page.annotations }, ticket: { labels: o.ticket.labels, annotations: o.ticket.annotations }, ...(o.off ? { off: true as const } : {}) };
}
