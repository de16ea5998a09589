import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { exportOpenSlo, importOpenSlo } from "./openslo";

async function populated() {
  const t = await makeTeam(["admin", "editor", "viewer"]);
  const e = t.members.editor;
  await createService(e, t.team.slug, { slug: "payments-api", name: "Payments API", description: "Card payments" });
  await createSli(e, t.team.slug, "payments-api", { slug: "availability", name: "Non-5xx", description: "", kind: "request_ratio" });
  await createSli(e, t.team.slug, "payments-api", { slug: "latency", name: "Under 300 ms", description: "", kind: "latency", latencyThresholdMs: 300 });
  await createSli(e, t.team.slug, "payments-api", { slug: "uptime", name: "Probe slices", description: "", kind: "time_slice", sliceMinutes: 5, sliceTarget: "0.95000000" });
  await createSlo(e, t.team.slug, "payments-api", { slug: "availability-999", name: "Availability", description: "paging SLO", sli: "availability", objective: "0.99900000", window: { kind: "rolling", days: 28 }, minEvents: 50 });
  await createSlo(e, t.team.slug, "payments-api", { slug: "latency-monthly", name: "Latency", description: "", sli: "latency", objective: "0.99000000", window: { kind: "calendar", unit: "month", timeZone: "Europe/Berlin" }, minEvents: 0 });
  await createSlo(e, t.team.slug, "payments-api", { slug: "uptime-99", name: "Uptime", description: "", sli: "uptime", objective: "0.99000000", window: { kind: "rolling", days: 7 }, minEvents: 0 });
  await createService(e, t.team.slug, { slug: "ledger", name: "Ledger", description: "" });
  await createSli(e, t.team.slug, "ledger", { slug: "availability", name: "Writes", description: "", kind: "request_ratio" });
  await createSlo(e, t.team.slug, "ledger", { slug: "availability-9995", name: "Ledger availability", description: "", sli: "availability", objective: "0.99950000", window: { kind: "calendar", unit: "quarter", timeZone: "UTC" }, minEvents: 0 });
  return t;
}

describe("OpenSLO", () => {
  it("exports OpenSLO v1 documents", async () => {
    const t = await populated();
    const yaml = await exportOpenSlo(t.members.viewer, t.team.slug);
    expect(yaml).toContain("apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: payments-api\n");
    expect(yaml).toContain("name: payments-api-availability");
    expect(yaml).toContain("budgetingMethod: Timeslices");
    expect(yaml).toContain("timeSliceWindow: 5m");
    expect(yaml).toContain("duration: 28d");
    expect(yaml).toContain("duration: 1M");
    expect(yaml).toContain("timeZone: Europe/Berlin");
    expect(yaml.split("---\n")).toHaveLength(2 + 4 + 4);
  });

  it("round-trips: export, import into an empty team, export again gives the same definitions", async () => {
    const a = await populated();
    const yaml = await exportOpenSlo(a.members.viewer, a.team.slug);
    const b = await makeTeam(["admin", "editor"]);
    expect(await importOpenSlo(b.members.editor, b.team.slug, yaml)).toEqual({ dataSources: 0, services: 2, slis: 4, slos: 4 });
    expect(await exportOpenSlo(b.members.editor, b.team.slug)).toBe(yaml);
    // Importing again changes nothing.
    await importOpenSlo(b.members.editor, b.team.slug, yaml);
    expect(await exportOpenSlo(b.members.editor, b.team.slug)).toBe(yaml);
    expect(await prisma().slo.count({ where: { service: { teamId: b.team.id } } })).toBe(4);
  });

  it("updates by name and deletes nothing", async () => {
    const a = await populated();
    const yaml = (await exportOpenSlo(a.members.viewer, a.team.slug)).replace("target: 0.999\n", "target: 0.9995\n");
    // Only the payments-api documents (services are exported in slug order: ledger first, 3 documents).
    await importOpenSlo(a.members.editor, a.team.slug, yaml.split("---\n").slice(3).join("---\n"));
    const slo = await prisma().slo.findFirstOrThrow({ where: { slug: "availability-999", service: { teamId: a.team.id } } });
    expect(slo.objective.toString()).toBe("0.9995");
    expect(await prisma().slo.count({ where: { service: { teamId: a.team.id } } })).toBe(4);
  });

  it("round-trips every field an OpenSLO file can carry: data sources (without secrets), thresholds, slices, calendar starts, labels, alert policies", async () => {
    const a = await makeTeam(["editor"]);
    // The file's SLI "requests" names no server: it pulls from the team's data source "default", which has a secret header.
    await prisma().dataSource.create({ data: { teamId: a.team.id, name: "default", type: "Prometheus", url: "http://prometheus:9090", authHeader: "Bearer s3cr3t" } });
    const file = readFileSync(join(__dirname, "testdata/openslo/burnrate/checkout.yaml"), "utf8");
    expect(await importOpenSlo(a.members.editor, a.team.slug, file)).toEqual({ dataSources: 1, services: 1, slis: 4, slos: 5 });
    const yaml = await exportOpenSlo(a.members.editor, a.team.slug);
    expect(yaml).not.toContain("s3cr3t");
    expect(yaml).toContain("startTime: 2024-02-01 00:00:00");
    const stored = await prisma().sli.findFirstOrThrow({ where: { slug: "p99-latency", service: { teamId: a.team.id } } });
    expect(stored).toMatchObject({ source: "prometheus", promUrl: "https://thanos.example.com", thresholdOp: "lt", thresholdValue: 0.3, sliceMinutes: 5, sliceMethod: "count_good" });
    const b = await makeTeam(["editor"]);
    await importOpenSlo(b.members.editor, b.team.slug, yaml);
    expect(await exportOpenSlo(b.members.editor, b.team.slug)).toBe(yaml);
    const sli = await prisma().sli.findFirstOrThrow({ where: { slug: "requests", service: { teamId: b.team.id } }, include: { dataSource: true } });
    expect(sli.dataSource).toMatchObject({ name: "default", url: "http://prometheus:9090", authHeader: null });
  });

  it("an SLO naming an existing service without a Service document leaves the service's name and description alone", async () => {
    const a = await populated();
    const slo = readFileSync(join(__dirname, "testdata/openslo/burnrate/checkout.yaml"), "utf8").split("---\n").filter((d) => d.includes("name: checkout-ratio-slices")).join("");
    await prisma().dataSource.create({ data: { teamId: a.team.id, name: "default", type: "Prometheus", url: "http://prometheus:9090" } });
    await importOpenSlo(a.members.editor, a.team.slug, slo.replace("service: checkout", "service: payments-api"));
    expect(await prisma().service.findFirstOrThrow({ where: { teamId: a.team.id, slug: "payments-api" } })).toMatchObject({ name: "Payments API", description: "Card payments" });
    expect(await prisma().slo.count({ where: { slug: "checkout-ratio-slices", service: { teamId: a.team.id, slug: "payments-api" } } })).toBe(1);
  });

  it("rejects a bad file whole, naming document and field, and writes nothing", async () => {
    const t = await makeTeam(["editor"]);
    const bad = [
      "apiVersion: openslo/v1\nkind: Service\nmetadata: { name: web, displayName: Web }\nspec: { description: '' }",
      "apiVersion: openslo/v1\nkind: SLI\nmetadata: { name: web-ok }\nspec:\n  ratioMetric:\n    counter: true\n    good: { metricSource: { type: Burnrate, spec: { service: web, sli: ok } } }\n    total: { metricSource: { type: Burnrate, spec: { service: web, sli: ok } } }",
      "apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: main }\nspec:\n  service: web\n  indicatorRef: web-ok\n  timeWindow: [{ duration: 30d, isRolling: true }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 1.5 }]",
      "apiVersion: openslo/v2\nkind: AlertPolicy\nmetadata: { name: x }",
    ].join("\n---\n");
    const err = await importOpenSlo(t.members.editor, t.team.slug, bad).catch((e: { status: number; fields: Record<string, string> }) => e);
    expect(err).toMatchObject({ status: 422 });
    expect((err as { fields: Record<string, string> }).fields).toEqual({
      "openslo.yaml: document 4: apiVersion": 'apiVersion "openslo/v2" is not one Burnrate reads: use openslo/v1 or openslo/v1alpha (OpenSLO), or Sloth\'s version: prometheus/v1 or kind PrometheusServiceLevel.',
      "openslo.yaml: SLO main: spec.objectives[0].target": "The objective must be between 0 and 1 (exclusive)",
    });
    expect(await prisma().service.count({ where: { teamId: t.team.id } })).toBe(0);
  });

  it("an SLI whose file names no server imports, and pulls from the team's data source named default once it exists", async () => {
    const t = await makeTeam(["editor"]);
    const file = readFileSync(join(__dirname, "testdata/openslo/burnrate/checkout.yaml"), "utf8");
    await importOpenSlo(t.members.editor, t.team.slug, file);
    const requests = () => prisma().sli.findFirstOrThrow({ where: { slug: "requests", service: { teamId: t.team.id } }, include: { dataSource: true } });
    expect((await requests()).dataSource).toBeNull();
    await prisma().dataSource.create({ data: { teamId: t.team.id, name: "default", type: "Prometheus", url: "http://prometheus:9090" } });
    await importOpenSlo(t.members.editor, t.team.slug, file);
    expect((await requests()).dataSource).toMatchObject({ name: "default" });
  });

  it("refuses YAML bombs and garbage", async () => {
    const t = await makeTeam(["editor"]);
    const bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";
    await expect(importOpenSlo(t.members.editor, t.team.slug, bomb)).rejects.toMatchObject({ status: 422 });
    await expect(importOpenSlo(t.members.editor, t.team.slug, "{{{ not yaml")).rejects.toMatchObject({ status: 422 });
    await expect(importOpenSlo(t.members.editor, t.team.slug, "")).rejects.toMatchObject({ status: 422 });
  });

  it("viewers cannot import; other teams cannot export", async () => {
    const a = await populated();
    const b = await makeTeam(["viewer"]);
    await expect(importOpenSlo(a.members.viewer, a.team.slug, "")).rejects.toMatchObject({ status: 403 });
    await expect(exportOpenSlo(b.members.viewer, a.team.slug)).rejects.toMatchObject({ status: 404 });
  });
});
