// Archive, restore and delete of services, SLIs and SLOs against a real database, each test with
// its own team (docs/domain.md, "Archive and delete"): archived things leave every list, the
// gate's judgement, /metrics and ingestion, keep their data, and come back on restore; deletion is
// for archived things only, typed out, by team admins, and keeps decisions and audit records.
import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makePrometheusSlo, makeTeam, makeTokenActor } from "../testing/factories";
import { syncPrometheusSli } from "../jobs/prometheus-sync";
import { createService, createSli, createSlo, listServices, listSlis, listSlos, updateSlo } from "./catalog";
import { ingestBatch } from "./ingest";
import { askGate } from "./gate";
import { listTeamStatus } from "./team-status";
import { getOverview, getServicePage } from "./overview";
import { renderMetrics } from "./metrics";
import { exportOpenSlo, importOpenSlo } from "./openslo";
import { archiveService, archiveSli, archiveSlo, deleteService, deleteSli, deleteSlo, listArchived, restoreService, restoreSli, restoreSlo } from "./archive";

const minuteAgo = (n = 1) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - n * 60_000).toISOString();

/** A team with service "api": SLIs "ok" and "fast", SLOs "main" (on ok) and "speed" (on fast), a minute of data each. */
async function setup() {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  const e = members.editor;
  await createService(e, team.slug, { slug: "api", name: "API", description: "" });
  for (const [sli, slo] of [["ok", "main"], ["fast", "speed"]] as const) {
    await createSli(e, team.slug, "api", { slug: sli, name: sli.toUpperCase(), description: "", kind: "request_ratio" });
    await createSlo(e, team.slug, "api", { slug: slo, name: `SLO ${slo}`, description: "", sli, objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
  }
  const ingest = await makeTokenActor(team.slug, members.admin, ["ingest"]);
  const gate = await makeTokenActor(team.slug, members.admin, ["gate"]);
  const push = (sli: string, n = 1) => ingestBatch(ingest, { items: [{ sli: `api/${sli}`, minute: minuteAgo(n), good: 90, total: 100 }] });
  await push("ok");
  await push("fast");
  const ask = () => askGate(gate, { service: "api", environment: "production", version: "v1", changeType: "feature", requester: "ci" });
  return { team, members, push, ask, ingest };
}

const audits = async (teamId: string) => (await prisma().auditLog.findMany({ where: { teamId, action: { contains: "." } }, orderBy: { createdAt: "asc" } })).map((a) => a.action);

describe("archiving hides, keeps and restores", () => {
  it("a service: gone from lists, status, overview, /metrics; the gate says it is archived; pushes refused naming the SLI; restore brings back what went with it", async () => {
    const { team, members, push, ask } = await setup();
    const v = members.viewer;
    // An SLO archived on its own before the service stays archived when the service comes back.
    await archiveSlo(members.editor, team.slug, "api", "speed", {});
    expect((await ask()).numbers.slos.map((s) => s.slug)).toEqual(["main"]); // an archived SLO no longer gates

    await archiveService(members.editor, team.slug, "api", {});
    expect(await listServices(v, team.slug)).toEqual([]);
    expect((await listTeamStatus(v, team.slug)).slos).toEqual([]);
    expect((await getOverview(v)).slos.filter((r) => r.team.slug === team.slug)).toEqual([]);
    expect(await renderMetrics(v)).not.toContain(team.slug);
    const page = await getServicePage(v, team.slug, "api");
    expect(page.service.archivedAt).not.toBeNull();
    expect([page.slos, page.slis]).toEqual([[], []]);

    const d = await ask();
    expect(d.service).toBeNull();
    expect(d.decision).toBe("warn"); // the default policy's unknownService
    expect(d.reasons[0]).toContain('service "api" is archived in Burnrate');

    const r = await push("ok", 2);
    expect(r).toMatchObject({ accepted: 0, rejected: [{ index: 0, field: "sli", reason: 'SLI "api/ok" is archived: pushes are refused until it is restored' }] });
    // Nothing new under an archived service, no edits of archived things.
    await expect(createSli(members.editor, team.slug, "api", { slug: "new", name: "N", description: "", kind: "request_ratio" })).rejects.toMatchObject({ status: 409 });
    await expect(updateSlo(members.editor, team.slug, "api", "main", { name: "x" })).rejects.toMatchObject({ status: 409, message: 'SLO "main" is archived: restore it first' });

    const archived = await listArchived(v, team.slug);
    expect(archived.items.map((i) => [i.kind, i.slug, i.withService])).toEqual([
      ["service", "api", false],
      ["sli", "fast", true],
      ["sli", "ok", true],
      ["slo", "main", true],
      ["slo", "speed", false],
    ]);

    await restoreService(members.editor, team.slug, "api", {});
    expect((await listServices(v, team.slug)).map((s) => s.slug)).toEqual(["api"]);
    expect((await listSlis(v, team.slug, "api")).map((s) => s.slug)).toEqual(["fast", "ok"]);
    expect((await listSlos(v, team.slug, "api")).map((s) => s.slug)).toEqual(["main"]);
    expect((await push("ok", 3)).accepted).toBe(1);
    // The data from before is still there: two minutes of "ok" (the archived minute is just missing).
    expect(await prisma().sliBucket.count({ where: { sliId: (await prisma().sli.findFirstOrThrow({ where: { slug: "ok", service: { teamId: team.id } } })).id } })).toBe(2);
    expect((await ask()).service).toMatchObject({ slug: "api" });

    await restoreSlo(members.editor, team.slug, "api", "speed", {});
    expect((await listSlos(v, team.slug, "api")).map((s) => s.slug)).toEqual(["main", "speed"]);
    expect(await audits(team.id)).toEqual(expect.arrayContaining(["slo.archive", "service.archive", "service.restore", "slo.restore"]));
    const entry = await prisma().auditLog.findFirstOrThrow({ where: { teamId: team.id, action: "service.archive" } });
    expect(entry.after).toMatchObject({ archivedWith: { slis: ["fast", "ok"], slos: ["main"] } });
  });

  it("an SLI that live SLOs measure is refused naming them; an SLO on an archived SLI cannot be restored", async () => {
    const { team, members, push } = await setup();
    await expect(archiveSli(members.editor, team.slug, "api", "ok", {})).rejects.toMatchObject({ status: 409, message: 'SLI "ok" is measured by live SLO "main": archive it first' });
    await archiveSlo(members.editor, team.slug, "api", "main", {});
    await archiveSli(members.editor, team.slug, "api", "ok", {});
    expect((await push("ok", 2)).rejected[0]!.reason).toContain('SLI "api/ok" is archived');
    await expect(restoreSlo(members.editor, team.slug, "api", "main", {})).rejects.toMatchObject({ status: 409, message: 'SLI "ok" is archived: restore it first' });
    await expect(archiveSli(members.editor, team.slug, "api", "ok", {})).rejects.toMatchObject({ status: 409, message: 'SLI "ok" is already archived' });
    await restoreSli(members.editor, team.slug, "api", "ok", {});
    await restoreSlo(members.editor, team.slug, "api", "main", {});
    expect((await push("ok", 3)).accepted).toBe(1);
  });

  it("a stale archive is a 409 and changes nothing", async () => {
    const { team, members } = await setup();
    const slo = await updateSlo(members.editor, team.slug, "api", "main", { name: "Renamed" });
    await expect(archiveSlo(members.editor, team.slug, "api", "main", { baseUpdatedAt: new Date(Date.parse(slo.updatedAt) - 1000) })).rejects.toMatchObject({ status: 409 });
    expect((await listSlos(members.viewer, team.slug, "api")).map((s) => s.slug)).toEqual(["main", "speed"]);
  });
});

describe("Prometheus sync and archived SLIs", () => {
  it("an archived SLI is not synced: no query is made and nothing is recorded", async () => {
    // .invalid never resolves: a sync that ran would record an error.
    const { team, members, sliId } = await makePrometheusSlo("https://prometheus.invalid", { badQuery: "vector(0)", totalQuery: "vector(1)" });
    await archiveSlo(members.editor, team.slug, "web", "main", {});
    await archiveSli(members.editor, team.slug, "web", "availability", {});
    expect(await syncPrometheusSli(sliId)).toMatchObject({ buckets: 0 });
    expect(await prisma().sli.findUniqueOrThrow({ where: { id: sliId } })).toMatchObject({ lastSyncAt: null, lastSyncError: null });
    await restoreSli(members.editor, team.slug, "web", "availability", {});
    expect((await syncPrometheusSli(sliId)).error).toBeTruthy();
  });
});

describe("OpenSLO and archived things", () => {
  it("export leaves archived SLOs out; an import naming an archived service changes nothing", async () => {
    const { team, members } = await setup();
    await archiveSlo(members.editor, team.slug, "api", "speed", {});
    const yaml = await exportOpenSlo(members.viewer, team.slug);
    expect(yaml).toContain("displayName: SLO main");
    expect(yaml).not.toContain("displayName: SLO speed");
    await archiveService(members.editor, team.slug, "api", {});
    expect(await exportOpenSlo(members.viewer, team.slug)).toBe("");
    await expect(importOpenSlo(members.editor, team.slug, yaml)).rejects.toMatchObject({ status: 409, message: 'service "api" is archived: restore it (or delete it) first; nothing was applied' });
    expect((await listArchived(members.viewer, team.slug)).items.map((i) => i.slug)).toContain("api");
    expect(await prisma().service.findFirstOrThrow({ where: { teamId: team.id } })).toMatchObject({ name: "API", archivedAt: expect.any(Date) });
  });
});

describe("deleting is permanent, for archived things only, typed out, by team admins", () => {
  it("a service: refused while live, with the wrong name, or by an editor; then its data goes and decisions and audit stay", async () => {
    const { team, members, ask } = await setup();
    const decision = await ask();
    await expect(deleteService(members.admin, team.slug, "api", { confirm: "api" })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("is not archived") });
    await archiveService(members.editor, team.slug, "api", {});
    await expect(deleteService(members.editor, team.slug, "api", { confirm: "api" })).rejects.toMatchObject({ status: 403 });
    await expect(deleteService(members.admin, team.slug, "api", { confirm: "ap" })).rejects.toMatchObject({ status: 422, fields: { confirm: expect.any(String) } });

    const item = (await listArchived(members.viewer, team.slug)).items.find((i) => i.kind === "service")!;
    expect(item.deletion.deleted).toEqual([
      "the service with its 2 SLIs and 2 SLOs, its own policy versions, overrides and freezes",
      "2 minutes of stored data (with their hourly and daily sums)",
      "0 alert state changes of alert history",
    ]);
    expect(item.deletion.kept[0]).toBe("1 gate decision about it, with their text (service name, reasons, numbers)");

    const sliIds = (await prisma().sli.findMany({ where: { service: { teamId: team.id } } })).map((s) => s.id);
    await deleteService(members.admin, team.slug, "api", { confirm: "API" }); // the name works as well as the slug
    expect(await prisma().service.count({ where: { teamId: team.id } })).toBe(0);
    expect(await prisma().slo.count({ where: { service: { teamId: team.id } } })).toBe(0);
    expect(await prisma().sliBucket.count({ where: { sliId: { in: sliIds } } })).toBe(0);
    const kept = await prisma().gateDecision.findUniqueOrThrow({ where: { id: decision.decisionId } });
    expect(kept).toMatchObject({ serviceId: null, serviceName: "api", decision: decision.decision });
    const entry = await prisma().auditLog.findFirstOrThrow({ where: { teamId: team.id, action: "service.delete" } });
    expect(entry.before).toMatchObject({ slug: "api", deleted: { slis: 2, slos: 2, minutes: 2, decisions: 1 } });
    expect(await audits(team.id)).toEqual(expect.arrayContaining(["service.create", "sli.create", "slo.create", "service.archive", "service.delete"]));
  });

  it("an SLI goes with its archived SLOs and its minutes; an SLO alone leaves its SLI's data", async () => {
    const { team, members } = await setup();
    const sli = await prisma().sli.findFirstOrThrow({ where: { slug: "fast", service: { teamId: team.id } } });
    await archiveSlo(members.editor, team.slug, "api", "main", {});
    const main = (await listArchived(members.viewer, team.slug)).items.find((i) => i.slug === "main")!;
    expect(main.deletion.deleted).toEqual(["the SLO", "0 alert state changes of alert history"]);
    expect(main.deletion.kept).toContain("its SLI and the SLI's minute data");
    await deleteSlo(members.admin, team.slug, "api", "main", { confirm: "main" });
    expect(await prisma().sliBucket.count({ where: { sliId: (await prisma().sli.findFirstOrThrow({ where: { slug: "ok", service: { teamId: team.id } } })).id } })).toBe(1);

    await archiveSlo(members.editor, team.slug, "api", "speed", {});
    await archiveSli(members.editor, team.slug, "api", "fast", {});
    const fast = (await listArchived(members.viewer, team.slug)).items.find((i) => i.slug === "fast")!;
    expect(fast.deletion.deleted).toEqual(["the SLI and the 1 archived SLO on it", "1 minute of stored data (with their hourly and daily sums)", "0 alert state changes of alert history"]);
    await deleteSli(members.admin, team.slug, "api", "fast", { confirm: "fast" });
    expect(await prisma().slo.count({ where: { sliId: sli.id } })).toBe(0);
    expect(await prisma().sliBucket.count({ where: { sliId: sli.id } })).toBe(0);
    expect(await audits(team.id)).toEqual(expect.arrayContaining(["slo.delete", "sli.archive", "sli.delete"]));
  });
});

describe("who may", () => {
  it("viewers and tokens cannot archive, restore or delete; another team's admin finds nothing", async () => {
    const { team, members, ingest } = await setup();
    const other = await makeTeam(["admin"]);
    await expect(archiveService(members.viewer, team.slug, "api", {})).rejects.toMatchObject({ status: 403 });
    await expect(archiveSlo(ingest, team.slug, "api", "main", {})).rejects.toMatchObject({ status: 403 });
    await expect(archiveService(other.members.admin, team.slug, "api", {})).rejects.toMatchObject({ status: 404 });
    await archiveService(members.editor, team.slug, "api", {});
    await expect(restoreService(other.members.admin, team.slug, "api", {})).rejects.toMatchObject({ status: 404 });
    await expect(deleteService(other.members.admin, team.slug, "api", { confirm: "api" })).rejects.toMatchObject({ status: 404 });
    await expect(listArchived(other.members.admin, team.slug)).rejects.toMatchObject({ status: 404 });
    await expect(restoreService(members.viewer, team.slug, "api", {})).rejects.toMatchObject({ status: 403 });
    expect(await prisma().service.count({ where: { teamId: team.id, archivedAt: { not: null } } })).toBe(1);
  });
});
