// The deploy gate: gathers what the policy needs for one deploy (the service's SLO statuses,
// its policy, active overrides and freezes), lets lib/domain/policy.ts decide, and stores the
// decision. Pipelines call it with a `gate` token; GitHub's webhook reaches it through github.ts.
import { decideGate, type ChangeType, type GateResult } from "../../domain/policy";
import { tierOf } from "../../domain/tier";
import type { DecisionQuery, GateRequest } from "../../schemas/gate";
import type { GateDecisionView, GateNumbers } from "../../schemas/views";
import { isUuid } from "../../schemas/common";
import type { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { getConfig } from "../config";
import { forbidden, notFound } from "../errors";
import type { Actor } from "./actor";
import { requireScope, requireTeamRead } from "./access";
import { effectivePolicy } from "./policy";
import { currentStatuses } from "./status-cache";

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
  deliveryId?: string;
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
  });
}

const serviceWithSlos = { slos: { include: { sli: true }, orderBy: { slug: "asc" } } } as const;

export async function decideDeploy(r: DeployRequest): Promise<GateDecisionView> {
  const where = "ref" in r.service ? (isUuid(r.service.ref) ? { id: r.service.ref } : { slug: r.service.ref }) : { githubRepository: { equals: r.service.githubRepository, mode: "insensitive" as const } };
  const service = await prisma().service.findFirst({ where: { teamId: r.teamId, ...where }, include: serviceWithSlos });
  const now = new Date();
  const env = { OR: [{ environment: null }, { environment: { equals: r.environment, mode: "insensitive" as const } }] };
  const [policy, overrides, freezes, current] = await Promise.all([
    effectivePolicy(r.teamId, service?.id ?? null),
    service
      ? prisma().gateOverride.findMany({ where: { serviceId: service.id, revokedAt: null, expiresAt: { gt: now }, ...env }, orderBy: { expiresAt: "desc" } })
      : [],
    prisma().freeze.findMany({
      where: { teamId: r.teamId, cancelledAt: null, startsAt: { lte: now }, endsAt: { gt: now }, AND: [{ OR: [{ serviceId: null }, ...(service ? [{ serviceId: service.id }] : [])] }, env] },
      orderBy: { endsAt: "desc" },
    }),
    service ? currentStatuses(service.id, service.slos) : null,
  ]);
  const slos = service ? service.slos.map((s, i) => ({ id: s.id, name: s.name, budget: current!.statuses[i]!.budget })) : null;
  const result = decideGate({ policy: policy.policy, changeType: r.changeType, slos, environment: r.environment, overrides, freezes, missingPostmortem: null });
  const numbers = numbersOf(result, service?.slos ?? [], current, policy.policy.thresholds);
  const row = await prisma().gateDecision.create({
    data: {
      teamId: r.teamId,
      serviceId: service?.id ?? null,
      serviceName: "ref" in r.service ? r.service.ref : r.service.githubRepository,
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
      numbers: numbers as unknown as Prisma.InputJsonValue,
      policyScope: policy.scope,
      policyVersion: policy.version,
      overrideId: result.override?.id ?? null,
      freezeId: result.freeze?.id ?? null,
      deliveryId: r.deliveryId ?? null,
    },
  });
  return decisionView(row, r.teamSlug, service);
}

type SloRow = { slug: string; name: string; objective: { toString(): string }; id: string };

function numbersOf(result: GateResult, slos: readonly SloRow[], current: Awaited<ReturnType<typeof currentStatuses>> | null, thresholds: { caution: number; freeze: number }): GateNumbers {
  const statuses = current?.statuses ?? [];
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
    slos: slos.map((s, i) => ({ slug: s.slug, name: s.name, remainingBudget: remaining(statuses[i]!.budget), tier: tierOf(statuses[i]!.budget, thresholds) })),
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
