import { readFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultAlerting, type DataSourceDef, type ServiceDef, type SliDef, type SloDef } from "../../domain/definitions";
import { toOpenSlo } from "../../domain/openslo";
import { defaultPolicy } from "../../domain/policy";
import { prisma } from "../db/client";
import { setSyncRequester } from "../jobs/sync-requests";
import { makeTeam, makeTokenActor } from "../testing/factories";
import type { Actor } from "./actor";
import { getAlertSettings, updateAlertSettings } from "./alert-settings";
import { archiveService, restoreService } from "./archive";
import { createService, createSli, createSlo } from "./catalog";
import { applyDefinitionFiles, planDefinitionFiles } from "./definitions";
import { createChannel } from "./notifications";
import { putTeamPolicy } from "./policy";

const sli = (slug: string, over: Partial<SliDef> = {}): SliDef => ({
  slug,
  name: slug,
  description: "",
  labels: {},
  kind: "request_ratio",
  latencyThresholdMs: null,
  sliceMinutes: null,
  sliceTarget: null,
  sliceMethod: "count_good",
  source: { kind: "push" },
  ...over,
});
const slo = (slug: string, sliSlug: string, over: Partial<SloDef> = {}): SloDef => ({
  slug,
  name: slug,
  description: "",
  labels: {},
  sli: sliSlug,
  objective: "0.999",
  window: { kind: "rolling", days: 28 },
  calendarStart: null,
  minEvents: 0,
  alerting: defaultAlerting(),
  ...over,
});
const service = (slug: string, slis: SliDef[], slos: SloDef[]): ServiceDef => ({ slug, name: slug, description: "", labels: {}, slis, slos });
/** A real OpenSLO v1 file holding these definitions, written as the export writes it (the real reader then parses it). */
const file = (name: string, v: { dataSources?: DataSourceDef[]; services?: ServiceDef[] }) => ({
  name,
  content: toOpenSlo({ dataSources: v.dataSources ?? [], services: v.services ?? [] })
    .map((d) => stringify(d, { lineWidth: 0 }))
    .join("---\n"),
});
const input = (files: { name: string; content: string }[], more: { prune?: boolean; source?: string } = {}) => ({ files, prune: more.prune ?? false, source: more.source });

const payments = (objective = "0.999") => service("payments", [sli("availability")], [slo("availability-999", "availability", { objective })]);
const promSource: DataSourceDef = { name: "prom-main", displayName: "Main Prometheus", description: "", type: "Prometheus", url: "https://prometheus.example.test", labels: {} };
const pullSli = sli("latency", { kind: "latency", latencyThresholdMs: 300, source: { kind: "prometheus", dataSource: "prom-main", url: null, goodQuery: "sum(rate(fast[1m]))", badQuery: null, totalQuery: "sum(rate(all[1m]))", threshold: null } });
const summary = (p: { changes: { action: string; kind: string; name: string }[] }) => p.changes.map((c) => `${c.action} ${c.kind} ${c.name}`);

let synced: string[] = [];
beforeEach(() => {
  synced = [];
  setSyncRequester(async (ids) => {
    synced.push(...ids);
    return ids.length;
  });
});
afterEach(() => setSyncRequester(null));

async function counts(teamId: string) {
  const where = { service: { teamId } };
  return {
    services: await prisma().service.count({ where: { teamId, archivedAt: null } }),
    slis: await prisma().sli.count({ where: { ...where, archivedAt: null } }),
    slos: await prisma().slo.count({ where: { ...where, archivedAt: null } }),
  };
}

describe("SLO as code: plan and apply", () => {
  it("plans creates on an empty team and changes nothing", async () => {
    const t = await makeTeam(["editor", "viewer"]);
    const files = [file("slos/payments.yaml", { dataSources: [promSource], services: [service("web", [pullSli], [slo("fast", "latency")]), payments()] })];
    const plan = await planDefinitionFiles(t.members.viewer, t.team.slug, input(files));
    expect(summary(plan)).toEqual([
      "create data-source prom-main",
      "create service payments",
      "create service web",
      "create sli payments/availability",
      "create sli web/latency",
      "create slo payments/availability-999",
      "create slo web/fast",
    ]);
    expect(plan).toMatchObject({ unchanged: 0, applied: false, warnings: [] });
    expect(await counts(t.team.id)).toEqual({ services: 0, slis: 0, slos: 0 });
    expect(await prisma().dataSource.count({ where: { teamId: t.team.id } })).toBe(0);
  });

  it("applies: creates marked as apply-made, one audit record per change with the caller and source, then a plan shows nothing to do", async () => {
    const t = await makeTeam(["editor"]);
    const files = [file("slos/web.yaml", { dataSources: [promSource], services: [service("web", [pullSli], [slo("fast", "latency")])] })];
    const applied = await applyDefinitionFiles(t.members.editor, t.team.slug, input(files, { source: "abc123" }));
    expect(applied.applied).toBe(true);
    expect(summary(applied)).toEqual(["create data-source prom-main", "create service web", "create sli web/latency", "create slo web/fast"]);

    const svc = await prisma().service.findFirstOrThrow({ where: { teamId: t.team.id, slug: "web" }, include: { slis: { include: { dataSource: true } }, slos: true } });
    expect(svc.createdByApply).toBe(true);
    expect(svc.slis[0]).toMatchObject({ createdByApply: true, source: "prometheus", promUrl: null, promGoodQuery: "sum(rate(fast[1m]))", dataSource: { name: "prom-main", createdByApply: true } });
    expect(svc.slos[0]).toMatchObject({ createdByApply: true });
    expect(synced).toEqual([svc.slis[0]!.id]);

    const audit = await prisma().auditLog.findMany({ where: { teamId: t.team.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => `${a.action} ${a.targetType}`).sort()).toEqual(["definitions.create data_source", "definitions.create service", "definitions.create sli", "definitions.create slo"]);
    for (const a of audit) expect(a).toMatchObject({ sourceRef: "abc123", actorUserId: (t.members.editor as Actor & { kind: "user" }).userId });
    expect(audit.find((a) => a.targetType === "slo")!.after).toMatchObject({ slug: "fast", objective: "0.999", window: { kind: "rolling", days: 28 } });

    const again = await planDefinitionFiles(t.members.editor, t.team.slug, input(files));
    expect(again).toEqual({ changes: [], unchanged: 4, kept: [], warnings: [], applied: false });
  });

  it("a changed objective shows old and new, and its apply audits them; an equal decimal is no change", async () => {
    const t = await makeTeam(["editor"]);
    await applyDefinitionFiles(t.members.editor, t.team.slug, input([file("a.yaml", { services: [payments("0.999")] })]));
    expect((await planDefinitionFiles(t.members.editor, t.team.slug, input([file("a.yaml", { services: [payments("0.99900000")] })]))).changes).toEqual([]);
    const plan = await planDefinitionFiles(t.members.editor, t.team.slug, input([file("a.yaml", { services: [payments("0.9995")] })]));
    expect(plan.changes).toEqual([{ action: "change", kind: "slo", name: "payments/availability-999", fields: [{ field: "objective", old: "0.999", new: "0.9995" }] }]);
    expect(plan.unchanged).toBe(2);

    await applyDefinitionFiles(t.members.editor, t.team.slug, input([file("a.yaml", { services: [payments("0.9995")] })], { source: "def456" }));
    const row = await prisma().slo.findFirstOrThrow({ where: { service: { teamId: t.team.id }, slug: "availability-999" } });
    expect(row.objective.toString()).toBe("0.9995");
    const change = await prisma().auditLog.findFirstOrThrow({ where: { teamId: t.team.id, action: "definitions.change" } });
    expect(change).toMatchObject({ targetType: "slo", targetId: row.id, before: { objective: "0.999" }, after: { objective: "0.9995" }, sourceRef: "def456" });
  });

  it("prune archives what an apply created and the files dropped, never what people made by hand", async () => {
    const t = await makeTeam(["editor"]);
    const e = t.members.editor;
    await applyDefinitionFiles(e, t.team.slug, input([file("a.yaml", { services: [payments(), service("old", [sli("xs")], [slo("xs-99", "xs")])] })]));
    // By hand: a service, and an SLO inside the apply-made service.
    await createService(e, t.team.slug, { slug: "manual", name: "Manual", description: "" });
    await createSli(e, t.team.slug, "manual", { slug: "m", name: "M", description: "", kind: "request_ratio" });
    await createSlo(e, t.team.slug, "payments", { slug: "by-hand", name: "By hand", description: "", sli: "availability", objective: "0.99", window: { kind: "rolling", days: 7 }, minEvents: 0 });

    const files = [file("a.yaml", { services: [service("payments", [sli("availability")], [])] })];
    expect(summary(await applyDefinitionFiles(e, t.team.slug, input(files)))).toEqual([]); // without prune nothing goes
    const plan = await planDefinitionFiles(e, t.team.slug, input(files, { prune: true }));
    expect(summary(plan)).toEqual(["delete service old", "delete sli old/xs", "delete slo old/xs-99", "delete slo payments/availability-999"]);
    await applyDefinitionFiles(e, t.team.slug, input(files, { prune: true, source: "prune-1" }));

    const live = await prisma().service.findMany({ where: { teamId: t.team.id, archivedAt: null }, include: { slos: { where: { archivedAt: null } } }, orderBy: { slug: "asc" } });
    expect(live.map((s) => [s.slug, s.slos.map((o) => o.slug)])).toEqual([
      ["manual", []],
      ["payments", ["by-hand"]],
    ]);
    // Archived, not deleted: the service and its SLI and SLO share one instant, so a restore brings them back.
    const old = await prisma().service.findFirstOrThrow({ where: { teamId: t.team.id, slug: "old" }, include: { slis: true, slos: true } });
    expect(old.archivedAt).not.toBeNull();
    expect(old.slis[0]!.archivedAt?.getTime()).toBe(old.archivedAt!.getTime());
    expect(old.slos[0]!.archivedAt?.getTime()).toBe(old.archivedAt!.getTime());
    expect(await prisma().auditLog.count({ where: { teamId: t.team.id, action: "definitions.delete", sourceRef: "prune-1" } })).toBe(4);
    await restoreService(e, t.team.slug, "old", {});
    expect(await counts(t.team.id)).toEqual({ services: 3, slis: 3, slos: 2 });
  });

  it("a file with a problem changes nothing: 422 naming the file, document and field", async () => {
    const t = await makeTeam(["editor"]);
    const bad = [
      file("a.yaml", { services: [payments()] }),
      file("b.yaml", { services: [service("web", [sli("xs", { source: { kind: "prometheus", dataSource: "nowhere", url: null, goodQuery: null, badQuery: "e", totalQuery: "t", threshold: null } })], [slo("xs-99", "xs")])] }),
    ];
    const err = await applyDefinitionFiles(t.members.editor, t.team.slug, input(bad)).catch((e: unknown) => e);
    expect(err).toMatchObject({
      status: 422,
      message: "Nothing was applied: b.yaml: SLI web/xs: source.dataSource: SLI web/xs names data source nowhere, which neither these files nor the team define.",
      fields: { "b.yaml: SLI web/xs: source.dataSource": "SLI web/xs names data source nowhere, which neither these files nor the team define." },
    });
    // A problem the reader finds (an objective above 100%) is named the same way.
    const parserProblem = { name: "c.yaml", content: file("c.yaml", { services: [payments()] }).content.replace("target: 0.999", "target: 1.5") };
    const refused = (await planDefinitionFiles(t.members.editor, t.team.slug, input([parserProblem])).catch((e: unknown) => e)) as { status: number; fields: Record<string, string> };
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.fields)).toEqual([expect.stringMatching(/^c\.yaml: SLO availability-999: spec\.objectives\[0\]\.target$/)]);
    // A URL Burnrate may not call is refused like one typed into the form.
    const local = file("d.yaml", { dataSources: [{ ...promSource, url: "http://169.254.169.254/" }] });
    await expect(applyDefinitionFiles(t.members.editor, t.team.slug, input([local]))).rejects.toMatchObject({ status: 422 });
    expect(await counts(t.team.id)).toEqual({ services: 0, slis: 0, slos: 0 });
    expect(await prisma().auditLog.count({ where: { teamId: t.team.id } })).toBe(0);
  });

  it("reads real OpenSLO files through the parser", async () => {
    const t = await makeTeam(["editor"]);
    const yaml = [
      "apiVersion: openslo/v1\nkind: Service\nmetadata: { name: web, displayName: Web }\nspec: { description: '' }",
      "apiVersion: openslo/v1\nkind: SLI\nmetadata: { name: web-ok }\nspec:\n  ratioMetric:\n    counter: true\n    good: { metricSource: { type: Burnrate, spec: { service: web, sli: ok } } }\n    total: { metricSource: { type: Burnrate, spec: { service: web, sli: ok } } }",
      "apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: web-99 }\nspec:\n  service: web\n  indicatorRef: web-ok\n  timeWindow: [{ duration: 28d, isRolling: true }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.99 }]",
    ].join("\n---\n");
    const r = await applyDefinitionFiles(t.members.editor, t.team.slug, input([{ name: "web.yaml", content: yaml }]));
    expect(summary(r)).toEqual(["create service web", "create sli web/web-ok", "create slo web/web-99"]);
    await expect(planDefinitionFiles(t.members.editor, t.team.slug, input([{ name: "bad.yaml", content: "apiVersion: nope/v9\nkind: SLO\n" }]))).rejects.toMatchObject({ status: 422, message: /^Nothing was applied: bad\.yaml: document 1: apiVersion: / });
  });

  it("an apply keeps what its file cannot state (alert tuning, the low-traffic guard) as the team set it in Burnrate; what the file states, it sets", async () => {
    const t = await makeTeam(["editor"]);
    // Sloth's own getting-started example: it has no field for tuning, no-data or budget alerts, or minimum events.
    const sloth = { name: "getting-started.yml", content: readFileSync(path.join(import.meta.dirname, "testdata/sloth/examples/getting-started.yml"), "utf8") };
    await applyDefinitionFiles(t.members.editor, t.team.slug, input([sloth]));
    const first = await getAlertSettings(t.members.editor, t.team.slug, "myservice", "requests-availability");
    const tuned = { rules: [{ factor: 10 }, { long: "2h" as const, short: "5m" as const }], page: { enabled: true }, ticket: { enabled: true }, minEvents: 50, noData: { enabled: true }, budgetBelow: { enabled: true, percent: 20 } };
    await updateAlertSettings(t.members.editor, t.team.slug, "myservice", "requests-availability", { ...tuned, baseUpdatedAt: new Date(first.updatedAt) });

    // The same file from CI again: nothing to do, and the tuning is still there.
    expect(await planDefinitionFiles(t.members.editor, t.team.slug, input([sloth]))).toMatchObject({
      changes: [],
      unchanged: 3,
      // ...and the plan says so, naming what was kept.
      kept: [{ kind: "slo", name: "myservice/requests-availability", settings: ["tuning", "minEvents"], message: "SLO myservice/requests-availability keeps its alert tuning and low-traffic guard (minimum events) as set in Burnrate: the files do not state them." }],
    });
    await applyDefinitionFiles(t.members.editor, t.team.slug, input([sloth]));
    const kept = await getAlertSettings(t.members.editor, t.team.slug, "myservice", "requests-availability");
    expect(kept).toMatchObject({ overrides: tuned.rules, minEvents: 50, noData: { enabled: true }, budgetBelow: { enabled: true, percent: 20 } });
    expect(kept.rules[0]!.factor).toBe(10);

    // What the file does state still applies over the settings page: Sloth's page_alert.disable.
    const noPage = { ...sloth, content: sloth.content.replace("      page_alert:\n", "      page_alert:\n        disable: true\n") };
    expect(noPage.content).not.toBe(sloth.content);
    const plan = await applyDefinitionFiles(t.members.editor, t.team.slug, input([noPage]));
    expect(plan.changes).toEqual([{ action: "change", kind: "slo", name: "myservice/requests-availability", fields: [{ field: "alerting.page.enabled", old: true, new: false }] }]);
    expect(await getAlertSettings(t.members.editor, t.team.slug, "myservice", "requests-availability")).toMatchObject({ page: { enabled: false }, overrides: tuned.rules, minEvents: 50 });

    // OpenSLO states the tuning only in Burnrate's annotations: without them it is kept; with them (an export) it is set.
    const bare = file("web.yaml", { services: [payments()] });
    await applyDefinitionFiles(t.members.editor, t.team.slug, input([bare]));
    const p0 = await getAlertSettings(t.members.editor, t.team.slug, "payments", "availability-999");
    await updateAlertSettings(t.members.editor, t.team.slug, "payments", "availability-999", { ...tuned, baseUpdatedAt: new Date(p0.updatedAt) });
    expect(await planDefinitionFiles(t.members.editor, t.team.slug, input([bare]))).toMatchObject({ changes: [] });
    const stated = file("web.yaml", { services: [service("payments", [sli("availability")], [slo("availability-999", "availability", { minEvents: 5, alerting: { ...defaultAlerting(), rules: [{ factor: 12 }] } })])] });
    expect(stated.content).toContain("burnrate.dev/alert-tuning");
    const set = await applyDefinitionFiles(t.members.editor, t.team.slug, input([stated]));
    expect(set.changes[0]!.fields!.map((f) => f.field).sort()).toEqual(["alerting.budgetBelow.enabled", "alerting.budgetBelow.percent", "alerting.noData.enabled", "alerting.rules", "minEvents"]);
    expect(await getAlertSettings(t.members.editor, t.team.slug, "payments", "availability-999")).toMatchObject({ overrides: [{ factor: 12 }], minEvents: 5, noData: { enabled: false }, budgetBelow: { enabled: false, percent: 25 } });
  });

  it("refuses (409, nothing changed) to create what is archived: restore it first", async () => {
    const t = await makeTeam(["editor"]);
    await applyDefinitionFiles(t.members.editor, t.team.slug, input([file("a.yaml", { services: [payments()] })]));
    await archiveService(t.members.editor, t.team.slug, "payments", {});
    const files = [file("a.yaml", { services: [payments(), service("web", [], [])] })];
    const plan = await planDefinitionFiles(t.members.editor, t.team.slug, input(files));
    expect(plan.warnings.map((w) => w.message)).toEqual(['The files name service "payments", which is archived: restore it (or delete it) before applying, or the apply is refused.']);
    await expect(applyDefinitionFiles(t.members.editor, t.team.slug, input(files))).rejects.toMatchObject({ status: 409, message: 'service "payments" is archived: restore it (or delete it) first; nothing was applied' });
    expect(await prisma().service.count({ where: { teamId: t.team.id, slug: "web" } })).toBe(0);
  });

  it("a service an OpenSLO file and a Sloth file name the same way is applied once, with the SLIs and SLOs of both", async () => {
    const t = await makeTeam(["editor"]);
    const sloth = [
      'version: "prometheus/v1"',
      "service: web",
      "slos:",
      "  - name: b1",
      "    objective: 99.5",
      "    sli:",
      "      events:",
      '        error_query: sum(rate(http_requests_total{job="web",code=~"5.."}[{{.window}}]))',
      '        total_query: sum(rate(http_requests_total{job="web"}[{{.window}}]))',
      "    alerting:",
      "      name: WebErrors",
      "",
    ].join("\n");
    const files = [file("openslo.yaml", { dataSources: [promSource], services: [service("web", [sli("aa")], [slo("a1", "aa")])] }), { name: "sloth.yaml", content: sloth }];
    const r = await applyDefinitionFiles(t.members.editor, t.team.slug, input(files));
    expect(summary(r)).toEqual(["create data-source prom-main", "create service web", "create sli web/aa", "create sli web/b1", "create slo web/a1", "create slo web/b1"]);
    expect(await counts(t.team.id)).toEqual({ services: 1, slis: 2, slos: 2 });
  });

  it("two applies at once run one after the other: no duplicate, no failure", async () => {
    const t = await makeTeam(["editor"]);
    const files = [file("a.yaml", { services: [payments(), service("web", [sli("aa"), sli("bb")], [slo("a1", "aa"), slo("b1", "bb")])] })];
    const [a, b] = await Promise.all([applyDefinitionFiles(t.members.editor, t.team.slug, input(files)), applyDefinitionFiles(t.members.editor, t.team.slug, input(files))]);
    // The second saw the first's rows (its plan was made after the first committed).
    expect([a.changes.length, b.changes.length].sort()).toEqual([0, 8]);
    expect(await counts(t.team.id)).toEqual({ services: 2, slis: 3, slos: 3 });
    expect(await prisma().auditLog.count({ where: { teamId: t.team.id } })).toBe(8);
  });

  it("an apply that cannot get the team within 5 s answers 409 and changes nothing", async () => {
    const t = await makeTeam(["editor"]);
    await prisma().$transaction(
      async (tx) => {
        // Another apply holds the team.
        await tx.$queryRaw`SELECT id FROM teams WHERE id = ${t.team.id}::uuid FOR NO KEY UPDATE`;
        await expect(applyDefinitionFiles(t.members.editor, t.team.slug, input([file("a.yaml", { services: [payments()] })]))).rejects.toMatchObject({
          status: 409,
          message: "another apply to this team is under way; nothing was applied, try again when it is done",
        });
      },
      { timeout: 20_000 },
    );
    expect(await counts(t.team.id)).toEqual({ services: 0, slis: 0, slos: 0 });
  });

  it("tokens: 'definitions' applies (audited as the token), 'read' plans but cannot apply, another team's token is not found", async () => {
    const t = await makeTeam(["admin"]);
    const other = await makeTeam(["admin"]);
    const defs = await makeTokenActor(t.team.slug, t.members.admin, ["definitions"]);
    const read = await makeTokenActor(t.team.slug, t.members.admin, ["read", "ingest", "gate"]);
    const foreign = await makeTokenActor(other.team.slug, other.members.admin, ["definitions", "read"]);
    const files = [file("a.yaml", { services: [payments()] })];

    expect(summary(await planDefinitionFiles(read, t.team.slug, input(files)))).toHaveLength(3);
    await expect(applyDefinitionFiles(read, t.team.slug, input(files))).rejects.toMatchObject({ status: 403, message: 'this token lacks the "definitions" scope' });
    await expect(applyDefinitionFiles(foreign, t.team.slug, input(files))).rejects.toMatchObject({ status: 404 });
    await expect(planDefinitionFiles(foreign, t.team.slug, input(files))).rejects.toMatchObject({ status: 404 });
    const ingestOnly = await makeTokenActor(t.team.slug, t.members.admin, ["ingest"]);
    await expect(planDefinitionFiles(ingestOnly, t.team.slug, input(files))).rejects.toMatchObject({ status: 403 });

    await applyDefinitionFiles(defs, t.team.slug, input(files, { source: "ci-run-7" }));
    const audit = await prisma().auditLog.findMany({ where: { teamId: t.team.id, action: "definitions.create" } });
    expect(audit).toHaveLength(3);
    for (const a of audit) expect(a).toMatchObject({ actorUserId: null, actorToken: (defs as Actor & { kind: "token" }).tokenId, sourceRef: "ci-run-7" });
  });

  it("people: editors apply, viewers only plan", async () => {
    const t = await makeTeam(["editor", "viewer"]);
    const files = [file("a.yaml", { services: [payments()] })];
    await expect(applyDefinitionFiles(t.members.viewer, t.team.slug, input(files))).rejects.toMatchObject({ status: 403 });
    expect((await planDefinitionFiles(t.members.viewer, t.team.slug, input(files))).changes).toHaveLength(3);
  });

  it("the 'definitions' scope also works on the catalog, policies and channels; a 'read' token still cannot change them", async () => {
    const t = await makeTeam(["admin"]);
    const defs = await makeTokenActor(t.team.slug, t.members.admin, ["definitions"]);
    const read = await makeTokenActor(t.team.slug, t.members.admin, ["read"]);
    await createService(defs, t.team.slug, { slug: "web", name: "Web", description: "" });
    await createSli(defs, t.team.slug, "web", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    const created = await createSlo(defs, t.team.slug, "web", { slug: "main", name: "Main", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 7 }, minEvents: 0 });
    expect(created.slug).toBe("main");
    const policy = await putTeamPolicy(defs, t.team.slug, defaultPolicy);
    expect(policy.version).toBe(1);
    await createChannel(defs, t.team.slug, { name: "ops", kind: "slack", url: "https://hooks.example.test/x" });
    await expect(createService(read, t.team.slug, { slug: "nope", name: "Nope", description: "" })).rejects.toMatchObject({ status: 403, message: 'this token lacks the "definitions" scope' });
    await expect(putTeamPolicy(read, t.team.slug, defaultPolicy)).rejects.toMatchObject({ status: 403 });

    // Channels the SLO names: a known one is fine, an unknown one is a warning.
    const withChannels = service("web", [sli("ok")], [slo("main", "ok", { objective: "0.99", window: { kind: "rolling", days: 7 }, alerting: { ...defaultAlerting(), channels: ["ops", "pager"] } })]);
    const plan = await planDefinitionFiles(defs, t.team.slug, input([file("web.yaml", { services: [withChannels] })]));
    expect(plan.warnings).toEqual([{ file: "web.yaml", document: "SLO web/main", message: "SLO web/main notifies channel pager, which the team does not have: its alerts go nowhere until a channel of that name is added." }]);
  });
});
