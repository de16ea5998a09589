// Cohorts of an SLI's data (issue 16, docs/deploy-verification.md "Cohorts"): the minutes of one
// slice of the traffic (canary, baseline, a release version) stored beside the SLI's own minutes,
// never mixed into them. Bounded in number and in life so a pipeline that names a cohort per
// build cannot grow the table without end. Pure: time comes in as an argument.
import { errorRate, type Events } from "./rollout";

/** Letters, digits, ".", "_" and "-": safe in a URL, a PromQL label value and a log line. */
export const COHORT_NAME = /^[A-Za-z0-9._-]{1,64}$/;
export const COHORT_NAME_RULE = "must be 1 to 64 letters, digits, '.', '_' or '-' (e.g. canary, baseline, v1.4.2)";

/**
 * How long a cohort lives after its last push or its last read by an analysis. A week covers
 * the longest rollout we expect (an analysis of the default schedule lasts about an hour; a slow
 * staged rollout a few days) and leaves time to read the result afterwards.
 */
export const COHORT_TTL_DAYS = 7;
const COHORT_TTL_MS = COHORT_TTL_DAYS * 86_400_000;

/**
 * Live cohorts per SLI. Twenty is many releases in flight at once (a canary and a baseline per
 * release, several environments); beyond it a pipeline is almost certainly naming a cohort per
 * build, and each would live a week.
 */
export const MAX_LIVE_COHORTS_PER_SLI = 20;

export function isCohortName(name: string): boolean {
  return COHORT_NAME.test(name);
}

/** When a cohort pushed to or read at `at` expires. */
export function cohortExpiry(at: Date): Date {
  return new Date(at.getTime() + COHORT_TTL_MS);
}

export function isCohortLive(expiresAt: Date, now: Date): boolean {
  return expiresAt.getTime() > now.getTime();
}

/**
 * Which new cohort names of one SLI fit under the cap, in the order they came: `live` are the
 * names already live, `wanted` the names a push brings. Names already live always fit.
 */
export function cohortsOverCap(live: readonly string[], wanted: readonly string[], cap = MAX_LIVE_COHORTS_PER_SLI): Set<string> {
  const known = new Set(live);
  const over = new Set<string>();
  for (const name of wanted) {
    if (known.has(name) || over.has(name)) continue;
    if (known.size < cap) known.add(name);
    else over.add(name);
  }
  return over;
}

/** The sentence a refused item carries: the cap, and how to free a place. */
export function cohortCapReason(cap = MAX_LIVE_COHORTS_PER_SLI): string {
  return `this SLI already has ${cap} live cohorts, the most it may hold; reuse one of their names, or wait until one expires (${COHORT_TTL_DAYS} days after its last push or analysis)`;
}

/**
 * The per-minute value an analysis judges: the error ratio 1 - good/total (for a latency SLI,
 * whose good events are the fast ones, the slow share). A minute with no events has no value
 * (NaN, which the judge's NaN strategy removes), not an error ratio of 0.
 */
export function minuteErrorRatio(good: number, total: number): number {
  return total > 0 ? 1 - good / total : Number.NaN;
}

/** The events of many minutes added up (an error rate is pooled over them, lib/domain/rollout.ts). */
export function pooledEvents(minutes: readonly { good: number; total: number }[]): Events {
  let good = 0;
  let total = 0;
  for (const m of minutes) {
    good += m.good;
    total += m.total;
  }
  return { good, total };
}

/** The pooled error ratio of many minutes (bad over total), null without events. */
export function pooledErrorRatio(minutes: readonly { good: number; total: number }[]): number | null {
  return errorRate(pooledEvents(minutes));
}

/**
 * An interval's outcome once its budget terms and the rollback rule are in (issue 16: "a policy
 * may fail a canary on budget alone"; docs/domain.md: roll back at +0.5 pp or +100 ms): the
 * judge's outcome, or "fail" when either fails on data the canary had. Without data the interval
 * stays "nodata" whatever the budget says (there was no ratio to judge).
 */
export function intervalOutcome<O extends "pass" | "marginal" | "fail" | "nodata">(judged: O, fails: { budget: boolean; rollback: boolean }): O | "fail" {
  return (fails.budget || fails.rollback) && judged !== "nodata" ? "fail" : judged;
}

export type AnalysisVerdict = "running" | "pass" | "fail" | "inconclusive" | "cancelled";

/** The one-word verdict callers test (Argo's successCondition, Flagger's webhooks, the CLI's exit code). */
export function analysisVerdict(status: string): AnalysisVerdict {
  switch (status) {
    case "passed":
      return "pass";
    case "failed":
      return "fail";
    case "inconclusive":
      return "inconclusive";
    case "cancelled":
      return "cancelled";
    default:
      return "running";
  }
}

/** The end-of-analysis message for the team's channels. */
export function analysisEndedText(a: { service: string; version: string; canary: string; baseline: string; verdict: AnalysisVerdict; reasons: readonly string[]; url: string }): string {
  const release = a.version ? ` ${a.version}` : "";
  const head = `Canary analysis of ${a.service}${release} (${a.canary} against ${a.baseline}): ${a.verdict}.`;
  return `${head}\n${a.reasons.join("\n")}\n<${a.url}|Open in Burnrate>`;
}
