// SLO status at an instant: gathers counts with SQL (sli-data.ts) and hands them to
// lib/domain/slo-status.ts, which computes every number. An SLO's charts over a range: slo-series.ts.
import { parseObjective } from "../../domain/budget";
import { effectiveAlertRules, lookbacks, type AlertState, type Counts, type Lookback } from "../../domain/burn-rate";
import { burnRateStates, firingPeriods, firingSince, type AlertChange } from "../../domain/alert-history";
import { budgetSpentByInterval, burndown, type Bucket } from "../../domain/burndown";
import { computeSloStatus, failedSloStatus, type SloStatus } from "../../domain/slo-status";
import { MAX_EVENTS_PER_MINUTE } from "../../domain/budget";
import { logger } from "../logger";
import type { SloAlertChangeView, SloDetail, SloStatusView } from "../../schemas/views";
import { countTimeSlices } from "../../domain/time-slice";
import { complianceWindow, MINUTE_MS } from "../../domain/window";
import { mapLimit } from "../concurrency";
import { db, prisma } from "../db/client";
import { effectivePoliciesOf, gateSloOf, standingsOf, type Standing } from "./gate-context";
import { AppError, isDatabaseDiskFull, isDatabaseUnavailable } from "../errors";
import { freshnessOf } from "../../domain/freshness";
import { bucketSeries, countManyWindowsAndLookbacks, countRange, lastBucketsBefore, minuteBuckets } from "../sli-data";
import type { Actor } from "./actor";
import { readServiceSlo, sliView, sloDefinitionOf, sloView, type SloStatusRow } from "./catalog";
import { windowOf } from "./stored-values";
import type { SloDefinition } from "../../domain/slo-definition";
import { clockNow } from "../clock";
import { integrityFactsOf } from "./sli-integrity";

type SloWithSli = SloStatusRow;

/** Time-slice SLOs need their minutes whole; a few at a time keeps PostgreSQL busy. */
const TIME_SLICE_CONCURRENCY = 4;

/**
 * The status of each SLO at `at`, in input order (dashboards, /metrics, team status, alerts).
 * Counts of every request-based SLO come from one statement, freshness from another.
 */
export async function statusesOf(slos: readonly SloWithSli[], at: Date): Promise<SloStatus[]> {
  return (await statusesWithDaysOf(slos, at, { days: false })).map((x) => x.status);
}

/** A status, with the remaining budget at the end of each UTC day of its window (sparklines). */
export type StatusWithDays = { status: SloStatus; remainingByDay: (number | null)[] };

/**
 * Statuses with their remaining budget at the end of each UTC day of the window, for
 * sparklines (empty for time-slice SLOs, whose slices do not add up by day; and when not `days`). Each row becomes a
 * definition first (sloDefinitionOf): one whose definition or data is broken is shown with its
 * error, and every other SLO is still evaluated.
 */
export async function statusesWithDaysOf(rows: readonly SloWithSli[], at: Date, { days = true } = {}): Promise<StatusWithDays[]> {
  const defs = rows.map((row) => settleNow(() => sloDefinitionOf(row)));
  const ok = defs.flatMap((d, i) => (d.ok ? [{ i, def: d.value, window: complianceWindow(d.value.window, at) }] : []));
  const ratio = ok.filter((x) => x.def.sli.timeSlice === null);
  const slices = ok.filter((x) => x.def.sli.timeSlice !== null);
  const [ratioCounts, sliceCounts, lastData, policyOf, integrity] = await Promise.all([
    isolatedBatch(ratio.map((x) => ({ id: x.def.sli.id, serviceId: x.def.serviceId, windowStart: x.window.start })), (xs) => countManyWindowsAndLookbacks(xs, at, { days })),
    mapLimit(slices, TIME_SLICE_CONCURRENCY, (x) => settle(() => timeSliceCounts(x.def, x.window.start, at))),
    lastBucketsBefore(rows.map((s) => s.sliId), at),
    effectivePoliciesOf(rows.map((s) => s.serviceId)),
    isolatedBatch(ok.map((x) => ({ sliId: rows[x.i]!.sliId, windowStart: x.window.start, sli: rows[x.i]!.sli })), (xs) => integrityFactsOf(xs, at)),
  ]);
  const integrityOf = new Map(ok.map((x, k) => [x.i, integrity[k]!]));
  const counts = new Map<number, Settled<{ window: Counts; lookbacks: Record<Lookback, Counts>; daily?: Bucket[] }>>([
    ...ratio.map((x, k) => [x.i, ratioCounts[k]!] as const),
    ...slices.map((x, k) => [x.i, sliceCounts[k]!] as const),
  ]);
  const windows = new Map(ok.map((x) => [x.i, x.window]));
  return rows.map((row, i) => {
    const d = defs[i]!;
    const freshness = freshnessOf(
      { source: row.sli.source, lastDataAt: lastData.get(row.sliId) ?? null, syncedUntil: row.sli.syncedUntil, lastSyncError: row.sli.lastSyncError },
      at,
    );
    if (!d.ok) return { status: failedSloStatus(at, `its definition cannot be read (${(d.error as Error).message})`, freshness), remainingByDay: [] };
    const def = d.value;
    const window = windows.get(i)!;
    // Contained failures: an SLO whose data breaks is shown with its error; every other SLO is still evaluated.
    const c = counts.get(i)!;
    try {
      if (!c.ok) throw c.error;
      const facts = integrityOf.get(i)!;
      if (!facts.ok) throw facts.error;
      const status = computeSloStatus({
        objective: def.objective,
        window,
        windowCounts: c.value.window,
        lookbackCounts: c.value.lookbacks,
        minEvents: def.minEvents,
        rules: effectiveAlertRules(def.alerting, window.periodMinutes),
        freshness,
        thresholds: policyOf(def.serviceId).policy.thresholds,
        integrity: facts.value,
      });
      const remainingByDay = c.value.daily ? burndown(def.objective, window.start, window.periodMinutes, c.value.daily, 1440).map((p) => p.remaining) : [];
      return { status, remainingByDay };
    } catch (e) {
      // The database being away is everyone's problem: a 503 to retry, not one SLO's error.
      if (isDatabaseUnavailable(e) || isDatabaseDiskFull(e)) throw e;
      logger().error({ err: e, slo: def.id }, "SLO could not be evaluated");
      return { status: failedSloStatus(at, evaluationError(e), freshness, window), remainingByDay: [] };
    }
  });
}

const settleNow = <T>(f: () => T): Settled<T> => {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
};

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = async <T>(f: () => Promise<T>): Promise<Settled<T>> => f().then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

/** One statement for all; if it fails, one each, so only the SLOs that break it fail. */
async function isolatedBatch<T, R>(items: readonly T[], run: (xs: readonly T[]) => Promise<R[]>): Promise<Settled<R>[]> {
  const all = await settle(() => run(items));
  if (all.ok) return all.value.map((value) => ({ ok: true, value }));
  if (items.length <= 1 || isDatabaseUnavailable(all.error)) return items.map(() => all);
  return mapLimit(items, TIME_SLICE_CONCURRENCY, async (x) => {
    const one = await settle(() => run([x]));
    return one.ok ? { ok: true, value: one.value[0]! } : one;
  });
}

/** What a team sees of a failed evaluation: the reason, never a stack or SQL. */
function evaluationError(e: unknown): string {
  if (e instanceof RangeError) return `its stored event counts cannot be summed exactly (${e.message}); re-send the affected minutes with counts of at most ${MAX_EVENTS_PER_MINUTE.toLocaleString("en-US")}`;
  return "its data could not be read; the error is in the server's log";
}

/**
 * Each service's standing at `at` (lib/domain/policy.ts serviceStanding): its SLOs' statuses,
 * computed here unless the caller already has them (in `services.flatMap(s => s.slos)` order).
 */
export async function serviceStandingsOf(services: readonly { id: string; slos: readonly SloWithSli[] }[], at: Date, statuses?: readonly SloStatus[]): Promise<Map<string, Standing>> {
  const all = statuses ?? (await statusesOf(services.flatMap((s) => s.slos), at));
  let k = 0;
  return standingsOf(services.map((s) => ({ id: s.id, slos: s.slos.map((o) => gateSloOf(o, all[k++]!)) })), at);
}

export async function statusOf(slo: SloWithSli, at: Date): Promise<SloStatus> {
  return (await statusesOf([slo], at))[0]!;
}

/** Good and valid slices over the window and each lookback, from the SLI's minutes. */
async function timeSliceCounts(def: SloDefinition, windowStart: Date, at: Date): Promise<{ window: Counts; lookbacks: Record<Lookback, Counts> }> {
  const longest = Math.max(...Object.values(lookbacks));
  const from = new Date(Math.min(windowStart.getTime(), at.getTime() - longest * MINUTE_MS));
  const buckets = await minuteBuckets({ id: def.sli.id, serviceId: def.serviceId }, from, at);
  const { minutes, target } = def.sli.timeSlice!;
  const count = (since: number) => countTimeSlices(buckets.filter((b) => b.start.getTime() >= since), minutes, target);
  return {
    window: count(windowStart.getTime()),
    lookbacks: Object.fromEntries(Object.entries(lookbacks).map(([k, m]) => [k, count(at.getTime() - m * MINUTE_MS)])) as Record<Lookback, Counts>,
  };
}

export function serializeStatus(s: SloStatus): SloStatusView {
  return {
    ...s,
    at: s.at.toISOString(),
    windowStart: s.windowStart.toISOString(),
    windowEnd: s.windowEnd.toISOString(),
  };
}

/** serializeStatus undone (a stored snapshot read back): the one place its instants become dates again. */
export function statusFromView(v: SloStatusView): SloStatus {
  return { ...v, at: new Date(v.at), windowStart: new Date(v.windowStart), windowEnd: new Date(v.windowEnd) };
}

/** One SLO: its definition, status at `at` (default now) and its burndown series. */
export async function getSloStatus(actor: Actor, team: string, service: string, slo: string, at = clockNow()): Promise<SloDetail> {
  const { access, svc, row } = await readServiceSlo(actor, team, service, slo);
  // The status, the burndown's series and the alert history are read at once (one round trip's
  // wait, not four): the series is read for the definition as it parses, and dropped (its error
  // too) when the status has an error, as if it had not been read.
  const parsed = settleNow(() => sloDefinitionOf(row));
  const w0 = parsed.ok ? complianceWindow(parsed.value.window, at) : null;
  // Hourly points up to ~5 weeks, daily beyond: a few hundred points whatever the window.
  const step = w0 && w0.periodMinutes <= 35 * 1440 ? 60 : 1440;
  const [status, series, stored, changes] = await Promise.all([
    statusOf(row, at),
    settle(() => (w0 && parsed.ok && parsed.value.sli.timeSlice === null ? bucketSeries({ id: row.sliId, serviceId: row.serviceId }, w0.start, at, step) : Promise.resolve([]))),
    // findFirst, not findUnique: Prisma batches findUnique calls for a later tick, and in the
    // trace of one SLO's call this read started a millisecond after the other three.
    prisma().sloAlertState.findFirst({ where: { sloId: row.id } }),
    prisma().sloAlertChange.findMany({ where: { sloId: row.id }, orderBy: { at: "desc" }, take: ALERT_HISTORY_LIMIT }),
  ]);
  // An SLO whose definition cannot be read shows its error, with no burndown to draw.
  const def = status.error || !parsed.ok ? null : parsed.value;
  const window = def ? w0 : null;
  if (def && !series.ok) throw series.error;
  const points = window && series.ok ? burndown(def!.objective, window.start, window.periodMinutes, series.value, step) : [];
  const facts = changes.map(alertChangeOf);
  const since = firingSince(facts, status.alerts.state, stored && stored.state === status.alerts.state ? stored.changedAt : null);
  return {
    team: { slug: access.slug, name: access.name, role: access.role },
    service: { slug: svc.slug, name: svc.name },
    slo: sloView(row),
    sli: sliView(row.sli),
    status: serializeStatus(status),
    burndown: points.map((p) => ({ at: p.at.toISOString(), remaining: p.remaining, ideal: p.ideal })),
    alert: {
      firingSince: since?.toISOString() ?? null,
      history: changes.map((c) => ({ ...alertChangeOf(c), at: c.at.toISOString(), burnRates: c.burnRates as SloAlertChangeView["burnRates"], remaining: c.remaining })),
      periods: firingPeriods(facts).map((p) => ({ start: p.start.toISOString(), end: p.end?.toISOString() ?? null, severity: p.severity })),
    },
  };
}

/**
 * Since when each SLO's alert fires (alert-history.ts `firingSince`), for many SLOs in one query:
 * the last 20 changes of each firing one (a run with more changes than that falls back to the
 * stored state's time). Quiet SLOs are not looked up.
 */
export async function firingSinceOf(slos: readonly { id: string; state: AlertState }[]): Promise<Map<string, Date | null>> {
  const firing = slos.filter((s) => s.state === "page" || s.state === "ticket");
  const out = new Map<string, Date | null>(slos.map((s) => [s.id, null]));
  if (firing.length === 0) return out;
  const ids = firing.map((s) => s.id);
  const [{ rows }, stored] = await Promise.all([
    db().pool.query<{ slo_id: string; from_state: string; to_state: string; at: Date }>(
      `SELECT c.slo_id, c.from_state, c.to_state, c.at FROM unnest($1::uuid[]) AS s(id)
       CROSS JOIN LATERAL (SELECT slo_id, from_state, to_state, at FROM slo_alert_changes WHERE slo_id = s.id AND to_state = ANY($2::text[]) AND from_state = ANY($2::text[]) ORDER BY at DESC LIMIT 20) c`,
      [ids, burnRateStates],
    ),
    prisma().sloAlertState.findMany({ where: { sloId: { in: ids } } }),
  ]);
  for (const s of firing) {
    const own = rows.filter((r) => r.slo_id === s.id).map((r) => alertChangeOf({ fromState: r.from_state, toState: r.to_state, at: r.at }));
    const st = stored.find((x) => x.sloId === s.id);
    out.set(s.id, firingSince(own, s.state, st && st.state === s.state ? st.changedAt : null));
  }
  return out;
}

/** The most recent changes an SLO page lists (and shades); older ones stay stored until retention. */
const ALERT_HISTORY_LIMIT = 100;

/** A stored alert change as the domain reads it: the one mapping from rows. */
const alertChangeOf = (c: { fromState: string; toState: string; at: Date }): AlertChange => ({ from: c.fromState as AlertChange["from"], to: c.toState as AlertChange["to"], at: c.at });

/**
 * Budget an interval spent (an incident, a deploy): bad events in [from, to) over the allowed
 * bad events of the compliance window that contains the interval's end (docs/domain.md).
 */
export async function getBudgetSpent(actor: Actor, team: string, service: string, slo: string, from: Date, to: Date) {
  if (to <= from) throw new AppError("invalid", "to must be after from", { to: "must be after from" });
  return budgetSpentDuring((await readServiceSlo(actor, team, service, slo)).row, from, to);
}

/**
 * The share of an SLO's error budget an interval spent (docs/domain.md: bad events in it / allowed
 * bad events of the compliance window that contains it, here the window ending at `to`).
 */
export async function budgetSpentDuring(row: SloWithSli, from: Date, to: Date) {
  const sli = { id: row.sliId, serviceId: row.serviceId };
  const window = complianceWindow(windowOf(row), to);
  const [interval, whole] = await Promise.all([countRange(sli, from, to), countRange(sli, window.start, window.end)]);
  const objective = parseObjective(row.objective.toString());
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    windowStart: window.start.toISOString(),
    badEvents: interval.total - interval.good,
    totalEvents: interval.total,
    /** Fraction of the window's error budget; null when the window has no events. */
    budgetSpent: budgetSpentByInterval(objective, interval, whole),
  };
}
