// Regression against earlier releases (docs/regression.md): a release's first N minutes judged
// with Keptn's quality-gate method (./keptn-slo.ts) against the last K good releases of the same
// service and environment. This file holds Burnrate's choices around Keptn's evaluation: the
// window each release is measured over, the SLI value (error ratio), the default criteria, which
// earlier releases count as good, and the answer when there is not yet anything to judge.
import { budgetUnits, parseObjective } from "./budget";
import { formatUtc } from "./format";
import { evaluateSlo, objectiveReason, selectComparisons, violatedCriteria, type KeptnResult, type KeptnSlo, type ObjectiveResult } from "./keptn-slo";
import { MINUTE_MS } from "./window";

export const DEFAULT_FIRST_MINUTES = 30;
export const MAX_FIRST_MINUTES = 24 * 60;
/** Earlier deploys looked at to find K good ones: bounded, so one request never reads a service's whole history. */
export const MAX_EARLIER_CANDIDATES = 20;
export const DEFAULT_COMPARISON_RESULTS = 3;

/**
 * The minutes a release is measured over: its first `firstMinutes`, cut short where the next
 * deploy of the same service and environment began (those minutes belong to that release).
 * `complete` says whether the window has ended by `now`.
 */
export function releaseWindow(deployedAt: Date, nextDeployedAt: Date | null, firstMinutes: number, now: Date): { from: Date; to: Date; complete: boolean; cutShort: boolean } {
  const end = deployedAt.getTime() + firstMinutes * MINUTE_MS;
  const cutShort = nextDeployedAt !== null && nextDeployedAt.getTime() < end;
  const to = cutShort ? nextDeployedAt!.getTime() : end;
  return { from: deployedAt, to: new Date(to), complete: to <= now.getTime(), cutShort };
}

/** The SLI value compared between releases: the error ratio 1 - good/total, or null without events (Keptn's "no value"). */
export function errorRatio(c: { good: number; total: number }): number | null {
  if (c.total <= 0) return null;
  return (c.total - Math.min(c.good, c.total)) / c.total;
}

/** 1 - objective as decimal text from the exact budget units (10^-8), so "0.9999999" allows "0.0000001", never "1e-7". */
function allowedErrorRatioText(units: number): string {
  return `0.${String(units).padStart(8, "0")}`.replace(/0+$/, "");
}

export type ServiceSli = { slug: string; name: string; /** the SLOs' objectives on this SLI ("0.999"), strictest first or in any order */ objectives: string[] };

/**
 * Criteria when the caller gives none: per SLI, pass if its error ratio is at most 10 % above
 * the aggregate of the earlier good releases AND within what the SLO allows (1 - objective,
 * the strictest of the SLI's SLOs); SLIs with an SLO are key SLIs; an average over the last 3
 * releases that passed; total score pass 90 %, warning 75 %.
 */
export function defaultCriteria(slis: readonly ServiceSli[]): KeptnSlo {
  return {
    specVersion: "1.0",
    comparison: { compareWith: "several_results", includeResultWithScore: "pass", numberOfComparisonResults: DEFAULT_COMPARISON_RESULTS, aggregateFunction: "avg" },
    objectives: slis.map((s) => {
      const allowed = s.objectives.length ? allowedErrorRatioText(Math.min(...s.objectives.map((o) => budgetUnits(parseObjective(o))))) : null;
      return {
        sli: s.slug,
        displayName: s.name,
        keySli: allowed !== null,
        pass: [{ criteria: allowed === null ? ["<=+10%"] : ["<=+10%", `<=${allowed}`] }],
        warning: [],
        weight: 1,
      };
    }),
    totalScore: { pass: 90, warning: 75 },
  };
}

/**
 * An earlier release's own result, which decides whether it is "good" (include_result_with_score).
 * It is judged as Keptn judges a first evaluation: relative criteria, having nothing to compare
 * with, are met, so only the absolute ones (for the defaults, the SLO's allowed error ratio)
 * decide. This needs no earlier releases of its own, so judging one never recurses.
 */
export function earlierReleaseResult(slo: KeptnSlo, values: Readonly<Record<string, number | null>>): { result: KeptnResult; score: number } {
  const e = evaluateSlo(slo, values, []);
  return { result: e.result, score: e.score };
}

export type EarlierRelease = { deployId: string; version: string; deployedAt: Date; window: { from: Date; to: Date; complete: boolean }; values: Record<string, number | null> };
export type ComparedRelease = { deployId: string; version: string; deployedAt: Date; result: KeptnResult; score: number; compared: boolean };

export type RegressionObjective = ObjectiveResult & { reason: string; violated: string[] };
export type RegressionOutcome = {
  status: "evaluated" | "not_yet" | "no_data";
  result: KeptnResult | null;
  score: number | null;
  maximumScore: number | null;
  sentence: string;
  reasons: string[];
  objectives: RegressionObjective[];
  releases: ComparedRelease[];
};

/** An error ratio in a sentence: four significant digits, no binary noise. */
export const formatRatio = (x: number) => String(Number(x.toPrecision(4)));

/**
 * The verdict on a release. Not a pass while its window is still open ("not_yet") or when no
 * SLI had an event in it ("no_data"); otherwise Keptn's evaluation against the earlier releases
 * that include_result_with_score admits, newest first, at most K of them.
 */
export function judgeRelease(input: {
  slo: KeptnSlo;
  release: { version: string; window: { from: Date; to: Date; complete: boolean } };
  values: Readonly<Record<string, number | null>>;
  /** Earlier releases of the same service and environment, newest first, windows complete. */
  earlier: readonly EarlierRelease[];
  firstMinutes: number;
}): RegressionOutcome {
  const { slo, release, values } = input;
  const empty = { result: null, score: null, maximumScore: null, objectives: [], releases: [] };
  if (!release.window.complete) {
    const sentence = `Release ${release.version} is not judged yet: its first ${input.firstMinutes} minutes end at ${formatUtc(release.window.to)}; ask again then.`;
    return { ...empty, status: "not_yet", sentence, reasons: [sentence] };
  }
  const measured = slo.objectives.filter((o) => values[o.sli] !== null && values[o.sli] !== undefined);
  if (measured.length === 0) {
    const sentence = `Release ${release.version} had no events from ${formatUtc(release.window.from)} to ${formatUtc(release.window.to)} for any SLI it is judged on, so there is nothing to judge; that is not a pass.`;
    return { ...empty, status: "no_data", sentence, reasons: [sentence] };
  }

  const judged = input.earlier.filter((e) => e.window.complete).map((e) => ({ ...e, ...earlierReleaseResult(slo, e.values) }));
  const chosen = new Set(selectComparisons(judged, slo.comparison).map((e) => e.deployId));
  const compared = judged.filter((e) => chosen.has(e.deployId));
  const evaluation = evaluateSlo(
    slo,
    values,
    compared.map((e) => e.values),
  );
  const objectives = evaluation.objectives.map((o) => ({ ...o, reason: objectiveReason(o, formatRatio), violated: violatedCriteria(o).map((t) => t.criteria) }));
  const against =
    compared.length === 0
      ? "with no earlier good release to compare with (relative criteria are met, as in Keptn)"
      : `against ${compared.length} earlier release${compared.length === 1 ? "" : "s"} (${compared.map((e) => e.version).join(", ")})`;
  const verdict = evaluation.result === "pass" ? "passes" : evaluation.result === "warning" ? "passes with a warning" : "fails";
  const sentence = `Release ${release.version} ${verdict} with a score of ${Math.round(evaluation.score * 100) / 100}% ${against}: ${evaluation.reasons[0]}.`;
  return {
    status: "evaluated",
    result: evaluation.result,
    score: evaluation.score,
    maximumScore: evaluation.maximumScore,
    sentence,
    reasons: [...evaluation.reasons, ...objectives.filter((o) => o.status !== "pass").map((o) => o.reason)],
    objectives,
    releases: judged.map((e) => ({ deployId: e.deployId, version: e.version, deployedAt: e.deployedAt, result: e.result, score: e.score, compared: chosen.has(e.deployId) })),
  };
}
