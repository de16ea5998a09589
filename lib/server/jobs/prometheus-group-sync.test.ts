// A grouped SLO pulled from a real Prometheus (docs/grouped-slos.md): one `sum by (route)` query per
// chunk fans out to one member per route, the numbers agree with PromQL per route, and a value
// over the cap is left out with the group's sync error naming the cap and the value; a value removed
// by hand (its member SLO deleted) is left out without one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam } from "../testing/factories";
import { startPrometheus } from "../testing/prometheus-server";
import { archiveSlo, deleteSlo } from "../services/archive";
import { createService } from "../services/catalog";
import { createGroup, getGroup } from "../services/slo-groups";
import { getSloStatus } from "../services/slo-status";
import { syncPrometheusGroup } from "./prometheus-group-sync";
import { syncPrometheusSli } from "./prometheus-sync";

// The stand-in listens on loopback, which the outbound guard refuses unless allowed (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const MIN = 60_000;
const now = new Date(Math.floor(Date.now() / MIN) * MIN);
const start = new Date(now.getTime() - 3 * 60 * MIN);
let prom: Awaited<ReturnType<typeof startPrometheus>>;

beforeAll(async () => {
  // Every 15 s, per route: 25 requests; /orders fails 1 of them throughout, /search 2, /home none.
  const samples = [];
  const fails: Record<string, number> = { "/home": 0, "/orders": 1, "/search": 2 };
  const counters = new Map<string, { ok: number; failed: number }>(Object.keys(fails).map((r) => [r, { ok: 0, failed: 0 }]));
  for (let t = start.getTime(); t <= now.getTime() - 2 * MIN; t += 15_000) {
    for (const [route, f] of Object.entries(fails)) {
      const c = counters.get(route)!;
      c.ok += 25 - f;
      c.failed += f;
      samples.push({ labels: { route, code: "200" }, value: c.ok, at: new Date(t) }, { labels: { route, code: "500" }, value: c.failed, at: new Date(t) });
    }
  }
  prom = await startPrometheus("http_requests", samples);
}, 60_000);

afterAll(async () => {
  await prom?.stop();
});

async function setup(maxMembers: number) {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "web", name: "Web", description: "" });
  const group = await createGroup(members.editor, team.slug, "web", {
    slug: "routes",
    name: "Routes",
    description: "",
    labelKey: "route",
    kind: "request_ratio",
    prometheus: { url: prom.url, badQuery: 'sum by (route) (increase(http_requests_total{code="500"}[1m]))', totalQuery: "sum by (route) (increase(http_requests_total[1m]))" },
    objective: "0.99",
    window: { kind: "rolling", days: 1 },
    minEvents: 0,
    maxMembers,
    idleDays: 7,
  });
  return { team, members, group };
}

describe("Prometheus fan-out of a grouped SLO", () => {
  it("makes a member per route from one query and agrees with PromQL per route", async () => {
    const { team, members, group } = await setup(10);
    const r = await syncPrometheusGroup(group.id, now);
    expect(r.error).toBeUndefined();
    const g = await getGroup(members.viewer, team.slug, "web", "routes");
    expect(g.members.map((m) => m.value)).toEqual(["/home", "/orders", "/search"]);
    for (const m of g.members) {
      const { status } = await getSloStatus(members.viewer, team.slug, "web", m.slo.slug, now);
      const promBad = await prom.instant(`sum_over_time((sum(increase(http_requests_total{code="500",route="${m.value}"}[1m])))[1d:1m])`, now);
      const promTotal = await prom.instant(`sum_over_time((sum(increase(http_requests_total{route="${m.value}"}[1m])))[1d:1m])`, now);
      expect([m.value, status.total, status.badEvents]).toEqual([m.value, promTotal, promBad]);
    }
    // By construction: 100 requests a minute per route, /search fails 8 of them: burn rate 0.08 / 0.01.
    const search = g.members.find((m) => m.value === "/search")!;
    expect((await getSloStatus(members.viewer, team.slug, "web", search.slo.slug, now)).status.burnRates["30m"]).toBeCloseTo(8, 10);
    // Each member reads as synced up to now, as a Prometheus SLI does; a member's own sync runs its group's.
    const sli = await prisma().sli.findUniqueOrThrow({ where: { id: search.sli.id } });
    expect(sli.syncedUntil?.toISOString()).toBe(now.toISOString());
    expect((await syncPrometheusSli(search.sli.id, now)).error).toBeUndefined();
  });

  it("over the cap: the values left out are named in the group's sync error, the others stored", async () => {
    const { team, members, group } = await setup(2);
    const r = await syncPrometheusGroup(group.id, now);
    expect(r.error).toMatch(/group "web\/routes" is at its maximum of 2 live members; 1 value\(s\) left out: "\/search"/);
    const g = await getGroup(members.viewer, team.slug, "web", "routes");
    expect(g.members.map((m) => m.value)).toEqual(["/home", "/orders"]);
    expect(g.prometheus?.lastSyncError).toBe(r.error);
  });

  it("a value removed by deleting its member SLO is left out of later syncs, without a sync error", async () => {
    const { team, members, group } = await setup(10);
    await syncPrometheusGroup(group.id, now);
    const search = (await getGroup(members.viewer, team.slug, "web", "routes")).members.find((m) => m.value === "/search")!;
    await archiveSlo(members.editor, team.slug, "web", search.slo.slug, {});
    await deleteSlo(members.admin, team.slug, "web", search.slo.slug, { confirm: search.slo.slug });
    const kept = await prisma().sliBucket.count({ where: { sliId: search.sli.id } });
    // Pull the same hours again: /search is in the answer, and stays out.
    await prisma().sloGroup.update({ where: { id: group.id }, data: { syncedUntil: null } });
    const live = (await prisma().sli.findMany({ where: { groupId: group.id, archivedAt: null }, select: { id: true } })).map((x) => x.id);
    await prisma().sliBucket.deleteMany({ where: { sliId: { in: live } } });
    const r = await syncPrometheusGroup(group.id, now);
    expect(r.error).toBeUndefined();
    const g = await getGroup(members.viewer, team.slug, "web", "routes");
    expect([g.members.map((m) => m.value), g.prometheus?.lastSyncError]).toEqual([["/home", "/orders"], null]);
    expect(await prisma().sliBucket.count({ where: { sliId: search.sli.id } })).toBe(kept);
    expect(await prisma().sliBucket.count({ where: { sliId: { in: live } } })).toBeGreaterThan(0);
  });
});
