// The dashboard's overview: every SLO the caller can see, with its status. The numbers come from
// the same status engine as the API (slo-status.ts -> lib/domain), so they match everywhere.
import type { SloStatus } from "../../domain/slo-status";
import { prisma } from "../db/client";
import type { Actor } from "./actor";
import { sloView } from "./catalog";
import { statusesOf } from "./slo-status";
import { listTeams } from "./teams";

export type SloOverview = ReturnType<typeof sloView> & { status: SloStatus };
export type ServiceOverview = { id: string; slug: string; name: string; slos: SloOverview[] };
export type TeamOverview = { slug: string; name: string; role: string; services: ServiceOverview[] };

export async function getOverview(actor: Actor, at = new Date()): Promise<TeamOverview[]> {
  const teams = await listTeams(actor);
  if (teams.length === 0) return [];
  const services = await prisma().service.findMany({
    where: { teamId: { in: teams.map((t) => t.id) } },
    include: { slos: { include: { sli: true }, orderBy: { name: "asc" } } },
    orderBy: { name: "asc" },
  });
  const slos = services.flatMap((s) => s.slos);
  const computed = await statusesOf(slos, at);
  const statuses = new Map<string, SloStatus>(slos.map((o, i) => [o.id, computed[i]!]));
  return teams.map((t) => ({
    slug: t.slug,
    name: t.name,
    role: t.role,
    services: services
      .filter((s) => s.teamId === t.id)
      .map((s) => ({ id: s.id, slug: s.slug, name: s.name, slos: s.slos.map((o) => ({ ...sloView(o), status: statuses.get(o.id)! })) })),
  }));
}
