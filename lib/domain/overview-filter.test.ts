import { describe, expect, it } from "vitest";
import { filterOverview, pageOf, type OverviewFilters } from "./overview-filter";

type R = Parameters<typeof filterOverview>[0][number];
const row = (team: string, service: string, slo: string, remaining: number | null, alert: "page" | "ticket" | "ok" | "no_data" = "ok", stale = false): R => ({
  team: { slug: team, name: team.toUpperCase() },
  service: { slug: service, name: `${service} service` },
  slo: { slug: slo, name: `${slo} SLO` },
  status: {
    alerts: { state: alert },
    freshness: { state: stale ? "stale" : "fresh" },
    budget: remaining === null ? { state: "no_data" } : { state: "ok", remaining, sli: 0.999 },
    timeToExhaustionMinutes: null,
    exhaustionHorizonMinutes: 28 * 1440,
    tier: remaining === null ? "no_data" : remaining <= 0 ? "halted" : remaining < 0.1 ? "freeze" : remaining <= 0.5 ? "caution" : "normal",
  },
});

const rows = [
  row("payments", "api", "availability", 0.8),
  row("payments", "api", "latency", 0.05, "ticket"),
  row("payments", "checkout", "availability", 0.3),
  row("search", "query", "availability", -0.2, "page"),
  row("search", "index", "freshness", 0.9, "ok", true),
  row("search", "crawler", "coverage", null, "no_data"),
];
const names = (f: Partial<OverviewFilters>) => filterOverview(rows, { sort: "risk", ...f }).map((r) => `${r.team.slug}/${r.service.slug}/${r.slo.slug}`);

describe("overview filters", () => {
  it("sorts most at risk first by default", () => {
    expect(names({})).toEqual(["search/query/availability", "payments/api/latency", "search/index/freshness", "payments/checkout/availability", "payments/api/availability", "search/crawler/coverage"]);
  });
  it("sorts by name on request", () => {
    expect(names({ sort: "name" })[0]).toBe("payments/api/availability");
  });
  it.each([
    [{ team: "search" }, ["search/query/availability", "search/index/freshness", "search/crawler/coverage"]],
    [{ team: "payments", service: "api" }, ["payments/api/latency", "payments/api/availability"]],
    [{ tier: "caution" as const }, ["payments/checkout/availability"]],
    [{ tier: "halted" as const }, ["search/query/availability"]],
    [{ alert: "stale" as const }, ["search/index/freshness"]],
    [{ alert: "no_data" as const }, ["search/crawler/coverage"]],
    [{ q: "CHECKOUT avail" }, ["payments/checkout/availability"]],
    [{ q: "latency payments" }, ["payments/api/latency"]],
    [{ q: "nothing-matches" }, []],
  ])("%j", (f, expected) => {
    expect(names(f)).toEqual(expected);
  });
});

describe("overview filter by grouped SLO (docs/grouped-slos.md)", () => {
  const grouped = [
    { ...row("payments", "checkout", "latency-eu", 0.9), group: { slug: "latency" } },
    { ...row("payments", "checkout", "latency-us", 0.2), group: { slug: "latency" } },
    { ...row("payments", "checkout", "errors-eu", 0.7), group: { slug: "errors" } },
    { ...row("payments", "checkout", "availability", 0.4), group: null },
  ];
  it.each([
    ["latency", ["latency-us", "latency-eu"]],
    ["errors", ["errors-eu"]],
    ["nope", []],
  ])("group=%s keeps its members only, worst first", (group, slos) => {
    expect(filterOverview(grouped, { sort: "risk", group }).map((r) => r.slo.slug)).toEqual(slos);
  });
});

describe("overview pages", () => {
  const xs = Array.from({ length: 120 }, (_, i) => i);
  it.each([
    [1, [0, 49], { number: 1, size: 50, total: 120, pages: 3 }],
    [3, [100, 119], { number: 3, size: 50, total: 120, pages: 3 }],
    [9, [100, 119], { number: 3, size: 50, total: 120, pages: 3 }], // past the end: the last page
    [0, [0, 49], { number: 1, size: 50, total: 120, pages: 3 }],
  ])("page %s", (page, [first, last], info) => {
    const p = pageOf(xs, page);
    expect([p.rows[0], p.rows.at(-1)]).toEqual([first, last]);
    expect(p.page).toEqual(info);
  });
  it("an empty list is one empty page", () => {
    expect(pageOf([], 2)).toEqual({ rows: [], page: { number: 1, size: 50, total: 0, pages: 1 } });
  });
});
