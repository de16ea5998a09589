// The dashboard's overview: every SLO the caller can see, with its remaining budget.
// The numbers come from lib/domain (STYLE.md rule 1); this module only gathers counts.
import { computeRemainingBudget, parseObjective, type RemainingBudget } from "../../domain/budget";
import { prisma } from "../db/client";
import type { Actor } from "./actor";
import { listTeams } from "./teams";

export type SloOverview = {
  id: string;
  slug: string;
  name: string;
  objective: string;
  window: string;
  good: number;
  total: number;
  budget: RemainingBudget;
};
export type ServiceOverview = { id: string; slug: string; name: string; slos: SloOverview[] };
export type TeamOverview = { slug: string; name: string; role: string; services: ServiceOverview[] };

export async function getOverview(actor: Actor, now = new Date()): Promise<TeamOverview[]> {
  const teams = await listTeams(actor);
  if (teams.length === 0) return [];
  const services = await prisma().service.findMany({
    where: { teamId: { in: teams.map((t) => t.id) } },
    include: { slos: { orderBy: { name: "asc" } } },
    orderBy: { name: "asc" },
  });
  const sloIds = services.flatMap((s) => s.slos.map((o) => o.id));
  const counts = await countsOverWindow(sloIds, now);
  return teams.map((t) => ({
    slug: t.slug,
    name: t.name,
    role: t.role,
    services: services
      .filter((s) => s.teamId === t.id)
      .map((s) => ({
        id: s.id,
        slug: s.slug,
        name: s.name,
        slos: s.slos.map((o) => {
          const c = counts.get(o.id) ?? { good: 0, total: 0 };
          const objective = parseObjective(o.objective.toString());
          return {
            id: o.id,
            slug: o.slug,
            name: o.name,
            objective: o.objective.toString(),
            window: o.windowKind === "rolling" ? `${o.windowDays} days rolling` : `calendar ${o.calendarUnit} (${o.timeZone})`,
            good: c.good,
            total: c.total,
            budget: computeRemainingBudget(objective, c.good, c.total),
          };
        }),
      })),
  }));
}

/** Good and total events of each SLO's SLI over its rolling window ending at `now`. */
async function countsOverWindow(sloIds: string[], now: Date) {
  if (sloIds.length === 0) return new Map<string, { good: number; total: number }>();
  const rows = await prisma().$queryRaw<{ id: string; good: number | null; total: number | null }[]>`
    SELECT s.id, sum(b.good)::bigint AS good, sum(b.total)::bigint AS total
    FROM slos s
    JOIN sli_buckets b ON b.sli_id = s.sli_id
      AND b.minute > ${now}::timestamptz - make_interval(days => s.window_days)
      AND b.minute <= ${now}::timestamptz
    WHERE s.id = ANY(${sloIds}::uuid[]) AND s.window_kind = 'rolling'
    GROUP BY s.id`;
  return new Map(rows.map((r) => [r.id, { good: Number(r.good ?? 0), total: Number(r.total ?? 0) }]));
}
