// Every SLO of a team with its status, in one call (GET /api/v1/teams/{team}/status): at many
// SLOs the statuses come from the evaluator's snapshots where they may be served (status-snapshots.ts).
import { prisma } from "../db/client";
import { clockNow } from "../clock";
import type { Actor } from "./actor";
import { requireTeamRead } from "./access";
import { SLO_STATUS_SELECT, sloView } from "./catalog";
import { serializeStatus } from "./slo-status";
import { latestStatusesWithDaysOf } from "./status-snapshots";

/** Every SLO of a team with its status at about `at` (each status says the instant it is from). */
export async function listTeamStatus(actor: Actor, team: string, at = clockNow()) {
  const access = await requireTeamRead(actor, team);
  const slos = await prisma().slo.findMany({
    where: { service: { teamId: access.teamId }, archivedAt: null },
    select: { ...SLO_STATUS_SELECT, service: { select: { id: true, slug: true, name: true, dataGeneration: true } } },
    orderBy: [{ service: { name: "asc" } }, { name: "asc" }],
  });
  const statuses = await latestStatusesWithDaysOf(slos, at, { days: false });
  const out = slos.map((s, i) => ({
    service: { id: s.service.id, slug: s.service.slug, name: s.service.name },
    slo: sloView(s),
    status: serializeStatus(statuses[i]!.status),
  }));
  return { team: access.slug, at: at.toISOString(), slos: out };
}
