import { describe, expect, it } from "vitest";
import { computeRemainingBudget, parseObjective } from "./budget";
import { analysisState, budgetAtCanaryRatio, DEFAULT_SCHEDULE, intervalWindow, type AnalysisSchedule } from "./canary-analysis";
import { judgeCanary, type CanaryJudgeConfig, type CanaryOutcome } from "./canary-judge";

const start = new Date("2025-03-01T12:00:30Z");
const s: AnalysisSchedule = { count: 4, intervalMinutes: 10, initialDelayMinutes: 5, failureLimit: 0, inconclusiveLimit: 0 };

describe("DEFAULT_SCHEDULE (docs/canary-judge.md 'Lifetime')", () => {
  it("six 10-minute intervals after 5 minutes; Argo Rollouts' limits 0 and 0", () => {
    expect(DEFAULT_SCHEDULE).toEqual({ count: 6, intervalMinutes: 10, initialDelayMinutes: 5, failureLimit: 0, inconclusiveLimit: 0 });
  });
});

describe("intervalWindow: cumulative from the first whole minute after start + delay", () => {
  it.each([
    [0, "2025-03-01T12:06:00.000Z", "2025-03-01T12:16:00.000Z"],
    [1, "2025-03-01T12:06:00.000Z", "2025-03-01T12:26:00.000Z"],
    [3, "2025-03-01T12:06:00.000Z", "2025-03-01T12:46:00.000Z"],
  ])("interval %i: %s to %s", (index, from, to) => {
    const w = intervalWindow(s, start, index);
    expect(w.from.toISOString()).toBe(from);
    expect(w.to.toISOString()).toBe(to);
  });
  it("a start on the minute is not pushed a minute later", () => {
    expect(intervalWindow({ ...s, initialDelayMinutes: 0 }, new Date("2025-03-01T12:00:00Z"), 0).from.toISOString()).toBe("2025-03-01T12:00:00.000Z");
  });
  it.each([[-1], [4], [1.5], [Number.NaN]])("refuses index %d", (index) => {
    expect(() => intervalWindow(s, start, index)).toThrow(/index/);
  });
  it.each([
    [{ count: 0 }, /count/],
    [{ intervalMinutes: 0 }, /intervalMinutes/],
    [{ initialDelayMinutes: -1 }, /initialDelayMinutes/],
    [{ failureLimit: 0.5 }, /failureLimit/],
    [{ inconclusiveLimit: Number.POSITIVE_INFINITY }, /inconclusiveLimit/],
  ])("refuses a schedule with %j", (patch, message) => {
    expect(() => intervalWindow({ ...s, ...patch }, start, 0)).toThrow(message);
  });
  it("refuses an invalid start time", () => expect(() => intervalWindow(s, new Date(Number.NaN), 0)).toThrow(/startedAt/));
});

describe("analysisState (issue 16 lifetime rules; Argo Rollouts' failureLimit / inconclusiveLimit)", () => {
  it.each<[string, Partial<AnalysisSchedule>, CanaryOutcome[], string, RegExp]>([
    ["nothing run yet", {}, [], "running", /No interval has run yet; the next one is due at 2025-03-01T12:16:00.000Z/],
    ["two passes so far", {}, ["pass", "pass"], "running", /2 of 4 intervals ran \(0 failed, 0 without data\); the next one is due at 2025-03-01T12:36:00.000Z/],
    ["all four pass", {}, ["pass", "pass", "pass", "pass"], "passed", /All 4 intervals ran and the last one passed/],
    ["a failure ends it early with limit 0", {}, ["pass", "fail"], "failed", /Interval 2 of 4 was failed: 1 failure, more than the 0 allowed/],
    ["a marginal interval counts as a failure", {}, ["marginal"], "failed", /Interval 1 of 4 was marginal/],
    ["failureLimit 1 tolerates one failure", { failureLimit: 1 }, ["fail", "pass"], "running", /1 failed/],
    ["failureLimit 1 ends at the second", { failureLimit: 1 }, ["fail", "pass", "marginal"], "failed", /Interval 3 of 4 was marginal: 2 failures, more than the 1 allowed/],
    ["no data is inconclusive with limit 0", {}, ["nodata"], "inconclusive", /Interval 1 of 4 had no data: 1 inconclusive interval, more than the 0 allowed/],
    ["inconclusiveLimit 1 tolerates one", { inconclusiveLimit: 1 }, ["nodata", "pass"], "running", /1 without data/],
    ["the last one must pass (failure within the limit)", { failureLimit: 2 }, ["pass", "pass", "pass", "fail"], "failed", /The last interval \(4 of 4\) was failed, and the last one must pass/],
    ["the last one must pass (no data within the limit)", { inconclusiveLimit: 2 }, ["pass", "pass", "pass", "nodata"], "inconclusive", /The last interval \(4 of 4\) had no data/],
    ["an early failure within the limit, then passes", { failureLimit: 1 }, ["fail", "pass", "pass", "pass"], "passed", /last one passed/],
  ])("%s", (_, patch, outcomes, status, reason) => {
    const state = analysisState({ ...s, ...patch }, start, outcomes);
    expect(state.status).toBe(status);
    expect(state.reasons.join(" ")).toMatch(reason);
    expect(state.nextRunAt === null).toBe(status !== "running");
  });
  it("refuses more outcomes than intervals", () => {
    expect(() => analysisState(s, start, ["pass", "pass", "pass", "pass", "pass"])).toThrow(/5 outcomes/);
  });
});

// The end-to-end cases on generated per-minute error ratios, interval by interval, with
// the judge and the lifetime together (the service layer does the same with stored minutes).
function minutes(seed: number, count: number, errorRatio: number): number[] {
  let x = seed >>> 0;
  const rand = () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    let bad = 0;
    for (let i = 0; i < 1000; i++) if (rand() < errorRatio) bad++;
    return bad / 1000;
  });
}
const config: CanaryJudgeConfig = { metrics: [{ name: "availability", direction: "increase" }], thresholds: { marginal: 50, pass: 75 } };
function runAnalysis(baselineRatio: number, canaryRatio: number | null): { status: string; intervals: number } {
  const control = minutes(11, DEFAULT_SCHEDULE.count * DEFAULT_SCHEDULE.intervalMinutes, baselineRatio);
  const experiment = canaryRatio === null ? [] : minutes(12, control.length, canaryRatio);
  const outcomes: CanaryOutcome[] = [];
  for (let i = 0; i < DEFAULT_SCHEDULE.count; i++) {
    const upTo = (i + 1) * DEFAULT_SCHEDULE.intervalMinutes; // cumulative windows
    outcomes.push(judgeCanary(config, { availability: { control: control.slice(0, upTo), experiment: experiment.slice(0, upTo) } }).outcome);
    const state = analysisState(DEFAULT_SCHEDULE, start, outcomes);
    if (state.status !== "running") return { status: state.status, intervals: outcomes.length };
  }
  throw new Error("the analysis did not end");
}

describe("a rollout with the default schedule (issue 16 'Done when')", () => {
  it("a healthy canary passes after all six intervals", () => expect(runAnalysis(0.01, 0.01)).toEqual({ status: "passed", intervals: 6 }));
  it("a canary with a tripled error ratio fails within two intervals", () => {
    const r = runAnalysis(0.01, 0.03);
    expect(r.status).toBe("failed");
    expect(r.intervals).toBeLessThanOrEqual(2);
  });
  it("no canary data is inconclusive", () => expect(runAnalysis(0.01, null)).toEqual({ status: "inconclusive", intervals: 1 }));
});

describe("budgetAtCanaryRatio (docs/domain.md 'Burn rate': burn = ratio / (1 - objective); TTE = remaining x window / burn)", () => {
  const o999 = parseObjective("0.999");
  const W28 = 28 * 1440; // 40,320 minutes
  const half = { state: "ok" as const, remaining: 0.5, sli: 0.9995 };

  it("0.3 % errors against 99.9 %: burn 3, TTE 0.5 x 40,320 / 3 = 6,720 min (4 d 16 h), 3 x 1440 / 40,320 / 0.5 = 21.43 % a day", () => {
    const r = budgetAtCanaryRatio({ objective: o999, windowMinutes: W28, remaining: half, canaryErrorRatio: 0.003 });
    expect(r.burnRate!).toBeCloseTo(3, 9);
    expect(r.timeToExhaustionMinutes!).toBeCloseTo(6720, 6);
    expect(r.shareOfRemainingNextDay!).toBeCloseTo(0.21428571428571427, 9);
    expect(r.fails).toBe(false); // no rule, no verdict
  });
  it("the rule 'exhausts within the window' fails it, saying so", () => {
    const r = budgetAtCanaryRatio({ objective: o999, windowMinutes: W28, remaining: half, canaryErrorRatio: 0.003, rule: { failIfExhaustsWithinMinutes: W28 } });
    expect(r.fails).toBe(true);
    expect(r.reasons).toEqual(["A full rollout would exhaust the budget in 4d 16h, within the 28-day window."]);
  });
  it("0.04 % errors: burn 0.4, TTE 50,400 min, after the window: passes the same rule", () => {
    const r = budgetAtCanaryRatio({ objective: o999, windowMinutes: W28, remaining: half, canaryErrorRatio: 0.0004, rule: { failIfExhaustsWithinMinutes: W28 } });
    expect(r.timeToExhaustionMinutes!).toBeCloseTo(50400, 6);
    expect(r.fails).toBe(false);
    expect(r.reasons).toEqual([]);
  });
  it("a daily share above the allowed one fails: 21.4 % > 10 %", () => {
    const r = budgetAtCanaryRatio({ objective: o999, windowMinutes: W28, remaining: half, canaryErrorRatio: 0.003, rule: { maxShareOfRemainingPerDay: 0.1 } });
    expect(r.fails).toBe(true);
    expect(r.reasons).toEqual(["A full rollout would spend 21.4% of the remaining budget in the next 24 h, above the 10% allowed."]);
  });
  it("uses the remaining budget from computeRemainingBudget (99.9 %, 400 bad of 1,000,000: remaining 0.6)", () => {
    const remaining = computeRemainingBudget(o999, 999_600, 1_000_000);
    const r = budgetAtCanaryRatio({ objective: o999, windowMinutes: 30 * 1440, remaining, canaryErrorRatio: 0.002 });
    expect(r.timeToExhaustionMinutes!).toBeCloseTo((0.6 * 43200) / 2, 6); // 12,960 min = 9 d
  });
  it("a clean canary burns nothing: no exhaustion, 0 % a day", () => {
    const r = budgetAtCanaryRatio({ objective: o999, windowMinutes: W28, remaining: half, canaryErrorRatio: 0, rule: { failIfExhaustsWithinMinutes: W28, maxShareOfRemainingPerDay: 0.1 } });
    expect(r).toMatchObject({ burnRate: 0, timeToExhaustionMinutes: null, shareOfRemainingNextDay: 0, fails: false });
  });
  it("no canary data: nothing to say, nothing fails", () => {
    const r = budgetAtCanaryRatio({ objective: o999, windowMinutes: W28, remaining: half, canaryErrorRatio: null, rule: { failIfExhaustsWithinMinutes: W28 } });
    expect(r).toMatchObject({ burnRate: null, timeToExhaustionMinutes: null, shareOfRemainingNextDay: null, fails: false });
    expect(r.reasons[0]).toMatch(/no data/);
  });
  it("an exhausted budget fails a canary under any budget rule", () => {
    const spent = { state: "ok" as const, remaining: -0.2, sli: 0.998 };
    const r = budgetAtCanaryRatio({ objective: o999, windowMinutes: W28, remaining: spent, canaryErrorRatio: 0.0001, rule: { maxShareOfRemainingPerDay: 0.5 } });
    expect(r).toMatchObject({ timeToExhaustionMinutes: 0, shareOfRemainingNextDay: null, fails: true });
    expect(r.reasons).toEqual(["The budget of the 28-day window is already exhausted."]);
  });
  it("an SLO without data has a burn rate but no exhaustion", () => {
    const r = budgetAtCanaryRatio({ objective: o999, windowMinutes: W28, remaining: { state: "no_data" }, canaryErrorRatio: 0.003 });
    expect(r).toMatchObject({ timeToExhaustionMinutes: null, shareOfRemainingNextDay: null, fails: false });
    expect(r.burnRate!).toBeCloseTo(3, 9);
  });
  it.each([
    [{ canaryErrorRatio: 1.5 }, /canaryErrorRatio/],
    [{ canaryErrorRatio: -0.1 }, /canaryErrorRatio/],
    [{ canaryErrorRatio: Number.NaN }, /canaryErrorRatio/],
    [{ windowMinutes: 0 }, /windowMinutes/],
    [{ rule: { failIfExhaustsWithinMinutes: -1 } }, /failIfExhaustsWithinMinutes/],
    [{ rule: { maxShareOfRemainingPerDay: Number.NaN } }, /maxShareOfRemainingPerDay/],
  ])("refuses %j", (patch, message) => {
    expect(() => budgetAtCanaryRatio({ objective: o999, windowMinutes: W28, remaining: half, canaryErrorRatio: 0.003, ...patch })).toThrow(message);
  });
});
