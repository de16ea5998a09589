// Composite SLOs on a real database (docs/composite-slos.md): materialised minutes, the status of a
// composite against hand-computed numbers, late members then arriving, the three whenDelayed
// modes, cycles and other teams' SLOs refused, and a definition version for member changes.
// Burn rate = error ratio / (1 − objective) (SRE Workbook ch. 5); weights normalised (Nobl9 composite SLOs 2.0).
import { describe, expect, it } from "vitest";
import type { Actor } from "./actor";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { ingestBatch } from "./ingest";
import { getSloStatus } from "./slo-status";
import { countRange } from "../sli-data";
import { createComposite, getComposite, updateComposite } from "./composites";
import { materialiseComposites } from "./composite-materialise";
import { sliVersionsOf } from "./definition-versions";
import type { WhenDelayed } from "../../domain/composite";
import { renderMetrics } from "./metrics";
import { askGate } from "./gate";

const atFixed = new Date("2026-06-01T00:00:00Z");
const at = atFixed;
const MIN = 60_000;

/**
 * Service "api" with two pushed SLOs: a (99 %) and b (99.9 %). Each minute of the hour before
 * `at`: a has `aTotal` events with 1 % bad (burn 1); b has 1,000 events with 2 bad (burn 2),
 * except its last `bLateMinutes` minutes, which have not arrived.
 */
async function seed(opts: { aTotal?: number; bLateMinutes?: number; at?: Date } = {}) {
  const aTotal = opts.aTotal ?? 1000;
  const at = opts.at ?? atFixed;
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  for (const [slug, objective] of [["a", "0.99"], ["b", "0.999"]] as const) {
    await createSli(members.editor, team.slug, "api", { slug: `${slug}-sli`, name: slug, description: "", kind: "request_ratio" });
    await createSlo(members.editor, team.slug, "api", { slug, name: slug.toUpperCase(), description: "", sli: `${slug}-sli`, objective, window: { kind: "rolling", days: 30 }, minEvents: 0 });
  }
  const token = await makeTokenActor(team.slug, members.admin, ["ingest", "read"]);
  const minute = (i: number) => new Date(at.getTime() - (i + 1) * MIN).toISOString();
  const items = [
    ...Array.from({ length: 60 }, (_, i) => ({ sli: "api/a-sli", minute: minute(i), good: aTotal * 0.99, total: aTotal })),
    ...Array.from({ length: 60 }, (_, i) => i).filter((i) => i >= (opts.bLateMinutes ?? 0)).map((i) => ({ sli: "api/b-sli", minute: minute(i), good: 998, total: 1000 })),
  ];
  await ingestBatch(token, { items }, at);
  const sendLateB = () => ingestBatch(token, { items: Array.from({ length: opts.bLateMinutes ?? 0 }, (_, i) => ({ sli: "api/b-sli", minute: minute(i), good: 998, total: 1000 })) }, at);
  return { team, members, sendLateB };
}

const composite = (editor: Actor, team: string, extra: { whenDelayed?: WhenDelayed; weights?: [number, number] } = {}) =>
  createComposite(editor, team, "api", {
    slug: "journey",
    name: "Journey",
    description: "",
    objective: "0.99900000",
    window: { kind: "rolling", days: 30 },
    minEvents: 0,
    members: [
      { slo: "a", weight: extra.weights?.[0] ?? 1 },
      { service: "api", slo: "b", weight: extra.weights?.[1] ?? 1 },
    ],
    maxDelayMinutes: 10,
    whenDelayed: extra.whenDelayed ?? "ignore",
  });

const sliIdOf = async (team: string) => (await prisma().slo.findFirstOrThrow({ where: { slug: "journey", service: { team: { slug: team } } } })).sliId;

describe("composite SLOs: materialised minutes and status", () => {
  it("status equals the hand-computed budget (weights 1:1)", async () => {
    const { team, members } = await seed();
    const view = await composite(members.editor, team.slug);
    expect(view.members.map((m) => [m.slo, m.weight, m.share])).toEqual([["a", 1, 0.5], ["b", 1, 0.5]]);
    const r = await materialiseComposites(at);
    expect(r.minutes).toBeGreaterThan(0);
    // Each minute: b = (1 + 2)/2 = 1.5; e = 1.5 × 0.001 = 0.0015; total 2,000, bad 3.
    // The hour: 120,000 events, 180 bad; allowed 0.1 % = 120; remaining 1 − 180/120 = −0.5.
    const { status } = await getSloStatus(members.viewer, team.slug, "api", "journey", at);
    expect(status.total).toBe(120_000);
    expect(status.badEvents).toBe(180);
    expect(status.budget).toEqual({ state: "ok", remaining: -0.5, sli: 119_820 / 120_000 });
    expect(status.burnRates["1h"]).toBeCloseTo(1.5, 12);
    // Nothing changed: the next run reads no minutes.
    expect(await materialiseComposites(at)).toMatchObject({ minutes: 0, recomputed: 0 });
  });

  it("weights 3:1 give burn (3×1 + 1×2)/4 = 1.25", async () => {
    const { team, members } = await seed({ aTotal: 2000 });
    await composite(members.editor, team.slug, { weights: [3, 1] });
    await materialiseComposites(at);
    // Each minute: total 3,000, e = 0.00125, bad 3.75 → 4 (half up); the hour: 180,000 events, 240 bad.
    const { status } = await getSloStatus(members.viewer, team.slug, "api", "journey", at);
    expect([status.total, status.badEvents]).toEqual([180_000, 240]);
  });
});

describe("composite SLOs: a late member", () => {
  it("waits up to the bound, counts the late minutes as missing, then recomputes them when the data arrives", async () => {
    const { team, members, sendLateB } = await seed({ bLateMinutes: 30 });
    await composite(members.editor, team.slug);
    const sliId = await sliIdOf(team.slug);
    await materialiseComposites(at);
    // b's data stops 30 minutes before `at`: materialised up to the bound, at − 10 min.
    const view = await getComposite(members.viewer, team.slug, "api", "journey", at);
    expect(view.syncedUntil).toBe(new Date(at.getTime() - 10 * MIN).toISOString());
    // The 20 minutes [at − 30, at − 10) with a alone (ignore): 1,000 events, b = 1, 1 bad each.
    expect(view.members.map((m) => m.missingMinutes)).toEqual([0, 20]);
    expect(view.missing).toEqual(["Member api/b was late or missing for 20 minutes in the window, left out (counted as missing)."]);
    expect(await countRange({ id: sliId, serviceId: (await prisma().sli.findUniqueOrThrow({ where: { id: sliId } })).serviceId }, new Date(at.getTime() - 30 * MIN), new Date(at.getTime() - 10 * MIN))).toEqual({ good: 19_980, total: 20_000 });
    // The composite says so in its status (docs/integrity.md "member_late"): uncertain, one reason per late member, and /metrics.
    const late = (await getSloStatus(members.viewer, team.slug, "api", "journey", at)).status.integrity;
    expect(late).toEqual({
      state: "uncertain",
      findings: [
        {
          kind: "member_late",
          reason: "member api/b was late or missing for 20 minutes of the window (first May 31, 2026, 23:30 UTC), left out (counted as missing); those minutes are recomputed when its data arrives",
          since: new Date(at.getTime() - 30 * MIN).toISOString(),
        },
      ],
    });
    const series = (v: 0 | 1) => `burnrate_slo_uncertain{team="${team.slug}",service="api",slo="journey",kind="member_late"} ${v}\n`;
    expect(await renderMetrics(members.viewer, at)).toContain(series(1));

    await sendLateB();
    const again = await materialiseComposites(at);
    expect(again.recomputed).toBe(20);
    const after = await getComposite(members.viewer, team.slug, "api", "journey", at);
    expect([after.syncedUntil, after.missing]).toEqual([at.toISOString(), []]);
    expect((await getSloStatus(members.viewer, team.slug, "api", "journey", at)).status.integrity).toEqual({ state: "ok", findings: [] });
    expect(await renderMetrics(members.viewer, at)).toContain(series(0));
    // Now every minute has both members: the same numbers as the first test.
    const { status } = await getSloStatus(members.viewer, team.slug, "api", "journey", at);
    expect([status.total, status.badEvents]).toEqual([120_000, 180]);
  });

  it("the gate's answer names the late member and the gate decides as before (docs/integrity.md, The gate)", async () => {
    // The gate reads the real clock: seed around it.
    const now = new Date(Math.floor(Date.now() / MIN) * MIN);
    const { team, members } = await seed({ bLateMinutes: 30, at: now });
    const journey = await composite(members.editor, team.slug);
    // This composite only: the other tests' composites, at their fixed instant, would be
    // backfilled up to the real clock's now (months of minutes each, most of this test's time).
    await materialiseComposites(now, [journey.slo.id]);
    const token = await makeTokenActor(team.slug, members.admin, ["gate"]);
    const d = await askGate(token, { service: "api", environment: "production", version: "v1", changeType: "feature", requester: "ci" });
    expect(d.reasons).toContainEqual(expect.stringMatching(/^Journey's numbers are uncertain \(member api\/b was late or missing for 2\d minutes of the window .*, left out \(counted as missing\); .*\); the gate used them as they are$/));
  });

  // A 2,000-event minute of a (b = 1) with b missing: ignore → b = 1, e = 0.001, 2 bad;
  // count_as_good → b = (1 + 0)/2 = 0.5, 1 bad; count_as_bad → b = (1 + 1000)/2 = 500.5, e = 0.5005, 1,001 bad.
  it.each([
    ["ignore", 2],
    ["count_as_good", 1],
    ["count_as_bad", 1001],
  ] as const)("whenDelayed %s: %d bad events in a minute with b missing", async (whenDelayed, bad) => {
    const { team, members } = await seed({ aTotal: 2000, bLateMinutes: 30 });
    await composite(members.editor, team.slug, { whenDelayed });
    const sliId = await sliIdOf(team.slug);
    await materialiseComposites(at);
    const m = await prisma().sliBucket.findUniqueOrThrow({ where: { sliId_minute: { sliId, minute: new Date(at.getTime() - 20 * MIN) } } });
    expect([Number(m.total), Number(m.total) - Number(m.good)]).toEqual([2000, bad]);
  });
});

describe("composite SLOs: members refused", () => {
  it("refuses a composite that would contain itself, directly or through another", async () => {
    const { team, members } = await seed();
    await composite(members.editor, team.slug);
    await createComposite(members.editor, team.slug, "api", {
      slug: "outer", name: "Outer", description: "", objective: "0.99900000", window: { kind: "rolling", days: 30 }, minEvents: 0, members: [{ slo: "journey", weight: 1 }], maxDelayMinutes: 10, whenDelayed: "ignore",
    });
    const update = (slo: string) => updateComposite(members.editor, team.slug, "api", "journey", { members: [{ slo: "a", weight: 1 }, { slo, weight: 1 }] });
    await expect(update("journey")).rejects.toMatchObject({ status: 422, fields: { "members.1.slo": "would make the composite contain itself" } });
    await expect(update("outer")).rejects.toMatchObject({ status: 422, message: expect.stringContaining("api/journey → api/outer → api/journey") });
  });

  it("refuses another team's SLO and unknown members, naming the field", async () => {
    const { team, members } = await seed();
    const other = await seed();
    const create = (m: { service?: string; slo: string }) =>
      createComposite(members.editor, team.slug, "api", { slug: "j2", name: "J", description: "", objective: "0.999", window: { kind: "rolling", days: 30 }, minEvents: 0, members: [{ ...m, weight: 1 }], maxDelayMinutes: 10, whenDelayed: "ignore" });
    // The other team's service is "api" too, but member references resolve in the caller's team only.
    await createService(other.members.editor, other.team.slug, { slug: "elsewhere", name: "E", description: "" });
    await expect(create({ service: "elsewhere", slo: "a" })).rejects.toMatchObject({ status: 422, fields: { "members.0.service": "no such service in this team" } });
    await expect(create({ slo: "nope" })).rejects.toMatchObject({ status: 422, fields: { "members.0.slo": "no such SLO in that service" } });
    await expect(createComposite(other.members.viewer, team.slug, "api", { slug: "j3", name: "J", description: "", objective: "0.999", window: { kind: "rolling", days: 30 }, minEvents: 0, members: [{ slo: "a", weight: 1 }], maxDelayMinutes: 10, whenDelayed: "ignore" })).rejects.toMatchObject({ status: 404 });
  });
});

describe("composite SLOs: the composite's SLI", () => {
  it("takes no other SLO (its minutes are computed for the composite's own objective)", async () => {
    const { team, members } = await seed();
    await composite(members.editor, team.slug);
    await expect(
      createSlo(members.editor, team.slug, "api", { slug: "again", name: "Again", description: "", sli: "journey", objective: "0.99", window: { kind: "rolling", days: 7 }, minEvents: 0 }),
    ).rejects.toMatchObject({ status: 422, fields: { sli: "is a composite SLO's" } });
  });
});

describe("composite SLOs: definition history", () => {
  it("a change of members or weights is a new version of the composite's SLI", async () => {
    const { team, members } = await seed();
    await composite(members.editor, team.slug);
    const sliId = await sliIdOf(team.slug);
    const view = await updateComposite(members.editor, team.slug, "api", "journey", { members: [{ slo: "a", weight: 2 }, { slo: "b", weight: 1 }], whenDelayed: "count_as_bad" });
    expect(view.members.map((m) => m.weight)).toEqual([2, 1]);
    expect(view.whenDelayed).toBe("count_as_bad");
    const versions = await sliVersionsOf(sliId);
    expect(versions.map((v) => [v.version, v.changed])).toEqual([[1, []], [2, ["members"]]]);
    expect((versions[1]!.measure as { members?: string }).members).toBe("api/a ×2, api/b ×1; wait 10 min, then count_as_bad");
  });
});
