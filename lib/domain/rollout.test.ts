// docs/domain.md "Canary vocabulary": stages 1 → 5 → 25 → 50 → 100 %; roll back when the error
// rate exceeds the baseline by 0.5 percentage points, or p99 latency by 100 ms.
import { describe, expect, it } from "vitest";
import { errorRate, errorRateAtStage, rollbackRule, ROLLOUT_STAGES } from "./rollout";

describe("the automatic-rollback rule (docs/domain.md: +0.5 pp error rate, +100 ms p99)", () => {
  it.each([
    // canary bad/total, baseline bad/total, rollback?
    [{ good: 985, total: 1000 }, { good: 990, total: 1000 }, false], // 1.5 % vs 1.0 %: exactly +0.5 pp is not "more than"
    [{ good: 984, total: 1000 }, { good: 990, total: 1000 }, true], //   1.6 % vs 1.0 %
    [{ good: 9949, total: 10_000 }, { good: 10_000, total: 10_000 }, true], // 0.51 % vs 0 %
    [{ good: 995, total: 1000 }, { good: 999, total: 1000 }, false], // 0.5 % vs 0.1 %: +0.4 pp
    [{ good: 900, total: 1000 }, { good: 0, total: 0 }, false], // no baseline: the rule decides nothing
    [{ good: 0, total: 0 }, { good: 990, total: 1000 }, false], // no canary data
  ])("canary %o against baseline %o: rollback %s", (canary, baseline, want) => {
    expect(rollbackRule({ canary, baseline }).rollback).toBe(want);
  });

  it("says why, with both rates", () => {
    expect(rollbackRule({ canary: { good: 970, total: 1000 }, baseline: { good: 990, total: 1000 } }).reasons).toEqual([
      "The canary's error rate (3.00 %) is more than 0.5 percentage points above the baseline's (1.00 %).",
    ]);
  });

  it("p99 latency: more than 100 ms above the baseline rolls back; exactly 100 ms does not; one side missing decides nothing", () => {
    const same = { good: 1, total: 1 };
    expect(rollbackRule({ canary: same, baseline: same, canaryP99Ms: 350, baselineP99Ms: 250 }).rollback).toBe(false);
    expect(rollbackRule({ canary: same, baseline: same, canaryP99Ms: 351, baselineP99Ms: 250 })).toEqual({
      rollback: true,
      reasons: ["The canary's p99 latency (351 ms) is more than 100 ms above the baseline's (250 ms)."],
    });
    expect(rollbackRule({ canary: same, baseline: same, canaryP99Ms: 900, baselineP99Ms: null }).rollback).toBe(false);
  });

  it("pools events: the rate is bad over total across minutes, not the mean of per-minute rates", () => {
    // One busy good minute and one quiet bad one: 10 bad of 1010 is 0.99 %, the mean of minutes would be 50 %.
    expect(errorRate({ good: 1000, total: 1010 })).toBeCloseTo(10 / 1010, 12);
    expect(errorRate({ good: 0, total: 0 })).toBeNull();
  });
});

describe("rollout stages", () => {
  it("are 1, 5, 25, 50 and 100 % (docs/domain.md)", () => {
    expect(ROLLOUT_STAGES).toEqual([1, 5, 25, 50, 100]);
  });

  it.each([
    [1, 0.03, 0.01, 0.0102],
    [25, 0.03, 0.01, 0.015],
    [50, 0.03, 0.01, 0.02],
    [100, 0.03, 0.01, 0.03],
  ])("at %i %% on a canary erring %f beside a baseline erring %f, the service errs %f", (stage, c, b, want) => {
    expect(errorRateAtStage(stage, c, b)).toBeCloseTo(want, 12);
  });
});
