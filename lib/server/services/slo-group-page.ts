// The group page (docs/grouped-slos.md): the group and its live members with status, computed for
// the members only. A service may hold 500 members of one group beside other SLOs; the page must
// not pay for the rest. The numbers come from the same status functions as the overview
// (slo-status.ts -> lib/domain, docs/architecture.md rule 1) and the row shape from overview-row.ts.
import { compareByRisk } from "../../domain/risk";
import type { GroupDetail } from "../../schemas/slo-groups";
import type { OverviewRow } from "../../schemas/views";
import { prisma } from "../db/client";
import { clockNow } from "../clock";
import type { Actor } from "./actor";
import { requireTeamRead } from "./access";
import { findService } from "./catalog";
import { overviewRowOf } from "./overview-row";
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
  const named = { slug: detail.slug, name: detail.name, key: detail.labelKey };
  const rows = slos.map((o, i) =>
    overviewRowOf({ slo: o, team: access, service: svc, group: { ...named, value: o.groupValue ?? "" }, ...computed[i]!, firingSince: since.get(o.id) ?? null }),
  );
  return {
    at: at.toISOString(),
    team: { slug: access.slug, name: access.name, role: access.role },
    service: { slug: svc.slug, name: svc.name, archivedAt: svc.archivedAt?.toISOString() ?? null },
    group: detail,
    rows: rows.sort((a, b) => compareByRisk(a.status, b.status)),
  };
}
