// The review of the demo's last month (issue 18, "Done when"): the review demo seeded into a team of
// this test's own, then every figure recomputed here straight from the stored rows and minutes
// (SQL sums and counts, the formulas of docs/domain.md) and held to the review, its Markdown and CSV.
import { describe, expect, it } from "vitest";
import { db, prisma, withTransaction } from "../db/client";
import { ensureBucketPartitions } from "../sli-data";
import { makeTeam } from "../testing/factories";
import { getReview } from "../services/reviews";
import { reviewCsvFile, reviewMarkdownFile, reviewPdfFile } from "../services/review-exports";
import { REVIEW_DEMO_TEAM, reviewDemoHistoryStart, seedReviewDemo } from "./review";

const now = new Date("2026-12-04T12:00:00Z");
const MIN = 60_000;

async function sums(sliId: string, from: Date, to: Date) {
  const { rows } = await db().pool.query<{ good: string; total: string }>("SELECT coalesce(sum(good), 0) AS good, coalesce(sum(total), 0) AS total FROM sli_buckets WHERE sli_id = $1 AND minute >= $2 AND minute < $3", [sliId, from, to]);
  return { good: Number(rows[0]!.good), total: Number(rows[0]!.total) };
}

describe("the demo's last month, reviewed", () => {
  it("every figure matches what the stored data gives", async () => {
    const t = await makeTeam(["admin", "viewer"]);
    await prisma().team.update({ where: { id: t.team.id }, data: { timeZone: REVIEW_DEMO_TEAM.timeZone } });
    await ensureBucketPartitions(reviewDemoHistoryStart(now), now);
    const seeded = await withTransaction((client) => seedReviewDemo(client, t.team.id, now, { adminId: t.members.admin.userId, ownerId: t.members.viewer.userId }));
    const r = await getReview(t.members.viewer, t.team.slug, {}, now);

    // Last month in Berlin: November 2026, 1 Nov 00:00 CET = 31 Oct 23:00 UTC.
    expect(r.period).toMatchObject({ key: "2026-11", from: "2026-10-31T23:00:00.000Z", to: "2026-11-30T23:00:00.000Z" });
    expect(r.period.from).toBe(seeded.period.from.toISOString());

    // SLOs: SLI = good / valid; budget spent = bad / (valid x (1 - objective)).
    const slos = await prisma().slo.findMany({ where: { serviceId: seeded.serviceId }, include: { sli: true } });
    expect(r.slos).toHaveLength(2);
    for (const slo of slos) {
      const c = await sums(slo.sliId, seeded.period.from, seeded.period.to);
      const p = await sums(slo.sliId, seeded.previous.from, seeded.previous.to);
      const objective = Number(slo.objective.toString());
      const row = r.slos.find((s) => s.slo.slug === slo.slug)!;
      expect([row.goodEvents, row.totalEvents]).toEqual([c.good, c.total]);
      expect(row.sli).toBeCloseTo(c.good / c.total, 12);
      expect(row.budgetSpent).toBeCloseTo((c.total - c.good) / (c.total * (1 - objective)), 9);
      expect(row.met).toBe(c.good / c.total >= objective);
      expect(row.previous.budgetSpent).toBeCloseTo((p.total - p.good) / (p.total * (1 - objective)), 9);
    }
    // The story: the key incident spent a large share of November's availability budget, yet it was met.
    const availability = r.slos.find((s) => s.slo.slug === "availability-999")!;
    expect(availability.met).toBe(true);
    expect(availability.budgetSpent!).toBeGreaterThan(availability.previous.budgetSpent!);

    // Incidents: bad in [start, resolved) over the allowed bad of the 30-day window ending at the resolution.
    expect(r.incidents.map((i) => i.title)).toEqual(["Sign-ins failing: the token signing key rotated early", "Slow sign-ins after a session-cache eviction"]);
    for (const i of r.incidents) {
      const row = await prisma().incident.findUniqueOrThrow({ where: { id: i.id }, include: { slos: { include: { slo: true } } } });
      const slo = row.slos[0]!.slo;
      const during = await sums(slo.sliId, row.startedAt, row.resolvedAt!);
      const window = await sums(slo.sliId, new Date(row.resolvedAt!.getTime() - 30 * 1440 * MIN), row.resolvedAt!);
      expect(i.budgetSpent).toBeCloseTo((during.total - during.good) / (window.total * (1 - Number(slo.objective.toString()))), 9);
    }
    expect(r.incidentCount).toEqual({ current: 2, previous: 1 });

    // Decisions, overrides, freezes, policy changes: counted from the rows.
    const { rows: counts } = await db().pool.query<{ decision: string; n: number }>(
      "SELECT decision, count(*)::int AS n FROM gate_decisions WHERE team_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY decision",
      [t.team.id, seeded.period.from, seeded.period.to],
    );
    const n = (d: string) => counts.find((c) => c.decision === d)?.n ?? 0;
    expect(r.decisions).toMatchObject({ allow: n("allow"), warn: n("warn"), deny: n("deny"), total: n("allow") + n("warn") + n("deny") });
    expect([r.decisions.allow, r.decisions.warn, r.decisions.deny, r.decisions.previous.total]).toEqual([6, 1, 2, 4]);
    expect(r.overrides).toEqual([expect.objectContaining({ reason: "Ship the signing-key rollback through the freeze", durationMinutes: 120 })]);
    expect(r.freezes).toHaveLength(1);
    expect(r.policyChanges.map((p) => p.version)).toEqual([2]);

    // Action items (seeded: three opened in November, two done in it, the P0 due on the 20th overdue;
    // the October P0 is the oldest still open).
    expect(r.actionItems).toMatchObject({ opened: 3, done: 2, overdue: 1, openAtEnd: 3, oldestOpenP0: { title: "Queue reset mails instead of sending inline" } });
    // MTTD and MTTR from the incidents' times: SEV1 6 and 40 minutes, SEV3 20 and 90; October's SEV2 12 and 30.
    const sev = (s: string) => r.times.find((x) => x.severity === s)!;
    expect(sev("SEV1")).toMatchObject({ incidents: 1, mttdMinutes: 6, mttmMinutes: 25, mttrMinutes: 40 });
    expect(sev("SEV3")).toMatchObject({ incidents: 1, mttdMinutes: 20, mttrMinutes: 90 });
    expect(sev("SEV2")).toMatchObject({ incidents: 0, previous: { incidents: 1, mttdMinutes: 12, mttrMinutes: 30 } });

    // The same figures in the exports.
    const csv = (await reviewCsvFile(t.members.viewer, t.team.slug, { table: "slos" }, now)).body as string;
    const line = csv.split("\r\n").find((l) => l.startsWith("auth-api,availability-999,"))!.split(",");
    expect([Number(line[3]), Number(line[4]), Number(line[7])]).toEqual([availability.goodEvents, availability.totalEvents, availability.budgetSpent]);
    const md = (await reviewMarkdownFile(t.members.viewer, t.team.slug, {}, now)).body as string;
    expect(md).toContain("November 2026");
    expect(md).toContain("| allow | 6 | 4 |");
    const pdf = (await reviewPdfFile(t.members.viewer, t.team.slug, {}, now)).body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });
});
