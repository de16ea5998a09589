// Status snapshots (status-snapshots.ts, docs/scaling.md) on a real database: what the evaluator
// stores reads back as exactly what the engine computes, and a snapshot is served only while
// its rule holds (age, definition, late data, exclusions, policy, data at all). To see which
// path answered, a stored snapshot is doctored (its good count set to -1): a doctored answer
// was served from the snapshot, an honest one was computed.
import { describe, expect, it } from "vitest";
import { prisma, db } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createExclusion, createService, createSli, createSlo, updateSlo } from "./catalog";
import { ingestBatch } from "./ingest";
import { putServicePolicy } from "./policy";
import { defaultPolicy } from "../../domain/policy";
import { statusesWithDaysOf } from "./slo-status";
import { latestStatusesWithDaysOf, SNAPSHOT_MAX_AGE_MS, writeSnapshots } from "./status-snapshots";
import { listTeamStatus } from "./team-status";
import { renderMetrics } from "./metrics";
import { evaluateAll } from "../jobs/alert-evaluator";
import { clockNow } from "../clock";

const MIN = 60_000;

/** A team with a request-ratio and a time-slice SLO, six hours of data (the last hour at 2 % errors) ending at `at`. */
async function seed() {
  const at = new Date(Math.floor(clockNow().getTime() / MIN) * MIN);
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  await createSli(members.editor, team.slug, "api", { slug: "ratio", name: "Ratio", description: "", kind: "request_ratio" });
  await createSli(members.editor, team.slug, "api", { slug: "slices", name: "Slices", description: "", kind: "time_slice", sliceMinutes: 5, sliceTarget: "0.99000000" });
  const token = await makeTokenActor(team.slug, members.admin, ["ingest", "read"]);
  const items = ["api/ratio", "api/slices"].flatMap((sli) =>
    Array.from({ length: 360 }, (_, i) => ({ sli, minute: new Date(at.getTime() - (i + 1) * MIN).toISOString(), good: i < 60 ? 98 : 100, total: 100 })),
  );
  await ingestBatch(token, { items }, at);
  const mk = (slug: string, sli: string, objective: string, window: { kind: "rolling"; days: number } | { kind: "calendar"; unit: "month"; timeZone: string }) =>
    createSlo(members.editor, team.slug, "api", { slug, name: slug, description: "", sli, objective, window, minEvents: 0 });
  await mk("rolling", "ratio", "0.99", { kind: "rolling", days: 30 });
  await mk("calendar", "ratio", "0.999", { kind: "calendar", unit: "month", timeZone: "Europe/Berlin" });
  await mk("exhausted", "ratio", "0.9999", { kind: "rolling", days: 7 });
  await mk("slices", "slices", "0.95", { kind: "rolling", days: 1 });
  const rows = () => prisma().slo.findMany({ where: { service: { teamId: team.id } }, include: { sli: true, service: true }, orderBy: { slug: "asc" } });
  return { at, team, members, token, rows };
}

/** What the evaluator does with its statuses, for this team's SLOs only (evaluateAll would evaluate every test's). */
async function snapshot(rows: Awaited<ReturnType<Awaited<ReturnType<typeof seed>>["rows"]>>, at: Date) {
  await writeSnapshots(rows, await statusesWithDaysOf(rows, at), at);
}

/** Marks every stored snapshot of these SLOs: a status read with good = -1 came from a snapshot. */
async function doctor(ids: string[]) {
  await db().pool.query(`UPDATE slo_status_snapshots SET status = jsonb_set(status::jsonb, '{good}', '-1')::json WHERE slo_id = ANY($1::uuid[])`, [ids]);
}

describe("status snapshots", () => {
  it("read back as exactly what the engine computes, for each kind of SLO, with their sparklines", async () => {
    const { at, rows } = await seed();
    const slos = await rows();
    const live = await statusesWithDaysOf(slos, at);
    expect(live.map((x) => x.status.budget.state)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(live.find((_, i) => slos[i]!.slug === "exhausted")!.status.budget).toMatchObject({ remaining: expect.any(Number) });
    await snapshot(slos, at);
    expect(await prisma().sloStatusSnapshot.count({ where: { sloId: { in: slos.map((s) => s.id) } } })).toBe(4);
    // Served (nothing changed), and equal to the computed statuses in every field, dates as dates.
    expect(await latestStatusesWithDaysOf(slos, at)).toStrictEqual(live);
    await doctor(slos.map((s) => s.id));
    expect((await latestStatusesWithDaysOf(slos, new Date(at.getTime() + 30_000))).map((x) => x.status.good)).toEqual([-1, -1, -1, -1]);
  });

  it("are served only while young enough and never from the future", async () => {
    const { at, rows } = await seed();
    const slos = await rows();
    await snapshot(slos, at);
    await doctor(slos.map((s) => s.id));
    const goods = async (t: Date) => (await latestStatusesWithDaysOf(slos, t)).map((x) => x.status.good);
    expect(await goods(new Date(at.getTime() + SNAPSHOT_MAX_AGE_MS - 1000))).toEqual([-1, -1, -1, -1]);
    expect((await goods(new Date(at.getTime() + SNAPSHOT_MAX_AGE_MS))).every((g) => g > 0)).toBe(true);
    expect((await goods(new Date(at.getTime() - 1000))).every((g) => g > 0)).toBe(true);
  });

  it("are not served after late data, an edit, an exclusion or a policy change; a live pusher's newest minute keeps them", async () => {
    const { at, team, members, token, rows } = await seed();
    const later = new Date(at.getTime() + 20_000);
    const served = async () => (await latestStatusesWithDaysOf(await rows(), later)).map((x) => x.status.good === -1);
    const again = async () => {
      await snapshot(await rows(), at);
      await doctor((await rows()).map((s) => s.id));
      expect(await served()).toEqual([true, true, true, true]);
    };

    // The current minute, as a pusher sends it: the snapshot is "as of" its instant and stays.
    await again();
    await ingestBatch(token, { items: [{ sli: "api/ratio", minute: at.toISOString(), good: 50, total: 100 }] }, later);
    expect(await served()).toEqual([true, true, true, true]);

    // A correction three hours back on the ratio SLI: its three SLOs are computed again, the slices one is not.
    await ingestBatch(token, { items: [{ sli: "api/ratio", minute: new Date(at.getTime() - 180 * MIN).toISOString(), good: 0, total: 100 }] }, later);
    expect(await served()).toEqual([false, false, false, true]); // calendar, exhausted, rolling, slices
    const fresh = (await latestStatusesWithDaysOf(await rows(), later)).find((_, i) => i === 2)!.status;
    expect(fresh.badEvents).toBe(120 + 50 + 100); // the six hours, the current minute, the correction

    // An edit of one SLO's objective: that SLO only.
    await again();
    await updateSlo(members.editor, team.slug, "api", "rolling", { objective: "0.995" });
    expect(await served()).toEqual([true, true, false, true]);

    // An exclusion on the service, and the service's policy (its tier thresholds): every SLO of it.
    await again();
    await createExclusion(members.editor, team.slug, "api", { sli: null, kind: "maintenance", reason: "failover", startsAt: new Date(at.getTime() - 30 * MIN), endsAt: at });
    expect(await served()).toEqual([false, false, false, false]);
    await again();
    await putServicePolicy(members.admin, team.slug, "api", { ...defaultPolicy, thresholds: { caution: 0.3, freeze: 0.05 } });
    expect(await served()).toEqual([false, false, false, false]);
  });

  it("are not stored or served for an SLO without data, whose first data then shows at once", async () => {
    const { at, team, members, token, rows } = await seed();
    await createSli(members.editor, team.slug, "api", { slug: "new", name: "New", description: "", kind: "request_ratio" });
    await createSlo(members.editor, team.slug, "api", { slug: "zz-new", name: "New", description: "", sli: "new", objective: "0.99", window: { kind: "rolling", days: 1 }, minEvents: 0 });
    await snapshot(await rows(), at);
    await doctor((await rows()).map((s) => s.id));
    // Its first minute arrives now (not late): it is computed, not read from an empty snapshot.
    await ingestBatch(token, { items: [{ sli: "api/new", minute: at.toISOString(), good: 99, total: 100 }] }, at);
    const last = (await latestStatusesWithDaysOf(await rows(), new Date(at.getTime() + 30_000))).at(-1)!.status;
    expect(last).toMatchObject({ good: 99, total: 100 });
  });

  it("are what the evaluator stores each minute, and what a team's statuses answer", async () => {
    const { at, team, members, rows } = await seed();
    const slos = await rows();
    const ids = slos.map((s) => s.id);
    await evaluateAll(at, ids);
    const stored = await prisma().sloStatusSnapshot.findMany({ where: { sloId: { in: ids } } });
    expect(stored.map((s) => s.at.toISOString())).toEqual(ids.map(() => at.toISOString()));
    await doctor(ids);
    const answer = await listTeamStatus(members.viewer, team.slug, new Date(at.getTime() + 10_000));
    expect(answer.slos.map((s) => s.status.good)).toEqual([-1, -1, -1, -1]);
    expect(answer.slos.map((s) => s.status.at)).toEqual(ids.map(() => at.toISOString()));
    // /metrics, scraped every few seconds, reads them too.
    const metrics = await renderMetrics(members.viewer, new Date(at.getTime() + 10_000));
    expect(metrics.match(/^burnrate_slo_events\{[^}]*kind="good"[^}]*\} -1$/gm)).toHaveLength(4);
  });

  it("are removed with their SLO", async () => {
    const { at, rows } = await seed();
    const slos = await rows();
    await snapshot(slos, at);
    await prisma().slo.delete({ where: { id: slos[0]!.id } });
    expect(await prisma().sloStatusSnapshot.count({ where: { sloId: { in: slos.map((s) => s.id) } } })).toBe(3);
    // A pass that loaded the SLO before it was deleted skips it instead of failing.
    await snapshot(slos, new Date(at.getTime() + MIN));
    expect(await prisma().sloStatusSnapshot.count({ where: { sloId: { in: slos.map((s) => s.id) } } })).toBe(3);
  });
});
