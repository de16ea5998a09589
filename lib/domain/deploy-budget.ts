// What each deploy spent (docs/deploys.md, "What a deploy spent"): a deploy owns the time from
// its deployedAt to the next deploy of the same service and environment (or now), and every SLO
// of the service is charged the budget it lost in that period. The figures are the incident
// rule of docs/domain.md ("Budget spent by an interval"): bad events in the period over the
// allowed bad events of the compliance window that ends with the period. Pure: counts and the
// clock come in as arguments; the server reads them (lib/server/services/deploys.ts).
import { budgetMinutes, type Objective } from "./budget";
import { budgetSpentByInterval } from "./burndown";
import type { Counts } from "./burn-rate";
import type { SloWindow } from "./window";

/** A deploy as this module needs it; `environment` splits a service's deploys into independent lines. */
export type DeployMark = { id: string; environment: string; deployedAt: Date };

/** The period a deploy is charged with: [from, to). */
export type DeployPeriod = { id: string; from: Date; to: Date };

/**
 * Each deploy's period: from its deployedAt to the next deploy's deployedAt in the same
 * environment (production and staging deploys never cut each other's periods), or `now` for the
 * newest. Deploys at the same instant keep input order; the earlier of the two gets an empty
 * period. A deploy recorded in the future (within the accepted tolerance) gets an empty period.
 */
export function deployPeriods(deploys: readonly DeployMark[], now: Date): Map<string, DeployPeriod> {
  const byEnv = new Map<string, DeployMark[]>();
  for (const d of deploys) byEnv.set(d.environment, [...(byEnv.get(d.environment) ?? []), d]);
  const out = new Map<string, DeployPeriod>();
  for (const list of byEnv.values()) {
    const sorted = list.map((d, i) => ({ d, i })).sort((a, b) => a.d.deployedAt.getTime() - b.d.deployedAt.getTime() || a.i - b.i);
    sorted.forEach(({ d }, k) => {
      const next = sorted[k + 1]?.d.deployedAt ?? now;
      const to = new Date(Math.max(d.deployedAt.getTime(), next.getTime()));
      out.set(d.id, { id: d.id, from: d.deployedAt, to });
    });
  }
  return out;
}

/** One SLO's inputs for one deploy's period. */
export type SpendInput = {
  objective: Objective;
  /** The length of the compliance window ending with the period (a calendar month is its own length), in minutes. */
  windowMinutes: number;
  /** Time-slice SLIs: the slice length; counts are then slices (good slices, slices with data). */
  sliceMinutes: number | null;
  /** Good and total events (or slices) in the deploy's period. */
  period: Counts;
  /** Good and total events (or slices) in the compliance window ending at the period's end. */
  window: Counts;
};

export type DeploySpend = {
  /** Bad events (or bad slices) in the period. */
  badEvents: number;
  totalEvents: number;
  /** Share of the window's error budget, 0.19 for 19 %; null when the window has no events. */
  share: number | null;
  /** The same as budget time, in minutes; null when the window has no events. */
  minutes: number | null;
};

/**
 * The budget one deploy spent of one SLO (docs/domain.md, "Budget spent by an interval"):
 *   share   = bad in period / ((1 − objective) × valid events of the window)   (budgetSpentByInterval)
 *   minutes = share × (1 − objective) × window minutes                            (budgetMinutes)
 * For time-slice SLIs the budget is counted in slices, so the time is bad slices × slice length
 * (docs/domain.md, Budget figures: 1,008 slices of 1 minute = 16 h 48 min).
 */
export function deploySpend(input: SpendInput): DeploySpend {
  const badEvents = input.period.total - input.period.good;
  // The incident rule itself (one formula for "budget an interval spent"), not a copy of it.
  const share = budgetSpentByInterval(input.objective, input.period, input.window);
  if (share === null) return { badEvents, totalEvents: input.period.total, share: null, minutes: null };
  const minutes = input.sliceMinutes !== null ? badEvents * input.sliceMinutes : share * budgetMinutes(input.objective, input.windowMinutes);
  return { badEvents, totalEvents: input.period.total, share, minutes };
}

/**
 * A deploy's spend worth pointing at: 5 % of a window's budget. Below it every deploy would have
 * a "worst" SLO for a few seconds of budget, and the highlight would stop meaning anything.
 */
export const NOTABLE_SHARE = 0.05;

/** Index of the SLO with the largest share when it is at least NOTABLE_SHARE (the one a list highlights); else -1. */
export function worstSpend(spends: readonly Pick<DeploySpend, "share">[]): number {
  let worst = -1;
  spends.forEach((s, i) => {
    if (s.share !== null && s.share >= NOTABLE_SHARE && (worst < 0 || s.share > spends[worst]!.share!)) worst = i;
  });
  return worst;
}

/** Budget time in words, rounded down to whole units as "budget left" is elsewhere: "8 h 12 min", "45 min", "2 d 4 h", "30 s". */
export function formatBudgetTime(minutes: number): string {
  const seconds = Math.max(0, Math.floor(minutes * 60 + 1e-9));
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

/** A share of the budget: whole percents from 10 % up, one decimal below ("19%", "2.5%", "0.3%"). */
export function formatShare(share: number): string {
  const p = share * 100;
  const digits = Math.abs(p) >= 10 ? 0 : 1;
  const text = p.toFixed(digits).replace(/\.0$/, "");
  return `${text === "-0" ? "0" : text}%`;
}

/** "the 28-day window", "the month", "the week", "the quarter". */
export function windowName(w: SloWindow): string {
  return w.kind === "rolling" ? `the ${w.days}-day window` : `the ${w.unit}`;
}

/** The short form a list shows: "burned 8 h 12 min (19% of the window)", "burned no budget", "no data in the window". */
export function formatSpendShort(s: Pick<DeploySpend, "share" | "minutes" | "badEvents">): string {
  if (s.share === null || s.minutes === null) return "no data in the window";
  if (s.badEvents <= 0) return "burned no budget";
  return `burned ${formatBudgetTime(s.minutes)} (${formatShare(s.share)} of the window)`;
}

/** The sentence: "This deploy burned 8 h 12 min of budget (19% of the 28-day window)." */
export function formatDeploySpend(s: Pick<DeploySpend, "share" | "minutes" | "badEvents">, w: SloWindow): string {
  if (s.share === null || s.minutes === null) return `No figure for this deploy: ${windowName(w)} has no events yet.`;
  if (s.badEvents <= 0) return `This deploy burned no budget (0% of ${windowName(w)}).`;
  return `This deploy burned ${formatBudgetTime(s.minutes)} of budget (${formatShare(s.share)} of ${windowName(w)}).`;
}
