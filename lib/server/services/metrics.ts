// /metrics for Prometheus and generated alerting rules: SLO numbers from the status engine,
// formatted by lib/domain/exposition.ts.
import { renderAlertRules, renderExposition, serviceMetricFamilies, sloMetricFamilies } from "../../domain/exposition";
import { complianceWindow } from "../../domain/window";
import { prisma } from "../db/client";
import type { Actor } from "./actor";
import { requireTeamRead } from "./access";
import { readServiceSlo } from "./catalog";
import { alertingOf, trimDecimal, windowOf } from "./stored-values";
import { effectiveAlertRules } from "../../domain/burn-rate";
import { serviceStandingsOf } from "./slo-status";
import { latestStatusesWithDaysOf } from "./status-snapshots";
import { listTeams } from "./teams";
import { clockNow } from "../clock";

/** Metrics of every SLO the caller can read: a token's team, or a person's teams. */
export async function renderMetrics(actor: Actor, at = clockNow()): Promise<string> {
  const teamIds = actor.kind === "token" ? [(await readTeamOfToken(actor)).teamId] : (await listTeams(actor)).map((t) => t.id);
  const slos = await prisma().slo.findMany({
    where: { service: { teamId: { in: teamIds } }, archivedAt: null },
    include: { sli: true, service: { include: { team: true } } },
    orderBy: [{ service: { slug: "asc" } }, { slug: "asc" }],
  });
  // Scraped every few seconds across every SLO: the evaluator's snapshots where they may be served (status-snapshots.ts).
  const statuses = (await latestStatusesWithDaysOf(slos, at, { days: false })).map((x) => x.status);
  const items = slos.map((s, i) => ({
    id: { team: s.service.team.slug, service: s.service.slug, slo: s.slug, objective: trimDecimal(s.objective.toString()) },
    status: statuses[i]!,
  }));
  // Services in the same order as their SLOs (sorted by service), so the statuses line up.
  const slosOf = new Map<string, typeof slos>();
  for (const s of slos) (slosOf.get(s.serviceId) ?? slosOf.set(s.serviceId, []).get(s.serviceId)!).push(s);
  const services = [...slosOf.values()].map((own) => ({ svc: own[0]!.service, slos: own }));
  const byService = new Map(slos.map((s, i) => [s.id, statuses[i]!]));
  const standings = await serviceStandingsOf(services.map((x) => ({ id: x.svc.id, slos: x.slos })), at, services.flatMap((x) => x.slos.map((s) => byService.get(s.id)!)));
  const serviceItems = services.map(({ svc }) => ({ team: svc.team.slug, service: svc.slug, standing: standings.get(svc.id)!.standing }));
  return renderExposition([...sloMetricFamilies(items), ...serviceMetricFamilies(serviceItems)]);
}

async function readTeamOfToken(actor: Extract<Actor, { kind: "token" }>) {
  const team = await prisma().team.findUniqueOrThrow({ where: { id: actor.teamId } });
  return requireTeamRead(actor, team.slug);
}

/** A Prometheus rule file for one SLO's burn-rate alerts, on the metrics above. */
export async function renderSloAlertRules(actor: Actor, team: string, service: string, slo: string, at = clockNow()): Promise<string> {
  const { access, svc, row } = await readServiceSlo(actor, team, service, slo);
  const id = { team: access.slug, service: svc.slug, slo: row.slug, objective: trimDecimal(row.objective.toString()) };
  const period = complianceWindow(windowOf(row), at).periodMinutes;
  return renderAlertRules(id, row.name, period, effectiveAlertRules(alertingOf(row), period));
}
