// The deploy gate: gathers what the policy needs for one deploy (the service's SLO statuses,
// its policy, active overrides and freezes), lets lib/domain/policy.ts decide, and stores the
// decision. Pipelines call it with a `gate` token; GitHub's webhook reaches it through github.ts.
import { decideGate, type ChangeType, type GateResult } from "../../domain/policy";
import { wayThrough } from "../../domain/way-through";
import type { DecisionQuery, GateRequest } from "../../schemas/gate";
import type { GateDecisionView, GateNumbers, ServiceStandingView, WayThroughView } from "../../schemas/views";
import { isUuid } from "../../schemas/common";
import type { Prisma } from "../../generated/prisma/client";
import { v7 as uuidv7 } from "uuid";
import { db, prisma, reusedQuery } from "../db/client";
import { getConfig } from "../config";
import { forbidden, notFound } from "../errors";
import type { Actor } from "./actor";
import { requireScope, requireTeamRead } from "./access";
import { GATE_CONTEXT_SQL, gateContextOf, gateSloOf, standingView, wayThroughView, type ContextRow, type EffectivePolicy } from "./gate-context";
import { currentStatuses, type ServiceStatuses } from "./status-cache";
import { serviceStandingsOf } from "./slo-status";
import { clockNow } from "../clock";
import { analysisVerdictOf } from "./analyses";
import { tokenRefused } from "./tokens";
import { AppError } from "../errors";
import type { GateAnalysis } from "../../domain/policy";

export type DeployRequest = {
  teamId: string;
  teamSlug: string;
  tokenId: string | null;
  source: "api" | "github";
  /** A slug or id, or the GitHub repository linked to a service. */
  service: { ref: string } | { githubRepository: string };
  environment: string;
  version: string;
  commit: string | null;
  changeType: ChangeType;
  requester: string;
  link: string | null;
  /** A GitHub delivery: its id (for the record) and its signed callback URL (one decision per callback). */
  github?: { deliveryId: string; callbackUrl: string };
  /** A canary analysis of the team named by the request. */
  analysis?: string;
};

/** A pipeline asks before a deploy. Only machine tokens with the `gate` scope, of their own team. */
export async function askGate(actor: Actor, input: GateRequest): Promise<GateDecisionView> {
  if (actor.kind !== "token") throw forbidden("the gate is called with an API token that has the gate scope, not a browser session");
  requireScope(actor, "gate");
  // A token answers for its own team only; another team's name looks like a team that does not exist.
  if (input.team && input.team !== actor.teamSlug) throw notFound(`team "${input.team}"`);
  return decideDeploy({
    teamId: actor.teamId,
    teamSlug: actor.teamSlug,
    tokenId: actor.tokenId,
    source: "api",
    service: { ref: input.service },
    environment: input.environment,
    version: input.version ?? input.commit!,
    commit: input.commit ?? null,
    changeType: input.changeType,
    requester: input.requester,
    link: input.link ?? null,
    ...(input.analysis ? { analysis: input.analysis } : {}),
  });
}

const INSERT_SQL = `
INSERT INTO gate_decisions (id, team_id, service_id, service_name, environment, version, commit, change_type, requester, link, source,
  token_id, decision, tier, reasons, numbers, policy_scope, policy_version, override_id, freeze_id, delivery_id, callback_url, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`;

type Judged = { service: { id: string; slug: string; name: string } | null; result: GateResult; numbers: GateNumbers; policy: EffectivePolicy };

type Judging = { teamId: string; service: DeployRequest["service"]; environment: string; changeType: ChangeType; now: Date; analysis?: GateAnalysis | null; tokenId?: string | null };

/**
 * The gate's judgement of one deploy now: its context in one round trip (which also re-checks the
 * calling token, `tokenId`), the SLOs' statuses, decideGate and the way through. Nothing stored.
 */
async function judgeDeploy({ teamId, service: svcRef, environment, changeType, now, analysis = null, tokenId = null }: Judging): Promise<Judged> {
  const ref = "ref" in svcRef ? svcRef.ref : null;
  // A reused plan (reusedQuery): each connection plans it once, not on every call.
  const { rows } = await reusedQuery<ContextRow & { slos: { signature: string | null; sliIds: string[] | null } | null }>(
    GATE_CONTEXT_SQL,
    [teamId, ref !== null && !isUuid(ref) ? ref : null, ref !== null && isUuid(ref) ? ref : null, "githubRepository" in svcRef ? svcRef.githubRepository : null, now, tokenId],
    1,
  );
  const found = rows[0]!;
  if (!found.tokenOk) throw tokenRefused();
  const service = found.id ? { id: found.id, slug: found.slug!, name: found.name! } : null;
  const current = service
    ? await currentStatuses(service.id, found.slos?.signature ?? "", found.slos?.sliIds ?? [], () =>
        prisma().slo.findMany({ where: { serviceId: service.id, archivedAt: null }, include: { sli: true }, orderBy: { slug: "asc" } }),
      )
    : null;
  const { ctx, policy } = gateContextOf(found, current ? current.slos.map((s, i) => gateSloOf(s, current.statuses[i]!)) : null);
  const input = { ...ctx, changeType, environment, now, analysis };
  const result = decideGate(input);
  return { service, result, policy, numbers: { ...numbersOf(result, current), toGetThrough: wayThroughView(wayThrough(input, result)) } };
}

/**
 * What the gate would answer now for the deploy a stored decision asked about (the decision page's
 * "To get through now"): the same judgement as a real call, nothing stored. Null when allowed.
 */
export async function wayThroughNow(actor: Actor, team: string, d: Pick<GateDecisionView, "serviceName" | "environment" | "changeType"> & { service: { slug: string } | null }): Promise<{ decision: GateResult["decision"]; toGetThrough: WayThroughView | null }> {
  const access = await requireTeamRead(actor, team);
  const judged = await judgeDeploy({ teamId: access.teamId, service: { ref: d.service?.slug ?? d.serviceName }, environment: d.environment, changeType: d.changeType, now: clockNow() });
  return { decision: judged.result.decision, toGetThrough: judged.numbers.toGetThrough ?? null };
}

export async function decideDeploy(r: DeployRequest): Promise<GateDecisionView> {
  const now = clockNow();
  const ref = "ref" in r.service ? r.service.ref : null;
  const analysis = r.analysis ? await analysisVerdictOf(r.teamId, r.analysis) : null;
  if (r.analysis && !analysis) throw new AppError("invalid", `analysis: no analysis ${r.analysis} in team "${r.teamSlug}"`, { analysis: `no analysis ${r.analysis} in team "${r.teamSlug}"` });
  const judged = await judgeDeploy({ teamId: r.teamId, service: r.service, environment: r.environment, changeType: r.changeType, now, analysis, tokenId: r.tokenId });
  const { service, result, policy } = judged;
  const numbers: GateNumbers = analysis ? { ...judged.numbers, analysis } : judged.numbers;
  const row: DecisionRow = {
    id: uuidv7(),
    teamId: r.teamId,
    serviceId: service?.id ?? null,
    serviceName: ref ?? ("githubRepository" in r.service ? r.service.githubRepository : ""),
    environment: r.environment,
    version: r.version,
    commit: r.commit,
    changeType: r.changeType,
    requester: r.requester,
    link: r.link,
    source: r.source,
    tokenId: r.tokenId,
    decision: result.decision,
    tier: result.tier,
    reasons: result.reasons,
    numbers: numbers as unknown as Prisma.JsonValue,
    policyScope: policy.scope,
    policyVersion: policy.version,
    overrideId: result.override?.id ?? null,
    freezeId: result.freeze?.id ?? null,
    deliveryId: r.github?.deliveryId ?? null,
    callbackUrl: r.github?.callbackUrl ?? null,
    createdAt: now,
  };
  await db().pool.query({ name: "gate-insert", text: INSERT_SQL, values: [
    row.id, row.teamId, row.serviceId, row.serviceName, row.environment, row.version, row.commit, row.changeType, row.requester, row.link, row.source,
    row.tokenId, row.decision, row.tier, JSON.stringify(row.reasons), JSON.stringify(numbers), row.policyScope, row.policyVersion, row.overrideId, row.freezeId, row.deliveryId, row.callbackUrl, row.createdAt,
  ] });
  return decisionView(row, r.teamSlug, service);
}

function numbersOf(result: GateResult, current: ServiceStatuses | null): GateNumbers {
  const statuses = current?.statuses ?? [];
  const slos = current?.slos ?? [];
  const deciding = result.decidingSlo ? slos.findIndex((s) => s.id === result.decidingSlo!.id) : -1;
  const st = deciding >= 0 ? statuses[deciding]! : null;
  const remaining = (b: { state: string; remaining?: number }) => (b.state === "ok" ? b.remaining! : null);
  return {
    at: current?.at.toISOString() ?? null,
    decidingSlo:
      st && deciding >= 0
        ? {
            slug: slos[deciding]!.slug,
            name: slos[deciding]!.name,
            objective: slos[deciding]!.objective.toString(),
            remainingBudget: remaining(st.budget),
            burnRates: st.burnRates,
            alertState: st.alerts.state,
            timeToExhaustionMinutes: st.timeToExhaustionMinutes,
          }
        : null,
    slos: slos.map((s, i) => ({ slug: s.slug, name: s.name, remainingBudget: remaining(statuses[i]!.budget), tier: statuses[i]!.tier })),
    override: result.override
      ? { id: result.override.id, reason: result.override.reason, approvedBy: result.override.approvedBy, escalatedTo: result.override.escalatedTo, expiresAt: result.override.expiresAt.toISOString() }
      : null,
    freeze: result.freeze ? { id: result.freeze.id, reason: result.freeze.reason, endsAt: result.freeze.endsAt.toISOString() } : null,
  };
}

type DecisionRow = Prisma.GateDecisionGetPayload<object>;

export function decisionUrl(teamSlug: string, id: string) {
  return `${getConfig().publicUrl}/teams/${teamSlug}/gate/${id}`;
}

function decisionView(d: DecisionRow, teamSlug: string, service: { slug: string; name: string } | null): GateDecisionView {
  return {
    decisionId: d.id,
    decision: d.decision as GateDecisionView["decision"],
    tier: d.tier as GateDecisionView["tier"],
    reasons: d.reasons as string[],
    team: teamSlug,
    service: service ? { slug: service.slug, name: service.name } : null,
    serviceName: d.serviceName,
    environment: d.environment,
    version: d.version,
    commit: d.commit,
    changeType: d.changeType as ChangeType,
    requester: d.requester,
    link: d.link,
    source: d.source as "api" | "github",
    numbers: d.numbers as unknown as GateNumbers,
    policy: { scope: d.policyScope, version: d.policyVersion },
    decidedAt: d.createdAt.toISOString(),
    url: decisionUrl(teamSlug, d.id),
    toGetThrough: (d.numbers as unknown as GateNumbers).toGetThrough ?? null,
  };
}

/** The decision log of a team, newest first, filtered; `next` continues the list. */
export async function listDecisions(actor: Actor, team: string, q: DecisionQuery): Promise<{ decisions: GateDecisionView[]; next: string | null }> {
  const access = await requireTeamRead(actor, team);
  const where: Prisma.GateDecisionWhereInput = {
    teamId: access.teamId,
    ...(q.service ? { OR: [{ service: { slug: q.service } }, { serviceName: q.service }] } : {}),
    ...(q.environment ? { environment: { equals: q.environment, mode: "insensitive" } } : {}),
    ...(q.decision ? { decision: q.decision } : {}),
    ...(q.changeType ? { changeType: q.changeType } : {}),
    ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
    ...(q.before ? { id: { lt: q.before } } : {}),
  };
  // uuid v7 ids grow with time: ordering by id is ordering by decision time, and a stable cursor.
  const rows = await prisma().gateDecision.findMany({ where, orderBy: { id: "desc" }, take: q.limit + 1, include: { service: { select: { slug: true, name: true } } } });
  const page = rows.slice(0, q.limit);
  return { decisions: page.map((d) => decisionView(d, access.slug, d.service)), next: rows.length > q.limit ? page.at(-1)!.id : null };
}

export async function getDecision(actor: Actor, team: string, id: string): Promise<GateDecisionView> {
  const access = await requireTeamRead(actor, team);
  const d = isUuid(id) ? await prisma().gateDecision.findFirst({ where: { id, teamId: access.teamId }, include: { service: { select: { slug: true, name: true } } } }) : null;
  if (!d) throw notFound("decision");
  return decisionView(d, access.slug, d.service);
}

export type ServiceGateRow = { service: { slug: string; name: string }; standing: ServiceStandingView; slo: { name: string; remaining: number | null } | null };

/**
 * What the gate would answer now for a feature deploy of each service of a team (its standing),
 * with the same context and evaluation as a real call. Nothing stored.
 */
export async function previewTeamGate(actor: Actor, team: string): Promise<ServiceGateRow[]> {
  const access = await requireTeamRead(actor, team);
  const now = clockNow();
  const services = await prisma().service.findMany({ where: { teamId: access.teamId, archivedAt: null }, include: { slos: { where: { archivedAt: null }, include: { sli: true }, orderBy: { slug: "asc" } } }, orderBy: { name: "asc" } });
  const standings = await serviceStandingsOf(services, now);
  return services.map((s) => {
    const st = standings.get(s.id)!;
    const worst = st.standing.decidingSlo;
    return {
      service: { slug: s.slug, name: s.name },
      standing: standingView(st),
      slo: worst ? { name: worst.name, remaining: worst.budget.state === "ok" && !worst.error ? worst.budget.remaining : null } : null,
    };
  });
}
