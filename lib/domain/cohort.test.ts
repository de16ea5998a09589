import { describe, expect, it } from "vitest";
import { cohortCapReason, cohortExpiry, cohortsOverCap, COHORT_TTL_DAYS, intervalOutcome, isCohortLive, isCohortName, MAX_LIVE_COHORTS_PER_SLI, minuteErrorRatio, pooledErrorRatio } from "./cohort";

describe("cohort names (docs/deploy-verification.md, Cohorts)", () => {
  it.each([
    ["canary", true],
    ["baseline", true],
    ["v1.4.2", true],
    ["release_2026-12-04", true],
    ["x".repeat(64), true],
    ["x".repeat(65), false],
    ["", false],
    ["a b", false],
    ['a"}', false],
    ["ünïcode", false],
    ["a/b", false],
  ])("%j → %s", (name, ok) => expect(isCohortName(name)).toBe(ok));
});

describe("cohort life", () => {
  it("lives COHORT_TTL_DAYS after its last push or read", () => {
    const at = new Date("2026-12-01T10:00:00Z");
    const exp = cohortExpiry(at);
    expect(exp.toISOString()).toBe(new Date(at.getTime() + COHORT_TTL_DAYS * 86_400_000).toISOString());
    expect(isCohortLive(exp, new Date(exp.getTime() - 1))).toBe(true);
    expect(isCohortLive(exp, exp)).toBe(false);
  });
});

describe("the cap on live cohorts per SLI", () => {
  const names = (n: number, p = "c") => Array.from({ length: n }, (_, i) => `${p}${i}`);
  it("lets names already live through, takes new ones up to the cap in order, refuses the rest", () => {
    expect(cohortsOverCap(names(19), ["c0", "new1", "new2", "new3"], 20)).toEqual(new Set(["new2", "new3"]));
    expect(cohortsOverCap(names(20), ["c5"], 20)).toEqual(new Set());
    expect(cohortsOverCap([], names(MAX_LIVE_COHORTS_PER_SLI + 1, "n"))).toEqual(new Set([`n${MAX_LIVE_COHORTS_PER_SLI}`]));
  });
  it("says the cap and how to free a place", () => {
    expect(cohortCapReason(20)).toMatch(/20 live cohorts.*reuse one of their names, or wait until one expires \(7 days/);
  });
});

describe("per-minute values an analysis judges", () => {
  it("is 1 - good/total, NaN for a minute without events", () => {
    expect(minuteErrorRatio(97, 100)).toBeCloseTo(0.03, 12);
    expect(minuteErrorRatio(0, 0)).toBeNaN();
    expect(pooledErrorRatio([{ good: 99, total: 100 }, { good: 95, total: 100 }])).toBeCloseTo(0.03, 12);
    expect(pooledErrorRatio([{ good: 0, total: 0 }])).toBeNull();
  });
});

describe("an interval's outcome: the judge's, failed by a budget rule or the rollback rule (docs/domain.md)", () => {
  it.each([
    ["pass", { budget: false, rollback: false }, "pass"],
    ["pass", { budget: true, rollback: false }, "fail"],
    ["pass", { budget: false, rollback: true }, "fail"],
    ["marginal", { budget: false, rollback: true }, "fail"],
    ["fail", { budget: false, rollback: false }, "fail"],
    // No data: nothing to judge, whatever the budget says.
    ["nodata", { budget: true, rollback: false }, "nodata"],
  ] as const)("%s with %o is %s", (judged, fails, want) => {
    expect(intervalOutcome(judged, fails)).toBe(want);
  });
});
