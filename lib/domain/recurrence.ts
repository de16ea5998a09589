// Recurrence (issue 18, "Closing the loop"): an SLO burns again while the follow-up of an earlier
// incident on it is still open. The new incident and the open action item then point at each
// other, and the error-budget review counts it: the lesson of the first incident was not in place
// in time. Pure: the caller gives the new incident's budget impact and the open items.

/**
 * The share of an SLO's error budget a new incident must spend on it to count as the SLO burning
 * "again": 5 %, a quarter of the 20 % that makes a postmortem required (POSTMORTEM_BUDGET_THRESHOLD,
 * docs/domain.md), so a repeat is caught well before it is as large as a postmortem-worthy one,
 * and a blip (a few minutes of errors) is not called a recurrence.
 */
export const RECURRENCE_BUDGET_SHARE = 0.05;

/** What the new incident spent of each SLO it names. */
export type IncidentBurn = { incidentId: string; startedAt: Date; impact: readonly { sloId: string; budgetSpent: number | null }[] };
/** An action item still open or in progress, from the postmortem of an incident that named these SLOs. */
export type OpenFollowUp = { itemId: string; incidentId: string; incidentStartedAt: Date; sloIds: readonly string[] };
export type Recurrence = { itemId: string; sloId: string; budgetSpent: number };

/**
 * The open follow-ups the new incident recurs on: from an incident that started earlier, on an SLO
 * that the new one burned by at least `share` of its budget. One per item (the SLO it spent most of).
 */
export function findRecurrences(incident: IncidentBurn, openItems: readonly OpenFollowUp[], share = RECURRENCE_BUDGET_SHARE): Recurrence[] {
  const burned = incident.impact.filter((x): x is { sloId: string; budgetSpent: number } => x.budgetSpent !== null && x.budgetSpent >= share);
  const out: Recurrence[] = [];
  for (const item of openItems) {
    if (item.incidentId === incident.incidentId || item.incidentStartedAt.getTime() >= incident.startedAt.getTime()) continue;
    const hit = burned.filter((b) => item.sloIds.includes(b.sloId)).sort((a, b) => b.budgetSpent - a.budgetSpent)[0];
    if (hit) out.push({ itemId: item.itemId, sloId: hit.sloId, budgetSpent: hit.budgetSpent });
  }
  return out;
}
