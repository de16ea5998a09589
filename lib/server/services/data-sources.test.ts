import http from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outboundAllowSchema } from "../config";
import { prisma } from "../db/client";
import { setSyncRequester } from "../jobs/sync-requests";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo, getSli, updateSli } from "./catalog";
import { createDataSource, deleteDataSource, listDataSources, updateDataSource } from "./data-sources";
import { getDefinitionHistory } from "./definition-history";
import { testPrometheusSource } from "./prometheus-test";

const base = { displayName: "", description: "", type: "Prometheus" as const, labels: {} };

describe("data sources by hand", () => {
  it("keeps the Authorization header write-only, audits changes without it, and refuses URLs Burnrate may not call", async () => {
    const t = await makeTeam(["editor", "viewer"]);
    const created = await createDataSource(t.members.editor, t.team.slug, { ...base, name: "prom-main", url: "https://prometheus.example.test", authHeader: "Bearer s3cret" });
    expect(created).toMatchObject({ name: "prom-main", hasAuthHeader: true, createdByApply: false });
    expect(JSON.stringify(await listDataSources(t.members.viewer, t.team.slug))).not.toContain("s3cret");
    const changed = await updateDataSource(t.members.editor, t.team.slug, "prom-main", { description: "main", authHeader: null });
    expect(changed).toMatchObject({ description: "main", hasAuthHeader: false });
    const audit = await prisma().auditLog.findMany({ where: { teamId: t.team.id, targetType: "data_source" } });
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain("s3cret");
    await expect(createDataSource(t.members.editor, t.team.slug, { ...base, name: "meta", url: "http://169.254.169.254/" })).rejects.toMatchObject({ status: 422, fields: { url: expect.any(String) } });
    await expect(createDataSource(t.members.editor, t.team.slug, { ...base, name: "prom-main", url: "https://other.example.test" })).rejects.toMatchObject({ status: 409 });
    await expect(createDataSource(t.members.viewer, t.team.slug, { ...base, name: "x", url: "https://other.example.test" })).rejects.toMatchObject({ status: 403 });
  });

  it("a data source an SLI uses cannot be removed; a token with 'definitions' manages them", async () => {
    const t = await makeTeam(["admin"]);
    const defs = await makeTokenActor(t.team.slug, t.members.admin, ["definitions"]);
    await createDataSource(defs, t.team.slug, { ...base, name: "prom-main", url: "https://prometheus.example.test" });
    const svc = await prisma().service.create({ data: { teamId: t.team.id, slug: "web", name: "Web" } });
    const ds = await prisma().dataSource.findFirstOrThrow({ where: { teamId: t.team.id, name: "prom-main" } });
    await prisma().sli.create({ data: { serviceId: svc.id, slug: "ok", name: "OK", kind: "request_ratio", source: "prometheus", dataSourceId: ds.id, promBadQuery: "e", promTotalQuery: "t" } });
    await expect(deleteDataSource(defs, t.team.slug, "prom-main")).rejects.toMatchObject({ status: 409, message: 'data source "prom-main" is used by SLI web/ok: give them another source (or delete them) first' });
    await prisma().sli.deleteMany({ where: { serviceId: svc.id } });
    await deleteDataSource(defs, t.team.slug, "prom-main");
    expect(await listDataSources(defs, t.team.slug)).toEqual([]);
  });
});

describe("SLIs that name a data source (docs/slo-as-code.md, Data sources by hand)", () => {
  // A stand-in Prometheus on this machine: it answers every query with no series and records the Authorization header each request carried.
  let server: http.Server;
  let local = "";
  const headers: (string | undefined)[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      headers.push(req.headers.authorization);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "success", data: { resultType: "matrix", result: [] } }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    local = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  let synced: string[] = [];
  beforeEach(() => {
    synced = [];
    headers.length = 0;
    setSyncRequester(async (ids) => (synced.push(...ids), ids.length));
  });
  afterEach(() => setSyncRequester(null));

  const queries = { badQuery: "sum(rate(errors[1m]))", totalQuery: "sum(rate(requests[1m]))" };
  async function world() {
    const t = await makeTeam(["editor", "viewer"]);
    await createDataSource(t.members.editor, t.team.slug, { ...base, name: "prom-main", url: "https://prometheus.example.test", authHeader: "Bearer shared" });
    await createService(t.members.editor, t.team.slug, { slug: "web", name: "Web", description: "" });
    return t;
  }
  const row = (teamId: string, slug = "avail") => prisma().sli.findFirstOrThrow({ where: { service: { teamId }, slug } });

  it("a new SLI reads from a data source by name: it stores the link, not a URL or header of its own, and syncs at once", async () => {
    const t = await world();
    const ds = await prisma().dataSource.findFirstOrThrow({ where: { teamId: t.team.id } });
    const created = await createSli(t.members.editor, t.team.slug, "web", { slug: "avail", name: "Availability", description: "", kind: "request_ratio", prometheus: { dataSource: "prom-main", ...queries } });
    expect(created.prometheus).toMatchObject({ url: null, dataSourceId: ds.id, hasAuthHeader: false, totalQuery: queries.totalQuery });
    expect(await row(t.team.id)).toMatchObject({ dataSourceId: ds.id, promUrl: null, promAuthHeader: null });
    expect(synced).toEqual([created.id]);
    // By id as well as by name; a threshold SLI too.
    const byId = await createSli(t.members.editor, t.team.slug, "web", { slug: "p99", name: "p99", description: "", kind: "time_slice", sliceMinutes: 1, sliceTarget: "0.99", threshold: { dataSource: ds.id, query: "histogram_quantile(0.99, x)", op: "lt", value: 0.3 } });
    expect(byId.prometheus).toMatchObject({ dataSourceId: ds.id, url: null, threshold: { op: "lt", value: 0.3 } });
    // The data source cannot go while SLIs read from it.
    await expect(deleteDataSource(t.members.editor, t.team.slug, "prom-main")).rejects.toMatchObject({ status: 409 });
  });

  it("refuses a data source the team does not have (another team's included) on the dataSource field, and stores nothing", async () => {
    const t = await world();
    const other = await makeTeam(["editor"]);
    await createDataSource(other.members.editor, other.team.slug, { ...base, name: "theirs", url: "https://thanos.example.test" });
    const theirs = await prisma().dataSource.findFirstOrThrow({ where: { teamId: other.team.id } });
    for (const ref of ["theirs", theirs.id, "nope"]) {
      const e = await createSli(t.members.editor, t.team.slug, "web", { slug: "avail", name: "A", description: "", kind: "request_ratio", prometheus: { dataSource: ref, ...queries } }).then(() => null, (x: unknown) => x);
      expect(e, ref).toMatchObject({ status: 422, fields: { "prometheus.dataSource": `no data source "${ref}" in this team: add it under Data sources first, or give a url` } });
    }
    expect(await prisma().sli.count({ where: { service: { teamId: t.team.id } } })).toBe(0);
  });

  it("an edit keeps the data source it names, moves to a URL of its own (the data source's header not carried over) and back; each move is a new version", async () => {
    const t = await world();
    await createSli(t.members.editor, t.team.slug, "web", { slug: "avail", name: "Availability", description: "", kind: "request_ratio", prometheus: { dataSource: "prom-main", ...queries } });
    await createSlo(t.members.editor, t.team.slug, "web", { slug: "avail-slo", name: "Avail", description: "", sli: "avail", objective: "0.999", window: { kind: "rolling", days: 28 }, minEvents: 0 });
    const ds = (await row(t.team.id)).dataSourceId;
    // The same data source and queries, as the edit form sends them: nothing measured changes.
    await updateSli(t.members.editor, t.team.slug, "web", "avail", { name: "Avail", prometheus: { dataSource: "prom-main", ...queries } });
    expect(await row(t.team.id)).toMatchObject({ name: "Avail", dataSourceId: ds, promUrl: null });
    expect(await prisma().definitionVersion.count({ where: { teamId: t.team.id } })).toBe(0);

    await updateSli(t.members.editor, t.team.slug, "web", "avail", { prometheus: { url: "https://thanos.example.test", ...queries } });
    expect(await row(t.team.id)).toMatchObject({ dataSourceId: null, promUrl: "https://thanos.example.test", promAuthHeader: null });
    await updateSli(t.members.editor, t.team.slug, "web", "avail", { prometheus: { dataSource: "prom-main", ...queries } });
    expect(await row(t.team.id)).toMatchObject({ dataSourceId: ds, promUrl: null, promAuthHeader: null });
    expect((await getSli(t.members.viewer, t.team.slug, "web", "avail")).prometheus?.dataSourceId).toBe(ds);
    const versions = (await getDefinitionHistory(t.members.viewer, t.team.slug, "web", "avail-slo")).versions.filter((v) => v.kind === "sli");
    expect(versions.map((v) => v.definition)).toMatchObject([{ dataSource: "prom-main", url: null }, { dataSource: null, url: "https://thanos.example.test" }, { dataSource: "prom-main", url: null }]);
  });

  it("Test query on a data source sends the data source's header to its URL; a header given with it is refused by the schema", async () => {
    const t = await world();
    await prisma().dataSource.updateMany({ where: { teamId: t.team.id }, data: { url: local } });
    const allow = { allow: outboundAllowSchema.parse("127.0.0.1/32") };
    const r = await testPrometheusSource(t.members.editor, t.team.slug, { dataSource: "prom-main", ...queries }, new Date(), allow);
    expect(r).toMatchObject({ ok: true, minutesWithData: 0 });
    expect(headers.length).toBeGreaterThan(0);
    expect(new Set(headers)).toEqual(new Set(["Bearer shared"]));
    // Without the operator's allowance the data source's loopback URL is refused, on the dataSource field.
    await expect(testPrometheusSource(t.members.editor, t.team.slug, { dataSource: "prom-main", ...queries }, new Date(), { allow: outboundAllowSchema.parse("") })).rejects.toMatchObject({ status: 422, fields: { dataSource: expect.stringMatching(/loopback/) } });
    await expect(testPrometheusSource(t.members.viewer, t.team.slug, { dataSource: "prom-main", ...queries })).rejects.toMatchObject({ status: 403 });
  });
});

