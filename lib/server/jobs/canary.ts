// The canary job (docs/deploy-verification.md "Lifetime"): every minute, each running analysis
// whose next interval has ended is judged once. An analysis is claimed with a lease (its
// nextRunAt moved ahead in one conditional statement, FOR UPDATE SKIP LOCKED), so two replicas
// never judge it at once; the interval's primary key (analysis, index) makes a second write of
// the same interval impossible even after a lease ran out.
import type { AnalysisConfig } from "../../schemas/analysis";
import { analysisState, budgetAtCanaryRatio, intervalWindow } from "../../domain/canary-analysis";
import { judgeCanary, type CanaryOutcome } from "../../domain/canary-judge";
import { intervalOutcome, minuteErrorRatio, pooledErrorRatio, pooledEvents } from "../../domain/cohort";
import { rollbackRule } from "../../domain/rollout";
import { MINUTE_MS } from "../../domain/window";
import type { Prisma } from "../../generated/prisma/client";
import { db, prisma } from "../db/client";
import { clockNow } from "../clock";
import { logger } from "../logger";
import { pulledCohortMinutes, pushedCohortMinutes, type CohortMinute, type PromCohortSli } from "../services/cohorts";
import { recordVerdict, type StoredResult } from "../services/analyses";
import { sloDefinitionOf } from "../services/catalog";
import { statusesOf } from "../services/slo-status";
import { storedServerOf } from "../services/source-server";

/** How long a claimed analysis is left to one worker before another may try it again. */
const LEASE_MINUTES = 5;
/** Analyses judged per tick per worker: each pulls or reads two cohorts per SLI. */
const BATCH = 20;

export type CanaryRunResult = { judged: { id: string; index: number; outcome: CanaryOutcome; status: string }[] };

/**
 * Judges the due intervals of running analyses at `now`. `teamId` narrows it to one team's
 * analyses: test files share a database and run in parallel, and each drives its own clock.
 */
export async function runDueAnalyses(now = clockNow(), opts: { teamId?: string } = {}): Promise<CanaryRunResult> {
  const judged: CanaryRunResult["judged"] = [];
  for (let i = 0; i < BATCH; i++) {
    const id = await claimDue(now, opts.teamId ?? null);
    if (!id) break;
    try {
      const r = await judgeNextInterval(id, now);
      if (r) judged.push(r);
    } catch (err) {
      // The lease holds it back LEASE_MINUTES; then the next tick tries again.
      logger().error({ err, analysis_id: id }, "canary analysis interval failed; retried after the lease");
    }
  }
  return { judged };
}

/** Takes one due analysis for this worker: its nextRunAt moves to the lease's end. */
async function claimDue(now: Date, teamId: string | null): Promise<string | null> {
  const { rows } = await db().pool.query<{ id: string }>(
    `UPDATE canary_analyses SET next_run_at = $2
     WHERE id = (SELECT id FROM canary_analyses WHERE status = 'running' AND next_run_at <= $1 AND ($3::uuid IS NULL OR team_id = $3) ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    [now, new Date(now.getTime() + LEASE_MINUTES * MINUTE_MS), teamId],
  );
  return rows[0]?.id ?? null;
}

async function judgeNextInterval(id: string, now: Date) {
  const a = await prisma().canaryAnalysis.findUniqueOrThrow({ where: { id }, include: { team: { select: { slug: true } }, service: { select: { slug: true } }, intervals: { orderBy: { index: "asc" }, select: { classification: true } } } });
  if (a.status !== "running") return null;
  const config = a.config as unknown as AnalysisConfig;
  const index = a.intervals.length;
  const window = intervalWindow(config.schedule, a.startedAt, index);
  if (window.to > now) {
    // Claimed early (a clock step, a changed schedule): wait for the interval's end.
    await prisma().canaryAnalysis.updateMany({ where: { id, status: "running" }, data: { nextRunAt: window.to } });
    return null;
  }
  const slis = await prisma().sli.findMany({ where: { id: { in: config.metrics.map((m) => m.sliId) } }, include: { dataSource: true } });
  const data: Record<string, { control: number[]; experiment: number[] }> = {};
  const canaryMinutes = new Map<string, CohortMinute[]>();
  const problems: string[] = [];
  const rollback: string[] = [];
  for (const m of config.metrics) {
    const sli = slis.find((s) => s.id === m.sliId);
    let pair: [CohortMinute[], CohortMinute[]] = [[], []];
    if (!sli) problems.push(`SLI "${m.sli}" was deleted; it has no data.`);
    else {
      try {
        pair = await Promise.all([readCohort(sli, a.canary, window.from, window.to, now), readCohort(sli, a.baseline, window.from, window.to, now)]);
      } catch (e) {
        problems.push(`SLI "${m.sli}": ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    canaryMinutes.set(m.sli, pair[0]);
    // The absolute floor under the judge (docs/domain.md "Canary vocabulary"), on the pooled minutes.
    for (const r of rollbackRule({ canary: pooledEvents(pair[0]), baseline: pooledEvents(pair[1]) }).reasons) rollback.push(`${m.sli}: ${r}`);
    data[m.sli] = { experiment: pair[0].map((b) => minuteErrorRatio(b.good, b.total)), control: pair[1].map((b) => minuteErrorRatio(b.good, b.total)) };
  }
  const judgement = judgeCanary(
    {
      metrics: config.metrics.map((m) => ({ name: m.sli, group: m.group, direction: m.direction, critical: m.critical, mustHaveData: m.mustHaveData, ...(m.effectSize ? { effectSize: m.effectSize } : {}) })),
      groupWeights: config.groupWeights,
      thresholds: config.thresholds,
    },
    data,
  );
  const budget = await budgetTerms(a.serviceId, config, canaryMinutes, now);
  const outcome = intervalOutcome(judgement.outcome, { budget: budget.some((b) => b.fails), rollback: rollback.length > 0 });
  const reasons = [...judgement.reasons, ...problems, ...rollback, ...budget.filter((b) => b.fails).flatMap((b) => b.reasons.map((r) => `${b.sli}: ${r}`))];
  const outcomes = [...a.intervals.map((i) => i.classification as CanaryOutcome), outcome];
  const state = analysisState(config.schedule, a.startedAt, outcomes);
  const result: StoredResult = { reasons, groups: judgement.groups, metrics: judgement.metrics, budget };

  const stored = await prisma().$transaction(async (tx) => {
    const inserted = await tx.canaryInterval.createMany({
      data: [{ analysisId: id, index, from: window.from, to: window.to, score: judgement.score, classification: outcome, result: result as unknown as Prisma.InputJsonValue }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return false; // judged already (a lease that ran out while this one worked)
    const ended = state.status !== "running";
    const verdictReasons = ended ? [...state.reasons, ...(outcome === "pass" ? [] : reasons)] : state.reasons;
    await tx.canaryAnalysis.update({ where: { id }, data: { status: state.status, reasons: verdictReasons, nextRunAt: state.nextRunAt, endedAt: ended ? now : null } });
    if (ended) await recordVerdict(tx, { id, teamId: a.teamId, teamSlug: a.team.slug, service: a.service.slug, version: a.version, canary: a.canary, baseline: a.baseline }, state.status, verdictReasons);
    return true;
  });
  return stored ? { id, index, outcome, status: state.status } : null;
}

type SliRow = Prisma.SliGetPayload<{ include: { dataSource: true } }>;

function readCohort(sli: SliRow, cohort: string, from: Date, to: Date, now: Date): Promise<CohortMinute[]> {
  if (sli.source !== "prometheus") return pushedCohortMinutes(sli.id, cohort, from, to, now);
  const source = storedServerOf(sli);
  if (!source || !sli.promCohortLabel) throw new Error("has no Prometheus URL or cohort label to read the cohort from");
  const op = sli.thresholdOp;
  const src: PromCohortSli = {
    promCohortLabel: sli.promCohortLabel,
    source,
    promTotalQuery: sli.promTotalQuery,
    promGoodQuery: sli.promGoodQuery,
    promBadQuery: sli.promBadQuery,
    threshold: sli.promThresholdQuery && (op === "lt" || op === "lte" || op === "gt" || op === "gte") && sli.thresholdValue !== null ? { query: sli.promThresholdQuery, op, value: sli.thresholdValue } : null,
  };
  return pulledCohortMinutes(src, cohort, from, to);
}

/**
 * The canary's pooled error ratio per SLI in budget terms, against the SLO on that SLI with the
 * least remaining budget now (the one a full rollout would hurt first).
 */
async function budgetTerms(serviceId: string, config: AnalysisConfig, canary: Map<string, CohortMinute[]>, now: Date): Promise<StoredResult["budget"]> {
  const slos = await prisma().slo.findMany({ where: { serviceId, archivedAt: null, sliId: { in: config.metrics.map((m) => m.sliId) } }, include: { sli: true } });
  const statuses = await statusesOf(slos, now);
  return config.metrics.map((m) => {
    const ratio = pooledErrorRatio(canary.get(m.sli) ?? []);
    const candidates = slos.map((s, i) => ({ s, st: statuses[i]! })).filter((x) => x.s.sliId === m.sliId && !x.st.error);
    const left = (x: (typeof candidates)[number]) => (x.st.budget.state === "ok" ? x.st.budget.remaining : Number.POSITIVE_INFINITY);
    const worst = candidates.sort((x, y) => left(x) - left(y))[0];
    if (!worst) return { sli: m.sli, slo: null, canaryErrorRatio: ratio, burnRate: null, timeToExhaustionMinutes: null, shareOfRemainingNextDay: null, fails: false, reasons: [`SLI "${m.sli}" has no SLO, so there is no budget to say it in.`] };
    const windowMinutes = Math.max(1, Math.round((worst.st.windowEnd.getTime() - worst.st.windowStart.getTime()) / MINUTE_MS));
    const terms = budgetAtCanaryRatio({ objective: sloDefinitionOf(worst.s).objective, windowMinutes, remaining: worst.st.budget, canaryErrorRatio: ratio, rule: config.budget });
    return { sli: m.sli, slo: worst.s.slug, canaryErrorRatio: ratio, ...terms };
  });
}
