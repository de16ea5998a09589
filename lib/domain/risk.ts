// Which SLO needs attention first: the overview's default order and its alert badge. Computed
// here once (docs/architecture.md rule 1) so every page sorts and labels the same way.
import type { RemainingBudget } from "./budget";
import type { AlertState } from "./burn-rate";
import type { Freshness } from "./freshness";

/**
 * What the alert column shows, most urgent first: a firing page or ticket; with no alert
 * firing, a budget already spent, or one that runs out inside its window at the current rate
 * (burning); data that stopped arriving; then ok and no data.
 */
export const alertBadges = ["page", "ticket", "exhausted", "burning", "stale", "ok", "no_data"] as const;
export type AlertBadge = (typeof alertBadges)[number];

/** The parts of an SLO's status that decide its badge and rank. */
export type StatusFacts = {
  alerts: { state: AlertState };
  freshness: Pick<Freshness, "state">;
  budget: RemainingBudget;
  timeToExhaustionMinutes: number | null;
  /** How far ahead exhaustion matters (slo-status.ts): past it, "not this window". */
  exhaustionHorizonMinutes: number;
};

const exhausted = (s: StatusFacts) => s.budget.state === "ok" && s.budget.remaining <= 0;
/** The budget runs out before the window lets it recover, at the current (1 h) burn rate. */
export const isBurning = (s: StatusFacts) =>
  s.budget.state === "ok" && s.budget.remaining > 0 && s.timeToExhaustionMinutes !== null && s.timeToExhaustionMinutes < s.exhaustionHorizonMinutes;

/**
 * A firing alert is always shown (it is what on-call was told); without one, a spent or burning
 * budget, which the alert rules may not have caught yet (6x for three hours fires no rule of a
 * 30-day window); both over stale data (they come from the last data there is); stale data over
 * "ok" and "no data", which it may be hiding.
 */
export function alertBadgeOf(s: StatusFacts): AlertBadge {
  if (s.alerts.state === "page" || s.alerts.state === "ticket") return s.alerts.state;
  if (exhausted(s)) return "exhausted";
  if (isBurning(s)) return "burning";
  if (s.freshness.state === "stale") return "stale";
  return s.alerts.state;
}

/** Where a badge ranks: tickets, spent and burning budgets share a level, ordered inside it by what happens next. */
const level: Record<AlertBadge, number> = { page: 0, ticket: 1, exhausted: 1, burning: 1, stale: 2, ok: 3, no_data: 4 };

/**
 * Most at risk first, by what happens next: firing pages; then firing tickets and budgets spent
 * or running out inside the window, soonest exhaustion first (spent is now; a ticket whose
 * budget lasts the window, as a 7-day SLO's 0.23x ticket may, comes after every burning one);
 * then stale data, ok, no data. Ties: least budget left (no data last), then soonest exhaustion.
 */
export function compareByRisk(a: StatusFacts, b: StatusFacts): number {
  const ba = alertBadgeOf(a);
  const bb = alertBadgeOf(b);
  const byLevel = level[ba] - level[bb];
  if (byLevel !== 0) return byLevel;
  const tte = (s: StatusFacts) => (exhausted(s) ? 0 : isBurning(s) ? s.timeToExhaustionMinutes! : Infinity);
  if (level[ba] === 1) {
    const t = tte(a) - tte(b);
    if (t !== 0 && !Number.isNaN(t)) return t;
  }
  const remaining = (s: StatusFacts) => (s.budget.state === "ok" ? s.budget.remaining : Infinity);
  const r = remaining(a) - remaining(b);
  if (r !== 0 && !Number.isNaN(r)) return r;
  const soonest = (s: StatusFacts) => s.timeToExhaustionMinutes ?? Infinity;
  const t = soonest(a) - soonest(b);
  return Number.isNaN(t) ? 0 : t;
}
