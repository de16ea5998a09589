// Definition history (docs/definition-history.md): what an SLI or an SLO measured, and since when.
// A change of a measured field starts a new version valid from the change; history before it was
// measured (SLI) or judged (SLO objective) under the older version and is read and shown as such.
// Names, descriptions, labels and alert settings are not measured fields: changing them starts no
// version (the audit log has them).
import { parseObjective, type Objective } from "./budget";
import { formatObjective, formatWindow } from "./format";
import type { SloWindow } from "./window";

/** What an SLI measures: where its events come from and what makes one good. */
export type SliMeasure = {
  kind: "request_ratio" | "latency" | "time_slice";
  source: "push" | "prometheus" | "composite";
  /** Prometheus sources: the team's data source by name, or the URL typed on the SLI. */
  dataSource: string | null;
  url: string | null;
  goodQuery: string | null;
  badQuery: string | null;
  totalQuery: string | null;
  thresholdQuery: string | null;
  thresholdOp: string | null;
  thresholdValue: number | null;
  latencyThresholdMs: number | null;
  sliceMinutes: number | null;
  /** Exact decimal text, e.g. "0.95". */
  sliceTarget: string | null;
  sliceMethod: string;
  /** Composite SLIs only (absent otherwise): members with weights and the late rule, as text (docs/composite-slos.md). */
  members?: string;
};

/** What an SLO judges: which SLI, against which objective (exact decimal text), over which window. */
export type SloMeasure = { sli: string; objective: string; window: SloWindow };

export type Measure = SliMeasure | SloMeasure;
export type DefinitionKind = "sli" | "slo";

/** A field's name as people read it, in the order fields are listed. */
export const SLI_FIELDS: Readonly<Record<keyof SliMeasure, string>> = {
  kind: "kind",
  source: "source",
  dataSource: "data source",
  url: "server URL",
  goodQuery: "good query",
  badQuery: "bad query",
  totalQuery: "total query",
  thresholdQuery: "threshold query",
  thresholdOp: "threshold comparison",
  thresholdValue: "threshold value",
  latencyThresholdMs: "latency threshold",
  sliceMinutes: "slice length",
  sliceTarget: "slice target",
  sliceMethod: "slice method",
  members: "members and weights",
};
export const SLO_FIELDS: Readonly<Record<keyof SloMeasure, string>> = { sli: "SLI", objective: "objective", window: "window" };

export type Version<M extends Measure = Measure> = {
  version: number;
  validFrom: Date;
  measure: M;
  /** Fields that differ from the previous version; empty for the first. */
  changed: string[];
};

/** Field by field, as stored (JSON): objects compare by their JSON text, which is stable for the measures built here. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The measured fields that differ between two measures of one kind, in listing order. */
export function changedFields<M extends Measure>(kind: DefinitionKind, before: M, after: M): string[] {
  const fields = Object.keys(kind === "sli" ? SLI_FIELDS : SLO_FIELDS) as (keyof M)[];
  return fields.filter((f) => !same(before[f], after[f])).map(String);
}

/**
 * The versions a change writes. `latest` is the newest stored version, if any; with none, the
 * definition as it was before the change becomes version 1, valid from the definition's creation,
 * so the history is complete from the first change on. An edit that changes no measured field
 * writes nothing. `at` must not precede the latest version's start (versions never overlap).
 */
export function versionsForChange<M extends Measure>(kind: DefinitionKind, latest: Version<M> | null, before: M, after: M, createdAt: Date, at: Date): Version<M>[] {
  const base = latest ?? { version: 1, validFrom: createdAt, measure: before, changed: [] };
  const changed = changedFields(kind, base.measure, after);
  if (changed.length === 0) return [];
  if (at.getTime() < base.validFrom.getTime()) throw new RangeError(`a change at ${at.toISOString()} precedes version ${base.version}, valid from ${base.validFrom.toISOString()}`);
  const next: Version<M> = { version: base.version + 1, validFrom: at, measure: after, changed };
  return latest ? [next] : [base, next];
}

/** The version in force at `at` (versions in any order), or null before the first. */
export function versionAt<M extends Measure>(versions: readonly Version<M>[], at: Date): Version<M> | null {
  let found: Version<M> | null = null;
  for (const v of versions) if (v.validFrom.getTime() <= at.getTime() && (!found || v.version > found.version)) found = v;
  return found;
}

/**
 * The objective to judge an instant by: the one of the SLO version in force then. Before the first
 * version (data older than the SLO, e.g. an SLI's earlier minutes) the first version's: the SLO
 * had that definition until its first change. With no versions (never changed), `current`.
 */
export function objectiveAt(versions: readonly Version<SloMeasure>[], at: Date, current: Objective): Objective {
  const v = versionAt(versions, at) ?? versions.reduce<Version<SloMeasure> | null>((first, x) => (!first || x.version < first.version ? x : first), null);
  return v ? parseObjective(v.measure.objective) : current;
}

/** A measured field's value as a sentence fragment. */
function show(kind: DefinitionKind, field: string, m: Measure): string {
  const value = (m as Record<string, unknown>)[field];
  if (value === null || value === undefined) return "none";
  if (kind === "slo" && field === "objective") return formatObjective(String(value));
  if (kind === "slo" && field === "window") return formatWindow(value as SloWindow);
  if (field === "latencyThresholdMs") return `${String(value)} ms`;
  if (field === "sliceMinutes") return `${String(value)} min`;
  if (field === "sliceTarget") return formatObjective(String(value));
  return String(value);
}

/** One line per changed field: "objective: 99.9% → 99.5%". Queries are long: they are named, not quoted. */
export function describeChanges(kind: DefinitionKind, before: Measure | null, after: Version): string[] {
  const labels: Record<string, string> = kind === "sli" ? SLI_FIELDS : SLO_FIELDS;
  if (!before) return [];
  return after.changed.map((f) => {
    const label = labels[f] ?? f;
    if (f.endsWith("Query")) return `${label} changed`;
    return `${label}: ${show(kind, f, before)} → ${show(kind, f, after.measure)}`;
  });
}
