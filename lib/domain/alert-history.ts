// An SLO's alert history, as the evaluator recorded it: when the current alert began and the
// periods it fired, for "firing since 14:05 (2 h 10 min)" and the charts' shading. Computed
// here once (docs/architecture.md rule 1) so the SLO page, the overview and the API agree.
import type { AlertEventState } from "./alert-kinds";
import type { AlertState } from "./burn-rate";

/**
 * One stored change. The history also holds the no-data and budget-below alerts
 * (alert-kinds.ts: data_stopped, data_back, budget_below, budget_rearmed); the firing periods
 * and "firing since" are of the burn-rate state only, so those changes are left out of them.
 */
export type AlertChange = { from: AlertState | AlertEventState; to: AlertState | AlertEventState; at: Date };

const burnStates = new Set<string>(["page", "ticket", "ok", "no_data"]);
/** A change of the burn-rate alert state (not a no-data or budget-below event). */
export const isBurnRateChange = (c: AlertChange): c is AlertChange & { from: AlertState; to: AlertState } => burnStates.has(c.from) && burnStates.has(c.to);
/** The burn-rate states, for SQL that reads only those changes. */
export const burnRateStates = [...burnStates];
export type FiringPeriod = { start: Date; end: Date | null; severity: "page" | "ticket" };

const firing = (s: AlertState): s is "page" | "ticket" => s === "page" || s === "ticket";

/**
 * When the alert that fires now began: the latest change from a quiet state (ok, no data) into
 * page or ticket. A ticket that became a page has fired since the ticket began. Null when the
 * current state is quiet, or when the run began before the history kept (then `fallback`, the
 * stored state's own change time, is the best known).
 */
export function firingSince(changes: readonly AlertChange[], current: AlertState, fallback: Date | null = null): Date | null {
  if (!firing(current)) return null;
  const newestFirst = changes.filter(isBurnRateChange).sort((a, b) => b.at.getTime() - a.at.getTime());
  for (const c of newestFirst) if (firing(c.to) && !firing(c.from)) return c.at;
  return fallback;
}

/** The periods the alert fired, oldest first, each at its most severe level; the last is open (`end` null) when still firing. */
export function firingPeriods(changes: readonly AlertChange[]): FiringPeriod[] {
  const periods: FiringPeriod[] = [];
  for (const c of changes.filter(isBurnRateChange).sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const open = periods.at(-1);
    if (firing(c.to)) {
      if (open && open.end === null) {
        if (c.to === "page") open.severity = "page";
      } else periods.push({ start: c.at, end: null, severity: c.to });
    } else if (open && open.end === null) open.end = c.at;
  }
  return periods;
}

/**
 * The firing periods that overlap [from, to], cut to it, for shading a chart of that range: a
 * period still open ends at `to`. Oldest first.
 */
export function firingPeriodsWithin(periods: readonly FiringPeriod[], from: Date, to: Date): { start: Date; end: Date; severity: "page" | "ticket" }[] {
  return periods.flatMap((p) => {
    const end = p.end ?? to;
    if (p.start >= to || end <= from) return [];
    return [{ start: p.start < from ? from : p.start, end: end > to ? to : end, severity: p.severity }];
  });
}
