import { describe, expect, it } from "vitest";
import { parseObjective } from "./budget";
import { actionItemFigures, computeReview, incidentBudgetSpent, sloCompliance, timesBySeverity, type ReviewActionItemInput, type ReviewIncidentInput } from "./review";

const t = (s: string) => new Date(`2026-${s}Z`);
const period = { from: t("11-01T00:00:00"), to: t("12-01T00:00:00") };
const previous = { from: t("10-01T00:00:00"), to: t("11-01T00:00:00") };
const now = t("12-04T12:00:00");

describe("sloCompliance: SLI vs objective, budget spent = bad / (valid x (1 - objective)) (docs/domain.md, Remaining budget)", () => {
  it.each([
    // objective, good, total, sli, met, spent
    ["0.999", 999_000, 1_000_000, 0.999, true, 1], // SRE book: 1,000 allowed errors of 1,000,000, all spent
    ["0.999", 999_500, 1_000_000, 0.9995, true, 0.5],
    ["0.999", 998_000, 1_000_000, 0.998, false, 2],
    ["0.99", 100, 100, 1, true, 0],
    ["0.95", 19_152, 20_160, 0.95, true, 1], // OpenSLO: 1,008 bad slices of 20,160 at 95%
  ])("%s with %i good of %i", (o, good, total, sli, met, spent) => {
    const c = sloCompliance(parseObjective(o), { good, total });
    expect(c.sli).toBeCloseTo(sli, 12);
    expect(c.met).toBe(met);
    expect(c.budgetSpent).toBeCloseTo(spent, 12);
  });
  it("no events: no data, never NaN", () => {
    expect(sloCompliance(parseObjective("0.999"), { good: 0, total: 0 })).toMatchObject({ sli: null, met: null, budgetSpent: null });
  });
});

describe("incidentBudgetSpent: the largest share one SLO lost", () => {
  it.each([
    [[], null],
    [[{ budgetSpent: null }], null],
    [[{ budgetSpent: 0.1 }, { budgetSpent: 0.35 }, { budgetSpent: null }], 0.35],
  ])("%j -> %s", (impact, want) => expect(incidentBudgetSpent(impact)).toBe(want));
});

const incident = (id: string, severity: ReviewIncidentInput["severity"], start: string, detect: string | null, mitigate: string | null, resolve: string | null, spent: (number | null)[] = []): ReviewIncidentInput => ({
  id, title: id, severity, startedAt: t(start), detectedAt: detect ? t(detect) : null, mitigatedAt: mitigate ? t(mitigate) : null, resolvedAt: resolve ? t(resolve) : null,
  impact: spent.map((s, k) => ({ service: "api", slo: `s${k}`, budgetSpent: s })),
});

describe("timesBySeverity: MTTD = detected - started, MTTR = resolved - started (not mitigated)", () => {
  const xs = [
    incident("a", "SEV1", "11-03T10:00:00", "11-03T10:05:00", "11-03T10:30:00", "11-03T12:00:00"), // 5, 30, 120 min
    incident("b", "SEV1", "11-10T10:00:00", "11-10T10:15:00", null, "11-10T11:00:00"), // 15, -, 60
    incident("c", "SEV1", "11-20T10:00:00", null, null, null), // still open: counted, no times
    incident("d", "SEV2", "11-20T10:00:00", "11-20T10:02:00", "11-20T10:10:00", null), // 2, 10, -
    incident("e", "SEV1", "10-20T10:00:00", "10-20T10:20:00", null, "10-20T13:00:00"), // previous period
  ];
  it("per severity, over incidents that started in the period", () => {
    const r = timesBySeverity(xs, period);
    expect(r[0]).toEqual({ severity: "SEV1", incidents: 3, mttdMinutes: 10, detected: 2, mttmMinutes: 30, mitigated: 1, mttrMinutes: 90, resolved: 2 });
    expect(r[1]).toEqual({ severity: "SEV2", incidents: 1, mttdMinutes: 2, detected: 1, mttmMinutes: 10, mitigated: 1, mttrMinutes: null, resolved: 0 });
    expect(r[2]).toMatchObject({ severity: "SEV3", incidents: 0, mttdMinutes: null, mttrMinutes: null });
  });
});

const item = (id: string, priority: ReviewActionItemInput["priority"], status: string, created: string, completed: string | null, due: string | null): ReviewActionItemInput => ({
  id, title: id, priority, status, dueDate: due, createdAt: t(created), completedAt: completed ? t(completed) : null,
});

describe("actionItemFigures: opened, done, overdue at the end, oldest open P0", () => {
  const items = [
    item("old-p0", "P0", "open", "10-15T00:00:00", null, "2026-10-30"), // open all along, overdue
    item("p0-closed-later", "P0", "done", "10-10T00:00:00", "12-02T00:00:00", "2026-12-10"), // open at the end of November (older), not overdue
    item("new", "P1", "open", "11-05T00:00:00", null, "2026-11-30"), // due on the last day: overdue once it ended
    item("due-next", "P1", "open", "11-05T00:00:00", null, "2026-12-01"), // due the day after: not overdue
    item("done-in", "P1", "done", "11-06T00:00:00", "11-20T00:00:00", "2026-11-10"),
    item("wont", "P2", "wont_do", "11-07T00:00:00", "11-08T00:00:00", null), // closed, not "done"
    item("future", "P0", "open", "12-02T00:00:00", null, null), // after the period
  ];
  it("for November", () => {
    const r = actionItemFigures(items, period, now, "2026-12-01");
    expect(r).toMatchObject({ opened: 4, done: 1, overdue: 2, openAtEnd: 4 });
    expect(r.oldestOpenP0).toMatchObject({ id: "p0-closed-later", ageDays: 52 }); // 10 Oct to 1 Dec
  });
  it("counts the recurrences found in the period (docs/follow-ups.md), on any item", () => {
    const recurred = [{ ...items[0]!, recurredAt: [t("11-03T10:00:00"), t("12-02T10:00:00")] }, { ...items[4]!, recurredAt: [t("11-08T00:00:00")] }, ...items.slice(1, 4)];
    expect(actionItemFigures(recurred, period, now, "2026-12-01").recurrences).toBe(2);
    expect(actionItemFigures(items, period, now, "2026-12-01").recurrences).toBe(0);
  });
  it("a period still running is counted up to now", () => {
    const dec = { from: t("12-01T00:00:00"), to: t("12-05T00:00:00") };
    const r = actionItemFigures(items, dec, now, "2026-12-04"); // the service passes today for a running period
    expect(r).toMatchObject({ opened: 1, done: 1, openAtEnd: 4, overdue: 3 });
    expect(r.oldestOpenP0).toMatchObject({ id: "old-p0", ageDays: 50.5 }); // 15 Oct 00:00 to 4 Dec 12:00
  });
});

describe("computeReview", () => {
  const r = computeReview(
    {
      period, previous, now,
      slos: [
        { service: "api", slo: "avail", name: "Availability", objective: parseObjective("0.999"), current: { good: 998_000, total: 1_000_000 }, previous: { good: 999_500, total: 1_000_000 } },
        { service: "api", slo: "lat", name: "Latency", objective: parseObjective("0.99"), current: { good: 0, total: 0 }, previous: { good: 99, total: 100 } },
      ],
      incidents: [
        incident("small", "SEV3", "11-02T00:00:00", null, null, "11-02T01:00:00", [0.05]),
        incident("big", "SEV1", "11-12T00:00:00", "11-12T00:10:00", null, "11-12T02:00:00", [0.4, null]),
        incident("prev", "SEV2", "10-12T00:00:00", null, null, null, [0.9]),
      ],
      decisions: [
        { decision: "allow", at: t("11-01T00:00:00") }, { decision: "allow", at: t("11-15T00:00:00") }, { decision: "warn", at: t("11-16T00:00:00") },
        { decision: "deny", at: t("11-30T23:59:59") }, { decision: "deny", at: t("12-01T00:00:00") }, { decision: "allow", at: t("10-31T23:59:59") },
      ],
      overrides: [
        { service: "api", environment: null, reason: "hotfix", approvedBy: "cto", grantedBy: "Ana", createdAt: t("11-12T01:00:00"), expiresAt: t("11-12T05:00:00"), revokedAt: t("11-12T03:00:00") },
        { service: "api", environment: "production", reason: "launch", approvedBy: "vp", grantedBy: null, createdAt: t("11-20T00:00:00"), expiresAt: t("11-21T00:00:00"), revokedAt: null },
        { service: "api", environment: null, reason: "old", approvedBy: "x", grantedBy: null, createdAt: t("10-20T00:00:00"), expiresAt: t("10-21T00:00:00"), revokedAt: null },
      ],
      freezes: [
        { service: null, environment: null, reason: "holidays", startsAt: t("10-30T00:00:00"), endsAt: t("11-02T00:00:00"), cancelledAt: null }, // overlaps the start
        { service: "api", environment: null, reason: "cancelled early", startsAt: t("10-25T00:00:00"), endsAt: t("11-05T00:00:00"), cancelledAt: t("10-28T00:00:00") }, // ended before
      ],
      policyChanges: [{ scope: "team", version: 2, at: t("11-03T00:00:00"), by: "Ana", reset: false }, { scope: "team", version: 1, at: t("10-03T00:00:00"), by: "Ana", reset: false }],
      actionItems: [],
    },
    { period: "2026-12-01", previous: "2026-11-01" },
  );
  it("SLOs: met or missed, with deltas against the previous period", () => {
    expect(r.slos[0]).toMatchObject({ slo: "avail", met: false, objective: "0.999" });
    expect(r.slos[0]!.budgetSpent).toBeCloseTo(2, 12);
    expect(r.slos[0]!.budgetSpentDelta).toBeCloseTo(1.5, 12); // 200 % now, 50 % before
    expect(r.slos[0]!.sliDelta).toBeCloseTo(-0.0015, 12);
    expect(r.slos[1]).toMatchObject({ slo: "lat", sli: null, met: null, budgetSpentDelta: null });
    expect([r.slosMet, r.slosMissed]).toEqual([0, 1]);
  });
  it("incidents of the period, most budget first", () => {
    expect(r.incidents.map((i) => [i.id, i.budgetSpent])).toEqual([["big", 0.4], ["small", 0.05]]);
    expect(r.incidentCount).toEqual({ current: 2, previous: 1 });
  });
  it("decisions by outcome, [from, to)", () => {
    expect(r.decisions).toMatchObject({ allow: 2, warn: 1, deny: 1, total: 4, previous: { allow: 1, warn: 0, deny: 0, total: 1 } });
  });
  it("overrides granted in the period, how long each held (to its revocation or expiry)", () => {
    expect(r.overrides.map((o) => [o.reason, o.durationMinutes])).toEqual([["hotfix", 120], ["launch", 1440]]);
    expect(r.overrideCount).toEqual({ current: 2, previous: 1 });
  });
  it("freezes in force during the period; policy changes made in it", () => {
    expect(r.freezes.map((f) => f.reason)).toEqual(["holidays"]);
    expect(r.policyChanges.map((p) => p.version)).toEqual([2]);
  });
  it("MTTR by severity with the previous period's beside it", () => {
    const sev1 = r.times.find((x) => x.severity === "SEV1")!;
    expect(sev1).toMatchObject({ incidents: 1, mttdMinutes: 10, mttrMinutes: 120, mttdDelta: null });
  });
});
