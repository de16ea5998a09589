// A canary analysis over a rollout: when each interval runs, which minutes it judges, when the
// analysis ends and how; and the canary's error ratio said in error-budget terms.
// docs/canary-judge.md "Lifetime" and "In budget terms". Pure: time comes in as arguments.
import { type Objective, type RemainingBudget } from "./budget";
import { burnRate, timeToExhaustionMinutes } from "./burn-rate";
import type { CanaryOutcome } from "./canary-judge";
import { formatDuration, formatPercent } from "./format";

export type AnalysisSchedule = { count: number; intervalMinutes: number; initialDelayMinutes: number; failureLimit: number; inconclusiveLimit: number };

/**
 * Six intervals of ten minutes after five minutes of warm-up: an hour of judged canary traffic
 * (Kayenta's usual canary lifetime) and at least ten per-minute values in the first test. The
 * limits are Argo Rollouts' AnalysisRun defaults (failureLimit 0, inconclusiveLimit 0): the first
 * failed or inconclusive interval ends the analysis. The warm-up skips the minutes in which new
 * pods fill caches and the cohort's first minutes are still being ingested.
 */
export const DEFAULT_SCHEDULE: AnalysisSchedule = { count: 6, intervalMinutes: 10, initialDelayMinutes: 5, failureLimit: 0, inconclusiveLimit: 0 };

export type AnalysisStatus = "running" | "passed" | "failed" | "inconclusive";

const MINUTE = 60_000;

/** Throws on a schedule no analysis can run (the API's schema refuses these first, with the field named). */
export function checkSchedule(s: AnalysisSchedule): void {
  const whole = (v: number, min: number) => Number.isSafeInteger(v) && v >= min;
  if (!whole(s.count, 1)) throw new RangeError("count must be a whole number of at least 1");
  if (!whole(s.intervalMinutes, 1)) throw new RangeError("intervalMinutes must be a whole number of at least 1");
  if (!whole(s.initialDelayMinutes, 0)) throw new RangeError("initialDelayMinutes must be a whole number of at least 0");
  if (!whole(s.failureLimit, 0)) throw new RangeError("failureLimit must be a whole number of at least 0");
  if (!whole(s.inconclusiveLimit, 0)) throw new RangeError("inconclusiveLimit must be a whole number of at least 0");
}

/**
 * The minutes the index-th interval (0-based) judges: cumulative from the first whole minute
 * after startedAt + initialDelay to the end of that interval, as a Kayenta canary run does when
 * no lookback is set. Each verdict then rests on all the canary's minutes so far, and the test
 * gains power as the rollout goes on. `to` is exclusive: the interval can run once it has passed.
 */
export function intervalWindow(s: AnalysisSchedule, startedAt: Date, index: number): { from: Date; to: Date } {
  checkSchedule(s);
  if (!Number.isSafeInteger(index) || index < 0 || index >= s.count) throw new RangeError(`interval index must be between 0 and ${s.count - 1}`);
  const t = startedAt.getTime();
  if (!Number.isFinite(t)) throw new RangeError("startedAt is not a valid time");
  const from = Math.ceil((t + s.initialDelayMinutes * MINUTE) / MINUTE) * MINUTE;
  return { from: new Date(from), to: new Date(from + (index + 1) * s.intervalMinutes * MINUTE) };
}

/**
 * The analysis after the outcomes so far (issue 16, Argo Rollouts' limits): "marginal" and "fail"
 * count as failures and more than failureLimit of them end it as failed at once; "nodata" counts
 * as inconclusive and more than inconclusiveLimit end it as inconclusive; after `count`
 * intervals it passed only if the last one passed.
 */
export function analysisState(s: AnalysisSchedule, startedAt: Date, outcomes: CanaryOutcome[]): { status: AnalysisStatus; reasons: string[]; nextRunAt: Date | null } {
  checkSchedule(s);
  if (outcomes.length > s.count) throw new RangeError(`${outcomes.length} outcomes for an analysis of ${s.count} intervals`);
  let failures = 0;
  let inconclusive = 0;
  for (const [i, outcome] of outcomes.entries()) {
    const n = i + 1;
    if (outcome === "fail" || outcome === "marginal") {
      failures++;
      if (failures > s.failureLimit) {
        const why = `Interval ${n} of ${s.count} was ${outcome === "fail" ? "failed" : "marginal"}`;
        return { status: "failed", reasons: [`${why}: ${failures} ${plural(failures, "failure")}, more than the ${s.failureLimit} allowed.`], nextRunAt: null };
      }
    } else if (outcome === "nodata") {
      inconclusive++;
      if (inconclusive > s.inconclusiveLimit) {
        return {
          status: "inconclusive",
          reasons: [`Interval ${n} of ${s.count} had no data: ${inconclusive} inconclusive ${plural(inconclusive, "interval")}, more than the ${s.inconclusiveLimit} allowed.`],
          nextRunAt: null,
        };
      }
    }
  }
  if (outcomes.length === s.count) {
    const last = outcomes[s.count - 1];
    if (last === "pass") return { status: "passed", reasons: [`All ${s.count} ${plural(s.count, "interval")} ran and the last one passed.`], nextRunAt: null };
    if (last === "nodata") return { status: "inconclusive", reasons: [`The last interval (${s.count} of ${s.count}) had no data, and the last one must pass.`], nextRunAt: null };
    return { status: "failed", reasons: [`The last interval (${s.count} of ${s.count}) was ${last === "fail" ? "failed" : "marginal"}, and the last one must pass.`], nextRunAt: null };
  }
  const next = intervalWindow(s, startedAt, outcomes.length).to;
  const tally = outcomes.length === 0 ? "No interval has run yet" : `${outcomes.length} of ${s.count} ${plural(s.count, "interval")} ran (${failures} failed, ${inconclusive} without data)`;
  return { status: "running", reasons: [`${tally}; the next one is due at ${next.toISOString()}.`], nextRunAt: next };
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

export type BudgetRule = { failIfExhaustsWithinMinutes?: number; maxShareOfRemainingPerDay?: number };

const DAY_MINUTES = 1440;

/**
 * The canary's error ratio as if the whole service ran at it (docs/domain.md "Burn rate"):
 * burn rate = ratio / (1 - objective); time to exhaustion = remaining x window / burn rate; a day
 * at burn rate b spends b x 1440 / window of the window's budget, i.e. that over `remaining` of
 * what is left. A rule may fail the canary on these alone.
 */
export function budgetAtCanaryRatio(input: { objective: Objective; windowMinutes: number; remaining: RemainingBudget; canaryErrorRatio: number | null; rule?: BudgetRule }): {
  burnRate: number | null;
  timeToExhaustionMinutes: number | null;
  shareOfRemainingNextDay: number | null;
  fails: boolean;
  reasons: string[];
} {
  const { objective, windowMinutes, remaining, canaryErrorRatio, rule = {} } = input;
  if (!Number.isSafeInteger(windowMinutes) || windowMinutes < 1) throw new RangeError("windowMinutes must be a whole number of at least 1");
  if (canaryErrorRatio !== null && !(canaryErrorRatio >= 0 && canaryErrorRatio <= 1)) throw new RangeError("canaryErrorRatio must be between 0 and 1");
  if (rule.failIfExhaustsWithinMinutes !== undefined && !(rule.failIfExhaustsWithinMinutes >= 0)) throw new RangeError("failIfExhaustsWithinMinutes must be 0 or more");
  if (rule.maxShareOfRemainingPerDay !== undefined && !(rule.maxShareOfRemainingPerDay >= 0)) throw new RangeError("maxShareOfRemainingPerDay must be 0 or more");
  if (canaryErrorRatio === null) {
    return { burnRate: null, timeToExhaustionMinutes: null, shareOfRemainingNextDay: null, fails: false, reasons: ["The canary has no data yet, so nothing can be said in budget terms."] };
  }
  // Burn rate is linear in the error ratio: the ratio times the burn rate of all-bad traffic, so it
  // comes from the one function that defines it without the rounding of 1 - (1 - ratio).
  const rate = canaryErrorRatio * burnRate(objective, { good: 0, total: 1 })!;
  const tte = timeToExhaustionMinutes(remaining, windowMinutes, rate);
  const left = remaining.state === "ok" ? remaining.remaining : null;
  const share = rate === null || left === null || left <= 0 ? null : (rate * DAY_MINUTES) / windowMinutes / left;
  const windowText = windowMinutes % DAY_MINUTES === 0 ? `${windowMinutes / DAY_MINUTES}-day window` : `${formatDuration(windowMinutes)} window`;
  const reasons: string[] = [];
  let fails = false;
  if (left !== null && left <= 0 && (rule.failIfExhaustsWithinMinutes !== undefined || rule.maxShareOfRemainingPerDay !== undefined)) {
    fails = true;
    reasons.push(`The budget of the ${windowText} is already exhausted.`);
  }
  if (rule.failIfExhaustsWithinMinutes !== undefined && tte !== null && tte > 0 && tte <= rule.failIfExhaustsWithinMinutes) {
    fails = true;
    const within = rule.failIfExhaustsWithinMinutes === windowMinutes ? `within the ${windowText}` : `within ${formatDuration(rule.failIfExhaustsWithinMinutes)}`;
    reasons.push(`A full rollout would exhaust the budget in ${formatDuration(tte)}, ${within}.`);
  }
  if (rule.maxShareOfRemainingPerDay !== undefined && share !== null && share > rule.maxShareOfRemainingPerDay) {
    fails = true;
    reasons.push(`A full rollout would spend ${formatPercent(share, 1)} of the remaining budget in the next 24 h, above the ${formatPercent(rule.maxShareOfRemainingPerDay, 1)} allowed.`);
  }
  return { burnRate: rate, timeToExhaustionMinutes: tte, shareOfRemainingNextDay: share, fails, reasons };
}
