// Which SLO needs attention first: the overview's default order and its alert badge. Computed
// here once (docs/architecture.md rule 1) so every page sorts and labels the same way.
import type { RemainingBudget } from "./budget";
import type { AlertState } from "./burn-rate";
import type { Freshness } from "./freshness";

/** What the alert column shows, most urgent first: a firing alert, then data that stopped arriving. */
export const alertBadges = ["page", "ticket", "stale", "ok", "no_data"] as const;
export type AlertBadge = (typeof alertBadges)[number];

/** The parts of an SLO's status that decide its badge and rank. */
export type StatusFacts = { alerts: { state: AlertState }; freshness: Pick<Freshness, "state">; budget: RemainingBudget; timeToExhaustionMinutes: number | null };

/**
 * A firing page or ticket wins over stale data (the alert fired on the last data there is);
 * stale data wins over "ok" and "no data", which it may be hiding.
 */
export function alertBadgeOf(s: Pick<StatusFacts, "alerts" | "freshness">): AlertBadge {
  if (s.alerts.state === "page" || s.alerts.state === "ticket") return s.alerts.state;
  if (s.freshness.state === "stale") return "stale";
  return s.alerts.state;
}

/**
 * Most at risk first: by alert badge (page, ticket, stale, ok, no data), then by remaining
 * budget (least first; no data last), then by time to exhaustion (soonest first; not burning last).
 */
export function compareByRisk(a: StatusFacts, b: StatusFacts): number {
  const badge = alertBadges.indexOf(alertBadgeOf(a)) - alertBadges.indexOf(alertBadgeOf(b));
  if (badge !== 0) return badge;
  const remaining = (s: StatusFacts) => (s.budget.state === "ok" ? s.budget.remaining : Infinity);
  const r = remaining(a) - remaining(b);
  if (r !== 0 && !Number.isNaN(r)) return r;
  const tte = (s: StatusFacts) => s.timeToExhaustionMinutes ?? Infinity;
  const t = tte(a) - tte(b);
  return Number.isNaN(t) ? 0 : t;
}
