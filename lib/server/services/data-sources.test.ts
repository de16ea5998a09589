import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createDataSource, deleteDataSource, listDataSources, updateDataSource } from "./data-sources";

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
