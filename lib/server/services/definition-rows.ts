// Rows and SLO-as-code definitions, both ways, in one place (docs/architecture.md rule 5): what
// the export writes, what a plan compares and what an apply stores all come through here, so a
// field that is imported is also exported and compared.
import type { Prisma } from "../../generated/prisma/client";
import { type DataSourceDef, type DefinitionSet, type Labels, type SliDef, type SloDef, type ThresholdOp } from "../../domain/definitions";
import { alertingOf, trimDecimal, windowOf } from "./stored-values";

type Db = Prisma.TransactionClient;

/** A stored definition with its row id and whether an apply created it (only those can be pruned). */
export type Stored<T> = { id: string; createdByApply: boolean; def: T };
export type StoredService = Stored<{ slug: string; name: string; description: string; labels: Labels }> & { slis: Stored<SliDef>[]; slos: Stored<SloDef>[] };
export type StoredDefinitions = { dataSources: Stored<DataSourceDef>[]; services: StoredService[] };

/** The team's live (not archived) definitions as stored. */
export async function loadDefinitions(db: Db, teamId: string): Promise<StoredDefinitions> {
  const [dataSources, services] = await Promise.all([
    db.dataSource.findMany({ where: { teamId }, orderBy: { name: "asc" } }),
    db.service.findMany({
      // Archived things are not part of the live catalogue (lib/domain/archive.ts).
      where: { teamId, archivedAt: null },
      include: {
        slis: { where: { archivedAt: null }, include: { dataSource: { select: { name: true } }, ...compositeMembersInclude }, orderBy: { slug: "asc" } },
        slos: { where: { archivedAt: null }, include: { sli: { select: { slug: true } } }, orderBy: { slug: "asc" } },
      },
      orderBy: { slug: "asc" },
    }),
  ]);
  return {
    dataSources: dataSources.map((d) => ({
      id: d.id,
      createdByApply: d.createdByApply,
      def: { name: d.name, displayName: d.displayName, description: d.description, type: d.type, url: d.url, labels: labelsOf(d.labels) },
    })),
    services: services.map((s) => ({
      id: s.id,
      createdByApply: s.createdByApply,
      def: { slug: s.slug, name: s.name, description: s.description, labels: labelsOf(s.labels) },
      slis: s.slis.map((x) => ({ id: x.id, createdByApply: x.createdByApply, def: sliDefOf(x) })),
      slos: s.slos.map((o) => ({ id: o.id, createdByApply: o.createdByApply, def: sloDefOf(o) })),
    })),
  };
}

/** The definitions alone, as a file would hold them (the export). */
export function definitionSetOf(stored: StoredDefinitions): DefinitionSet {
  return {
    dataSources: stored.dataSources.map((d) => d.def),
    services: stored.services.map((s) => ({ ...s.def, slis: s.slis.map((x) => x.def), slos: s.slos.map((o) => o.def) })),
  };
}

/** A composite SLI's members (on the SLO that uses it), in their order (docs/composite-slos.md). */
const compositeMembersInclude = {
  slos: { take: 1, orderBy: { createdAt: "asc" }, select: { members: { orderBy: { position: "asc" }, select: { weight: true, member: { select: { slug: true, service: { select: { slug: true } } } } } } } },
} as const;
type SliRow = Prisma.SliGetPayload<{ include: { dataSource: { select: { name: true } } } & typeof compositeMembersInclude }>;
type SloRow = Prisma.SloGetPayload<{ include: { sli: { select: { slug: true } } } }>;

function sliDefOf(x: SliRow): SliDef {
  return {
    slug: x.slug,
    name: x.name,
    description: x.description,
    labels: labelsOf(x.labels),
    kind: x.kind,
    latencyThresholdMs: x.latencyThresholdMs,
    sliceMinutes: x.sliceMinutes,
    sliceTarget: x.sliceTarget ? trimDecimal(x.sliceTarget.toString()) : null,
    sliceMethod: x.sliceMethod === "mean_ratio" ? "mean_ratio" : "count_good",
    source:
      x.source === "composite"
        ? {
            kind: "composite",
            members: (x.slos[0]?.members ?? []).map((m) => ({ service: m.member.service.slug, slo: m.member.slug, weight: Number(m.weight) })),
            maxDelayMinutes: x.maxDelayMinutes ?? 0,
            whenDelayed: x.whenDelayed === "count_as_good" || x.whenDelayed === "count_as_bad" ? x.whenDelayed : "ignore",
          }
        : x.source === "prometheus"
        ? {
            kind: "prometheus",
            dataSource: x.dataSource?.name ?? null,
            url: x.dataSource ? null : x.promUrl,
            goodQuery: x.promGoodQuery,
            badQuery: x.promBadQuery,
            totalQuery: x.promTotalQuery,
            threshold: x.promThresholdQuery && x.thresholdOp && x.thresholdValue !== null ? { query: x.promThresholdQuery, op: x.thresholdOp as ThresholdOp, value: x.thresholdValue } : null,
          }
        : { kind: "push" },
  };
}

function sloDefOf(o: SloRow): SloDef {
  return {
    slug: o.slug,
    name: o.name,
    description: o.description,
    labels: labelsOf(o.labels),
    sli: o.sli.slug,
    objective: trimDecimal(o.objective.toString()),
    window: windowOf(o),
    calendarStart: o.calendarStart,
    minEvents: o.minEvents,
    alerting: alertingOf(o),
  };
}


export function labelsOf(json: Prisma.JsonValue): Labels {
  if (!json || typeof json !== "object" || Array.isArray(json)) return {};
  return Object.fromEntries(Object.entries(json).filter((e): e is [string, string] => typeof e[1] === "string"));
}

// --- definitions into row data (create and update) ---------------------------------------------

export function dataSourceData(d: DataSourceDef) {
  return { name: d.name, displayName: d.displayName, description: d.description, type: d.type, url: d.url, labels: d.labels };
}

export function serviceData(s: { slug: string; name: string; description: string; labels: Labels }) {
  return { slug: s.slug, name: s.name, description: s.description, labels: s.labels };
}

/** `dataSourceId`: the id of the data source `x.source.dataSource` names (resolved by the caller). */
export function sliData(x: SliDef, dataSourceId: string | null) {
  const prom = x.source.kind === "prometheus" ? x.source : null;
  return {
    slug: x.slug,
    name: x.name,
    description: x.description,
    labels: x.labels,
    kind: x.kind,
    latencyThresholdMs: x.latencyThresholdMs,
    sliceMinutes: x.sliceMinutes,
    sliceTarget: x.sliceTarget,
    sliceMethod: x.sliceMethod,
    source: prom ? ("prometheus" as const) : x.source.kind === "composite" ? ("composite" as const) : ("push" as const),
    maxDelayMinutes: x.source.kind === "composite" ? x.source.maxDelayMinutes : null,
    whenDelayed: x.source.kind === "composite" ? x.source.whenDelayed : null,
    dataSourceId: prom ? dataSourceId : null,
    promUrl: prom && !dataSourceId ? prom.url : null,
    promGoodQuery: prom?.goodQuery ?? null,
    promBadQuery: prom?.badQuery ?? null,
    promTotalQuery: prom?.totalQuery ?? null,
    promThresholdQuery: prom?.threshold?.query ?? null,
    thresholdOp: prom?.threshold?.op ?? null,
    thresholdValue: prom?.threshold?.value ?? null,
  };
}

export function sloData(o: SloDef, sliId: string) {
  const w = o.window;
  return {
    slug: o.slug,
    sliId,
    name: o.name,
    description: o.description,
    labels: o.labels,
    objective: o.objective,
    minEvents: o.minEvents,
    windowKind: w.kind,
    windowDays: w.kind === "rolling" ? w.days : null,
    calendarUnit: w.kind === "calendar" ? w.unit : null,
    timeZone: w.kind === "calendar" ? w.timeZone : "UTC",
    calendarStart: o.calendarStart,
    alerting: o.alerting,
  };
}
