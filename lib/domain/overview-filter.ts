// The overview's filters and order, shared by the page and its tests. Pure: rows in, rows out.
import { alertBadgeOf, compareByRisk, type AlertBadge, type StatusFacts } from "./risk";
import type { Tier } from "./tier";

export type OverviewFilters = {
  team?: string;
  service?: string;
  /** A grouped SLO's slug: its members only. */
  group?: string;
  tier?: Tier;
  alert?: AlertBadge;
  /** Words that must all appear in the SLO, service or team name or slug, any case. */
  q?: string;
  sort: "risk" | "name";
  /** 1-based page of OVERVIEW_PAGE_SIZE rows (pageOf); filterOverview ignores it. */
  page?: number;
};

/** Rows per overview page: the server answers one page, so 10,000 SLOs stay a light page. */
export const OVERVIEW_PAGE_SIZE = 50;

export type OverviewPage = { number: number; size: number; total: number; pages: number };

/** Page `page` (1-based, clamped to the last page) of rows already filtered and sorted. */
export function pageOf<T>(rows: readonly T[], page = 1, size = OVERVIEW_PAGE_SIZE): { rows: T[]; page: OverviewPage } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const number = Math.min(Math.max(1, Math.floor(page)), pages);
  return { rows: rows.slice((number - 1) * size, number * size), page: { number, size, total: rows.length, pages } };
}

type Row = {
  team: { slug: string; name: string };
  service: { slug: string; name: string };
  slo: { slug: string; name: string };
  group?: { slug: string } | null;
  status: StatusFacts & { tier: Tier };
};

export function filterOverview<T extends Row>(rows: readonly T[], f: OverviewFilters): T[] {
  const words = (f.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const out = rows.filter((r) => {
    if (f.team && r.team.slug !== f.team) return false;
    if (f.service && r.service.slug !== f.service) return false;
    if (f.group && r.group?.slug !== f.group) return false;
    if (f.tier && r.status.tier !== f.tier) return false;
    if (f.alert && alertBadgeOf(r.status) !== f.alert) return false;
    if (words.length) {
      const text = `${r.slo.name} ${r.slo.slug} ${r.service.name} ${r.service.slug} ${r.team.name} ${r.team.slug}`.toLowerCase();
      if (!words.every((w) => text.includes(w))) return false;
    }
    return true;
  });
  const byName = (a: T, b: T) => a.team.name.localeCompare(b.team.name) || a.service.name.localeCompare(b.service.name) || a.slo.name.localeCompare(b.slo.name);
  return out.sort(f.sort === "name" ? byName : (a, b) => compareByRisk(a.status, b.status) || byName(a, b));
}
