// Burn rates and multiwindow, multi-burn-rate alerts (docs/domain.md "Multiwindow, multi-burn-rate
// alerts"; Google SRE Workbook, "Alerting on SLOs").
import { budgetUnits, OBJECTIVE_SCALE, type Objective, type RemainingBudget } from "./budget";

export type Counts = { good: number; total: number };

/** The lookback windows whose burn rates Burnrate reports, in minutes. */
export const lookbacks = { "5m": 5, "30m": 30, "1h": 60, "2h": 120, "6h": 360, "1d": 1440, "3d": 4320 } as const;
export type Lookback = keyof typeof lookbacks;

/**
 * Burn rate over a lookback = (bad / total) / (1 - objective). 1.0 spends the budget exactly by
 * the end of the compliance window; 14.4 spends 2 % of a 30-day budget in one hour.
 * No events: null ("no data"), never NaN.
 */
export function burnRate(o: Objective, c: Counts): number | null {
  if (c.total === 0) return null;
  return ((c.total - c.good) * OBJECTIVE_SCALE) / (c.total * budgetUnits(o));
}

// The alert table, as data. Each row: severity, long window, short window (= long / 12) and the
// share of the compliance window's budget spent by the time the alert fires. The factor for a
// compliance period P is budget% / 100 x P / long window, which gives the workbook's burn rates
// for 30 days (14.4, 6, 3, 1) and Sloth's for 28 days (13.44, 5.6, 2.8, 0.9333...).
export type AlertRule = { severity: "page" | "ticket"; longMinutes: number; shortMinutes: number; budgetPercent: number };

export const alertRules: readonly AlertRule[] = [
  //  severity   long        short      budget spent when it fires
  { severity: "page", longMinutes: 60, shortMinutes: 5, budgetPercent: 2 }, //   1 h  / 5 min  ->  2 %
  { severity: "page", longMinutes: 360, shortMinutes: 30, budgetPercent: 5 }, //  6 h  / 30 min ->  5 %
  { severity: "ticket", longMinutes: 1440, shortMinutes: 120, budgetPercent: 10 }, // 1 d / 2 h ->  10 %
  { severity: "ticket", longMinutes: 4320, shortMinutes: 360, budgetPercent: 10 }, // 3 d / 6 h -> 10 %
];

/** Burn-rate factor of a rule for a compliance period of `periodMinutes` (one division, so 14.4 is exactly 14.4). */
export function alertFactor(rule: AlertRule, periodMinutes: number): number {
  return (rule.budgetPercent * periodMinutes) / (100 * rule.longMinutes);
}

export type AlertState = "page" | "ticket" | "ok" | "no_data";

export type RuleEvaluation = AlertRule & {
  factor: number;
  longBurnRate: number | null;
  shortBurnRate: number | null;
  /** Each window's burn rate is above the factor (both: burning). */
  longAbove: boolean;
  shortAbove: boolean;
  firing: boolean;
  /** Why it is not firing although the rates are above the factor, if so. */
  lowTraffic: boolean;
};

export type AlertEvaluation = { state: AlertState; rules: RuleEvaluation[] };

/**
 * Evaluates every rule: a rule fires only when BOTH its long and short windows burn faster than
 * its factor and both windows hold at least `minEvents` events (a guard against paging on a
 * handful of requests). The state is the most severe firing rule; "no_data" when the longest
 * window has no events at all.
 * `countsFor(minutes)` returns the good/total counts of the lookback of that many minutes.
 */
export function evaluateAlerts(
  o: Objective,
  periodMinutes: number,
  countsFor: (minutes: number) => Counts,
  minEvents = 0,
): AlertEvaluation {
  const rules = alertRules.map((rule): RuleEvaluation => {
    const factor = alertFactor(rule, periodMinutes);
    const long = countsFor(rule.longMinutes);
    const short = countsFor(rule.shortMinutes);
    const longBurnRate = burnRate(o, long);
    const shortBurnRate = burnRate(o, short);
    const longAbove = longBurnRate !== null && longBurnRate > factor;
    const shortAbove = shortBurnRate !== null && shortBurnRate > factor;
    const burning = longAbove && shortAbove;
    const enoughTraffic = long.total >= minEvents && short.total >= minEvents;
    return { ...rule, factor, longBurnRate, shortBurnRate, longAbove, shortAbove, firing: burning && enoughTraffic, lowTraffic: burning && !enoughTraffic };
  });
  const longest = Math.max(...alertRules.map((r) => r.longMinutes));
  const state: AlertState = rules.some((r) => r.firing && r.severity === "page")
    ? "page"
    : rules.some((r) => r.firing && r.severity === "ticket")
      ? "ticket"
      : countsFor(longest).total === 0
        ? "no_data"
        : "ok";
  return { state, rules };
}

/**
 * Time to exhaustion at the current burn rate = remaining budget x window / burn rate, in
 * minutes. null when nothing is burning (burn rate 0 or no data); 0 once the budget is spent.
 */
export function timeToExhaustionMinutes(budget: RemainingBudget, periodMinutes: number, currentBurnRate: number | null): number | null {
  if (budget.state === "no_data" || currentBurnRate === null) return null;
  if (budget.remaining <= 0) return 0;
  if (currentBurnRate === 0) return null;
  return (budget.remaining * periodMinutes) / currentBurnRate;
}
