// Definition history against a real database (docs/definition-history.md): which edits start a
// version, who made them, how the charts read history by version or with the current definition,
// and reading a Prometheus SLI's history again. Burn rates are checked by hand with docs/domain.md
// "Burn rate": (bad / total) / (1 - objective).
import { stringify } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultAlerting, type ServiceDef, type SliDef } from "../../domain/definitions";
import { toOpenSlo } from "../../domain/openslo";
import { clockNow } from "../clock";
import { prisma } from "../db/client";
import { setSyncRequester } from "../jobs/sync-requests";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo, getSli, updateSli, updateSlo } from "./catalog";
import { archiveSli, archiveSlo } from "./archive";
import { applyDefinitionFiles } from "./definitions";
import { getDefinitionHistory, rereadSli } from "./definition-history";
import { ingestBatch } from "./ingest";
import { getSloSeries } from "./slo-series";

const MIN = 60_000;

let synced: string[] = [];
beforeEach(() => {
  synced = [];
  setSyncRequester(async (ids) => {
    synced.push(...ids);
    return ids.length;
  });
});
afterEach(() => setSyncRequester(null));

async function world() {
  const t = await makeTeam(["admin", "editor", "viewer"]);
  await createService(t.members.editor, t.team.slug, { slug: "api", name: "API", description: "" });
  await createSli(t.members.editor, t.team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  await createSlo(t.members.editor, t.team.slug, "api", { slug: "main", name: "Main", description: "", sli: "ok", objective: "0.999", window: { kind: "rolling", days: 28 }, minEvents: 0 });
  return t;
}

describe("versions of an SLO", () => {
  it("a new objective starts a version (the first written with it); a rename starts none; each names who and what", async () => {
    const w = await world();
    const slo = await prisma().slo.findFirstOrThrow({ where: { service: { teamId: w.team.id } } });
    await updateSlo(w.members.editor, w.team.slug, "api", "main", { name: "Main renamed" });
    expect(await prisma().definitionVersion.count({ where: { sloId: slo.id } })).toBe(0);

    await updateSlo(w.members.editor, w.team.slug, "api", "main", { objective: "0.995" });
    await updateSlo(w.members.admin, w.team.slug, "api", "main", { objective: "0.99", window: { kind: "calendar", unit: "month", timeZone: "Europe/Berlin" } });
    const rows = await prisma().definitionVersion.findMany({ where: { sloId: slo.id }, orderBy: { version: "asc" } });
    expect(rows.map((r) => [r.version, r.changed, (r.definition as { objective: string }).objective])).toEqual([
      [1, [], "0.999"],
      [2, ["objective"], "0.995"],
      [3, ["objective", "window"], "0.99"],
    ]);
    // Version 1 is the SLO as created; each later one starts at its change.
    expect(rows[0]!.validFrom).toEqual(slo.createdAt);
    expect(rows[1]!.validFrom.getTime()).toBeGreaterThan(slo.createdAt.getTime());

    const history = await getDefinitionHistory(w.members.viewer, w.team.slug, "api", "main");
    expect(history.versions.map((v) => [v.kind, v.version, v.changes])).toEqual([
      ["slo", 3, ["objective: 99.5% → 99%", "window: 28 days rolling → calendar month (Europe/Berlin)"]],
      ["slo", 2, ["objective: 99.9% → 99.5%"]],
      ["slo", 1, []],
    ]);
    const names = await prisma().user.findMany({ where: { id: { in: [w.members.editor, w.members.admin].map((m) => (m as { userId: string }).userId) } } });
    expect(history.versions[0]!.by).toBe(names.find((u) => u.id === (w.members.admin as { userId: string }).userId)!.name || null);
  });

  it("another team's members cannot read it", async () => {
    const w = await world();
    const other = await makeTeam(["admin"]);
    await expect(getDefinitionHistory(other.members.admin, w.team.slug, "api", "main")).rejects.toMatchObject({ status: 404 });
  });

  it("charts judge each step by the version in force then, or all of it by the current definition on request", async () => {
    const w = await world();
    const ingest = await makeTokenActor(w.team.slug, w.members.admin, ["ingest"]);
    const now = new Date(Math.floor(clockNow().getTime() / MIN) * MIN);
    // 60 minutes, 1,000 requests each, 10 failing: an SLI of 99 %.
    const items = Array.from({ length: 60 }, (_, m) => ({ sli: "api/ok", minute: new Date(now.getTime() - (60 - m) * MIN).toISOString(), good: 990, total: 1000 }));
    expect((await ingestBatch(ingest, { items })).accepted).toBe(60);
    await updateSlo(w.members.editor, w.team.slug, "api", "main", { objective: "0.99" });
    // The change is dated 30 minutes back (as if made then), so the range holds both versions.
    const slo = await prisma().slo.findFirstOrThrow({ where: { service: { teamId: w.team.id } } });
    const changedAt = new Date(now.getTime() - 30 * MIN);
    await prisma().definitionVersion.update({ where: { sloId_version: { sloId: slo.id, version: 2 } }, data: { validFrom: changedAt } });

    const range = { from: new Date(now.getTime() - 60 * MIN), to: now };
    const asItWas = await getSloSeries(w.members.viewer, w.team.slug, "api", "main", range);
    expect(asItWas.definition).toBe("as-it-was");
    const before = asItWas.points.filter((p) => Date.parse(p.at) < changedAt.getTime());
    const after = asItWas.points.filter((p) => Date.parse(p.at) >= changedAt.getTime() && p.total > 0);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    // Before: 1 % bad against a 0.1 % budget is a burn rate of 10; after: against 1 %, 1.
    for (const p of before.filter((x) => x.total > 0)) {
      expect(p.objective).toBe(0.999);
      expect(p.burnRate).toBeCloseTo(10, 9);
    }
    for (const p of after) {
      expect(p.objective).toBe(0.99);
      expect(p.burnRate).toBeCloseTo(1, 9);
    }
    expect(asItWas.definitionChanges).toEqual([{ kind: "slo", subject: "main", version: 2, at: changedAt.toISOString(), changes: ["objective: 99.9% → 99%"] }]);

    const current = await getSloSeries(w.members.viewer, w.team.slug, "api", "main", { ...range, definition: "current" });
    expect(current.definition).toBe("current");
    for (const p of current.points.filter((x) => x.total > 0)) {
      expect(p.objective).toBe(0.99);
      expect(p.burnRate).toBeCloseTo(1, 9);
    }
    // The change is still marked: the reader sees that the definition was different then.
    expect(current.definitionChanges).toHaveLength(1);
  });
});

describe("versions of an SLI (SLO as code)", () => {
  const promSli = (total: string): SliDef => ({
    slug: "latency",
    name: "Latency",
    description: "",
    labels: {},
    kind: "latency",
    latencyThresholdMs: 300,
    sliceMinutes: null,
    sliceTarget: null,
    sliceMethod: "count_good",
    source: { kind: "prometheus", dataSource: null, url: "https://prometheus.example.test", goodQuery: "sum(rate(fast[1m]))", badQuery: null, totalQuery: total, threshold: null },
  });
  const files = (total: string, objective = "0.99") => {
    const svc: ServiceDef = {
      slug: "web",
      name: "Web",
      description: "",
      labels: {},
      slis: [promSli(total)],
      slos: [{ slug: "fast", name: "Fast", description: "", labels: {}, sli: "latency", objective, window: { kind: "rolling", days: 28 }, calendarStart: null, minEvents: 0, alerting: defaultAlerting() }],
    };
    return [{ name: "web.yaml", content: toOpenSlo({ dataSources: [], services: [svc] }).map((d) => stringify(d, { lineWidth: 0 })).join("---\n") }];
  };

  it("an apply that changes a query starts an SLI version carrying the commit; an unchanged apply starts none", async () => {
    const t = await makeTeam(["admin", "editor", "viewer"]);
    await applyDefinitionFiles(t.members.editor, t.team.slug, { files: files("sum(rate(all[1m]))"), prune: false, source: "c0ffee1" });
    await applyDefinitionFiles(t.members.editor, t.team.slug, { files: files("sum(rate(all[1m]))"), prune: false, source: "c0ffee2" });
    expect(await prisma().definitionVersion.count({ where: { teamId: t.team.id } })).toBe(0);

    await applyDefinitionFiles(t.members.editor, t.team.slug, { files: files('sum(rate(all{job="web"}[1m]))', "0.995"), prune: false, source: "c0ffee3" });
    const history = await getDefinitionHistory(t.members.viewer, t.team.slug, "web", "fast");
    expect(history.versions.map((v) => [v.kind, v.subject, v.version, v.changes, v.sourceRef])).toEqual(
      expect.arrayContaining([
        ["sli", "latency", 2, ["total query changed"], "c0ffee3"],
        ["slo", "fast", 2, ["objective: 99% → 99.5%"], "c0ffee3"],
      ]),
    );
    const sliV2 = history.versions.find((v) => v.kind === "sli" && v.version === 2)!;
    expect(sliV2.definition).toMatchObject({ totalQuery: 'sum(rate(all{job="web"}[1m]))', source: "prometheus" });
    expect(history.versions).toHaveLength(4);
  });

  it("reading a Prometheus SLI again starts its backfill over, audited; a pushed SLI, a wrong confirmation and a viewer are refused", async () => {
    const t = await makeTeam(["admin", "editor", "viewer"]);
    await applyDefinitionFiles(t.members.editor, t.team.slug, { files: files("sum(rate(all[1m]))"), prune: false });
    const sli = await prisma().sli.findFirstOrThrow({ where: { service: { teamId: t.team.id } } });
    await prisma().sli.update({ where: { id: sli.id }, data: { backfillFrom: new Date(clockNow().getTime() - 28 * 1440 * MIN), syncedUntil: clockNow() } });
    synced = [];

    await expect(rereadSli(t.members.viewer, t.team.slug, "web", "latency", { confirm: "latency" })).rejects.toMatchObject({ status: 403 });
    await expect(rereadSli(t.members.editor, t.team.slug, "web", "latency", { confirm: "latenc" })).rejects.toMatchObject({ status: 422, fields: { confirm: 'must be "latency"' } });
    expect(await prisma().sli.findUniqueOrThrow({ where: { id: sli.id } })).toMatchObject({ backfillFrom: expect.any(Date) });

    const view = await rereadSli(t.members.editor, t.team.slug, "web", "latency", { confirm: "latency" });
    expect(view.slug).toBe("latency");
    expect(await prisma().sli.findUniqueOrThrow({ where: { id: sli.id } })).toMatchObject({ backfillFrom: null, syncedUntil: null });
    expect(synced).toEqual([sli.id]);
    expect(await prisma().auditLog.count({ where: { teamId: t.team.id, action: "sli.reread", targetId: sli.id } })).toBe(1);

    await createService(t.members.editor, t.team.slug, { slug: "api", name: "API", description: "" });
    await createSli(t.members.editor, t.team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    await expect(rereadSli(t.members.editor, t.team.slug, "api", "ok", { confirm: "ok" })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/is pushed/) });
  });
});

describe("editing an SLI (PATCH …/slis/{sli})", () => {
  const prom = { url: "https://prometheus.example.test", goodQuery: "sum(rate(fast[1m]))", totalQuery: "sum(rate(all[1m]))" };
  async function pullWorld() {
    const t = await makeTeam(["admin", "editor", "viewer"]);
    await createService(t.members.editor, t.team.slug, { slug: "web", name: "Web", description: "" });
    await createSli(t.members.editor, t.team.slug, "web", { slug: "latency", name: "Latency", description: "", kind: "latency", latencyThresholdMs: 300, prometheus: { ...prom, authHeader: "Bearer s3cret" } });
    await createSlo(t.members.editor, t.team.slug, "web", { slug: "fast", name: "Fast", description: "", sli: "latency", objective: "0.99", window: { kind: "rolling", days: 28 }, minEvents: 0 });
    synced = [];
    return t;
  }
  const stored = (teamId: string) => prisma().sli.findFirstOrThrow({ where: { service: { teamId }, slug: "latency" } });

  it("a new query or threshold starts a version (minutes so far keep the old one) and syncs at once; a rename starts none; audited", async () => {
    const t = await pullWorld();
    const before = await getSli(t.members.viewer, t.team.slug, "web", "latency");
    const renamed = await updateSli(t.members.editor, t.team.slug, "web", "latency", { name: "Checkout latency", baseUpdatedAt: new Date(before.updatedAt) });
    expect(renamed).toMatchObject({ name: "Checkout latency", prometheus: { totalQuery: prom.totalQuery, hasAuthHeader: true } });
    expect(await prisma().definitionVersion.count({ where: { teamId: t.team.id } })).toBe(0);
    expect(synced).toEqual([]);

    const changed = await updateSli(t.members.editor, t.team.slug, "web", "latency", { latencyThresholdMs: 250, prometheus: { ...prom, goodQuery: 'sum(rate(fast{le="0.25"}[1m]))' } });
    expect(changed.prometheus).toMatchObject({ goodQuery: 'sum(rate(fast{le="0.25"}[1m]))', hasAuthHeader: true });
    expect(synced).toEqual([changed.id]);
    const history = await getDefinitionHistory(t.members.viewer, t.team.slug, "web", "fast");
    const sliVersions = history.versions.filter((v) => v.kind === "sli");
    expect(sliVersions.map((v) => v.version)).toEqual([2, 1]);
    expect(sliVersions[0]!.changes.join(" ")).toMatch(/good query/);
    expect(sliVersions[0]!.definition).toMatchObject({ goodQuery: 'sum(rate(fast{le="0.25"}[1m]))' });
    expect(sliVersions[1]!.definition).toMatchObject({ goodQuery: prom.goodQuery });
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { teamId: t.team.id, action: "sli.update", after: { path: ["latencyThresholdMs"], equals: 250 } } });
    expect(audit.before).toMatchObject({ latencyThresholdMs: 300 });
    // The Authorization header is never in the answer or the audit record.
    expect(JSON.stringify([changed, audit.before, audit.after])).not.toContain("s3cret");
  });

  it("the stored Authorization header stays with its URL: kept while it is the same, dropped for another server unless given", async () => {
    const t = await pullWorld();
    await updateSli(t.members.editor, t.team.slug, "web", "latency", { prometheus: { ...prom, totalQuery: "sum(rate(all2[1m]))" } });
    expect((await stored(t.team.id)).promAuthHeader).toBe("Bearer s3cret");
    await prisma().sli.update({ where: { id: (await stored(t.team.id)).id }, data: { lastSyncError: "could not reach https://prometheus.example.test" } });
    await updateSli(t.members.editor, t.team.slug, "web", "latency", { prometheus: { ...prom, url: "https://thanos.example.test" } });
    // The old server's error is not shown against the new one.
    expect((await stored(t.team.id)).lastSyncError).toBeNull();
    expect(await stored(t.team.id)).toMatchObject({ promUrl: "https://thanos.example.test", promAuthHeader: null });
    await updateSli(t.members.editor, t.team.slug, "web", "latency", { prometheus: { ...prom, url: "https://thanos.example.test", authHeader: "Bearer other" } });
    expect((await stored(t.team.id)).promAuthHeader).toBe("Bearer other");
  });

  it("refuses what the SLI cannot take, naming the field, and changes nothing; viewers, other teams, stale edits and archived SLIs are refused", async () => {
    const t = await pullWorld();
    const row = await stored(t.team.id);
    const edit = (input: Parameters<typeof updateSli>[4], who = t.members.editor, team = t.team.slug) => updateSli(who, team, "web", "latency", input);
    await expect(edit({ threshold: { url: prom.url, query: "histogram_quantile(0.99, x)", op: "lt", value: 0.3 } })).rejects.toMatchObject({ status: 422, fields: { threshold: expect.stringMatching(/measured by a prometheus source/) } });
    await expect(edit({ sliceMinutes: 5 })).rejects.toMatchObject({ status: 422, fields: { sliceMinutes: "Only a time-slice SLI has slices" } });
    await expect(edit({ prometheus: { ...prom, url: "http://169.254.169.254/latest" } })).rejects.toMatchObject({ status: 422, fields: { "prometheus.url": expect.any(String) } });
    await expect(edit({ name: "x" }, t.members.viewer)).rejects.toMatchObject({ status: 403 });
    const other = await makeTeam(["admin"]);
    await expect(edit({ name: "x" }, other.members.admin)).rejects.toMatchObject({ status: 404 });
    await expect(edit({ name: "x", baseUpdatedAt: new Date(row.updatedAt.getTime() - 1000) })).rejects.toMatchObject({ status: 409 });
    expect(await stored(t.team.id)).toEqual(row);
    await archiveSlo(t.members.editor, t.team.slug, "web", "fast", {});
    await archiveSli(t.members.editor, t.team.slug, "web", "latency", {});
    await expect(edit({ name: "x" })).rejects.toMatchObject({ status: 409, message: 'SLI "latency" is archived: restore it first' });

    // A pushed SLI has no source to edit; its name and description still change.
    await createSli(t.members.editor, t.team.slug, "web", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    await expect(updateSli(t.members.editor, t.team.slug, "web", "ok", { prometheus: prom })).rejects.toMatchObject({ status: 422, fields: { prometheus: expect.stringMatching(/is pushed/) } });
    await expect(updateSli(t.members.editor, t.team.slug, "web", "ok", { latencyThresholdMs: 100 })).rejects.toMatchObject({ status: 422, fields: { latencyThresholdMs: "Only a latency SLI has a latency threshold" } });
    expect(await updateSli(t.members.editor, t.team.slug, "web", "ok", { description: "2xx and 3xx of all requests" })).toMatchObject({ description: "2xx and 3xx of all requests" });
  });
});
