// The rollout vocabulary of docs/domain.md "Canary vocabulary": the stages a rollout passes
// through and the automatic-rollback rule (the canary's error rate above the baseline's by more
// than 0.5 percentage points, or its p99 latency by more than 100 ms). The statistical judge
// (canary-judge.ts) asks "is the canary different?"; this rule is the absolute floor under it,
// so a canary that is clearly worse fails even on too few minutes for a test to be sure.

/** Share of traffic at each stage, in percent. */
export const ROLLOUT_STAGES = [1, 5, 25, 50, 100] as const;
/** Roll back when the canary's error rate exceeds the baseline's by more than this (0.5 percentage points). */
export const ROLLBACK_ERROR_RATE_MARGIN = 0.005;
/** Roll back when the canary's p99 latency exceeds the baseline's by more than this. */
export const ROLLBACK_P99_MARGIN_MS = 100;

export type Events = { good: number; total: number };

/** Error rate of pooled events (bad over total across the minutes, not the mean of per-minute ratios); null with no events. */
export function errorRate(e: Events): number | null {
  return e.total > 0 ? (e.total - e.good) / e.total : null;
}

const pp = (r: number) => `${(r * 100).toFixed(2)} %`;

/**
 * The automatic-rollback rule. Each side's figure is pooled over the same window. Missing data on
 * either side decides nothing (the judge says "no data"); a latency figure is compared only when
 * both sides have one.
 */
export function rollbackRule(input: { canary: Events; baseline: Events; canaryP99Ms?: number | null; baselineP99Ms?: number | null }): { rollback: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const c = errorRate(input.canary);
  const b = errorRate(input.baseline);
  // Compared in whole events per million to keep 0.5 pp exact (0.015 - 0.01 is 0.004999… in floating point).
  if (c !== null && b !== null && Math.round(c * 1e6) - Math.round(b * 1e6) > ROLLBACK_ERROR_RATE_MARGIN * 1e6)
    reasons.push(`The canary's error rate (${pp(c)}) is more than 0.5 percentage points above the baseline's (${pp(b)}).`);
  const cl = input.canaryP99Ms ?? null;
  const bl = input.baselineP99Ms ?? null;
  if (cl !== null && bl !== null && cl - bl > ROLLBACK_P99_MARGIN_MS)
    reasons.push(`The canary's p99 latency (${Math.round(cl)} ms) is more than ${ROLLBACK_P99_MARGIN_MS} ms above the baseline's (${Math.round(bl)} ms).`);
  return { rollback: reasons.length > 0, reasons };
}

/**
 * The service's error rate with `stagePercent` of its traffic on the canary and the rest on the
 * baseline: the traffic-weighted mix of the two rates. At 100 % it is the canary's own rate.
 */
export function errorRateAtStage(stagePercent: number, canaryRate: number, baselineRate: number): number {
  const s = Math.min(100, Math.max(0, stagePercent)) / 100;
  return s * canaryRate + (1 - s) * baselineRate;
}
