// Everything Burnrate says about one SLO at one instant, computed once, here (docs/architecture.md rule 1):
// the API and every page format these numbers and never recompute them.
import { allowedBadEvents, budgetMinutes, computeRemainingBudget, type Objective, type RemainingBudget } from "./budget";
import { burnRate, evaluateAlerts, lookbacks, timeToExhaustionMinutes, type AlertEvaluation, type Counts, type EffectiveAlertRule, type Lookback } from "./burn-rate";
import type { Freshness } from "./freshness";
import { assessIntegrity, INTEGRITY_OK, type Integrity, type IntegrityFacts } from "./sli-integrity";
import { tierOf, type Tier, type TierThresholds } from "./tier";
import type { WindowSpan } from "./window";

export type SloStatusInput = {
  objective: Objective;
  window: WindowSpan;
  /** Good and valid events (or slices) over the window so far, exclusions left out. */
  windowCounts: Counts;
  /** The same over each lookback ending at the instant evaluated. */
  lookbackCounts: Record<Lookback, Counts>;
  /** Alert guard: fewer events than this in a lookback window does not fire. */
  minEvents: number;
  /** The SLO's alert rules (effectiveAlertRules); the workbook's table when not given. */
  rules?: readonly EffectiveAlertRule[];
  /** Whether the data is current (freshness.ts); "no data" when not known. */
  freshness?: Freshness;
  /** The tier thresholds of the service's policy (default: docs/domain.md's 50 % and 10 %). */
  thresholds?: TierThresholds;
  /** What sli-integrity.ts checks; without them nothing is known to be wrong ("ok"). */
  integrity?: IntegrityFacts;
};

export type SloStatus = {
  at: Date;
  windowStart: Date;
  windowEnd: Date;
  good: number;
  total: number;
  /** good / total over the window; null with no data. */
  sli: number | null;
  budget: RemainingBudget;
  /** Bad events so far and bad events the window allows. */
  badEvents: number;
  allowedBadEvents: number;
  /** The budget as time, (1 - objective) x period, and the share of it spent. */
  budgetMinutes: number;
  spentMinutes: number | null;
  /** budgetMinutes - spentMinutes: negative once overspent; null with no data. */
  leftMinutes: number | null;
  burnRates: Record<Lookback | "window", number | null>;
  alerts: AlertEvaluation;
  /** At the 1 h burn rate; null when nothing burns or there is no data. */
  timeToExhaustionMinutes: number | null;
  /**
   * How far ahead exhaustion matters: until a calendar window resets, or a rolling window's
   * length (its oldest events drop out first). A later exhaustion is "not this window".
   */
  exhaustionHorizonMinutes: number;
  tier: Tier;
  freshness: Freshness;
  /** Whether the data can be trusted (sli-integrity.ts): "uncertain" with the reasons when not. */
  integrity: Integrity;
  /**
   * Why this SLO could not be evaluated (its stored data or definition is broken), or null.
   * A failed SLO reads as "no data" everywhere and names its error; no other SLO is affected.
   */
  error: string | null;
};

/** The lookback whose burn rate counts as "current" for time to exhaustion: long enough not to flap on one bad minute. */
export const CURRENT_BURN_LOOKBACK: Lookback = "1h";

export function computeSloStatus(input: SloStatusInput): SloStatus {
  const { objective, window, windowCounts, lookbackCounts } = input;
  const budget = computeRemainingBudget(objective, windowCounts.good, windowCounts.total);
  const bad = windowCounts.total - windowCounts.good;
  const budgetMins = budgetMinutes(objective, window.periodMinutes);
  const burnRates = {
    window: burnRate(objective, windowCounts),
    ...(Object.fromEntries(Object.entries(lookbackCounts).map(([k, c]) => [k, burnRate(objective, c)])) as Record<Lookback, number | null>),
  };
  const byMinutes = new Map<number, Counts>(Object.entries(lookbacks).map(([k, m]) => [m, lookbackCounts[k as Lookback]]));
  const alerts = evaluateAlerts(objective, window.periodMinutes, (m) => byMinutes.get(m) ?? { good: 0, total: 0 }, input.minEvents, input.rules);
  return {
    at: window.end,
    windowStart: window.start,
    windowEnd: window.periodEnd,
    good: windowCounts.good,
    total: windowCounts.total,
    sli: budget.state === "ok" ? budget.sli : null,
    budget,
    badEvents: bad,
    allowedBadEvents: allowedBadEvents(objective, windowCounts.total),
    budgetMinutes: budgetMins,
    spentMinutes: budget.state === "ok" ? (1 - budget.remaining) * budgetMins : null,
    leftMinutes: budget.state === "ok" ? budget.remaining * budgetMins : null,
    burnRates,
    alerts,
    timeToExhaustionMinutes: timeToExhaustionMinutes(budget, window.periodMinutes, burnRates[CURRENT_BURN_LOOKBACK]),
    exhaustionHorizonMinutes: window.periodEnd.getTime() > window.end.getTime() ? (window.periodEnd.getTime() - window.end.getTime()) / 60_000 : window.periodMinutes,
    tier: tierOf(budget, input.thresholds),
    freshness: input.freshness ?? { state: "no_data", lastDataAt: null, reason: null },
    integrity: input.integrity ? assessIntegrity(input.integrity, window, window.end) : INTEGRITY_OK,
    error: null,
  };
}

/**
 * The status of an SLO that could not be evaluated: no numbers, no alert, and the reason. Without
 * a window (its definition is what broke) it spans the instant alone.
 */
export function failedSloStatus(at: Date, error: string, freshness?: Freshness, window?: WindowSpan): SloStatus {
  const none = Object.fromEntries(Object.keys(lookbacks).map((k) => [k, null])) as Record<Lookback, null>;
  return {
    at,
    windowStart: window?.start ?? at,
    windowEnd: window?.periodEnd ?? at,
    good: 0,
    total: 0,
    sli: null,
    budget: { state: "no_data" },
    badEvents: 0,
    allowedBadEvents: 0,
    budgetMinutes: 0,
    spentMinutes: null,
    leftMinutes: null,
    burnRates: { window: null, ...none },
    alerts: { state: "no_data", rules: [] },
    timeToExhaustionMinutes: null,
    exhaustionHorizonMinutes: 0,
    tier: "no_data",
    freshness: freshness ?? { state: "no_data", lastDataAt: null, reason: null },
    // No numbers to doubt: the error says what is wrong.
    integrity: INTEGRITY_OK,
    error,
  };
}
