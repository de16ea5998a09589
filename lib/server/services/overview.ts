// The dashboard's overview: every SLO the caller can see, with its status and a sparkline of
// remaining budget. The numbers come from the same status engine as the API (slo-status.ts ->
// lib/domain), so they match everywhere; the page filters and sorts with lib/domain/overview-filter.
import { alertBadgeOf } from "../../domain/risk";
import type { Overview } from "../../schemas/views";
import { prisma } from "../db/client";
import type { Actor } from "./actor";
import { sloView } from "./catalog";
import { serializeStatus, statusesWithDaysOf } from "./slo-status";
import { listTeams } from "./teams";

export async function getOverview(actor: Actor, at = new Date()): Promise<Overview> {
  const teams = await listTeams(actor);
  if (teams.length === 0) return { at: at.toISOString(), teams: [], slos: [] };
  const services = await prisma().service.findMany({
    where: { teamId: { in: teams.map((t) => t.id) } },
    include: { slos: { include: { sli: true } } },
    orderBy: { name: "asc" },
  });
  const slos = services.flatMap((s) => s.slos.map((o) => ({ ...o, svc: s })));
  const computed = await statusesWithDaysOf(slos, at);
  const teamOf = new Map(teams.map((t) => [t.id, t]));
  return {
    at: at.toISOString(),
    teams: teams.map((t) => ({
      slug: t.slug,
      name: t.name,
      role: t.role,
      services: services.filter((s) => s.teamId === t.id).map((s) => ({ slug: s.slug, name: s.name })),
    })),
    slos: slos.map((o, i) => {
      const { status, remainingByDay } = computed[i]!;
      const team = teamOf.get(o.svc.teamId)!;
      return {
        team: { slug: team.slug, name: team.name },
        service: { slug: o.svc.slug, name: o.svc.name },
        slo: sloView(o),
        status: serializeStatus(status),
        badge: alertBadgeOf(status),
        // Four decimals of a fraction are far finer than a sparkline's pixels.
        sparkline: remainingByDay.map((r) => (r === null ? null : Math.round(r * 10_000) / 10_000)),
      };
    }),
  };
}
