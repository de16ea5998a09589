// SLO status from real data in PostgreSQL, checked against numbers computed by hand.
import { describe, expect, it } from "vitest";
import type { Actor } from "./actor";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createExclusion, createService, createSli, createSlo } from "./catalog";
import { ingestBatch } from "./ingest";
import { getBudgetSpent, getSloStatus, statusesOf } from "./slo-status";
import { listTeamStatus } from "./team-status";

const at = new Date("2026-06-01T00:00:00Z");
const DAY = 1440;

/**
 * Six hours of data before `at`, 100 events a minute; in the last hour 2 of each 100 fail.
 * Over the window: 36,000 events, 120 bad.
 */
async function seed(kind: "request_ratio" | "time_slice" = "request_ratio") {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  await createSli(members.editor, team.slug, "api", {
    slug: "sli",
    name: "SLI",
    description: "",
    kind,
    ...(kind === "time_slice" ? { sliceMinutes: 1, sliceTarget: "0.99000000" } : {}),
  });
  const token = await makeTokenActor(team.slug, members.admin, ["ingest", "read"]);
  const items = Array.from({ length: 360 }, (_, i) => ({
    sli: "api/sli",
    minute: new Date(at.getTime() - (i + 1) * 60_000).toISOString(),
    good: i < 60 ? 98 : 100,
    total: 100,
  }));
  await ingestBatch(token, { items }, at);
  return { team, members, token };
}

async function slo(editor: Actor, team: string, objective: string, window: { kind: "rolling"; days: number } | { kind: "calendar"; unit: "month"; timeZone: string }) {
  return createSlo(editor, team, "api", { slug: `slo-${Math.random().toString(36).slice(2, 8)}`, name: "SLO", description: "", sli: "sli", objective, window, minEvents: 0 });
}

describe("SLO status", () => {
  it("matches hand-computed numbers (99 % over 30 days)", async () => {
    const { team, members } = await seed();
    const s = await slo(members.editor, team.slug, "0.99", { kind: "rolling", days: 30 });
    const { status } = await getSloStatus(members.viewer, team.slug, "api", s!.slug, at);
    expect(status.good).toBe(35_880);
    expect(status.total).toBe(36_000);
    expect(status.badEvents).toBe(120);
    expect(status.allowedBadEvents).toBe(360); // 1 % of 36,000
    // 1 - 120/360 = 2/3, computed in one division (correctly rounded), not as 1 - 0.333...
    expect(status.budget).toEqual({ state: "ok", remaining: 2 / 3, sli: 35_880 / 36_000 });
    // Burn rates: 2 % errors in the last hour against a 1 % budget is 2; over 6 h, 120/36,000 / 1 % = 1/3.
    expect(status.burnRates["5m"]).toBe(2);
    expect(status.burnRates["30m"]).toBe(2);
    expect(status.burnRates["1h"]).toBe(2);
    expect(status.burnRates["2h"]).toBe(1);
    expect(status.burnRates["6h"]).toBeCloseTo(1 / 3, 15);
    expect(status.burnRates["1d"]).toBeCloseTo(1 / 3, 15);
    expect(status.alerts.state).toBe("ok"); // below 14.4, 6, 3 and (on the 3 d window) 1
    // (2/3 of the budget) x 43,200 min / 2 = 14,400 min = 10 days
    expect(status.timeToExhaustionMinutes).toBeCloseTo(14_400, 9);
    expect(status.budgetMinutes).toBe(432); // 1 % of 30 days
    expect(status.tier).toBe("normal");
    expect(status.freshness).toEqual({ state: "fresh", lastDataAt: "2026-05-31T23:59:00.000Z", reason: null });
  });

  it("answers for a past instant with `at`", async () => {
    const { team, members } = await seed();
    const s = await slo(members.editor, team.slug, "0.99", { kind: "rolling", days: 30 });
    const { status } = await getSloStatus(members.viewer, team.slug, "api", s!.slug, new Date(at.getTime() - 60 * 60_000));
    expect(status).toMatchObject({ good: 30_000, total: 30_000, badEvents: 0, budget: { remaining: 1 } });
    expect(status.burnRates["1h"]).toBe(0);
    // A day later nothing new has arrived: the data is stale, and the status says so.
    const later = await getSloStatus(members.viewer, team.slug, "api", s!.slug, new Date(at.getTime() + 86_400_000));
    expect(later.status.freshness).toEqual({ state: "stale", lastDataAt: "2026-05-31T23:59:00.000Z", reason: "no data pushed for 1441 minutes" });
  });

  it("leaves exclusions out of every count", async () => {
    const { team, members } = await seed();
    const s = await slo(members.editor, team.slug, "0.99", { kind: "rolling", days: 30 });
    await createExclusion(members.editor, team.slug, "api", {
      sli: null,
      kind: "maintenance",
      reason: "planned database failover",
      startsAt: new Date(at.getTime() - 60 * 60_000),
      endsAt: at,
    });
    const { status } = await getSloStatus(members.viewer, team.slug, "api", s!.slug, at);
    expect(status).toMatchObject({ good: 30_000, total: 30_000, budget: { remaining: 1 } });
    expect(status.burnRates["1h"]).toBeNull(); // nothing left in the last hour: no data
  });

  it("a calendar month that has just begun has no data yet, while the lookbacks still see the last hours", async () => {
    const { team, members } = await seed();
    const s = await slo(members.editor, team.slug, "0.99", { kind: "calendar", unit: "month", timeZone: "UTC" });
    const { status } = await getSloStatus(members.viewer, team.slug, "api", s!.slug, at);
    expect(status.budget).toEqual({ state: "no_data" });
    expect(status.windowStart).toBe("2026-06-01T00:00:00.000Z");
    expect(status.windowEnd).toBe("2026-07-01T00:00:00.000Z");
    expect(status.burnRates["1h"]).toBe(2);
    expect(status.timeToExhaustionMinutes).toBeNull();
  });

  it("counts time slices: 1-minute slices at a 99 % slice target", async () => {
    const { team, members } = await seed("time_slice");
    const s = await slo(members.editor, team.slug, "0.9", { kind: "rolling", days: 30 });
    const { status } = await getSloStatus(members.viewer, team.slug, "api", s!.slug, at);
    // 60 of 360 slices are at 98 % < 99 %: bad. Allowed: 10 % of 360 = 36 slices.
    expect(status).toMatchObject({ good: 300, total: 360, badEvents: 60 });
    expect(status.budget).toMatchObject({ remaining: -2 / 3 }); // 1 - 60/36
    expect(status.tier).toBe("halted");
  });

  it("averages slice ratios for a RatioTimeslices SLI (sliceMethod mean_ratio, no slice target)", async () => {
    const { team, members } = await seed("time_slice");
    await prisma().sli.updateMany({ where: { slug: "sli", service: { team: { slug: team.slug } } }, data: { sliceMethod: "mean_ratio", sliceTarget: null } });
    const s = await slo(members.editor, team.slug, "0.9", { kind: "rolling", days: 30 });
    const { status } = await getSloStatus(members.viewer, team.slug, "api", s!.slug, at);
    // 60 slices at 98 % and 300 at 100 %: good = 60 x 0.98 + 300 = 358.8 of 360; 1.2 of the 36 allowed spent.
    expect(status.total).toBe(360);
    expect(status.good).toBeCloseTo(358.8, 9);
    expect(status.badEvents).toBeCloseTo(1.2, 9);
    expect((status.budget as { remaining: number }).remaining).toBeCloseTo(1 - 1.2 / 36, 9);
    expect(status.tier).toBe("normal");
  });

  it("draws the burndown: ends at the remaining budget", async () => {
    const { team, members } = await seed();
    const s = await slo(members.editor, team.slug, "0.99", { kind: "rolling", days: 30 });
    const { burndown, status } = await getSloStatus(members.viewer, team.slug, "api", s!.slug, at);
    expect(burndown).toHaveLength(30 * 24);
    expect(burndown.at(-1)).toEqual({ at: at.toISOString(), remaining: (status.budget as { remaining: number }).remaining, ideal: 0 });
    expect(burndown[0]!.remaining).toBeNull(); // no data yet 30 days ago
  });

  it("budget spent by an interval: bad events in it / allowed bad events of the window", async () => {
    const { team, members } = await seed();
    const s = await slo(members.editor, team.slug, "0.99", { kind: "rolling", days: 30 });
    // The last 30 minutes: 60 bad events; the window allows 1 % of 36,000 = 360: one sixth.
    const r = await getBudgetSpent(members.viewer, team.slug, "api", s!.slug, new Date(at.getTime() - 30 * 60_000), at);
    expect(r).toMatchObject({ badEvents: 60, totalEvents: 3000, budgetSpent: 60 / 360 });
    await expect(getBudgetSpent(members.viewer, team.slug, "api", s!.slug, at, at)).rejects.toMatchObject({ status: 422, fields: { to: "must be after from" } });
  });

  it("lists every SLO of the team; other teams see nothing", async () => {
    const { team, members, token } = await seed();
    await slo(members.editor, team.slug, "0.99", { kind: "rolling", days: 30 });
    await slo(members.editor, team.slug, "0.999", { kind: "rolling", days: 7 });
    const all = await listTeamStatus(token, team.slug, at);
    expect(all.slos).toHaveLength(2);
    expect(all.slos.map((x) => x.status.total)).toEqual([36_000, 36_000]);
    const other = await makeTeam(["viewer"]);
    await expect(listTeamStatus(other.members.viewer, team.slug, at)).rejects.toMatchObject({ status: 404 });
    await expect(getSloStatus(other.members.viewer, team.slug, "api", "anything", at)).rejects.toMatchObject({ status: 404 });
  });

  it("finds one SLO by its service's and its own slug or id, and says which of the two is missing", async () => {
    const { team, members, token } = await seed();
    const created = await slo(members.editor, team.slug, "0.99", { kind: "rolling", days: 30 });
    const service = await prisma().service.findFirstOrThrow({ where: { teamId: team.id, slug: "api" } });
    for (const [svc, ref] of [["api", created.slug], [service.id, created.id], ["api", created.id]]) {
      const got = await getSloStatus(token, team.slug, svc!, ref!, at);
      expect([got.service.slug, got.slo.slug, got.status.total]).toEqual(["api", created.slug, 36_000]);
    }
    await expect(getSloStatus(token, team.slug, "web", created.slug, at)).rejects.toMatchObject({ status: 404, message: 'service "web" not found' });
    await expect(getSloStatus(token, team.slug, "api", "nope", at)).rejects.toMatchObject({ status: 404, message: 'SLO "nope" not found' });
    // Another team's service of the same slug holds no SLO of this one.
    const other = await makeTeam(["editor"]);
    await createService(other.members.editor, other.team.slug, { slug: "api", name: "API", description: "" });
    await expect(getSloStatus(other.members.editor, other.team.slug, "api", created.id, at)).rejects.toMatchObject({ status: 404, message: `SLO "${created.id}" not found` });
  });

  it("only editors change definitions; viewers and tokens cannot", async () => {
    const { team, members, token } = await seed();
    await expect(slo(members.viewer, team.slug, "0.99", { kind: "rolling", days: 30 })).rejects.toMatchObject({ status: 403 });
    await expect(slo(token, team.slug, "0.99", { kind: "rolling", days: 30 })).rejects.toMatchObject({ status: 403 });
    expect(DAY).toBe(1440);
  });
});

describe("a stored definition that cannot be read", () => {
  it("is that SLO's error, named, never a default window; the other SLOs are evaluated and the pages still answer", async () => {
    const { team, members } = await makeTeam(["editor", "viewer"]);
    await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
    await createSli(members.editor, team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    for (const s of ["broken", "fine"]) {
      await createSlo(members.editor, team.slug, "api", { slug: s, name: s, description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
    }
    const { db, prisma } = await import("../db/client");
    await db().pool.query("UPDATE slos SET window_days = NULL WHERE slug = 'broken' AND service_id IN (SELECT id FROM services WHERE team_id = $1)", [team.id]);
    const rows = await prisma().slo.findMany({ where: { service: { teamId: team.id } }, include: { sli: true }, orderBy: { slug: "asc" } });
    const [broken, fine] = await statusesOf(rows, new Date());
    expect(broken).toMatchObject({ budget: { state: "no_data" }, alerts: { state: "no_data" }, error: "its definition cannot be read (window.days is missing from a rolling window)" });
    expect(fine!.error).toBeNull();
    // The team's list and the SLO's own page still answer, naming the error.
    const listed = await listTeamStatus(members.viewer, team.slug);
    expect(listed.slos.find((x) => x.slo.slug === "broken")!.status.error).toBe(broken!.error);
    const detail = await getSloStatus(members.viewer, team.slug, "api", "broken");
    expect(detail).toMatchObject({ status: { error: broken!.error }, burndown: [] });
  });
});
