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

/**
 * Why each row of the workbook's table is what it is, one line each, shown beside the defaults
 * (docs/domain.md "Multiwindow, multi-burn-rate alerts"; docs/alerting.md).
 */
export const alertRuleReasons: readonly string[] = [
  "2 % of the budget gone in an hour: a fast burn, worth waking someone",
  "5 % gone in 6 hours: a steady burn that will not stop on its own",
  "10 % gone in a day: look at it in working hours",
  "10 % gone in 3 days: a slow leak the faster rows never see",
];

/** Why the short window is long / 12 (docs/domain.md): it lets the alert reset soon after the burn stops. */
export const shortWindowReason = "long / 12: the alert resets soon after the burn stops";

/** Burn-rate factor of a rule for a compliance period of `periodMinutes` (one division, so 14.4 is exactly 14.4). */
export function alertFactor(rule: AlertRule, periodMinutes: number): number {
  return (rule.budgetPercent * periodMinutes) / (100 * rule.longMinutes);
}

/**
 * One SLO's changes to one row of the table (`slos.alerting.rules[i]` overrides row i; absent
 * fields keep the workbook's value). Windows are named lookbacks, the only windows Burnrate
 * counts every minute (`lookbacks` above: 5m, 30m, 1h, 2h, 6h, 1d, 3d), so the evaluator, the
 * SLO page and the Prometheus rules can all read them. Give a factor or a budget share, not both.
 */
export type AlertRuleOverride = { enabled?: boolean; long?: Lookback; short?: Lookback; factor?: number; budgetPercent?: number };

/** A row of the table as it applies to one SLO: the defaults plus its overrides, for its compliance period. */
export type EffectiveAlertRule = AlertRule & {
  /** The row of the table (0-3) this is. */
  tier: number;
  /** The row is on (a row turned off never fires). */
  enabled: boolean;
  /** The row is on and its severity notifies (slos.alerting.page / .ticket): what the backtest replays. */
  notifies: boolean;
  factor: number;
  /** The workbook's row for this period, shown beside the effective values. */
  workbook: AlertRule & { factor: number };
};

/** The workbook's short window for a long one: long / 12 (docs/domain.md "Multiwindow, multi-burn-rate alerts"). */
export const defaultShortMinutes = (longMinutes: number) => longMinutes / 12;

const countedMinutes = new Set<number>(Object.values(lookbacks));
const lookbackOf = (minutes: number) => (Object.entries(lookbacks) as [Lookback, number][]).find(([, m]) => m === minutes)?.[0] ?? null;

export type AlertRuleProblem = { field: string; message: string };

/**
 * What is wrong with a set of overrides, each naming its field (`rules[1].short`). Factor and
 * budget share must be above 0 (a factor of 0 fires on any error); the short window must be
 * shorter than the long one (else it cannot make the alert reset sooner); both must be counted
 * lookbacks, and long / 12 must be one when the short window is not given.
 */
export function alertRuleProblems(overrides: readonly AlertRuleOverride[]): AlertRuleProblem[] {
  const problems: AlertRuleProblem[] = [];
  const counted = Object.keys(lookbacks).join(", ");
  if (overrides.length > alertRules.length) problems.push({ field: "rules", message: `the table has ${alertRules.length} rows; ${overrides.length} were given` });
  overrides.slice(0, alertRules.length).forEach((o, i) => {
    const f = (k: string) => `rules[${i}].${k}`;
    if (o.factor !== undefined && o.budgetPercent !== undefined) problems.push({ field: f("factor"), message: "give a factor or a budget percent, not both" });
    if (o.factor !== undefined && !(o.factor > 0 && Number.isFinite(o.factor))) problems.push({ field: f("factor"), message: "must be a number above 0" });
    if (o.budgetPercent !== undefined && !(o.budgetPercent > 0 && o.budgetPercent <= 100)) problems.push({ field: f("budgetPercent"), message: "must be above 0 and at most 100" });
    for (const k of ["long", "short"] as const) if (o[k] !== undefined && !(o[k] in lookbacks)) problems.push({ field: f(k), message: `must be one of the windows Burnrate counts: ${counted}` });
    const long = lookbacks[o.long ?? lookbackOf(alertRules[i]!.longMinutes)!];
    if (long === undefined) return;
    if (o.short === undefined) {
      if (o.long !== undefined && !countedMinutes.has(defaultShortMinutes(long))) {
        problems.push({ field: f("short"), message: `${formatWindow(long)} / 12 = ${formatWindow(defaultShortMinutes(long))} is not a window Burnrate counts; set the short window to one of ${counted} below ${o.long}` });
      }
    } else if (o.short in lookbacks && lookbacks[o.short] >= long) problems.push({ field: f("short"), message: `must be shorter than the long window (${formatWindow(long)})` });
  });
  return problems;
}

const formatWindow = (m: number) => (m % 1440 === 0 ? `${m / 1440} d` : m % 60 === 0 ? `${m / 60} h` : `${Math.round(m * 10) / 10} min`);

/**
 * The rules an SLO alerts by: the workbook's table with the SLO's overrides on top, for its
 * compliance period. Computed here only (docs/architecture.md rule 1): the evaluator, the SLO
 * status, the burn-rate chart, the Prometheus rules and the backtest all read this.
 * A changed long window keeps the row's budget share (the Workbook sizes each row by the share
 * spent when it fires) unless a factor is given; then the share is the one that factor implies,
 * factor x long / P (the inverse of alertFactor). The short window defaults to long / 12.
 * Call it with overrides that passed alertRuleProblems.
 */
export function effectiveAlertRules(
  settings: { rules?: readonly AlertRuleOverride[]; page?: { enabled: boolean }; ticket?: { enabled: boolean } },
  periodMinutes: number,
): EffectiveAlertRule[] {
  return alertRules.map((d, tier) => {
    const o = settings.rules?.[tier] ?? {};
    const longMinutes = o.long !== undefined ? lookbacks[o.long] : d.longMinutes;
    const shortMinutes = o.short !== undefined ? lookbacks[o.short] : o.long !== undefined ? defaultShortMinutes(longMinutes) : d.shortMinutes;
    const budgetPercent = o.factor !== undefined ? (o.factor * 100 * longMinutes) / periodMinutes : (o.budgetPercent ?? d.budgetPercent);
    const rule: AlertRule = { severity: d.severity, longMinutes, shortMinutes, budgetPercent };
    const factor = o.factor ?? alertFactor(rule, periodMinutes);
    const enabled = o.enabled ?? true;
    const severityOn = settings[d.severity]?.enabled ?? true;
    return { ...rule, tier, enabled, notifies: enabled && severityOn, factor, workbook: { ...d, factor: alertFactor(d, periodMinutes) } };
  });
}

export type AlertState = "page" | "ticket" | "ok" | "no_data";

export type RuleEvaluation = EffectiveAlertRule & {
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
 * Evaluates every rule: a rule fires only when it is on, BOTH its long and short windows burn
 * faster than its factor and both windows hold at least `minEvents` events (a guard against
 * paging on a handful of requests). The state is the most severe firing rule; "no_data" when the
 * longest window has no events at all.
 * `countsFor(minutes)` returns the good/total counts of the lookback of that many minutes.
 * `rules`: the SLO's effective rules (effectiveAlertRules); the workbook's table by default.
 */
export function evaluateAlerts(
  o: Objective,
  periodMinutes: number,
  countsFor: (minutes: number) => Counts,
  minEvents = 0,
  rules: readonly EffectiveAlertRule[] = effectiveAlertRules({}, periodMinutes),
): AlertEvaluation {
  const evaluated = rules.map((rule): RuleEvaluation => {
    const { factor } = rule;
    const long = countsFor(rule.longMinutes);
    const short = countsFor(rule.shortMinutes);
    const longBurnRate = burnRate(o, long);
    const shortBurnRate = burnRate(o, short);
    const longAbove = longBurnRate !== null && longBurnRate > factor;
    const shortAbove = shortBurnRate !== null && shortBurnRate > factor;
    const burning = rule.enabled && longAbove && shortAbove;
    const enoughTraffic = long.total >= minEvents && short.total >= minEvents;
    return { ...rule, longBurnRate, shortBurnRate, longAbove, shortAbove, firing: burning && enoughTraffic, lowTraffic: burning && !enoughTraffic };
  });
  const longest = Math.max(...Object.values(lookbacks));
  const state: AlertState = evaluated.some((r) => r.firing && r.severity === "page")
    ? "page"
    : evaluated.some((r) => r.firing && r.severity === "ticket")
      ? "ticket"
      : countsFor(longest).total === 0
        ? "no_data"
        : "ok";
  return { state, rules: evaluated };
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
