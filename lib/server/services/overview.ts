// The dashboard's overview: every SLO the caller can see, with its status and a sparkline of
// remaining budget. The numbers come from the same status engine as the API (slo-status.ts ->
// lib/domain), so they match everywhere; the server filters, sorts and pages with lib/domain/overview-filter.
import { compareByRisk } from "../../domain/risk";
import { filterOverview, pageOf, type OverviewFilters } from "../../domain/overview-filter";
import type { Overview, OverviewRow, ServicePage } from "../../schemas/views";
import type { Prisma } from "../../generated/prisma/client";
import { requireTeamRead } from "./access";
import { prisma } from "../db/client";
import type { Actor } from "./actor";
import { exclusionView, findService, serviceView, sliView, SLO_STATUS_SELECT } from "./catalog";
import { overviewRowOf } from "./overview-row";
import { firingSinceOf, serviceStandingsOf, statusesWithDaysOf } from "./slo-status";
import { latestStatusesWithDaysOf } from "./status-snapshots";
import { standingView, type Standing } from "./gate-context";
import { listTeams } from "./teams";
import { activeFreezes } from "./freezes";
import { activeOverrides } from "./overrides";
import { servicePolicyView } from "./policy";
import { clockNow } from "../clock";

type ServiceWithSlos = Prisma.ServiceGetPayload<{ include: { slos: { select: typeof SLO_STATUS_SELECT } } }>;

/**
 * Overview rows of the SLOs of these services, with status and sparkline at `at`. `pick` chooses
 * the rows wanted (the overview's filtered page) from all of them; alert history and service
 * standings are read for the picked rows' services only.
 */
async function overviewRows(
  services: readonly ServiceWithSlos[],
  teams: ReadonlyMap<string, { slug: string; name: string }>,
  at: Date,
  { pick, snapshots = false }: { pick?: (rows: OverviewRow[]) => OverviewRow[]; snapshots?: boolean } = {},
): Promise<{ rows: OverviewRow[]; standings: Map<string, Standing> }> {
  const slos = services.flatMap((s) => s.slos.map((o) => ({ ...o, service: s })));
  // The overview lists every SLO: the evaluator's snapshots where they may be served (status-snapshots.ts).
  const computed = await (snapshots ? latestStatusesWithDaysOf : statusesWithDaysOf)(slos, at);
  const statusOfSlo = new Map(slos.map((o, i) => [o.id, computed[i]!.status]));
  // Members of grouped SLOs name their group (docs/grouped-slos.md): one query for all of them.
  const groupIds = [...new Set(slos.flatMap((o) => (o.groupId ? [o.groupId] : [])))];
  const groups = new Map(groupIds.length ? (await prisma().sloGroup.findMany({ where: { id: { in: groupIds } }, select: { id: true, slug: true, name: true, labelKey: true } })).map((g) => [g.id, g]) : []);
  const all: OverviewRow[] = slos.map((o, i) => {
    const { status, remainingByDay } = computed[i]!;
    const team = teams.get(o.service.teamId)!;
    // firingSince is read below, for the picked rows only.
    return overviewRowOf({ slo: o, team, service: o.service, group: groupOf(groups.get(o.groupId ?? ""), o.groupValue), status, remainingByDay, firingSince: null });
  });
  const rows = pick ? pick(all) : all;
  const picked = new Set(rows.map((r) => r.slo.id));
  // Without `pick`, every service (one without SLOs too: a service page).
  const pickedServices = pick ? services.filter((s) => s.slos.some((o) => picked.has(o.id))) : services;
  // The standings from the same statuses: the rows and the services' verdicts cannot disagree.
  const [standings, since] = await Promise.all([
    serviceStandingsOf(pickedServices, at, pickedServices.flatMap((s) => s.slos.map((o) => statusOfSlo.get(o.id)!))),
    firingSinceOf(rows.map((r) => ({ id: r.slo.id, state: r.status.alerts.state }))),
  ]);
  for (const r of rows) r.firingSince = since.get(r.slo.id)?.toISOString() ?? null;
  return { rows, standings };
}

function groupOf(g: { slug: string; name: string; labelKey: string } | undefined, value: string | null) {
  return g && value !== null ? { slug: g.slug, name: g.name, key: g.labelKey, value } : null;
}

/** What the overview counts over the rows matching its filters. */
const summaryOf = (rows: readonly OverviewRow[]) => ({
  slos: rows.length,
  firing: rows.filter((r) => r.status.alerts.state === "page" || r.status.alerts.state === "ticket").length,
  burning: rows.filter((r) => r.badge === "exhausted" || r.badge === "burning").length,
});

/**
 * The overview: the SLOs of the caller's teams matching `filters` (lib/domain/overview-filter.ts,
 * the same predicate and order the page used to apply in the browser), one page of them, and the
 * summary over all that match. Services are listed with their standing for the page's rows.
 */
export async function getOverview(actor: Actor, at = clockNow(), filters: OverviewFilters = { sort: "risk" }): Promise<Overview> {
  const teams = await listTeams(actor);
  if (teams.length === 0) return { at: at.toISOString(), gate: { overrides: [], freezes: [] }, teams: [], slos: [], summary: { slos: 0, firing: 0, burning: 0 }, complete: true, page: { ...pageOf([]).page, all: 0 } };
  const teamIds = teams.map((t) => t.id);
  const [services, overrides, freezes] = await Promise.all([
    prisma().service.findMany({ where: { teamId: { in: teamIds }, archivedAt: null }, include: { slos: { where: { archivedAt: null }, select: SLO_STATUS_SELECT } }, orderBy: { name: "asc" } }),
    activeOverrides(teamIds, at),
    activeFreezes(teamIds, at),
  ]);
  let matching: OverviewRow[] = [];
  let count = 0;
  const pick = (all: OverviewRow[]) => {
    count = all.length;
    matching = filterOverview(all, filters);
    return pageOf(matching, filters.page).rows;
  };
  const { rows, standings } = await overviewRows(services, new Map(teams.map((t) => [t.id, t])), at, { pick, snapshots: true });
  return {
    at: at.toISOString(),
    gate: { overrides, freezes },
    teams: teams.map((t) => ({
      slug: t.slug,
      name: t.name,
      role: t.role,
      services: services.filter((s) => s.teamId === t.id && standings.has(s.id)).map((s) => ({ slug: s.slug, name: s.name, standing: standingView(standings.get(s.id)!) })),
    })),
    slos: rows,
    summary: summaryOf(matching),
    complete: true,
    page: { ...pageOf(matching, filters.page).page, all: count },
  };
}

/** GET a service: its definition and its standing (what the gate answers now for a feature deploy, and why). */
export async function getService(actor: Actor, team: string, service: string, at = clockNow()) {
  const svc = await findService(await requireTeamRead(actor, team), service);
  const slos = await prisma().slo.findMany({ where: { serviceId: svc.id, archivedAt: null }, include: { sli: true }, orderBy: { slug: "asc" } });
  const standing = (await serviceStandingsOf([{ id: svc.id, slos }], at)).get(svc.id)!;
  return { ...serviceView(svc), standing: standingView(standing) };
}

/** One service: its SLOs (most at risk first) with status, its SLIs and its exclusions. */
export async function getServicePage(actor: Actor, team: string, service: string, at = clockNow()): Promise<ServicePage> {
  const access = await requireTeamRead(actor, team);
  const found = await findService(access, service);
  const [svc, exclusions] = await Promise.all([
    prisma().service.findUniqueOrThrow({ where: { id: found.id }, include: { slos: { where: { archivedAt: null }, select: SLO_STATUS_SELECT }, slis: { where: { archivedAt: null }, orderBy: { name: "asc" } } } }),
    // One-off exclusions only: a schedule's occurrences are shown with their schedule (exclusion-schedules.ts).
    prisma().exclusion.findMany({ where: { serviceId: found.id, scheduleId: null }, include: { sli: true }, orderBy: { startsAt: "desc" }, take: 50 }),
  ]);
  const [{ rows, standings }, policy] = await Promise.all([overviewRows([svc], new Map([[svc.teamId, access]]), at), servicePolicyView(access.teamId, found.id)]);
  return {
    at: at.toISOString(),
    team: { slug: access.slug, name: access.name, role: access.role },
    service: { slug: svc.slug, name: svc.name, description: svc.description, githubRepository: svc.githubRepository, updatedAt: svc.updatedAt.toISOString(), archivedAt: svc.archivedAt?.toISOString() ?? null },
    slos: rows.sort((a, b) => compareByRisk(a.status, b.status)),
    slis: svc.slis.map(sliView),
    exclusions: exclusions.map(exclusionView),
    gate: { standing: standingView(standings.get(svc.id)!), policy },
  };
}
