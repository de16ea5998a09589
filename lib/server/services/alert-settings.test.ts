// Alert settings and the alert backtest on a real database: settings are stored with their audit
// record and read by the status; the backtest reads the stored minutes (exclusions left out) and
// the incidents linked to the SLO, and changes nothing.
import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { alertSettingsInputSchema, type AlertSettingsInput } from "../../schemas/alert-settings";
import { getAlertSettings, runAlertBacktest, updateAlertSettings } from "./alert-settings";
import { createExclusion, createService, createSli, createSlo } from "./catalog";
import { createIncident } from "./incidents";
import { ingestBatch } from "./ingest";
import { getSloStatus } from "./slo-status";
import { alertBacktestInputSchema } from "../../schemas/alert-settings";

const at = new Date("2026-06-01T00:00:00Z");
const MIN = 60_000;
const ago = (m: number) => new Date(at.getTime() - m * MIN);
/** The burst: 30 minutes at 10 bad of 100 (a 10x burn of a 99 % SLO) from 120 minutes before `at`. */
const BURST = { start: 120, minutes: 30 };

// 99 % over a rolling day: factors (docs/domain.md, budget % / 100 x P / long, P = 1,440 min)
// 0.48 (1 h), 0.2 (6 h), 0.1 (1 d), 0.0333 (3 d). 100 events a minute for 6 hours; t minutes
// into the burst the 1 h window (full of clean traffic) burns 10t / 6,000 / 0.01 = t / 6, above
// 0.48 first at t = 3 (the 5-minute window: 30 / 500 / 0.01 = 6): the 1 h page fires 3 minutes in.
// The longer windows reach back before the data (4 clean hours, 24,000 events): 6 h: 10t /
// (24,000 + 100t) / 0.01 > 0.2 -> t = 5; 1 d: > 0.1 -> t = 3; 3 d: > 0.0333 -> t = 1 (10 / 24,100 /
// 0.01 = 0.0415): with only hours of data the 3 d ticket is the most sensitive row.
async function seed() {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  await createSli(members.editor, team.slug, "api", { slug: "sli", name: "SLI", description: "", kind: "request_ratio" });
  const token = await makeTokenActor(team.slug, members.admin, ["ingest", "read"]);
  const items = Array.from({ length: 360 }, (_, i) => {
    const m = i + 1; // minutes before `at`
    const bad = m <= BURST.start && m > BURST.start - BURST.minutes ? 10 : 0;
    return { sli: "api/sli", minute: ago(m).toISOString(), good: 100 - bad, total: 100 };
  });
  await ingestBatch(token, { items }, at);
  const slo = (await createSlo(members.editor, team.slug, "api", { slug: "slo", name: "SLO", description: "", sli: "sli", objective: "0.99", window: { kind: "rolling", days: 1 }, minEvents: 0 }))!;
  const incident = (s: string, startedAt: Date, resolvedAt: Date, slos: string[]) =>
    createIncident(members.editor, team.slug, { title: s, severity: "SEV2", status: "resolved", summary: "", startedAt, detectedAt: null, mitigatedAt: null, resolvedAt, slos, roles: {} });
  await incident("burst", ago(BURST.start), ago(BURST.start - BURST.minutes), ["api/slo"]);
  await incident("another SLO's", ago(300), ago(290), []);
  return { team, members, slo };
}

const input = (over: Record<string, unknown> = {}): AlertSettingsInput =>
  alertSettingsInputSchema.parse({ rules: [], page: { enabled: true }, ticket: { enabled: true }, minEvents: 0, noData: { enabled: false }, budgetBelow: { enabled: false, percent: 25 }, ...over });
const backtest = (v: unknown = {}) => alertBacktestInputSchema.parse({ from: ago(360).toISOString(), to: at.toISOString(), ...(v as object) });

describe("alert backtest on stored minutes", () => {
  it("finds the linked incident with each row's delay by hand; other incidents are not its", async () => {
    const { team, members } = await seed();
    const r = await runAlertBacktest(members.viewer, team.slug, "api", "slo", backtest());
    expect(r.current.incidents.map((i) => [i.title, i.firstAlertMinutes])).toEqual([["burst", 1]]);
    expect(r.current.incidents[0]!.delays.map((d) => d.delayMinutes)).toEqual([3, 5, 3, 1]);
    expect(r.current.badEvents).toBe(300);
    // The first burst minute burned before anything fired.
    expect(r.current.unalerted.badEvents).toBe(10);
    expect(r.current.noise).toBe(0);
    expect(r.proposed).toBeNull();
  });

  it("proposed settings are replayed beside the current ones and change nothing stored", async () => {
    const { team, members, slo } = await seed();
    const before = await prisma().slo.findUniqueOrThrow({ where: { id: slo.id } });
    const r = await runAlertBacktest(members.viewer, team.slug, "api", "slo", backtest({ proposed: { rules: [{ enabled: false }, { enabled: false }], page: { enabled: true }, ticket: { enabled: false }, minEvents: 0 } }));
    expect(r.proposed!.firings).toEqual([]);
    expect(r.comparison!.incidents.map((i) => [i.current, i.proposed])).toEqual([[1, null]]);
    expect(r.comparison!.unalertedBudgetShare.proposed).toBeGreaterThan(r.comparison!.unalertedBudgetShare.current!);
    const after = await prisma().slo.findUniqueOrThrow({ where: { id: slo.id } });
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it("honours exclusions: an excluded burst burns nothing and fires nothing", async () => {
    const { team, members } = await seed();
    await createExclusion(members.editor, team.slug, "api", { sli: null, kind: "load_test", reason: "load test", startsAt: ago(BURST.start + 1), endsAt: ago(BURST.start - BURST.minutes - 1) });
    const r = await runAlertBacktest(members.viewer, team.slug, "api", "slo", backtest());
    expect(r.current.firings).toEqual([]);
    expect(r.current.badEvents).toBe(0);
    expect(r.current.incidents[0]!.firstAlertMinutes).toBeNull();
  });

  it.each([
    [{ from: at.toISOString(), to: ago(10).toISOString() }, "from"],
    [{ from: ago(1440 + 4320 + 1).toISOString(), to: at.toISOString() }, "from"],
  ])("refuses a bad range (%j), naming %s", async (range, field) => {
    const { team, members } = await seed();
    await expect(runAlertBacktest(members.viewer, team.slug, "api", "slo", backtest(range))).rejects.toMatchObject({ status: 422, fields: { [field]: expect.any(String) } });
  });

  it("another team cannot run it", async () => {
    const { team } = await seed();
    const other = await makeTeam(["viewer"]);
    await expect(runAlertBacktest(other.members.viewer, team.slug, "api", "slo", backtest())).rejects.toMatchObject({ status: 404 });
  });
});

describe("alert settings", () => {
  it("editors save them, audited; the status and the settings read the effective rules", async () => {
    const { team, members, slo } = await seed();
    const first = await getAlertSettings(members.viewer, team.slug, "api", "slo", at);
    expect(first.rules.map((r) => [r.long.name, r.short.name, r.factor])).toEqual([
      ["1h", "5m", 0.48],
      ["6h", "30m", 0.2],
      ["1d", "2h", 0.1],
      ["3d", "6h", (10 * 1440) / (100 * 4320)],
    ]);
    const saved = await updateAlertSettings(
      members.editor,
      team.slug,
      "api",
      "slo",
      input({ rules: [{ factor: 10 }, { long: "2h", short: "5m" }], minEvents: 50, noData: { enabled: true }, budgetBelow: { enabled: true, percent: 20 }, baseUpdatedAt: first.updatedAt }),
    );
    expect(saved.rules.map((r) => [r.long.name, r.short.name, r.factor, r.workbook.factor])).toEqual([
      ["1h", "5m", 10, 0.48],
      ["2h", "5m", 0.6, 0.2], // keeps the 5 % share: 5 x 1,440 / 120 / 100
      ["1d", "2h", 0.1, 0.1],
      ["3d", "6h", (10 * 1440) / (100 * 4320), (10 * 1440) / (100 * 4320)],
    ]);
    expect([saved.minEvents, saved.noData.enabled, saved.budgetBelow.percent]).toEqual([50, true, 20]);
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { action: "slo.alerting.update", targetId: slo.id } });
    expect(audit.before).toMatchObject({ minEvents: 0, alerting: { rules: [] } });
    expect(audit.after).toMatchObject({ minEvents: 50, alerting: { rules: [{ factor: 10 }, { long: "2h", short: "5m" }] } });
    const { status } = await getSloStatus(members.viewer, team.slug, "api", "slo", at);
    expect(status.alerts.rules.map((r) => r.factor)).toEqual(saved.rules.map((r) => r.factor));
    // The backtest's current rules are the saved ones: a 10x factor no longer pages on the burst.
    const r = await runAlertBacktest(members.viewer, team.slug, "api", "slo", backtest());
    expect(r.current.firings.filter((f) => f.tier === 0)).toEqual([]);
  });

  it("viewers cannot save; a stale save is a 409; nothing changes", async () => {
    const { team, members, slo } = await seed();
    await expect(updateAlertSettings(members.viewer, team.slug, "api", "slo", input())).rejects.toMatchObject({ status: 403 });
    await expect(updateAlertSettings(members.editor, team.slug, "api", "slo", input({ baseUpdatedAt: "2020-01-01T00:00:00.000Z" }))).rejects.toMatchObject({ status: 409 });
    const row = await prisma().slo.findUniqueOrThrow({ where: { id: slo.id } });
    expect(row.alerting).toEqual({});
  });

  it("bad settings name the field", () => {
    const r = alertSettingsInputSchema.safeParse({ rules: [{}, { long: "2h" }, { factor: 0 }], page: { enabled: true }, ticket: { enabled: true }, minEvents: -1, noData: { enabled: false }, budgetBelow: { enabled: true, percent: 100 } });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ["rules.1.short", expect.stringContaining("2 h / 12 = 10 min is not a window Burnrate counts")],
        ["rules.2.factor", expect.stringContaining("above 0")],
        ["minEvents", expect.stringContaining("negative")],
        ["budgetBelow.percent", expect.stringContaining("below 100")],
      ]),
    );
  });
});
