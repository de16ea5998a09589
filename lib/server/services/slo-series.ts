// An SLO's charts over a time range: SLI and events per step, the burn rate of each alert rule's
// long window over time with its threshold, and the bands to shade (exclusions, incidents, the
// periods the alert fired). Every number comes from lib/domain; this file reads and maps rows.
import { burnRateStates, firingPeriods, firingPeriodsWithin } from "../../domain/alert-history";
import type { AlertState } from "../../domain/burn-rate";
import { effectiveAlertRules } from "../../domain/burn-rate";
import { burnRateInstants, burnRateResolutionMinutes, burnRateSeries, burnRateWindows, sliceCountsByBucket } from "../../domain/burn-rate-series";
import { chartStepMinutes, sliSeries, type Bucket, type ObjectiveOverTime } from "../../domain/burndown";
import { objectiveRatio } from "../../domain/budget";
import { describeChanges, objectiveAt, type DefinitionKind, type Measure, type Version } from "../../domain/definition-history";
import { sliVersionsOf, sloVersionsOf } from "./definition-versions";
import { exclusionAppliesTo } from "../../domain/exclusion";
import type { SloDefinition } from "../../domain/slo-definition";
import { complianceWindow, MINUTE_MS } from "../../domain/window";
import type { SloSeries } from "../../schemas/views";
import { clockNow } from "../clock";
import { prisma } from "../db/client";
import { bucketSeries, minuteBuckets } from "../sli-data";
import type { Actor } from "./actor";
import { readServiceSlo, sloDefinitionOf } from "./catalog";

/** Time-slice SLIs are read per minute for their burn rates: up to this span (a month's chart and its 3-day lead). */
const MAX_SLICE_MINUTES_SPAN = 38 * 1440;

/**
 * The SLO's SLI, events and burn rates over [from, to) (default: its window so far), with the
 * exclusions, incidents and firing periods that overlap it. Steps come from chartStepMinutes.
 */
export async function getSloSeries(
  actor: Actor,
  team: string,
  service: string,
  slo: string,
  range: { from?: Date; to?: Date; definition?: SloSeries["definition"] },
  now = clockNow(),
): Promise<SloSeries> {
  const { row } = await readServiceSlo(actor, team, service, slo);
  const def = sloDefinitionOf(row);
  const window = complianceWindow(def.window, now);
  const from = range.from ?? window.start;
  const to = range.to ?? now;
  const step = chartStepMinutes(from, to);
  const sli = { id: row.sliId, serviceId: row.serviceId };
  // History is judged by the SLO version in force at the time unless the reader asks for the
  // current definition throughout (recomputed from the stored events: they do not change).
  const definition = range.definition ?? "as-it-was";
  const [sloVersions, sliVersions] = await Promise.all([sloVersionsOf(row.id), sliVersionsOf(row.sliId)]);
  const objective: ObjectiveOverTime = definition === "current" || sloVersions.length === 0 ? def.objective : (at) => objectiveAt(sloVersions, at, def.objective);
  const [buckets, burnRates, exclusions, incidents, firing] = await Promise.all([
    bucketSeries(sli, from, to, step),
    burnRatesOver(def, objective, window.periodMinutes, from, to, step),
    prisma().exclusion.findMany({
      where: { serviceId: row.serviceId, startsAt: { lt: to }, endsAt: { gt: from } },
      orderBy: { startsAt: "asc" },
    }),
    // Incidents that affected this SLO, as bands on its chart.
    prisma().incident.findMany({
      where: { slos: { some: { sloId: row.id } }, startedAt: { lt: to }, OR: [{ resolvedAt: null }, { resolvedAt: { gt: from } }] },
      select: { id: true, title: true, severity: true, startedAt: true, mitigatedAt: true, resolvedAt: true },
      orderBy: { startedAt: "asc" },
    }),
    firingWithin(row.id, from, to),
  ]);
  const points = sliSeries(objective, buckets);
  const changes = [
    ...definitionChanges("slo", row.slug, sloVersions, from, to),
    ...definitionChanges("sli", row.sli.slug, sliVersions, from, to),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    stepMinutes: step,
    points: points.map((p) => ({ at: p.at.toISOString(), good: p.good, bad: p.bad, total: p.total, sli: p.sli, burnRate: p.burnRate, objective: objectiveRatio(p.objective) })),
    definition,
    definitionChanges: changes,
    burnRates,
    firing: firing.map((f) => ({ start: f.start.toISOString(), end: f.end.toISOString(), severity: f.severity })),
    exclusions: exclusions.filter((e) => exclusionAppliesTo(e, sli)).map((e) => ({ id: e.id, kind: e.kind, reason: e.reason, startsAt: e.startsAt.toISOString(), endsAt: e.endsAt.toISOString() })),
    incidents: incidents.map((i) => ({ id: i.id, title: i.title, severity: i.severity, startsAt: i.startedAt.toISOString(), endsAt: (i.resolvedAt ?? i.mitigatedAt ?? to).toISOString() })),
  };
}

/**
 * The burn rate of each alert rule's long window at every step's end in (from, to], from the
 * minutes the evaluator reads (exclusions left out), with each rule's threshold for the SLO's
 * current compliance period. `unavailable` says why there is no series.
 */
async function burnRatesOver(def: SloDefinition, objective: ObjectiveOverTime, periodMinutes: number, from: Date, to: Date, step: number): Promise<SloSeries["burnRates"]> {
  const windows = burnRateWindows(periodMinutes, effectiveAlertRules(def.alerting, periodMinutes));
  const long = windows.map((w) => w.longMinutes);
  const slice = def.sli.timeSlice;
  const resolution = burnRateResolutionMinutes(step, long, slice?.minutes ?? null);
  const out = (points: SloSeries["burnRates"]["points"], unavailable: string | null) => ({ windows, points, unavailable });
  if (resolution === null) return out([], `${slice!.minutes}-minute time slices do not fit this range's ${step}-minute steps; pick a longer range`);
  const instants = burnRateInstants(from, to, step);
  if (instants.length === 0) return out([], null);
  const loadFrom = new Date(instants[0]!.getTime() - Math.max(...long) * MINUTE_MS);
  const loadTo = instants.at(-1)!;
  const sli = { id: def.sli.id, serviceId: def.serviceId };
  let buckets: Bucket[];
  if (slice) {
    if (loadTo.getTime() - loadFrom.getTime() > MAX_SLICE_MINUTES_SPAN * MINUTE_MS) return out([], "time-slice burn rates are drawn for ranges of up to 35 days");
    buckets = sliceCountsByBucket(await minuteBuckets(sli, loadFrom, loadTo), resolution, slice.minutes, slice.target, loadFrom, loadTo);
  } else {
    buckets = await bucketSeries(sli, loadFrom, loadTo, resolution);
  }
  const series = burnRateSeries(objective, buckets, resolution, long, instants);
  return out(
    series.map((p) => ({ at: p.at.toISOString(), rates: p.rates })),
    null,
  );
}

/** The changes (versions after the first) that start within [from, to), in words. */
function definitionChanges<M extends Measure>(kind: DefinitionKind, subject: string, versions: readonly Version<M>[], from: Date, to: Date): SloSeries["definitionChanges"] {
  return versions.flatMap((v, i) =>
    i > 0 && v.validFrom >= from && v.validFrom < to ? [{ kind, subject, version: v.version, at: v.validFrom.toISOString(), changes: describeChanges(kind, versions[i - 1]!.measure, v) }] : [],
  );
}

/** The periods the alert fired within [from, to]: the changes in range and the last one before it (the state at `from`). */
async function firingWithin(sloId: string, from: Date, to: Date) {
  const [before, inRange] = await Promise.all([
    // The state at `from` is the last burn-rate change before it (no-data and budget events are not states).
    prisma().sloAlertChange.findFirst({ where: { sloId, at: { lt: from }, fromState: { in: burnRateStates }, toState: { in: burnRateStates } }, orderBy: { at: "desc" } }),
    prisma().sloAlertChange.findMany({ where: { sloId, at: { gte: from, lt: to } }, orderBy: { at: "asc" } }),
  ]);
  const changes = [...(before ? [before] : []), ...inRange].map((c) => ({ from: c.fromState as AlertState, to: c.toState as AlertState, at: c.at }));
  return firingPeriodsWithin(firingPeriods(changes), from, to);
}
