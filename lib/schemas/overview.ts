// The overview's filters as they appear in its URL (shareable links). Unknown or malformed
// values are dropped, not errors: a stale bookmark still opens the page.
import { z } from "zod";
import { searchParam, type SearchParams } from "./common";
import { alertBadges } from "../domain/risk";
import { tiers } from "../domain/tier";

const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

export const overviewFiltersSchema = z.object({
  team: optional(z.string().trim().min(1).max(48)),
  service: optional(z.string().trim().min(1).max(48)),
  /** A grouped SLO's slug: its members only (docs/grouped-slos.md). */
  group: optional(z.string().trim().min(1).max(48)),
  tier: optional(z.enum(tiers)),
  alert: optional(z.enum(alertBadges)),
  q: optional(z.string().trim().max(100)),
  sort: z.enum(["risk", "name"]).catch("risk").default("risk"),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
});

/** Filters from URL search params (a URLSearchParams or Next's searchParams object). */
export function parseOverviewFilters(params: SearchParams) {
  const get = (k: string) => searchParam(params, k);
  return overviewFiltersSchema.parse({ team: get("team"), service: get("service"), group: get("group"), tier: get("tier"), alert: get("alert"), q: get("q"), sort: get("sort"), page: get("page") });
}
