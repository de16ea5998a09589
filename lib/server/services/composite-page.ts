// What a composite SLO's page shows beside its own status: its members with their current status.
import type { Actor } from "./actor";
import { getComposite } from "./composites";
import { prisma } from "../db/client";
import { getSloStatus } from "./slo-status";

export async function compositeMembersOf(actor: Actor, team: string, service: string, slo: string, at: Date) {
  const view = await getComposite(actor, team, service, slo, at);
  // A member whose status cannot be read shows "—"; the composite's page still renders.
  const statuses = await Promise.all(
    view.members.map((m) =>
      getSloStatus(actor, team, m.service, m.slo, at).then(
        (d) => ({ remaining: d.status.budget.state === "ok" ? d.status.budget.remaining : null, alertState: d.status.alerts.state }),
        () => null,
      ),
    ),
  );
  // Suggestions for the edit form's member rows: the live SLOs of the composite's service (read access is checked above).
  const suggestions = await prisma().slo.findMany({
    where: { archivedAt: null, slug: { not: slo }, service: { slug: service, archivedAt: null, team: { slug: team } } },
    select: { slug: true, name: true },
    orderBy: { slug: "asc" },
  });
  return { view, statuses, suggestions: suggestions.map((s) => ({ service, slug: s.slug, name: s.name })) };
}
