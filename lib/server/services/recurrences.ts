// Recurrence (lib/domain/recurrence.ts, docs/incidents.md "Recurrence"): when an incident has
// burned an SLO by at least RECURRENCE_BUDGET_SHARE of its budget while an action item from an
// earlier incident on that SLO is still open, the two are linked (action_item_recurrences) and
// the incident's timeline says so. Checked whenever an incident's impact is recomputed (on every
// save, and each minute for recent incidents), so a burn that grows past the share is caught.
import { findRecurrences, RECURRENCE_BUDGET_SHARE, type OpenFollowUp } from "../../domain/recurrence";
import { formatPercent } from "../../domain/format";
import type { RecurrenceView } from "../../schemas/views";
import { prisma } from "../db/client";
import { clockNow } from "../clock";

type IncidentRef = { id: string; teamId: string; startedAt: Date };

/** Links the open follow-ups this incident recurs on; returns how many links are new. Idempotent across replicas. */
export async function linkRecurrences(incident: IncidentRef, impact: readonly { sloId: string; budgetSpent: number | null }[], now = clockNow()): Promise<number> {
  const burned = impact.filter((x) => x.budgetSpent !== null && x.budgetSpent >= RECURRENCE_BUDGET_SHARE).map((x) => x.sloId);
  if (burned.length === 0) return 0;
  // Team scoped by the incident's own team; items already linked to it are left out.
  const open = await prisma().$queryRaw<(OpenFollowUp & { title: string; priority: string; status: string; incidentTitle: string })[]>`
    SELECT a.id AS "itemId", a.title, a.priority, a.status, c.id AS "incidentId", c.title AS "incidentTitle", c.started_at AS "incidentStartedAt",
           array_agg(x.slo_id::text) AS "sloIds"
    FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id JOIN incidents c ON c.id = p.incident_id
    JOIN incident_slos x ON x.incident_id = c.id
    WHERE c.team_id = ${incident.teamId}::uuid AND a.team_id = ${incident.teamId}::uuid AND c.id <> ${incident.id}::uuid
      AND a.status IN ('open', 'in_progress') AND x.slo_id = ANY(${burned}::uuid[])
      AND NOT EXISTS (SELECT 1 FROM action_item_recurrences r WHERE r.action_item_id = a.id AND r.incident_id = ${incident.id}::uuid)
    GROUP BY a.id, c.id`;
  const found = findRecurrences({ incidentId: incident.id, startedAt: incident.startedAt, impact }, open);
  if (found.length === 0) return 0;
  const names = new Map((await prisma().slo.findMany({ where: { id: { in: found.map((f) => f.sloId) } }, select: { id: true, name: true } })).map((s) => [s.id, s.name]));
  let added = 0;
  for (const f of found) {
    const item = open.find((o) => o.itemId === f.itemId)!;
    await prisma().$transaction(async (tx) => {
      const made = await tx.$executeRaw`INSERT INTO action_item_recurrences (id, action_item_id, incident_id, slo_id, budget_spent, detected_at)
        VALUES (gen_random_uuid(), ${f.itemId}::uuid, ${incident.id}::uuid, ${f.sloId}::uuid, ${f.budgetSpent}, ${now}) ON CONFLICT (action_item_id, incident_id) DO NOTHING`;
      if (made !== 1) return; // another replica linked it first
      added++;
      const text = `Recurrence: action item "${item.title}" (${item.priority}, ${item.status.replace("_", " ")}) from the postmortem of "${item.incidentTitle}" is still open, and this incident has spent ${formatPercent(f.budgetSpent, 1)} of ${names.get(f.sloId) ?? "an SLO"}'s error budget`;
      await tx.timelineEntry.create({ data: { incidentId: incident.id, at: now, kind: "note", text } });
    });
  }
  return added;
}

const recurrenceInclude = {
  actionItem: { select: { id: true, title: true, priority: true, status: true, postmortem: { select: { id: true, incident: { select: { id: true, title: true } } } } } },
  incident: { select: { id: true, title: true, startedAt: true } },
  slo: { select: { slug: true, name: true, service: { select: { slug: true } } } },
} as const;

/** Both sides of each link: for an incident, the open items it recurred on; for an item, the incidents that recurred on it. */
export async function recurrencesOf(where: { incidentId: string } | { actionItemId: string }): Promise<RecurrenceView[]> {
  const rows = await prisma().actionItemRecurrence.findMany({ where, include: recurrenceInclude, orderBy: { detectedAt: "asc" } });
  return rows.map((r) => ({
    actionItem: { id: r.actionItem.id, title: r.actionItem.title, priority: r.actionItem.priority, status: r.actionItem.status, postmortemId: r.actionItem.postmortem.id },
    earlierIncident: r.actionItem.postmortem.incident ? { id: r.actionItem.postmortem.incident.id, title: r.actionItem.postmortem.incident.title } : null,
    incident: { id: r.incident.id, title: r.incident.title, startedAt: r.incident.startedAt.toISOString() },
    slo: { service: r.slo.service.slug, slug: r.slo.slug, name: r.slo.name },
    budgetSpent: r.budgetSpent,
    detectedAt: r.detectedAt.toISOString(),
  }));
}
