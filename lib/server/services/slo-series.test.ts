// An SLO's chart series from real data in PostgreSQL: the burn rates over time equal what the
// evaluator computes at the same instants, and the firing periods come back cut to the range.
import { describe, expect, it } from "vitest";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { ingestBatch } from "./ingest";
import { getSloSeries } from "./slo-series";
import { getSloStatus } from "./slo-status";

const at = new Date("2026-06-01T00:00:00Z");
const MIN = 60_000;
const LONG = ["1h", "6h", "1d", "3d"] as const;

/** Six hours before `at`, 100 events a minute; in the last hour 2 of each 100 fail (as slo-status.test.ts). */
async function seed(kind: "request_ratio" | "time_slice" = "request_ratio") {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  await createSli(members.editor, team.slug, "api", { slug: "sli", name: "SLI", description: "", kind, ...(kind === "time_slice" ? { sliceMinutes: 1, sliceTarget: "0.99000000" } : {}) });
  const token = await makeTokenActor(team.slug, members.admin, ["ingest", "read"]);
  const items = Array.from({ length: 360 }, (_, i) => ({ sli: "api/sli", minute: new Date(at.getTime() - (i + 1) * MIN).toISOString(), good: i < 60 ? 98 : 100, total: 100 }));
  await ingestBatch(token, { items }, at);
  const s = await createSlo(members.editor, team.slug, "api", { slug: "slo", name: "SLO", description: "", sli: "sli", objective: kind === "time_slice" ? "0.9" : "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
  return { team, members, slo: s! };
}

/** The evaluator's long-window burn rates at `instant` (the SLO page's status at that moment). */
async function evaluated(viewer: Parameters<typeof getSloStatus>[0], team: string, instant: Date) {
  const { status } = await getSloStatus(viewer, team, "api", "slo", instant);
  return LONG.map((k) => status.burnRates[k]);
}

describe("SLO series", () => {
  it.each([
    // range before `at`, step, resolution read: per minute, per 5 minutes, from the hourly rollup
    ["6 hours", 6 * 60, 1],
    ["1 day", 1440, 5],
    ["7 days", 7 * 1440, 60],
  ] as const)("over %s (%i minutes, steps of %i) the burn rates equal the evaluator's at each instant", async (_, minutes, step) => {
    const { team, members } = await seed();
    const s = await getSloSeries(members.viewer, team.slug, "api", "slo", { from: new Date(at.getTime() - minutes * MIN), to: at }, at);
    expect(s.stepMinutes).toBe(step);
    expect(s.burnRates.unavailable).toBeNull();
    expect(s.burnRates.windows.map((w) => [w.severity, w.longMinutes, w.factor])).toEqual([
      ["page", 60, 14.4],
      ["page", 360, 6],
      ["ticket", 1440, 3],
      ["ticket", 4320, 1],
    ]);
    expect(s.burnRates.points).toHaveLength(minutes / step);
    const last = s.burnRates.points.at(-1)!;
    expect(last.at).toBe(at.toISOString());
    // 2 % errors in the last hour against a 1 % budget: 2; 120 bad of 36,000 over 6 h and more: 1/3.
    expect(last.rates[0]).toBe(2);
    for (const r of last.rates.slice(1)) expect(r).toBeCloseTo(1 / 3, 15);
    for (const p of [last, s.burnRates.points.at(-1 - 60 / step)!, s.burnRates.points.at(-1 - 120 / step)!]) {
      expect(p.rates).toEqual(await evaluated(members.viewer, team.slug, new Date(p.at)));
    }
    // Good and bad events per step add up to the data.
    expect(s.points.reduce((a, p) => a + p.bad, 0)).toBe(120);
    expect(s.points.reduce((a, p) => a + p.good + p.bad, 0)).toBe(36_000);
  });

  it("counts time slices as the evaluator does", async () => {
    const { team, members } = await seed("time_slice");
    const s = await getSloSeries(members.viewer, team.slug, "api", "slo", { from: new Date(at.getTime() - 1440 * MIN), to: at }, at);
    const last = s.burnRates.points.at(-1)!;
    // 60 bad slices of 60 in the last hour at a 10 % budget: 10; 60 of 360 over 6 h: 5/3.
    expect(last.rates[0]).toBe(10);
    expect(last.rates[1]).toBeCloseTo(5 / 3, 14);
    expect(last.rates).toEqual(await evaluated(members.viewer, team.slug, at));
  });

  it("returns the periods the alert fired, cut to the range, one still firing ending at `to`", async () => {
    const { team, members, slo } = await seed();
    const { prisma } = await import("../db/client");
    const change = (fromState: string, toState: string, minutesBefore: number) => ({ sloId: slo.id, fromState, toState, at: new Date(at.getTime() - minutesBefore * MIN), burnRates: {}, remaining: null });
    await prisma().sloAlertChange.createMany({
      data: [change("ok", "ticket", 600), change("ticket", "ok", 300), change("ok", "ticket", 90), change("ticket", "page", 60)],
    });
    const s = await getSloSeries(members.viewer, team.slug, "api", "slo", { from: new Date(at.getTime() - 360 * MIN), to: at }, at);
    expect(s.firing).toEqual([
      { start: new Date(at.getTime() - 360 * MIN).toISOString(), end: new Date(at.getTime() - 300 * MIN).toISOString(), severity: "ticket" },
      { start: new Date(at.getTime() - 90 * MIN).toISOString(), end: at.toISOString(), severity: "page" },
    ]);
    const earlier = await getSloSeries(members.viewer, team.slug, "api", "slo", { from: new Date(at.getTime() - 1440 * MIN), to: new Date(at.getTime() - 700 * MIN) }, at);
    expect(earlier.firing).toEqual([]);
  });

  it("other teams see nothing", async () => {
    const { team } = await seed();
    const other = await makeTeam(["viewer"]);
    await expect(getSloSeries(other.members.viewer, team.slug, "api", "slo", {}, at)).rejects.toMatchObject({ status: 404 });
  });
});
