// Canary analyses end to end on generated cohort data (issue 16 "Done when"): pushed canary and
// baseline minutes, the job driven by `now`, the verdict read back as the API, Argo and Flagger see it.
import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { noisyBad, prng } from "../demo/generate";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { ingestBatch } from "./ingest";
import { cancelAnalysis, flaggerHook, getAnalysis, getAnalysisForToken, listAnalyses, startAnalysis } from "./analyses";
import { runDueAnalyses } from "../jobs/canary";
import { createAnalysisSchema } from "../../schemas/analysis";
import { gateRequestSchema } from "../../schemas/gate";
import { askGate } from "./gate";

const MIN = 60_000;
const start = new Date("2026-11-30T10:00:00Z");
const at = (m: number) => new Date(start.getTime() + m * MIN);
// Two intervals of ten minutes, no warm-up, Argo's default limits (the first failure ends it).
const schedule = { count: 2, intervalMinutes: 10, initialDelayMinutes: 0, failureLimit: 0, inconclusiveLimit: 0 };

/** `minutes` minutes of a cohort at about `ratio` errors in 2,000 requests a minute (binomial noise by normal approximation). */
function cohortItems(cohort: string, ratio: number, minutes: number, seed: number) {
  const rnd = prng(seed);
  const total = 2000;
  return Array.from({ length: minutes }, (_, i) => {
    const bad = noisyBad(rnd, total, ratio);
    return { sli: "api/availability", cohort, minute: at(i).toISOString(), bad, total };
  });
}

async function setup() {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  await createSli(members.editor, team.slug, "api", { slug: "availability", name: "Availability", description: "", kind: "request_ratio" });
  await createSlo(members.editor, team.slug, "api", { slug: "main", name: "Main", description: "", sli: "availability", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
  const ingest = await makeTokenActor(team.slug, members.admin, ["ingest"]);
  const gate = await makeTokenActor(team.slug, members.admin, ["gate"]);
  return { team, members, ingest, gate };
}

const body = (extra: Record<string, unknown> = {}) => createAnalysisSchema.parse({ service: "api", version: "v2", canary: "canary", baseline: "baseline", schedule, ...extra });

/** Runs the job at each minute from `from` to `to` (as the per-minute tick does) and returns this analysis's judged intervals. */
async function tick(id: string, from: number, to: number) {
  const { teamId } = await prisma().canaryAnalysis.findUniqueOrThrow({ where: { id } });
  const judged = [];
  for (let m = from; m <= to; m++) judged.push(...(await runDueAnalyses(at(m), { teamId })).judged.filter((j) => j.id === id));
  return judged;
}

describe("canary analyses on generated cohort data", () => {
  it("the rollback rule fails a canary the test cannot yet tell apart: 1.6 % beside 1.0 % over 3 minutes (docs/domain.md: more than +0.5 pp)", async () => {
    const { team, ingest, gate } = await setup();
    // Three overlapping minutes each (baseline 0.5, 1.5, 1.0 %; canary 0.6, 2.5, 1.7 %): too few and
    // too mixed for the rank-sum test at 98 % confidence, yet pooled 1.6 % against 1.0 %.
    const items = [
      [10, 12],
      [30, 50],
      [20, 34],
    ].flatMap(([b, c], m) => [
      { sli: "api/availability", cohort: "baseline", minute: at(m).toISOString(), bad: b!, total: 2000 },
      { sli: "api/availability", cohort: "canary", minute: at(m).toISOString(), bad: c!, total: 2000 },
    ]);
    expect(await ingestBatch(ingest, { items }, at(4))).toEqual({ accepted: 6, rejected: [] });
    const a = await startAnalysis(gate, team.slug, body({ schedule: { ...schedule, count: 1, intervalMinutes: 3 } }), start);
    expect((await tick(a.id, 0, 4)).map((j) => j.outcome)).toEqual(["fail"]);
    const view = await getAnalysisForToken(gate, a.id);
    expect(view.intervals[0]!.metrics[0]!.classification).toBe("Pass");
    expect(view).toMatchObject({ status: "failed", verdict: "fail" });
    expect(view.reasons).toContain("availability: The canary's error rate (1.60 %) is more than 0.5 percentage points above the baseline's (1.00 %).");
  });

  it("a healthy canary passes every interval; Argo reads pass, Flagger may promote and need not roll back", async () => {
    const { team, ingest, gate } = await setup();
    const pushed = await ingestBatch(ingest, { items: [...cohortItems("baseline", 0.01, 20, 1), ...cohortItems("canary", 0.01, 20, 2)] }, at(21));
    expect(pushed).toEqual({ accepted: 40, rejected: [] });
    const a = await startAnalysis(gate, team.slug, body(), start);
    expect(a).toMatchObject({ status: "running", verdict: "running", nextRunAt: at(10).toISOString(), intervals: [] });
    const judged = await tick(a.id, 0, 21);
    expect(judged.map((j) => j.outcome)).toEqual(["pass", "pass"]);
    const view = await getAnalysisForToken(gate, a.id);
    expect(view).toMatchObject({ status: "passed", verdict: "pass", intervalsDone: 2, endedAt: at(20).toISOString() });
    expect(view.scores.map((s) => s.outcome)).toEqual(["pass", "pass"]);
    // The second interval judges all twenty minutes so far (cumulative windows, docs/canary-judge.md).
    expect(view.intervals[1]!.metrics[0]).toMatchObject({ name: "availability", classification: "Pass", controlCount: 20, experimentCount: 20 });
    // In budget terms: 1 % errors against a 99 % objective burns at about 1x.
    expect(view.intervals[1]!.budget[0]!.slo).toBe("main");
    expect(view.intervals[1]!.budget[0]!.burnRate).toBeGreaterThan(0.8);
    expect(view.intervals[1]!.budget[0]!.burnRate).toBeLessThan(1.2);
    expect(await flaggerHook(gate, team.slug, "confirm-promotion", { name: "api", namespace: "prod", metadata: { analysis: a.id } })).toMatchObject({ status: 200, body: { verdict: "pass" } });
    expect(await flaggerHook(gate, team.slug, "rollback", { name: "api", namespace: "prod" })).toMatchObject({ status: 409, body: { verdict: "pass" } });
    const audit = await prisma().auditLog.findMany({ where: { teamId: team.id, targetType: "canary_analysis" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((x) => x.action)).toEqual(["analysis.start", "analysis.verdict"]);
  });

  it("a canary with a tripled error ratio fails within two intervals, with reasons; Flagger is told to roll back", async () => {
    const { team, ingest, gate } = await setup();
    await ingestBatch(ingest, { items: [...cohortItems("baseline", 0.01, 20, 3), ...cohortItems("canary", 0.03, 20, 4)] }, at(21));
    const a = await startAnalysis(gate, team.slug, body(), start);
    const judged = await tick(a.id, 0, 21);
    expect(judged.length).toBeLessThanOrEqual(2);
    expect(judged.at(-1)).toMatchObject({ outcome: "fail", status: "failed" });
    const view = await getAnalysis(gate, team.slug, a.id);
    expect(view.verdict).toBe("fail");
    expect(view.intervals.at(-1)!.metrics[0]!.classification).toBe("High");
    expect(view.reasons.join(" ")).toMatch(/Interval 1 of 2 was failed/);
    expect(await flaggerHook(gate, team.slug, "confirm-promotion", { name: "api", namespace: "prod" })).toMatchObject({ status: 409, body: { verdict: "fail" } });
    expect(await flaggerHook(gate, team.slug, "rollback", { name: "whatever", namespace: "prod", metadata: { service: "api" } })).toMatchObject({ status: 200, body: { analysis: a.id, verdict: "fail" } });
  });

  it("the gate's answer carries a named analysis's verdict; a failed one denies with its reasons; an unknown one is refused by field", async () => {
    const { team, ingest, gate } = await setup();
    await ingestBatch(ingest, { items: [...cohortItems("baseline", 0.01, 20, 3), ...cohortItems("canary", 0.03, 20, 4)] }, at(21));
    const ask = (analysis: string) => askGate(gate, gateRequestSchema.parse({ service: "api", environment: "production", version: "v2", requester: "ci", analysis }));
    const a = await startAnalysis(gate, team.slug, body(), start);
    const running = await ask(a.id);
    expect(running.numbers.analysis).toMatchObject({ id: a.id, verdict: "running" });
    expect(running.reasons.join(" ")).not.toContain("canary analysis");
    await tick(a.id, 0, 21);
    const failed = await ask(a.id);
    expect(failed.decision).toBe("deny");
    expect(failed.numbers.analysis).toMatchObject({ id: a.id, verdict: "fail" });
    expect(failed.reasons.at(-1)).toMatch(new RegExp(`^canary analysis ${a.id} failed: Interval 1 of 2 was failed`));
    expect(failed.toGetThrough?.because.map((b) => b.kind)).toContain("analysis");
    const other = await setup();
    const foreign = await startAnalysis(other.gate, other.team.slug, body(), start);
    await expect(ask(foreign.id)).rejects.toMatchObject({ status: 422, fields: { analysis: expect.stringContaining("no analysis") } });
  });

  it("a budget rule fails a canary the judge would pass (a full rollout would exhaust the budget too soon)", async () => {
    const { team, ingest, gate } = await setup();
    // The service itself (no cohort) has been clean for an hour: its whole budget is left.
    const service = Array.from({ length: 60 }, (_, i) => ({ sli: "api/availability", minute: at(i - 60).toISOString(), good: 1000, total: 1000 }));
    await ingestBatch(ingest, { items: [...service, ...cohortItems("baseline", 0.02, 10, 5), ...cohortItems("canary", 0.02, 10, 6)] }, at(11));
    // 2 % errors against 99 %: burn rate 2, so the 30-day budget lasts about 15 days; the rule asks for 20.
    const a = await startAnalysis(gate, team.slug, body({ schedule: { ...schedule, count: 1 }, budget: { failIfExhaustsWithinMinutes: 20 * 1440 } }), start);
    await tick(a.id, 10, 10);
    const view = await getAnalysis(gate, team.slug, a.id);
    expect(view.intervals[0]!.metrics[0]!.classification).toBe("Pass");
    expect(view.intervals[0]!.outcome).toBe("fail");
    expect(view.intervals[0]!.budget[0]!.fails).toBe(true);
    expect(view.verdict).toBe("fail");
  });

  it("no data is inconclusive", async () => {
    const { team, gate } = await setup();
    const a = await startAnalysis(gate, team.slug, body(), start);
    expect(await tick(a.id, 0, 12)).toMatchObject([{ outcome: "nodata", status: "inconclusive" }]);
    expect((await getAnalysis(gate, team.slug, a.id)).verdict).toBe("inconclusive");
    expect(await flaggerHook(gate, team.slug, "confirm-promotion", { name: "api", namespace: "prod" })).toMatchObject({ status: 409, body: { verdict: "inconclusive" } });
  });

  it("two job runs at once judge an interval once", async () => {
    const { team, ingest, gate } = await setup();
    await ingestBatch(ingest, { items: [...cohortItems("baseline", 0.01, 10, 7), ...cohortItems("canary", 0.01, 10, 8)] }, at(11));
    const a = await startAnalysis(gate, team.slug, body(), start);
    const runs = await Promise.all([runDueAnalyses(at(10), { teamId: team.id }), runDueAnalyses(at(10), { teamId: team.id }), runDueAnalyses(at(10), { teamId: team.id })]);
    expect(runs.flatMap((r) => r.judged).filter((j) => j.id === a.id)).toHaveLength(1);
    expect(await prisma().canaryInterval.count({ where: { analysisId: a.id } })).toBe(1);
    // The lease holds it back from the next tick until the next interval is due, not longer.
    expect((await getAnalysis(gate, team.slug, a.id)).nextRunAt).toBe(at(20).toISOString());
    await cancelAnalysis(gate, team.slug, a.id, at(12));
  });

  it("defaults to every live SLI; cancels once; lists the team's analyses only", async () => {
    const { team, members, gate } = await setup();
    const a = await startAnalysis(members.editor, team.slug, createAnalysisSchema.parse({ service: "api", canary: "c1", baseline: "b1" }), start);
    expect(a.config.metrics.map((m) => [m.sli, m.direction])).toEqual([["availability", "increase"]]);
    expect(a.config.schedule).toEqual({ count: 6, intervalMinutes: 10, initialDelayMinutes: 5, failureLimit: 0, inconclusiveLimit: 0 });
    const c = await cancelAnalysis(members.editor, team.slug, a.id, at(1));
    expect(c).toMatchObject({ status: "cancelled", verdict: "cancelled", nextRunAt: null });
    await expect(cancelAnalysis(members.editor, team.slug, a.id, at(2))).rejects.toMatchObject({ status: 409 });
    const other = await setup();
    expect((await listAnalyses(members.viewer, team.slug, { limit: 50 })).analyses.map((x) => x.id)).toEqual([a.id]);
    expect((await listAnalyses(other.members.viewer, other.team.slug, { limit: 50 })).analyses).toEqual([]);
    const audit = await prisma().auditLog.findMany({ where: { teamId: team.id, targetType: "canary_analysis" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((x) => x.action)).toEqual(["analysis.start", "analysis.cancel"]);
    void gate;
  });

  it("refuses callers without the right, another team's token, missing scopes and foreign ids", async () => {
    const { team, members, ingest, gate } = await setup();
    const other = await setup();
    const a = await startAnalysis(gate, team.slug, body(), start);
    const read = await makeTokenActor(team.slug, members.admin, ["read"]);
    await expect(startAnalysis(members.viewer, team.slug, body(), start)).rejects.toMatchObject({ status: 403 });
    await expect(startAnalysis(ingest, team.slug, body(), start)).rejects.toMatchObject({ status: 403, message: 'this token lacks the "gate" scope' });
    await expect(startAnalysis(read, team.slug, body(), start)).rejects.toMatchObject({ status: 403 });
    await expect(startAnalysis(other.gate, team.slug, body(), start)).rejects.toMatchObject({ status: 404 });
    await expect(getAnalysis(other.gate, team.slug, a.id)).rejects.toMatchObject({ status: 404 });
    await expect(getAnalysis(other.gate, other.team.slug, a.id)).rejects.toMatchObject({ status: 404, message: "analysis not found" });
    await expect(getAnalysisForToken(other.gate, a.id)).rejects.toMatchObject({ status: 404 });
    await expect(getAnalysisForToken(read, a.id)).rejects.toMatchObject({ status: 403 });
    await expect(getAnalysisForToken(members.viewer, a.id)).rejects.toMatchObject({ status: 403 });
    await expect(getAnalysis(ingest, team.slug, a.id)).rejects.toMatchObject({ status: 403 });
    await expect(getAnalysis(gate, team.slug, "not-an-id")).rejects.toMatchObject({ status: 404 });
    await expect(cancelAnalysis(other.gate, other.team.slug, a.id)).rejects.toMatchObject({ status: 404 });
    await expect(cancelAnalysis(read, team.slug, a.id)).rejects.toMatchObject({ status: 403 });
    await expect(flaggerHook(other.gate, other.team.slug, "confirm-promotion", { name: "api", namespace: "x", metadata: { analysis: a.id } })).rejects.toMatchObject({ status: 404 });
    expect((await getAnalysis(read, team.slug, a.id)).id).toBe(a.id);
    await cancelAnalysis(gate, team.slug, a.id, at(1));
  });

  it("names the field of an SLI it cannot analyse", async () => {
    const { team, members, gate } = await setup();
    await expect(startAnalysis(gate, team.slug, body({ metrics: [{ sli: "nope" }] }), start)).rejects.toMatchObject({ status: 422, fields: { "metrics.0.sli": 'service "api" has no live SLI "nope"' } });
    await prisma().sli.create({ data: { serviceId: (await prisma().service.findFirstOrThrow({ where: { teamId: team.id } })).id, slug: "pulled", name: "Pulled", kind: "request_ratio", source: "prometheus", promUrl: "https://prometheus.example.test", promBadQuery: "e", promTotalQuery: "t" } });
    await expect(startAnalysis(gate, team.slug, body({ metrics: [{ sli: "availability" }, { sli: "pulled" }] }), start)).rejects.toMatchObject({ status: 422, fields: { "metrics.1.sli": expect.stringContaining("promCohortLabel") } });
    await expect(startAnalysis(gate, team.slug, body({ service: "nope" }), start)).rejects.toMatchObject({ status: 404 });
    void members;
  });
});

describe("the analysis request schema", () => {
  const base = { service: "api", canary: "canary", baseline: "baseline" };
  it.each([
    [{ ...base, baseline: "canary" }, "baseline", "must differ from canary"],
    [{ ...base, canary: 'x"}' }, "canary", "letters, digits"],
    [{ ...base, canary: "x".repeat(65) }, "canary", "1 to 64"],
    [{ ...base, thresholds: { marginal: 80, pass: 60 } }, "thresholds.pass", "at least marginal"],
    [{ ...base, schedule: { count: 0, intervalMinutes: 10, initialDelayMinutes: 0, failureLimit: 0, inconclusiveLimit: 0 } }, "schedule.count", "at least 1"],
    [{ ...base, schedule: { count: 100, intervalMinutes: 1440, initialDelayMinutes: 0, failureLimit: 0, inconclusiveLimit: 0 } }, "schedule.count", "longer than 7 days"],
    [{ ...base, metrics: [] }, "metrics", "at least one"],
    [{ ...base, metrics: Array.from({ length: 21 }, (_, i) => ({ sli: `s${i}` })) }, "metrics", "at most 20"],
    [{ ...base, metrics: [{ sli: "a" }, { sli: "a" }] }, "metrics.1.sli", "second time"],
    [{ ...base, metrics: [{ sli: "a", direction: "sideways" }] }, "metrics.0.direction", "increase, decrease, either"],
    [{ ...base, budget: { maxShareOfRemainingPerDay: 2 } }, "budget.maxShareOfRemainingPerDay", "at most 1"],
    [{ ...base, extra: 1 }, "", "extra"],
    [{ ...base, service: "" }, "service", "is required"],
  ])("refuses %j at %s", (input, path, words) => {
    const r = createAnalysisSchema.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path.join(".") === path || (path === "" && i.path.length === 0));
    expect(issue, JSON.stringify(r.error!.issues)).toBeDefined();
    expect(issue!.message + JSON.stringify(issue)).toContain(words);
  });
});
