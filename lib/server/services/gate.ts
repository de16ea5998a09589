// The deploy gate: gathers what the policy needs for one deploy (the service's SLO statuses,
// its policy, active overrides and freezes), lets lib/domain/policy.ts decide, and stores the
// decision. Pipelines call it with a `gate` token; GitHub's webhook reaches it through github.ts.
import { decideGate, type ChangeType, type GateResult } from "../../domain/policy";
import { tierOf } from "../../domain/tier";
import type { DecisionQuery, GateRequest } from "../../schemas/gate";
import type { GateDecisionView, GateNumbers } from "../../schemas/views";
import { isUuid } from "../../schemas/common";
import type { Prisma } from "../../generated/prisma/client";
import { v7 as uuidv7 } from "uuid";
import { db, prisma } from "../db/client";
import { getConfig } from "../config";
import { forbidden, notFound } from "../errors";
import type { Actor } from "./actor";
import { requireScope, requireTeamRead } from "./access";
import { effectivePoliciesOf, pickEffective } from "./policy";
import { currentStatuses, type ServiceStatuses } from "./status-cache";
import { statusesOf } from "./slo-status";

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

/** SQL: incident `i` has no postmortem published with a P0 action item (lib/domain/postmortem.ts postmortemSatisfied). */
const POSTMORTEM_MISSING = `NOT EXISTS (SELECT 1 FROM postmortems p WHERE p.incident_id = i.id AND p.status = 'published'
  AND EXISTS (SELECT 1 FROM action_items a WHERE a.postmortem_id = p.id AND a.priority = 'P0'))`;

// Everything a decision needs but the statuses, in one round trip: the service, a signature of
// its SLO definitions (the status cache's key), the policy versions, active overrides and
// freezes. The gate is on every deploy's critical path: raw SQL here costs a fraction of the
// five ORM queries it replaces (see `npm run bench`).
const CONTEXT_SQL = `
WITH svc AS (
  SELECT id, slug, name FROM services
  WHERE team_id = $1 AND (slug = $2 OR id = $3::uuid OR lower(github_repository) = lower($4))
  LIMIT 1
)
SELECT
  (SELECT row_to_json(svc) FROM svc) AS service,
  (SELECT json_build_object(
            'signature', string_agg(s.id || ':' || (extract(epoch FROM s.updated_at) * 1000)::bigint || ':' || (extract(epoch FROM l.updated_at) * 1000)::bigint, ',' ORDER BY s.slug),
            'sliIds', json_agg(s.sli_id ORDER BY s.slug))
     FROM slos s JOIN slis l ON l.id = s.sli_id WHERE s.service_id = (SELECT id FROM svc)) AS slos,
  (SELECT json_agg(p) FROM (
     SELECT DISTINCT ON (scope) scope, version, body FROM policy_versions
     WHERE team_id = $1 AND scope IN ('team', coalesce((SELECT id::text FROM svc), 'team'))
     ORDER BY scope, version DESC) p) AS policies,
  (SELECT json_agg(o ORDER BY o."expiresAt" DESC) FROM (
     SELECT id, approved_by AS "approvedBy", escalated_to AS "escalatedTo", reason, expires_at AS "expiresAt" FROM gate_overrides
     WHERE service_id = (SELECT id FROM svc) AND revoked_at IS NULL AND expires_at > $6
       AND (environment IS NULL OR lower(environment) = lower($5))) o) AS overrides,
  (SELECT json_agg(f ORDER BY f."endsAt" DESC) FROM (
     SELECT id, reason, ends_at AS "endsAt", environment FROM freezes
     WHERE team_id = $1 AND cancelled_at IS NULL AND starts_at <= $6 AND ends_at > $6
       AND (service_id IS NULL OR service_id = (SELECT id FROM svc))
       AND (environment IS NULL OR lower(environment) = lower($5))) f) AS freezes,
  (SELECT i.title FROM incidents i
   WHERE i.team_id = $1 AND i.postmortem_required
     AND EXISTS (SELECT 1 FROM incident_slos x JOIN slos s ON s.id = x.slo_id WHERE x.incident_id = i.id AND s.service_id = (SELECT id FROM svc))
     AND ${POSTMORTEM_MISSING}
   ORDER BY i.started_at DESC LIMIT 1) AS "missingPostmortem"`;

type Context = {
  service: { id: string; slug: string; name: string } | null;
  slos: { signature: string | null; sliIds: string[] | null } | null;
  policies: { scope: string; version: number; body: unknown }[] | null;
  overrides: { id: string; approvedBy: string; escalatedTo: string | null; reason: string; expiresAt: string }[] | null;
  freezes: { id: string; reason: string; endsAt: string; environment: string | null }[] | null;
  /** The newest incident of the service whose required postmortem is not published with a P0 action item. */
  missingPostmortem: string | null;
};

const INSERT_SQL = `
INSERT INTO gate_decisions (id, team_id, service_id, service_name, environment, version, commit, change_type, requester, link, source,
  token_id, decision, tier, reasons, numbers, policy_scope, policy_version, override_id, freeze_id, delivery_id, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`;

export async function decideDeploy(r: DeployRequest): Promise<GateDecisionView> {
  const now = new Date();
  const ref = "ref" in r.service ? r.service.ref : null;
  // Named statements: each connection plans them once, not on every call.
  const { rows } = await db().pool.query<Context>({ name: "gate-context", text: CONTEXT_SQL, values: [
    r.teamId,
    ref !== null && !isUuid(ref) ? ref : null,
    ref !== null && isUuid(ref) ? ref : null,
    "githubRepository" in r.service ? r.service.githubRepository : null,
    r.environment,
    now,
  ] });
  const ctx = rows[0]!;
  const service = ctx.service;
  const policy = pickEffective(ctx.policies ?? [], service?.id ?? null);
  const current = service
    ? await currentStatuses(service.id, ctx.slos?.signature ?? "", ctx.slos?.sliIds ?? [], () =>
        prisma().slo.findMany({ where: { serviceId: service.id }, include: { sli: true }, orderBy: { slug: "asc" } }),
      )
    : null;
  const slos = current ? current.slos.map((s, i) => ({ id: s.id, name: s.name, budget: current.statuses[i]!.budget })) : null;
  const result = decideGate({
    policy: policy.policy,
    changeType: r.changeType,
    slos,
    environment: r.environment,
    overrides: (ctx.overrides ?? []).map((o) => ({ ...o, expiresAt: new Date(o.expiresAt) })),
    freezes: (ctx.freezes ?? []).map((f) => ({ ...f, endsAt: new Date(f.endsAt) })),
    missingPostmortem: ctx.missingPostmortem ? { incidentTitle: ctx.missingPostmortem } : null,
  });
  const numbers = numbersOf(result, current, policy.policy.thresholds);
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
    deliveryId: r.deliveryId ?? null,
    createdAt: now,
  };
  await db().pool.query({ name: "gate-insert", text: INSERT_SQL, values: [
    row.id, row.teamId, row.serviceId, row.serviceName, row.environment, row.version, row.commit, row.changeType, row.requester, row.link, row.source,
    row.tokenId, row.decision, row.tier, JSON.stringify(row.reasons), JSON.stringify(numbers), row.policyScope, row.policyVersion, row.overrideId, row.freezeId, row.deliveryId, row.createdAt,
  ] });
  return decisionView(row, r.teamSlug, service);
}

function numbersOf(result: GateResult, current: ServiceStatuses | null, thresholds: { caution: number; freeze: number }): GateNumbers {
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

export type ServiceGateRow = { service: { slug: string; name: string }; tier: GateResult["tier"]; slo: { name: string; remaining: number | null } | null; environment: string; feature: GateResult["decision"]; reasons: string[] };

/**
 * What the gate would answer now for a feature deploy of each service of a team to its first
 * gated environment, with the same policy, overrides and freezes as a real call. Nothing stored.
 */
export async function previewTeamGate(actor: Actor, team: string): Promise<ServiceGateRow[]> {
  const access = await requireTeamRead(actor, team);
  const now = new Date();
  const [services, overrides, freezes, missing] = await Promise.all([
    prisma().service.findMany({ where: { teamId: access.teamId }, include: { slos: { include: { sli: true }, orderBy: { slug: "asc" } } }, orderBy: { name: "asc" } }),
    prisma().gateOverride.findMany({ where: { teamId: access.teamId, revokedAt: null, expiresAt: { gt: now } }, orderBy: { expiresAt: "desc" } }),
    prisma().freeze.findMany({ where: { teamId: access.teamId, cancelledAt: null, startsAt: { lte: now }, endsAt: { gt: now } }, orderBy: { endsAt: "desc" } }),
    db().pool.query<{ service_id: string; title: string }>(
      `SELECT DISTINCT ON (s.service_id) s.service_id, i.title FROM incidents i
       JOIN incident_slos x ON x.incident_id = i.id JOIN slos s ON s.id = x.slo_id
       WHERE i.team_id = $1 AND i.postmortem_required
         AND ${POSTMORTEM_MISSING}
       ORDER BY s.service_id, i.started_at DESC`,
      [access.teamId],
    ),
  ]);
  const missingBy = new Map(missing.rows.map((r) => [r.service_id, r.title]));
  const [statuses, policyOf] = await Promise.all([statusesOf(services.flatMap((s) => s.slos), now), effectivePoliciesOf(services.map((s) => s.id))]);
  let k = 0;
  return services.map((s) => {
    const { policy } = policyOf(s.id);
    const environment = policy.environments.gated[0]!;
    const covers = (e: string | null) => e === null || e.toLowerCase() === environment.toLowerCase();
    const slos = s.slos.map((o) => ({ id: o.id, name: o.name, budget: statuses[k++]!.budget }));
    const r = decideGate({
      policy,
      changeType: "feature",
      slos,
      environment,
      overrides: overrides.filter((o) => o.serviceId === s.id && covers(o.environment)),
      freezes: freezes.filter((f) => (f.serviceId === null || f.serviceId === s.id) && covers(f.environment)),
      missingPostmortem: missingBy.has(s.id) ? { incidentTitle: missingBy.get(s.id)! } : null,
    });
    const worst = r.decidingSlo;
    return {
      service: { slug: s.slug, name: s.name },
      tier: r.tier,
      slo: worst ? { name: worst.name, remaining: worst.budget.state === "ok" ? worst.budget.remaining : null } : null,
      environment,
      feature: r.decision,
      reasons: r.reasons,
    };
  });
}
