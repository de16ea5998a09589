// Error-budget reviews on a real database (docs/reviews.md): each test makes its own team, writes
// SLI minutes and rows for two months, and checks the figures computed by hand in the comments.
import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { upsertBuckets } from "../sli-data";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { createIncident } from "./incidents";
import { reviewSettingsSchema } from "../../schemas/reviews";
import { getReview, saveReview, setReviewTimeZone } from "./reviews";

const MIN = 60_000;
const at = (iso: string) => new Date(iso);
const now = at("2026-12-04T12:00:00Z");

/** `n` minutes from `start`, each with `total` events of which `good` were good. */
const minutes = (sliId: string, start: string, n: number, good: number, total: number) =>
  Array.from({ length: n }, (_, k) => ({ sliId, minute: new Date(at(start).getTime() + k * MIN), good, total }));

async function world() {
  const t = await makeTeam(["admin", "editor", "viewer"]);
  const e = t.members.editor;
  await createService(e, t.team.slug, { slug: "api", name: "API", description: "" });
  const sli = await createSli(e, t.team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  await createSlo(e, t.team.slug, "api", { slug: "main", name: "Main", description: "", sli: "ok", objective: "0.999", window: { kind: "rolling", days: 28 }, minEvents: 0 });
  // October: 10 minutes of 10,000 events, 20 bad each -> 200 bad of 100,000: SLI 99.8 %, 200 % of the budget (missed).
  // November: 10 minutes of 10,000 events, 5 bad each -> 50 bad of 100,000: SLI 99.95 %, 50 % of the budget (met).
  await upsertBuckets([...minutes(sli.id, "2026-10-20T00:00:00Z", 10, 9980, 10_000), ...minutes(sli.id, "2026-11-10T00:00:00Z", 10, 9995, 10_000)]);
  const svc = await prisma().service.findFirstOrThrow({ where: { teamId: t.team.id, slug: "api" } });
  return { ...t, sli, svc };
}

describe("the review of a month", () => {
  it("computes compliance, incidents, decisions, overrides, action items and MTTx against the previous month", async () => {
    const w = await world();
    const e = w.members.editor;
    // The incident covers November's 10 bad minutes: 50 bad over the allowed bad of the 28-day window ending at
    // 00:10 on 10 Nov (October's and November's minutes: 200,000 events x 0.1 % = 200) = 25 %.
    const inc = await createIncident(e, w.team.slug, {
      title: "API errors", severity: "SEV2", status: "resolved", summary: "", slos: ["api/main"], roles: {},
      startedAt: at("2026-11-10T00:00:00Z"), detectedAt: at("2026-11-10T00:04:00Z"), mitigatedAt: at("2026-11-10T00:08:00Z"), resolvedAt: at("2026-11-10T00:10:00Z"),
    });
    const decision = (d: string, createdAt: string) => ({ teamId: w.team.id, serviceId: w.svc.id, serviceName: "api", environment: "production", version: "1", changeType: "feature", requester: "ci", source: "api", decision: d, tier: "healthy", reasons: [], numbers: {}, policyScope: "team", policyVersion: 1, createdAt: at(createdAt) });
    await prisma().gateDecision.createMany({ data: [decision("allow", "2026-11-05T10:00:00Z"), decision("deny", "2026-11-12T10:00:00Z"), decision("deny", "2026-11-13T10:00:00Z"), decision("warn", "2026-10-03T10:00:00Z")] });
    await prisma().gateOverride.create({ data: { teamId: w.team.id, serviceId: w.svc.id, reason: "hotfix for the outage", approvedBy: "cto", expiresAt: at("2026-11-12T14:00:00Z"), createdAt: at("2026-11-12T10:00:00Z"), grantedById: w.members.admin.userId } });
    await prisma().freeze.create({ data: { teamId: w.team.id, reason: "Thanksgiving", startsAt: at("2026-11-25T00:00:00Z"), endsAt: at("2026-11-28T00:00:00Z") } });
    const pm = await prisma().postmortem.create({ data: { teamId: w.team.id, incidentId: inc.id, title: "API errors", sections: [] } });
    await prisma().actionItem.createMany({
      data: [
        { teamId: w.team.id, postmortemId: pm.id, title: "Add a retry budget", type: "prevent", priority: "P0", dueDate: at("2026-11-20T00:00:00Z"), createdAt: at("2026-11-11T09:00:00Z") },
        { teamId: w.team.id, postmortemId: pm.id, title: "Alert on 5xx", type: "mitigate", priority: "P1", status: "done", createdAt: at("2026-11-11T09:00:00Z"), completedAt: at("2026-11-15T09:00:00Z") },
      ],
    });

    const r = await getReview(w.members.viewer, w.team.slug, { period: "2026-11" }, now);
    expect(r.period).toMatchObject({ key: "2026-11", label: "November 2026", from: "2026-11-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z" });
    expect(r.previous.key).toBe("2026-10");
    const slo = r.slos[0]!;
    expect(slo).toMatchObject({ slo: { slug: "main", name: "Main" }, objective: "0.999", met: true, goodEvents: 99_950, totalEvents: 100_000, previous: { met: false } });
    expect(slo.sli).toBeCloseTo(0.9995, 12);
    expect(slo.budgetSpent).toBeCloseTo(0.5, 12);
    expect(slo.previous.budgetSpent).toBeCloseTo(2, 12);
    expect(slo.budgetSpentDelta).toBeCloseTo(-1.5, 12);
    // Hourly burndown over the month: 720 points, the last one 50 % remaining.
    expect(slo.burndown).toHaveLength(720);
    expect(slo.burndown.at(-1)!.remaining).toBeCloseTo(0.5, 12);
    expect(r.incidents).toHaveLength(1);
    expect(r.incidents[0]!.budgetSpent).toBeCloseTo(0.25, 12);
    expect(r.incidentCount).toEqual({ current: 1, previous: 0 });
    expect(r.decisions).toEqual({ allow: 1, warn: 0, deny: 2, total: 3, previous: { allow: 0, warn: 1, deny: 0, total: 1 } });
    expect(r.overrides).toEqual([expect.objectContaining({ reason: "hotfix for the outage", approvedBy: "cto", durationMinutes: 240, service: "api" })]);
    expect(r.freezes.map((f) => f.reason)).toEqual(["Thanksgiving"]);
    expect(r.actionItems).toMatchObject({ opened: 2, done: 1, overdue: 1, openAtEnd: 1, oldestOpenP0: { title: "Add a retry budget" } });
    expect(r.actionItems.oldestOpenP0!.ageDays).toBeCloseTo(19.625, 9); // 11 Nov 09:00 to 1 Dec 00:00
    expect(r.times.find((x) => x.severity === "SEV2")).toMatchObject({ incidents: 1, mttdMinutes: 4, mttmMinutes: 8, mttrMinutes: 10 });
    expect(r.record).toMatchObject({ status: "draft", revision: 0 });
  });

  it("is the team's own: another team's viewer gets not found, a read token of the team reads it, a service's review leaves others out", async () => {
    const w = await world();
    const other = await makeTeam(["admin"]);
    await expect(getReview(other.members.admin, w.team.slug, {}, now)).rejects.toMatchObject({ status: 404 });
    const token = await makeTokenActor(w.team.slug, w.members.admin, ["read"]);
    expect((await getReview(token, w.team.slug, { period: "2026-11" }, now)).slos).toHaveLength(1);
    await createService(w.members.editor, w.team.slug, { slug: "web", name: "Web", description: "" });
    const web = await getReview(w.members.viewer, w.team.slug, { period: "2026-11", service: "web" }, now);
    expect([web.service, web.slos]).toEqual([{ slug: "web", name: "Web" }, []]);
    await expect(getReview(w.members.viewer, w.team.slug, { service: "nope" }, now)).rejects.toMatchObject({ status: 404 });
  });

  it("defaults to last month in the team's time zone, and refuses a bad period with 422 naming the field", async () => {
    const w = await world();
    await prisma().team.update({ where: { id: w.team.id }, data: { timeZone: "Europe/Berlin" } });
    const r = await getReview(w.members.viewer, w.team.slug, {}, at("2026-11-30T23:30:00Z")); // 00:30 on 1 Dec in Berlin
    expect(r.period).toMatchObject({ key: "2026-11", from: "2026-10-31T23:00:00.000Z", timeZone: "Europe/Berlin" });
    await expect(getReview(w.members.viewer, w.team.slug, { period: "2026-13" }, now)).rejects.toMatchObject({ status: 422, fields: { period: expect.stringContaining("no month 13") } });
    await expect(getReview(w.members.viewer, w.team.slug, { from: "2026-01-01", to: "2027-06-01" }, now)).rejects.toMatchObject({ status: 422, fields: { to: "a review covers at most 400 days" } });
  });
});

describe("the review's minutes", () => {
  it("editors save notes and decisions and mark it held; viewers cannot; a stale save is a 409; the audit record is written", async () => {
    const w = await world();
    const input = { period: "2026-11", status: "draft" as const, notes: "We met the **SLO**.<script>alert(1)</script>", decisions: ["Keep the freeze policy"], baseRevision: 0 };
    await expect(saveReview(w.members.viewer, w.team.slug, input, now)).rejects.toMatchObject({ status: 403 });
    const first = await saveReview(w.members.editor, w.team.slug, input, now);
    expect(first).toMatchObject({ status: "draft", revision: 1, heldAt: null, decisions: ["Keep the freeze policy"] });
    expect(first.notesHtml).toContain("<strong>SLO</strong>");
    expect(first.notesHtml).not.toContain("script");
    await expect(saveReview(w.members.admin, w.team.slug, { ...input, notes: "stale" }, now)).rejects.toMatchObject({ status: 409, fields: { baseRevision: expect.stringContaining("revision 1") } });
    const held = await saveReview(w.members.editor, w.team.slug, { ...input, status: "held", baseRevision: 1 }, now);
    expect(held).toMatchObject({ status: "held", revision: 2, heldAt: now.toISOString() });
    expect(held.heldBy).toBeTruthy();
    expect((await getReview(w.members.viewer, w.team.slug, { period: "2026-11" }, now)).record).toMatchObject({ status: "held", revision: 2 });
    // A service's review is kept apart from the team's.
    expect((await getReview(w.members.viewer, w.team.slug, { period: "2026-11", service: "api" }, now)).record.revision).toBe(0);
    const audit = await prisma().auditLog.findMany({ where: { teamId: w.team.id, targetType: "error_budget_review" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["review.save", "review.hold"]);
    await expect(saveReview(w.members.editor, w.team.slug, { ...input, period: "soon", baseRevision: 2 }, now)).rejects.toMatchObject({ status: 422, fields: { period: expect.stringContaining("is not a period") } });
  });
});

describe("the review calendar's time zone", () => {
  it("team admins set it (audited), an unknown zone is refused naming the field, editors may not", async () => {
    const w = await world();
    await expect(setReviewTimeZone(w.members.editor, w.team.slug, { timeZone: "Europe/Berlin" })).rejects.toMatchObject({ status: 403 });
    expect(await setReviewTimeZone(w.members.admin, w.team.slug, { timeZone: "Europe/Berlin" })).toEqual({ timeZone: "Europe/Berlin" });
    expect((await getReview(w.members.viewer, w.team.slug, { period: "2026-11" }, now)).period.from).toBe("2026-10-31T23:00:00.000Z");
    expect(await prisma().auditLog.count({ where: { teamId: w.team.id, action: "team.time_zone" } })).toBe(1);
    expect(reviewSettingsSchema.safeParse({ timeZone: "Mars/Olympus" }).error?.issues[0]).toMatchObject({ path: ["timeZone"], message: "Give an IANA time zone such as Europe/Berlin" });
  });
});
