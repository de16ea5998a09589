// An SLO's alert history, as the evaluator recorded it: when the current alert began and the
// periods it fired, for "firing since 14:05 (2 h 10 min)" and the charts' shading. Computed
// here once (docs/architecture.md rule 1) so the SLO page, the overview and the API agree.
import type { AlertState } from "./burn-rate";

export type AlertChange = { from: AlertState; to: AlertState; at: Date };
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
  const newestFirst = [...changes].sort((a, b) => b.at.getTime() - a.at.getTime());
  for (const c of newestFirst) if (firing(c.to) && !firing(c.from)) return c.at;
  return fallback;
}

/** The periods the alert fired, oldest first, each at its most severe level; the last is open (`end` null) when still firing. */
export function firingPeriods(changes: readonly AlertChange[]): FiringPeriod[] {
  const periods: FiringPeriod[] = [];
  for (const c of [...changes].sort((a, b) => a.at.getTime() - b.at.getTime())) {
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
