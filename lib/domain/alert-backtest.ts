// The alert backtest: replays an SLO's stored minutes against a set of alert rules, minute by
// minute, as the evaluator would have run them (docs/alerting.md "Backtest"), and says what those
// rules would have done: when each row fired, how soon after each incident's start, how much
// budget burned while nothing fired, and which firings matched no incident (noise).
// Every window sum comes from prefix sums (sum over [a, b) = P[b] - P[a]), so a replay costs
// O(minutes x rules) however long the windows are. The burn rate and the firing test are those of
// lib/domain/burn-rate.ts (burnRate, strictly above the factor, both windows, minEvents).
import { budgetSpentByInterval } from "./burndown";
import type { Bucket } from "./burndown";
import { burnRate, type EffectiveAlertRule } from "./burn-rate";
import type { Objective } from "./budget";

const MINUTE_MS = 60_000;

export type BacktestIncident = { id: string; title: string; startedAt: Date; resolvedAt: Date | null };

export type BacktestInput = {
  objective: Objective;
  /** The compliance period in minutes (the budget the shares are of). */
  periodMinutes: number;
  rules: readonly EffectiveAlertRule[];
  minEvents: number;
  /** The range replayed, whole minutes: the state is evaluated at every minute boundary in [from, to]. */
  from: Date;
  to: Date;
  /**
   * Minute buckets (exclusions already left out), any order, gaps are minutes without events.
   * They must reach back to `from` minus the longest window replayed; minutes before the data
   * start count as empty.
   */
  minutes: readonly Bucket[];
  incidents: readonly BacktestIncident[];
  /** A firing is noise when it overlaps no incident widened by this many minutes on each side. */
  noiseMarginMinutes: number;
};

export type BacktestFiring = {
  tier: number;
  severity: "page" | "ticket";
  longMinutes: number;
  shortMinutes: number;
  factor: number;
  start: Date;
  /** When it stopped; null when still firing at the end of the range. */
  end: Date | null;
  /** Overlaps no incident (widened by the margin). */
  noise: boolean;
};

export type IncidentDetection = {
  id: string;
  title: string;
  startedAt: Date;
  /** resolvedAt, or the end of the range for an incident still open. */
  endedAt: Date;
  /** Per row of the table (in tier order): minutes from the incident's start to that row's first firing during it, 0 if already firing; null: missed. */
  delays: { tier: number; severity: "page" | "ticket"; delayMinutes: number | null }[];
  /** The soonest of the rows that notify; null when none did. */
  firstAlertMinutes: number | null;
};

export type BacktestReport = {
  from: Date;
  to: Date;
  minutes: number;
  firings: BacktestFiring[];
  incidents: IncidentDetection[];
  /** Bad events in minutes when no notifying row was firing, and that as a share of the budget (fraction; null without events). */
  unalerted: { badEvents: number; budgetShare: number | null };
  /** All bad events in the range, for scale. */
  badEvents: number;
  noise: number;
};

/**
 * Replays the rules over [from, to]. The state at boundary t (the minutes before t, as the
 * evaluator counts them at t) holds during the minute [t, t + 1 min): a minute's bad events are
 * "alerted" when a notifying row was firing at its start. Only rows that notify (on, and their
 * severity on) are replayed; rows that are off have no firings.
 */
export function backtestAlerts(input: BacktestInput): BacktestReport {
  const { objective, rules, minEvents } = input;
  const from = floorMinute(input.from);
  const to = floorMinute(input.to);
  const n = Math.max(0, (to - from) / MINUTE_MS);
  const active = rules.filter((r) => r.notifies);
  const back = backtestMinutesBefore(rules, input.periodMinutes, n);
  const start = from - back * MINUTE_MS;
  const len = back + n;
  // Prefix sums: good[i], total[i] = sums of the first i minutes from `start`.
  const good = new Float64Array(len + 1);
  const total = new Float64Array(len + 1);
  const perGood = new Float64Array(len);
  const perTotal = new Float64Array(len);
  for (const b of input.minutes) {
    const i = (floorMinute(b.start) - start) / MINUTE_MS;
    if (i < 0 || i >= len) continue;
    perGood[i] = perGood[i]! + b.good;
    perTotal[i] = perTotal[i]! + b.total;
  }
  for (let i = 0; i < len; i++) {
    good[i + 1] = good[i]! + perGood[i]!;
    total[i + 1] = total[i]! + perTotal[i]!;
  }
  const sum = (endIdx: number, minutes: number) => {
    const a = Math.max(0, endIdx - minutes);
    return { good: good[endIdx]! - good[a]!, total: total[endIdx]! - total[a]! };
  };
  const fires = (r: EffectiveAlertRule, endIdx: number) => {
    const long = sum(endIdx, r.longMinutes);
    const short = sum(endIdx, r.shortMinutes);
    const lr = burnRate(objective, long);
    const sr = burnRate(objective, short);
    return lr !== null && sr !== null && lr > r.factor && sr > r.factor && long.total >= minEvents && short.total >= minEvents;
  };

  const firings: BacktestFiring[] = [];
  const open = new Map<number, BacktestFiring>();
  let unalertedBad = 0;
  let bad = 0;
  for (let k = 0; k <= n; k++) {
    const endIdx = back + k;
    const at = new Date(from + k * MINUTE_MS);
    let any = false;
    for (const r of active) {
      const on = fires(r, endIdx);
      const current = open.get(r.tier);
      if (on) {
        any = true;
        if (!current) {
          const f: BacktestFiring = { tier: r.tier, severity: r.severity, longMinutes: r.longMinutes, shortMinutes: r.shortMinutes, factor: r.factor, start: at, end: null, noise: false };
          firings.push(f);
          open.set(r.tier, f);
        }
      } else if (current) {
        current.end = at;
        open.delete(r.tier);
      }
    }
    if (k < n) {
      const minuteBad = perTotal[endIdx]! - perGood[endIdx]!;
      bad += minuteBad;
      if (!any) unalertedBad += minuteBad;
    }
  }

  const toDate = new Date(to);
  const margin = input.noiseMarginMinutes * MINUTE_MS;
  const incidents = input.incidents.filter((i) => i.startedAt.getTime() < to && (i.resolvedAt === null || i.resolvedAt.getTime() > from));
  const endOf = (f: BacktestFiring) => (f.end ?? toDate).getTime();
  for (const f of firings) {
    f.noise = !incidents.some((i) => f.start.getTime() < (i.resolvedAt ?? toDate).getTime() + margin && endOf(f) > i.startedAt.getTime() - margin);
  }
  const detections = incidents.map((i): IncidentDetection => {
    const s = i.startedAt.getTime();
    const e = (i.resolvedAt ?? toDate).getTime();
    const delays = rules.map((r) => {
      const first = firings.find((f) => f.tier === r.tier && f.start.getTime() < e && endOf(f) > s);
      return { tier: r.tier, severity: r.severity, delayMinutes: first ? Math.max(0, first.start.getTime() - s) / MINUTE_MS : null };
    });
    const found = delays.map((d) => d.delayMinutes).filter((d): d is number => d !== null);
    return { id: i.id, title: i.title, startedAt: i.startedAt, endedAt: new Date(e), delays, firstAlertMinutes: found.length ? Math.min(...found) : null };
  });
  const window = sum(len, input.periodMinutes);
  return {
    from: new Date(from),
    to: toDate,
    minutes: n,
    firings,
    incidents: detections,
    unalerted: { badEvents: unalertedBad, budgetShare: budgetSpentByInterval(objective, { good: 0, total: unalertedBad }, window) },
    badEvents: bad,
    noise: firings.filter((f) => f.noise).length,
  };
}

/**
 * How many minutes before the range a backtest reads: the longest window replayed, and enough
 * for the compliance window ending at the range's end, whose allowed bad events the budget shares
 * are of (docs/domain.md "Budget spent by an interval"). Minutes the store no longer has count as empty.
 */
export function backtestMinutesBefore(rules: readonly EffectiveAlertRule[], periodMinutes: number, rangeMinutes: number): number {
  const lookback = Math.max(0, ...rules.filter((r) => r.notifies).map((r) => Math.max(r.longMinutes, r.shortMinutes)));
  return Math.max(lookback, periodMinutes - rangeMinutes);
}

const floorMinute = (d: Date) => Math.floor(d.getTime() / MINUTE_MS) * MINUTE_MS;

export type BacktestComparison = {
  firings: { current: number; proposed: number };
  noise: { current: number; proposed: number };
  unalertedBudgetShare: { current: number | null; proposed: number | null };
  /** Per incident: the first alert's delay under each (null: missed) and proposed minus current (null when either missed). */
  incidents: { id: string; title: string; current: number | null; proposed: number | null; change: number | null }[];
};

/** Current against proposed, the figures the "Try alert settings" section shows side by side. */
export function compareBacktests(current: BacktestReport, proposed: BacktestReport): BacktestComparison {
  const byId = new Map(proposed.incidents.map((i) => [i.id, i]));
  return {
    firings: { current: current.firings.length, proposed: proposed.firings.length },
    noise: { current: current.noise, proposed: proposed.noise },
    unalertedBudgetShare: { current: current.unalerted.budgetShare, proposed: proposed.unalerted.budgetShare },
    incidents: current.incidents.map((i) => {
      const p = byId.get(i.id)?.firstAlertMinutes ?? null;
      const c = i.firstAlertMinutes;
      return { id: i.id, title: i.title, current: c, proposed: p, change: c !== null && p !== null ? p - c : null };
    }),
  };
}
