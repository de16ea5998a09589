import { describe, expect, it } from "vitest";
import { parseOverviewFilters } from "./overview";
import { DEFAULT_RANGE, parseTimeRange, timeRangeParams } from "./time-range";

describe("overview filters from the URL", () => {
  it("reads each filter and defaults to most at risk first", () => {
    expect(parseOverviewFilters(new URLSearchParams("team=payments&tier=caution&alert=stale&q=%20api%20"))).toEqual({ team: "payments", tier: "caution", alert: "stale", q: "api", sort: "risk", page: 1 });
    expect(parseOverviewFilters({ sort: "name", service: ["ledger", "other"] })).toMatchObject({ sort: "name", service: "ledger" });
    expect(parseOverviewFilters(new URLSearchParams("page=3"))).toMatchObject({ page: 3 });
  });
  it("drops malformed values instead of failing (an old link still opens)", () => {
    expect(parseOverviewFilters(new URLSearchParams(`tier=purple&alert=<script>&sort=chaos&page=-3&q=${"x".repeat(500)}`))).toEqual({ sort: "risk", page: 1 });
  });
});

describe("chart range from the URL", () => {
  it("reads presets and custom ranges, and writes them back", () => {
    expect(parseTimeRange(new URLSearchParams("range=7d"))).toEqual({ preset: "7d" });
    const custom = parseTimeRange({ from: "2026-11-20T10:00:00Z", to: "2026-11-21T10:00:00Z" });
    expect(custom).toEqual({ preset: "custom", from: new Date("2026-11-20T10:00:00Z"), to: new Date("2026-11-21T10:00:00Z") });
    expect(timeRangeParams(custom)).toEqual({ from: "2026-11-20T10:00:00.000Z", to: "2026-11-21T10:00:00.000Z" });
    expect(timeRangeParams({ preset: "window" })).toEqual({ range: "window" });
    expect(timeRangeParams(DEFAULT_RANGE)).toEqual({});
  });
  it("falls back to the default for nonsense, reversed or too long ranges", () => {
    expect(parseTimeRange(new URLSearchParams("range=1y"))).toEqual(DEFAULT_RANGE);
    expect(parseTimeRange({ from: "2026-11-21T10:00:00Z", to: "2026-11-20T10:00:00Z" })).toEqual(DEFAULT_RANGE);
    expect(parseTimeRange({ from: "2020-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" })).toEqual(DEFAULT_RANGE);
  });
});

describe("cross-field checks with a field already wrong", () => {
  // zod runs refinements after a field failed, with the raw value: they must not throw (a 500).
  it("chart and exclusion bounds report the bad field instead of throwing", async () => {
    const { createExclusionSchema, seriesQuerySchema } = await import("./catalog");
    const series = seriesQuerySchema.safeParse({ from: "'; DROP TABLE slos;--", to: "x" });
    expect(series.success).toBe(false);
    expect(series.error!.issues.map((i) => i.path.join("."))).toEqual(["from", "to"]);
    const exclusion = createExclusionSchema.safeParse({ kind: "maintenance", reason: "db upgrade", startsAt: "yesterday", endsAt: "2026-01-01T00:00:00Z" });
    expect(exclusion.success).toBe(false);
    expect(exclusion.error!.issues.map((i) => i.path.join("."))).toEqual(["startsAt"]);
    expect(parseTimeRange({ from: "nonsense", to: "2026-01-01T00:00:00Z" })).toEqual(DEFAULT_RANGE);
  });
});

describe("overview URL filter: group", () => {
  it("reads a group slug and drops a malformed one", () => {
    expect(parseOverviewFilters(new URLSearchParams("service=checkout&group=latency"))).toEqual({ service: "checkout", group: "latency", sort: "risk", page: 1 });
    expect(parseOverviewFilters(new URLSearchParams(`group=${"x".repeat(49)}`))).toEqual({ sort: "risk", page: 1 });
  });
});
