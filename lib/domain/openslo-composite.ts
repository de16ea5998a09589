// OpenSLO v1 composite SLOs (docs/composite-slos.md, "OpenSLO"): an SLO document whose objectives
// each carry their own indicator and a compositeWeight, read into member SLOs and a composite SLI,
// and written back in the same shape. Split from openslo.ts (the rest of the mapping) so each file
// stays readable; pure like it. The import's state comes in as a context object.
import type { AlertingDef, CompositeMemberDef, DefinitionProblem, ServiceDef, SliSourceDef, SloDef } from "./definitions";
import type { SloWindow } from "./window";
import {
  alertExtrasAnnotation,
  alertPoliciesOf,
  alertTuningAnnotation,
  ANN,
  decimalText,
  docName,
  durationMinutes,
  labelsOf,
  metadataOf,
  percentText,
  slugify,
  windowDoc,
  windowOf,
  type Doc,
  type OpenSloResult,
  type OsDocument,
  type OsObjective,
  type OsSlo,
} from "./openslo";

type SloDoc = Extract<OsDocument, { kind: "SLO" }>;
export type CompositeRead = { doc: SloDoc; members: CompositeMemberDef[]; objective: string; maxDelayMinutes: number; whenDelayed: WhenDelayedDef };
type WhenDelayedDef = Extract<SliSourceDef, { kind: "composite" }>["whenDelayed"];
const WHEN_DELAYED: readonly WhenDelayedDef[] = ["ignore", "count_as_good", "count_as_bad"];
export const DEFAULT_COMPOSITE_MAX_DELAY = "10m";

/** The objective's target as decimal text, or null. */
function objectiveTargetOf(o: OsObjective): string | null {
  return o.target !== null ? decimalText(o.target) : o.targetPercent !== null ? percentText(o.targetPercent) : null;
}

/**
 * An SLO document whose objectives carry their own indicators (OpenSLO v1 composite): one member
 * SLO document per objective, "<slo>-<objective name>" with that objective's target and indicator,
 * and the composite recorded in `out`. Burnrate's annotations: composite-objective (the composite's
 * own target; default the strictest member's), max-delay and when-delayed (the late rule), and
 * composite-members (JSON, per objective: an existing SLO {service, slo} instead of a new member).
 */
export function expandComposite(d: SloDoc, out: CompositeRead[], memberDocs: Map<string, { document: string; objective: number }>, problem: (file: string, document: string, field: string, message: string) => void): SloDoc[] {
  const slo = d.doc;
  if (!slo.spec.objectives.some((o) => o.composite)) return [d];
  const where = docName("SLO", slo.metadata.name);
  const p = (field: string, message: string) => problem(d.file, where, field, message);
  if (slo.spec.indicator || slo.spec.indicatorRef) p("spec.indicatorRef", "A composite SLO's indicators are on its objectives (each with compositeWeight): leave spec.indicator and spec.indicatorRef out");
  const ann = slo.metadata.annotations;
  let refs: unknown[] = [];
  try {
    refs = ann[`${ANN}/composite-members`] ? (JSON.parse(ann[`${ANN}/composite-members`]!) as unknown[]) : [];
    if (!Array.isArray(refs)) throw new Error();
  } catch {
    p(`metadata.annotations.${ANN}/composite-members`, `The annotation ${ANN}/composite-members is Burnrate's own (a JSON list of {service, slo} or null per objective, written by its export); it is not valid here`);
    refs = [];
  }
  const maxDelay = durationMinutes(ann[`${ANN}/max-delay`] ?? DEFAULT_COMPOSITE_MAX_DELAY);
  if (maxDelay === null || maxDelay > 1440) p(`metadata.annotations.${ANN}/max-delay`, "Give the composite's delay bound as a duration of at most a day, e.g. 10m");
  const whenDelayed = (ann[`${ANN}/when-delayed`] ?? "ignore") as WhenDelayedDef;
  if (!WHEN_DELAYED.includes(whenDelayed)) p(`metadata.annotations.${ANN}/when-delayed`, `Give what a late member counts as: one of ${WHEN_DELAYED.join(", ")}`);
  const members: CompositeMemberDef[] = [];
  const docs: SloDoc[] = [];
  const targets: string[] = [];
  slo.spec.objectives.forEach((o, i) => {
    const of = `spec.objectives[${i}]`;
    const weight = o.compositeWeight ?? 1;
    const target = objectiveTargetOf(o);
    if (target !== null) targets.push(target);
    const ref = refs[i] as { service?: unknown; slo?: unknown } | null | undefined;
    if (ref && typeof ref.service === "string" && typeof ref.slo === "string") return void members.push({ service: ref.service, slo: ref.slo, weight });
    if (!o.indicator && !o.indicatorRef) return p(`${of}.indicatorRef`, "Give each objective of a composite SLO its own indicator or indicatorRef (and a compositeWeight, default 1)");
    const slug = `${slo.metadata.name}-${slugify(o.name || o.displayName || String(i + 1))}`.slice(0, 48).replace(/-+$/, "");
    members.push({ service: slo.spec.service, slo: slug, weight });
    memberDocs.set(docName("SLO", slug), { document: where, objective: i });
    docs.push({
      file: d.file,
      kind: "SLO",
      doc: {
        alpha: false,
        metadata: { name: slug, displayName: o.displayName || slug, labels: {}, annotations: {} },
        spec: { ...slo.spec, description: "", indicator: o.indicator ?? null, indicatorRef: o.indicatorRef ?? null, objectives: [{ ...o, name: "", composite: false, indicator: null, indicatorRef: null, compositeWeight: null }], alertPolicies: [] },
      },
    });
  });
  const strictest = targets.reduce<string | null>((a, t) => (a === null || Number(t) > Number(a) ? t : a), null);
  const objective = ann[`${ANN}/composite-objective`] ?? strictest;
  if (objective === null || !(Number(objective) > 0 && Number(objective) < 1)) p(`metadata.annotations.${ANN}/composite-objective`, "Give the composite's own target, e.g. 0.995 (or give the objectives targets)");
  else out.push({ doc: d, members, objective, maxDelayMinutes: maxDelay ?? 10, whenDelayed });
  return docs;
}

/** What the composite import reads from fromOpenSlo's state (a context, so the loop lives here). */
export type CompositeImportContext = {
  serviceOf: (slug: string) => ServiceDef;
  sloSlugs: Map<string, string>;
  origins: OpenSloResult["origins"];
  problem: (file: string, document: string, field: string, message: string) => void;
  alertingOf: (slo: OsSlo, file: string, where: string, window: SloWindow | null) => AlertingDef;
};

/** Each composite read by expandComposite becomes a composite SLI and its SLO, after its members. */
export function addComposites(composites: readonly CompositeRead[], { serviceOf, sloSlugs, origins, problem, alertingOf }: CompositeImportContext): void {
  for (const c of composites) {
    const slo = c.doc.doc;
    const where = docName("SLO", slo.metadata.name);
    const p = (field: string, message: string) => problem(c.doc.file, where, field, message);
    const win = windowOf(slo.spec.timeWindow[0]!, "spec.timeWindow[0]");
    if ("message" in win) {
      p(win.field, win.message);
      continue;
    }
    if (slo.spec.budgetingMethod !== "Occurrences") {
      p("spec.budgetingMethod", "A composite SLO is judged by its members' events: use budgetingMethod Occurrences (members with time slices are read as their own SLOs)");
      continue;
    }
    const svc = serviceOf(slo.spec.service);
    const key = `${slo.spec.service}/${slo.metadata.name}`;
    if (sloSlugs.has(key)) {
      p("metadata.name", `Another SLO of service "${slo.spec.service}" (${sloSlugs.get(key)}) is also named "${slo.metadata.name}"; SLO names must be unique per service`);
      continue;
    }
    sloSlugs.set(key, where);
    let sliSlug = slo.metadata.name;
    for (let n = 2; svc.slis.some((x) => x.slug === sliSlug); n++) sliSlug = `${slo.metadata.name}-${n}`;
    const name = slo.metadata.displayName || slo.metadata.name;
    svc.slis.push({
      slug: sliSlug,
      name,
      description: "",
      labels: {},
      kind: "request_ratio",
      latencyThresholdMs: null,
      sliceMinutes: null,
      sliceTarget: null,
      sliceMethod: "count_good",
      source: { kind: "composite", members: c.members, maxDelayMinutes: c.maxDelayMinutes, whenDelayed: c.whenDelayed },
    });
    svc.slos.push({
      slug: slo.metadata.name,
      name,
      description: slo.spec.description,
      labels: labelsOf(slo.metadata.labels),
      sli: sliSlug,
      objective: c.objective,
      window: win.window,
      calendarStart: win.calendarStart,
      minEvents: Number(slo.metadata.annotations[`${ANN}/min-events`] ?? 0) || 0,
      alerting: alertingOf(slo, c.doc.file, where, win.window),
    });
    origins.slos.set(key, { file: c.doc.file, document: where, fields: { slug: "metadata.name", name: "metadata.displayName", objective: `metadata.annotations.${ANN}/composite-objective`, window: "spec.timeWindow[0]" } });
  }
}

/** A composite's member documents are the composite's objectives in the file: say so in problems. */
export function relabelMemberProblems(problems: DefinitionProblem[], memberDocs: ReadonlyMap<string, { document: string; objective: number }>): void {
  for (const x of problems) {
    const m = memberDocs.get(x.document);
    if (!m) continue;
    x.document = m.document;
    x.field = x.field.replace(/^spec\.indicator/, `spec.objectives[${m.objective}].indicator`).replace(/^spec\.objectives\[0\]/, `spec.objectives[${m.objective}]`);
  }
}

/** A service's composite SLIs by slug, and the member SLOs the composites own (written inside them, not on their own). */
export function compositesOfService(s: ServiceDef, sloOf: (service: string, slug: string) => SloDef | null) {
  const compositeOf = new Map(s.slis.flatMap((x) => (x.source.kind === "composite" ? [[x.slug, x.source] as const] : [])));
  const owned = new Set(
    s.slos.flatMap((o) => {
      const c = compositeOf.get(o.sli);
      return c ? c.members.filter((m) => m.service === s.slug && m.slo.startsWith(`${o.slug}-`) && sloOf(s.slug, m.slo)).map((m) => m.slo) : [];
    }),
  );
  return { compositeOf, owned };
}

/**
 * A composite SLO as OpenSLO v1 writes one: an objective per member with its own indicatorRef,
 * target and compositeWeight. A member the composite owns is named by its suffix (the import makes
 * "<composite>-<name>" again); another SLO of the team is named in the composite-members annotation.
 */
export function compositeDoc(service: string, slo: SloDef, c: Extract<SliSourceDef, { kind: "composite" }>, owned: ReadonlySet<string>, sloOf: (service: string, slug: string) => SloDef | null): Doc {
  const refs = c.members.map((m) => (m.service === service && owned.has(m.slo) ? null : { service: m.service, slo: m.slo }));
  const objectives = c.members.map((m) => {
    const member = sloOf(m.service, m.slo);
    const own = m.service === service && owned.has(m.slo);
    return {
      name: own ? m.slo.slice(slo.slug.length + 1) : `${m.service}-${m.slo}`,
      displayName: member?.name ?? m.slo,
      ...(member ? { target: Number(member.objective), indicatorRef: `${m.service}-${member.sli}` } : {}),
      compositeWeight: m.weight,
    };
  });
  const annotations: Record<string, string> = {
    [`${ANN}/composite-objective`]: slo.objective,
    [`${ANN}/max-delay`]: `${c.maxDelayMinutes}m`,
    [`${ANN}/when-delayed`]: c.whenDelayed,
    ...(refs.some((r) => r !== null) ? { [`${ANN}/composite-members`]: JSON.stringify(refs) } : {}),
    ...(slo.minEvents ? { [`${ANN}/min-events`]: String(slo.minEvents) } : {}),
    ...alertExtrasAnnotation(slo.alerting),
    ...alertTuningAnnotation(slo.alerting),
  };
  return {
    apiVersion: "openslo/v1",
    kind: "SLO",
    metadata: metadataOf(slo.slug, slo.name, slo.labels, annotations),
    spec: { description: slo.description, service, timeWindow: [windowDoc(slo.window, slo.calendarStart)], budgetingMethod: "Occurrences", objectives, ...alertPoliciesOf(slo, slo.window) },
  };
}
