// Canary analyses (docs/deploy-verification.md): started through the API, the CLI or a rollout
// controller, judged every interval by the job (lib/server/jobs/canary.ts) with the domain's judge
// (lib/domain/canary-judge.ts), lifetime (lib/domain/canary-analysis.ts) and budget terms, and
// read by id. Every read and write is scoped to the caller's team here (docs/architecture.md rule 3).
import type { CreateAnalysisInput, AnalysisConfig, AnalysisIntervalView, AnalysisSummary, AnalysisView, FlaggerAnswer, FlaggerPayload } from "../../schemas/analysis";
import { isUuid } from "../../schemas/common";
import type { Prisma } from "../../generated/prisma/client";
import { analysisState, DEFAULT_SCHEDULE, type AnalysisSchedule } from "../../domain/canary-analysis";
import { DEFAULT_CANARY_THRESHOLDS } from "../../domain/canary-judge";
import { analysisEndedText, analysisVerdict, type AnalysisVerdict } from "../../domain/cohort";
import { prisma } from "../db/client";
import { getConfig } from "../config";
import { AppError, conflict, forbidden, notFound } from "../errors";
import { clockNow } from "../clock";
import type { Actor } from "./actor";
import { requireScope, requireTeamAccess } from "./access";
import { writeAudit } from "./audit";
import { findService } from "./catalog";
import { outboxTeamMessage } from "../jobs/outbox";

type Tx = Prisma.TransactionClient;
const include = { service: { select: { slug: true, name: true } }, team: { select: { slug: true } } } as const;
type AnalysisRow = Prisma.CanaryAnalysisGetPayload<{ include: typeof include }>;
type IntervalRow = Prisma.CanaryIntervalGetPayload<object>;

/** Analyses a team may have running at once: each one is judged every interval by the job. */
export const MAX_RUNNING_ANALYSES_PER_TEAM = 50;

/** Starting one: a token with the `gate` scope (a pipeline, a rollout controller) or an editor. */
async function requireAnalysisWrite(actor: Actor, team: string) {
  requireScope(actor, "gate");
  return requireTeamAccess(actor, team, "editor");
}

/** Reading: a token with `gate` (the controller that started it) or `read`, or any member. */
async function requireAnalysisRead(actor: Actor, team: string) {
  if (actor.kind === "token" && !actor.scopes.includes("gate") && !actor.scopes.includes("read")) throw forbidden('this token lacks the "gate" or "read" scope');
  return requireTeamAccess(actor, team, "viewer");
}

const invalid = (field: string, problem: string) => new AppError("invalid", `${field}: ${problem}`, { [field]: problem });

export async function startAnalysis(actor: Actor, team: string, input: CreateAnalysisInput, now = clockNow()): Promise<AnalysisView> {
  const access = await requireAnalysisWrite(actor, team);
  const service = await findService(access, input.service);
  if (service.archivedAt) throw invalid("service", `service "${service.slug}" is archived; restore it to analyse its releases`);
  const slis = await prisma().sli.findMany({ where: { serviceId: service.id, archivedAt: null }, orderBy: { slug: "asc" } });
  const wanted = input.metrics ?? slis.map((s) => ({ sli: s.slug, direction: "increase" as const, critical: false, mustHaveData: false, effectSize: undefined, group: undefined, weight: undefined }));
  if (wanted.length === 0) throw invalid("metrics", `service "${service.slug}" has no live SLI to compare`);
  const metrics: AnalysisConfig["metrics"] = wanted.map((m, i) => {
    const sli = slis.find((s) => s.slug === m.sli || s.id === m.sli);
    const field = input.metrics ? `metrics.${i}.sli` : "metrics";
    if (!sli) throw invalid(field, `service "${service.slug}" has no live SLI "${m.sli}"`);
    // A pulled SLI needs the label its cohorts are told apart by; without it there is no cohort to read.
    if (sli.source === "prometheus" && !sli.promCohortLabel) {
      throw invalid(field, `SLI "${sli.slug}" pulls from Prometheus and has no promCohortLabel: set the label that tells cohorts apart (e.g. "version"), or push its cohort minutes`);
    }
    const effectSize = m.effectSize ? Object.fromEntries(Object.entries(m.effectSize).filter(([, v]) => v !== undefined)) as Record<string, number> : undefined;
    return { sli: sli.slug, sliId: sli.id, kind: sli.kind, direction: m.direction, critical: m.critical, mustHaveData: m.mustHaveData, group: m.group ?? "default", ...(effectSize ? { effectSize } : {}) };
  });
  const groupWeights: Record<string, number> = {};
  for (const m of input.metrics ?? []) if (m.weight !== undefined) groupWeights[m.group ?? "default"] = m.weight;
  const schedule: AnalysisSchedule = input.schedule ?? DEFAULT_SCHEDULE;
  const config: AnalysisConfig = { metrics, groupWeights, thresholds: input.thresholds ?? { ...DEFAULT_CANARY_THRESHOLDS }, schedule, budget: input.budget ?? {} };
  const first = analysisState(schedule, now, []);

  const id = await prisma().$transaction(async (tx) => {
    const running = await tx.canaryAnalysis.count({ where: { teamId: access.teamId, status: "running" } });
    if (running >= MAX_RUNNING_ANALYSES_PER_TEAM) {
      throw conflict(`team "${access.slug}" already has ${MAX_RUNNING_ANALYSES_PER_TEAM} running analyses, the most it may run at once; cancel one or wait until one ends`);
    }
    const a = await tx.canaryAnalysis.create({
      data: {
        teamId: access.teamId,
        serviceId: service.id,
        environment: input.environment,
        version: input.version,
        canary: input.canary,
        baseline: input.baseline,
        config: config as unknown as Prisma.InputJsonValue,
        status: "running",
        reasons: first.reasons,
        startedAt: now,
        nextRunAt: first.nextRunAt,
        createdById: actor.kind === "user" ? actor.userId : null,
        tokenId: actor.kind === "token" ? actor.tokenId : null,
      },
    });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "analysis.start", targetType: "canary_analysis", targetId: a.id, after: { service: service.slug, environment: a.environment, version: a.version, canary: a.canary, baseline: a.baseline, config: config as unknown as Prisma.InputJsonValue } });
    return a.id;
  });
  return viewOf(id, access.teamId);
}

export async function listAnalyses(actor: Actor, team: string, q: { service?: string; status?: string; limit: number }): Promise<{ analyses: AnalysisSummary[] }> {
  const access = await requireAnalysisRead(actor, team);
  const rows = await prisma().canaryAnalysis.findMany({
    where: { teamId: access.teamId, ...(q.status ? { status: q.status } : {}), ...(q.service ? { service: { slug: q.service } } : {}) },
    orderBy: { createdAt: "desc" },
    take: q.limit,
    include: { ...include, _count: { select: { intervals: true } }, intervals: { orderBy: { index: "desc" }, take: 1 } },
  });
  return { analyses: rows.map((r) => summaryOf(r, r._count.intervals, r.intervals[0] ?? null)) };
}

export async function getAnalysis(actor: Actor, team: string, id: string): Promise<AnalysisView> {
  const access = await requireAnalysisRead(actor, team);
  return viewOf(id, access.teamId);
}

/** By id alone, for a token (Argo's web metric): the team is the token's. */
export async function getAnalysisForToken(actor: Actor, id: string): Promise<AnalysisView> {
  if (actor.kind !== "token") throw forbidden("this address is for API tokens; signed-in people use /api/v1/teams/{team}/analyses/{id}");
  requireScope(actor, "gate");
  return getAnalysis(actor, actor.teamSlug, id);
}

export async function cancelAnalysis(actor: Actor, team: string, id: string, now = clockNow()): Promise<AnalysisView> {
  const access = await requireAnalysisWrite(actor, team);
  await prisma().$transaction(async (tx) => {
    const a = isUuid(id) ? await tx.canaryAnalysis.findFirst({ where: { id, teamId: access.teamId } }) : null;
    if (!a) throw notFound("analysis");
    // Conditional: the job may end it at the same moment; whichever writes first wins.
    const r = await tx.canaryAnalysis.updateMany({ where: { id, status: "running" }, data: { status: "cancelled", nextRunAt: null, endedAt: now, reasons: ["Cancelled before its last interval."] } });
    if (r.count === 0) throw conflict(`the analysis has already ended (${a.status}); only a running analysis can be cancelled`);
    await writeAudit(tx, actor, { teamId: access.teamId, action: "analysis.cancel", targetType: "canary_analysis", targetId: id, before: { status: a.status }, after: { status: "cancelled" } });
  });
  return viewOf(id, access.teamId);
}

/**
 * Flagger's webhooks (flagger.app "Webhooks"): the analysis named by metadata.analysis, or the
 * latest one of the service named by metadata.service (default: the canary's name). Flagger
 * promotes on a 2xx from confirm-promotion and rolls back on a 2xx from rollback.
 */
export async function flaggerHook(actor: Actor, team: string, kind: "confirm-promotion" | "rollback", payload: FlaggerPayload): Promise<{ status: number; body: FlaggerAnswer }> {
  const access = await requireAnalysisRead(actor, team);
  const ref = payload.metadata?.analysis;
  const serviceRef = payload.metadata?.service ?? payload.name;
  let row: AnalysisRow | null;
  if (ref !== undefined) {
    row = isUuid(ref) ? await prisma().canaryAnalysis.findFirst({ where: { id: ref, teamId: access.teamId }, include }) : null;
    if (!row) throw notFound("analysis");
  } else {
    row = await prisma().canaryAnalysis.findFirst({ where: { teamId: access.teamId, status: { not: "cancelled" }, service: { OR: [{ slug: serviceRef }, ...(isUuid(serviceRef) ? [{ id: serviceRef }] : [])] } }, orderBy: { createdAt: "desc" }, include });
  }
  if (!row) {
    // No analysis: nothing to promote on; and nothing says "roll back".
    const reasons = [`no analysis found for service "${serviceRef}"; start one, or name it in metadata.analysis`];
    return { status: kind === "confirm-promotion" ? 409 : 404, body: { analysis: null, verdict: null, reasons } };
  }
  const verdict = analysisVerdict(row.status);
  const reasons = row.reasons as string[];
  const body = { analysis: row.id, verdict, reasons };
  if (kind === "confirm-promotion") return { status: verdict === "pass" ? 200 : 409, body };
  return { status: verdict === "fail" ? 200 : 409, body };
}

/** An analysis's current verdict and reasons, for the gate (null when not found in the team). */
export async function analysisVerdictOf(teamId: string, id: string): Promise<{ id: string; verdict: AnalysisVerdict; reasons: string[]; url: string } | null> {
  const row = isUuid(id) ? await prisma().canaryAnalysis.findFirst({ where: { id, teamId }, include }) : null;
  return row ? { id: row.id, verdict: analysisVerdict(row.status), reasons: row.reasons as string[], url: analysisUrl(row.team.slug, row.id) } : null;
}

export function analysisUrl(teamSlug: string, id: string) {
  return `${getConfig().publicUrl}/teams/${teamSlug}/analyses/${id}`;
}

async function viewOf(id: string, teamId: string): Promise<AnalysisView> {
  const row = isUuid(id) ? await prisma().canaryAnalysis.findFirst({ where: { id, teamId }, include: { ...include, intervals: { orderBy: { index: "asc" } } } }) : null;
  if (!row) throw notFound("analysis");
  const intervals = row.intervals.map(intervalView);
  return {
    ...summaryOf(row, row.intervals.length, row.intervals.at(-1) ?? null),
    config: row.config as unknown as AnalysisConfig,
    intervals,
    scores: intervals.map((i) => ({ index: i.index, to: i.to, score: i.score, outcome: i.outcome })),
  };
}

function summaryOf(r: AnalysisRow, done: number, last: IntervalRow | null): AnalysisSummary {
  return {
    id: r.id,
    team: r.team.slug,
    service: r.service,
    environment: r.environment,
    version: r.version,
    canary: r.canary,
    baseline: r.baseline,
    status: r.status as AnalysisSummary["status"],
    verdict: analysisVerdict(r.status),
    score: last?.score ?? null,
    reasons: r.reasons as string[],
    intervalsDone: done,
    intervalsPlanned: (r.config as unknown as AnalysisConfig).schedule.count,
    startedAt: r.startedAt.toISOString(),
    nextRunAt: r.nextRunAt?.toISOString() ?? null,
    endedAt: r.endedAt?.toISOString() ?? null,
    url: analysisUrl(r.team.slug, r.id),
  };
}

export type StoredResult = Omit<AnalysisIntervalView, "index" | "from" | "to" | "score" | "outcome">;

function intervalView(i: IntervalRow): AnalysisIntervalView {
  const result = i.result as unknown as StoredResult;
  return { index: i.index, from: i.from.toISOString(), to: i.to.toISOString(), score: i.score, outcome: i.classification as AnalysisIntervalView["outcome"], ...result };
}

/** Ends of analyses: the verdict audited and the team's channels told, in the job's transaction. */
export async function recordVerdict(tx: Tx, a: { id: string; teamId: string; teamSlug: string; service: string; version: string; canary: string; baseline: string }, status: string, reasons: string[]) {
  const verdict = analysisVerdict(status);
  await writeAudit(tx, null, { teamId: a.teamId, action: "analysis.verdict", targetType: "canary_analysis", targetId: a.id, after: { status, verdict, reasons } });
  const text = analysisEndedText({ service: a.service, version: a.version, canary: a.canary, baseline: a.baseline, verdict, reasons, url: analysisUrl(a.teamSlug, a.id) });
  await outboxTeamMessage(tx, a.teamId, { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] });
}
