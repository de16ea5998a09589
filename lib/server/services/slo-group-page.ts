// The group page (docs/grouped-slos.md): the group and its live members with status, computed for
// the members only. A service may hold 500 members of one group beside other SLOs; the page must
// not pay for the rest. The numbers come from the same status functions as the overview
// (slo-status.ts -> lib/domain, docs/architecture.md rule 1); only the row shape is assembled here.
import { alertBadgeOf, compareByRisk } from "../../domain/risk";
import type { GroupDetail } from "../../schemas/slo-groups";
import type { OverviewRow } from "../../schemas/views";
import { prisma } from "../db/client";
import { clockNow } from "../clock";
import type { Actor } from "./actor";
import { requireTeamRead } from "./access";
import { findService, storedWindowOf, trimDecimal } from "./catalog";
import { getGroupFor } from "./slo-groups";
import { firingSinceOf, statusesWithDaysOf } from "./slo-status";

export type GroupPage = {
  at: string;
  team: { slug: string; name: string; role: string };
  service: { slug: string; name: string; archivedAt: string | null };
  group: GroupDetail;
  /** Live members, most at risk first (the service page's order). */
  rows: OverviewRow[];
};

export async function getGroupPage(actor: Actor, team: string, service: string, group: string, at = clockNow()): Promise<GroupPage> {
  const access = await requireTeamRead(actor, team);
  const svc = await findService(access, service);
  const detail = await getGroupFor(access, service, group);
  // Only this group's live members: the status engine never sees the service's other SLOs.
  const slos = await prisma().slo.findMany({ where: { serviceId: svc.id, groupId: detail.id, archivedAt: null }, include: { sli: true } });
  const computed = await statusesWithDaysOf(slos, at);
  const since = await firingSinceOf(slos.map((o, i) => ({ id: o.id, state: computed[i]!.status.alerts.state })));
  const rows: OverviewRow[] = slos.map((o, i) => {
    const { status, remainingByDay } = computed[i]!;
    return {
      team: { slug: access.slug, name: access.name },
      service: { slug: svc.slug, name: svc.name },
      slo: { id: o.id, slug: o.slug, name: o.name, objective: trimDecimal(o.objective.toString()), window: storedWindowOf(o) },
      group: { slug: detail.slug, name: detail.name, key: detail.labelKey, value: o.groupValue ?? "" },
      status: {
        sli: status.sli,
        budget: status.budget,
        tier: status.tier,
        total: status.total,
        timeToExhaustionMinutes: status.timeToExhaustionMinutes,
        exhaustionHorizonMinutes: status.exhaustionHorizonMinutes,
        alerts: { state: status.alerts.state },
        freshness: { state: status.freshness.state, lastDataAt: status.freshness.lastDataAt },
        burnRate1h: status.burnRates["1h"],
        integrity: status.integrity,
        error: status.error,
      },
      badge: alertBadgeOf(status),
      firingSince: since.get(o.id)?.toISOString() ?? null,
      // As the overview's sparkline: a tenth of a percent is finer than its pixels.
      sparkline: remainingByDay.map((r) => (r === null ? null : Math.round(r * 1000) / 1000)),
    };
  });
  return {
    at: at.toISOString(),
    team: { slug: access.slug, name: access.name, role: access.role },
    service: { slug: svc.slug, name: svc.name, archivedAt: svc.archivedAt?.toISOString() ?? null },
    group: detail,
    rows: rows.sort((a, b) => compareByRisk(a.status, b.status)),
  };
}
