// SLO as code: Burnrate's services, SLIs and SLOs as OpenSLO v1 documents and back
// (https://github.com/OpenSLO/OpenSLO, apiVersion openslo/v1). Pure conversion on objects; YAML
// text and validation of foreign input live in lib/schemas/openslo.ts and the service layer.
//
// Mapping decisions (OpenSLO leaves them to the implementation):
// - SLI names are unique per file in OpenSLO but per service in Burnrate, so an SLI is exported
//   as "<service>-<sli>" with its own slug kept in the annotation burnrate.dev/slug.
// - A latency SLI is a ratio SLI with annotations for its kind and threshold.
// - A time-slice SLI's slice length and target become the SLO's Timeslices objective.
// - Good and total counts are pushed to Burnrate, so the metric source type is "Burnrate".
import type { SloWindow } from "./window";

export type CatalogSli = {
  slug: string;
  name: string;
  description: string;
  kind: "request_ratio" | "latency" | "time_slice";
  latencyThresholdMs: number | null;
  sliceMinutes: number | null;
  sliceTarget: string | null;
};
export type CatalogSlo = { slug: string; name: string; description: string; sli: string; objective: string; window: SloWindow; minEvents: number };
export type CatalogService = { slug: string; name: string; description: string; slis: CatalogSli[]; slos: CatalogSlo[] };

export type OpenSloDoc =
  | { apiVersion: "openslo/v1"; kind: "Service"; metadata: Metadata; spec: { description: string } }
  | { apiVersion: "openslo/v1"; kind: "SLI"; metadata: Metadata; spec: { description: string; ratioMetric: RatioMetric } }
  | { apiVersion: "openslo/v1"; kind: "SLO"; metadata: Metadata; spec: SloSpec };

type Metadata = { name: string; displayName: string; annotations?: Record<string, string> };
type MetricSource = { metricSource: { type: string; spec: Record<string, string> } };
type RatioMetric = { counter: boolean; good: MetricSource; total: MetricSource };
type TimeWindow = { duration: string; isRolling: boolean; calendar?: { startTime: string; timeZone: string } };
type Objective = { displayName: string; target: number; timeSliceTarget?: number; timeSliceWindow?: string };
type SloSpec = {
  description: string;
  service: string;
  indicatorRef: string;
  timeWindow: TimeWindow[];
  budgetingMethod: "Occurrences" | "Timeslices";
  objectives: Objective[];
};

const ANN = "burnrate.dev";
const calendarUnits = { week: "1w", month: "1M", quarter: "1Q" } as const;

export function toOpenSlo(services: readonly CatalogService[]): OpenSloDoc[] {
  const docs: OpenSloDoc[] = [];
  for (const s of services) {
    docs.push({ apiVersion: "openslo/v1", kind: "Service", metadata: { name: s.slug, displayName: s.name }, spec: { description: s.description } });
    for (const sli of s.slis) {
      const annotations: Record<string, string> = { [`${ANN}/slug`]: sli.slug, [`${ANN}/kind`]: sli.kind };
      if (sli.latencyThresholdMs !== null) annotations[`${ANN}/latency-threshold-ms`] = String(sli.latencyThresholdMs);
      const source = (series: string) => ({ metricSource: { type: "Burnrate", spec: { service: s.slug, sli: sli.slug, series } } });
      docs.push({
        apiVersion: "openslo/v1",
        kind: "SLI",
        metadata: { name: `${s.slug}-${sli.slug}`, displayName: sli.name, annotations },
        spec: { description: sli.description, ratioMetric: { counter: true, good: source("good"), total: source("total") } },
      });
    }
    for (const slo of s.slos) {
      const sli = s.slis.find((x) => x.slug === slo.sli);
      const timeSlices = sli?.kind === "time_slice" && sli.sliceMinutes && sli.sliceTarget;
      docs.push({
        apiVersion: "openslo/v1",
        kind: "SLO",
        metadata: { name: slo.slug, displayName: slo.name, ...(slo.minEvents ? { annotations: { [`${ANN}/min-events`]: String(slo.minEvents) } } : {}) },
        spec: {
          description: slo.description,
          service: s.slug,
          indicatorRef: `${s.slug}-${slo.sli}`,
          timeWindow: [
            slo.window.kind === "rolling"
              ? { duration: `${slo.window.days}d`, isRolling: true }
              : { duration: calendarUnits[slo.window.unit], isRolling: false, calendar: { startTime: "2020-01-06 00:00:00", timeZone: slo.window.timeZone } },
          ],
          budgetingMethod: timeSlices ? "Timeslices" : "Occurrences",
          objectives: [
            {
              displayName: slo.name,
              target: Number(slo.objective),
              ...(timeSlices ? { timeSliceTarget: Number(sli.sliceTarget), timeSliceWindow: `${sli.sliceMinutes}m` } : {}),
            },
          ],
        },
      });
    }
  }
  return docs;
}

export type ImportProblem = { document: number; path: string; message: string };

/** Reads validated OpenSLO documents back into services; problems name the document and field. */
export function fromOpenSlo(docs: readonly OpenSloDoc[]): { services: CatalogService[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const services = new Map<string, CatalogService>();
  const sliByName = new Map<string, { service: string; sli: CatalogSli; index: number }>();
  const service = (slug: string) => {
    const s = services.get(slug) ?? { slug, name: slug, description: "", slis: [], slos: [] };
    services.set(slug, s);
    return s;
  };
  docs.forEach((d) => {
    if (d.kind === "Service") Object.assign(service(d.metadata.name), { name: d.metadata.displayName || d.metadata.name, description: d.spec.description });
  });
  docs.forEach((d, i) => {
    if (d.kind !== "SLI") return;
    const a = d.metadata.annotations ?? {};
    const src = d.spec.ratioMetric.good.metricSource.spec;
    const owner = src.service ?? "";
    if (!services.has(owner)) {
      problems.push({ document: i, path: "spec.ratioMetric.good.metricSource.spec.service", message: `names no Service document ("${owner}")` });
      return;
    }
    const kind = (a[`${ANN}/kind`] ?? "request_ratio") as CatalogSli["kind"];
    const threshold = a[`${ANN}/latency-threshold-ms`];
    const sli: CatalogSli = {
      slug: a[`${ANN}/slug`] ?? src.sli ?? d.metadata.name,
      name: d.metadata.displayName || d.metadata.name,
      description: d.spec.description,
      kind: ["request_ratio", "latency", "time_slice"].includes(kind) ? kind : "request_ratio",
      latencyThresholdMs: threshold ? Number(threshold) : null,
      sliceMinutes: null,
      sliceTarget: null,
    };
    service(owner).slis.push(sli);
    sliByName.set(d.metadata.name, { service: owner, sli, index: i });
  });
  docs.forEach((d, i) => {
    if (d.kind !== "SLO") return;
    const ref = sliByName.get(d.spec.indicatorRef);
    if (!ref || ref.service !== d.spec.service) {
      problems.push({ document: i, path: "spec.indicatorRef", message: `names no SLI of service "${d.spec.service}" ("${d.spec.indicatorRef}")` });
      return;
    }
    const tw = d.spec.timeWindow[0]!;
    const window = parseTimeWindow(tw);
    if (!window) {
      problems.push({ document: i, path: "spec.timeWindow.0.duration", message: `"${tw.duration}" is not supported: use Nd rolling, or 1w, 1M or 1Q calendar` });
      return;
    }
    const o = d.spec.objectives[0]!;
    if (d.spec.budgetingMethod === "Timeslices") {
      const minutes = /^(\d+)m$/.exec(o.timeSliceWindow ?? "");
      if (!minutes || o.timeSliceTarget === undefined) {
        problems.push({ document: i, path: "spec.objectives.0.timeSliceWindow", message: "Timeslices needs timeSliceTarget and a timeSliceWindow in minutes, e.g. 1m" });
        return;
      }
      Object.assign(ref.sli, { kind: "time_slice", sliceMinutes: Number(minutes[1]), sliceTarget: decimal(o.timeSliceTarget) });
    }
    service(d.spec.service).slos.push({
      slug: d.metadata.name,
      name: d.metadata.displayName || d.metadata.name,
      description: d.spec.description,
      sli: ref.sli.slug,
      objective: decimal(o.target),
      window,
      minEvents: Number(d.metadata.annotations?.[`${ANN}/min-events`] ?? 0),
    });
  });
  return { services: [...services.values()], problems };
}

function parseTimeWindow(tw: TimeWindow): SloWindow | null {
  if (tw.isRolling) {
    const m = /^(\d+)([dw])$/.exec(tw.duration);
    return m ? { kind: "rolling", days: Number(m[1]) * (m[2] === "w" ? 7 : 1) } : null;
  }
  const unit = (Object.entries(calendarUnits).find(([, d]) => d === tw.duration)?.[0] ?? null) as keyof typeof calendarUnits | null;
  return unit ? { kind: "calendar", unit, timeZone: tw.calendar?.timeZone ?? "UTC" } : null;
}

/** A JSON number as the exact decimal string an objective is stored as ("0.999"). */
function decimal(n: number): string {
  return String(n);
}
