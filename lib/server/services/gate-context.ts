// The one place where stored rows become a service's gate context (lib/domain/policy.ts
// GateContext): its policy in force, its overrides and freezes, and the incident whose
// postmortem holds its feature deploys. The gate, the gate page, the service page, the
// overview, the team page, notifications, /metrics and the service's JSON all read it here
// and let serviceStanding / decideGate judge, so none of them can disagree with the gate.
//
// The SQL prefilters below exist once, named; gate-context.test.ts holds each to its domain
// rule over a table of cases.
import { defaultPolicy, type GateContext, type GateSlo, type OverdueActionItem, type Policy } from "../../domain/policy";
import { serviceStanding, type ServiceStanding } from "../../domain/standing";
import { CURRENT_BURN_LOOKBACK, type SloStatus } from "../../domain/slo-status";
import { policySchema } from "../../schemas/policy";
import type { ServiceStandingView, WayThroughView } from "../../schemas/views";
import type { WayThrough } from "../../domain/way-through";
import { reusedQuery } from "../db/client";
import { fieldErrors } from "../../schemas/field-errors";
import { TOKEN_VALID_SQL } from "./tokens";

export type PolicyScope = "default" | "team" | "service";
/** The policy a service is judged by. `problem`: the stored version could not be read (the gate then fails closed). */
export type EffectivePolicy = { policy: Policy; scope: PolicyScope; version: number; problem: string | null };
export type PolicyVersionRow = { scope: string; version: number; body: unknown };

/** Latest stored version of each scope that can apply to a service: the team's and the service's own. */
export const LATEST_POLICY_VERSIONS_SQL = (teamId: string, serviceId: string) =>
  `SELECT DISTINCT ON (scope) scope, version, body FROM policy_versions
   WHERE team_id = ${teamId} AND scope IN ('team', coalesce((${serviceId})::text, 'team')) ORDER BY scope, version DESC`;

/** Prefilter of lib/domain/policy.ts overrideApplies: not revoked and not expired (the environment is judged in the domain). */
export const ACTIVE_OVERRIDE_SQL = (o: string, now: string) => `${o}.revoked_at IS NULL AND ${o}.expires_at > ${now}`;

/** Prefilter of lib/domain/policy.ts freezeApplies: not cancelled, started, not ended. */
export const ACTIVE_FREEZE_SQL = (f: string, now: string) => `${f}.cancelled_at IS NULL AND ${f}.starts_at <= ${now} AND ${f}.ends_at > ${now}`;

/** lib/domain/postmortem.ts postmortemSatisfied, negated: incident `i` has no postmortem published with a P0 action item. */
export const POSTMORTEM_MISSING_SQL = (i: string) => `NOT EXISTS (SELECT 1 FROM postmortems p WHERE p.incident_id = ${i}.id AND p.status = 'published'
  AND EXISTS (SELECT 1 FROM action_items a WHERE a.postmortem_id = p.id AND a.priority = 'P0'))`;

/** lib/domain/postmortem.ts isOverdue: action item `a` is open or in progress and was due before `now`'s UTC date. */
export const OVERDUE_ACTION_ITEM_SQL = (a: string, now: string) => `${a}.status IN ('open', 'in_progress') AND ${a}.due_date < (${now}::timestamptz AT TIME ZONE 'UTC')::date`;

/** The context columns of service `svc` (null columns when it is unknown) in team `teamId` at `now`. */
const contextColumns = (teamId: string, now: string) => `
  (SELECT json_agg(p) FROM (${LATEST_POLICY_VERSIONS_SQL(teamId, "svc.id")}) p) AS policies,
  (SELECT json_agg(o ORDER BY o."expiresAt" DESC) FROM (
     SELECT o.id, o.approved_by AS "approvedBy", o.escalated_to AS "escalatedTo", o.reason, o.expires_at AS "expiresAt", o.environment
     FROM gate_overrides o WHERE o.service_id = svc.id AND ${ACTIVE_OVERRIDE_SQL("o", now)}) o) AS overrides,
  (SELECT json_agg(f ORDER BY f."endsAt" DESC) FROM (
     SELECT f.id, f.reason, f.starts_at AS "startsAt", f.ends_at AS "endsAt", f.environment
     FROM freezes f WHERE f.team_id = ${teamId} AND (f.service_id IS NULL OR f.service_id = svc.id) AND ${ACTIVE_FREEZE_SQL("f", now)}) f) AS freezes,
  (SELECT json_build_object('incidentId', i.id, 'incidentTitle', i.title) FROM incidents i
   WHERE i.team_id = ${teamId} AND i.postmortem_required
     AND EXISTS (SELECT 1 FROM incident_slos x JOIN slos s ON s.id = x.slo_id WHERE x.incident_id = i.id AND s.service_id = svc.id)
     AND ${POSTMORTEM_MISSING_SQL("i")}
   ORDER BY i.started_at DESC LIMIT 1) AS hold,
  (SELECT json_build_object('id', a.id, 'title', a.title, 'dueDate', to_char(a.due_date, 'YYYY-MM-DD'), 'postmortemId', p.id, 'incidentTitle', i.title)
   FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id JOIN incidents i ON i.id = p.incident_id
   WHERE a.team_id = ${teamId} AND a.priority = 'P0' AND ${OVERDUE_ACTION_ITEM_SQL("a", now)}
     AND EXISTS (SELECT 1 FROM incident_slos x JOIN slos s ON s.id = x.slo_id WHERE x.incident_id = i.id AND s.service_id = svc.id)
   ORDER BY a.due_date, a.id LIMIT 1) AS overdue,
  (SELECT json_agg(u.name ORDER BY u.name) FROM memberships m JOIN users u ON u.id = m.user_id
   WHERE m.team_id = ${teamId} AND m.role = 'admin' AND u.disabled_at IS NULL) AS admins`;

/**
 * The gate's one round trip: the service by slug, id or GitHub repository, a signature of its
 * live SLO definitions (the status cache's key) and its context. An unknown service still gets the
 * team's policy; an archived one is unknown too, and `archived` names it (lib/domain/archive.ts).
 * `tokenOk` re-checks the calling API token, if any (tokens.ts authenticateTokenRechecked).
 * $1 team, $2 slug, $3 id, $4 repository, $5 now, $6 the calling token's id or null.
 */
export const GATE_CONTEXT_SQL = `
WITH found AS (
  -- One indexed branch per way of naming the service (an OR of the three scans the team's services).
  SELECT id, slug, name, archived_at FROM (
    SELECT id, slug, name, archived_at FROM services WHERE team_id = $1 AND slug = $2
    UNION ALL SELECT id, slug, name, archived_at FROM services WHERE team_id = $1 AND id = $3::uuid
    UNION ALL SELECT id, slug, name, archived_at FROM services
      WHERE $4::text IS NOT NULL AND team_id = $1 AND github_repository IS NOT NULL AND lower(github_repository) = lower($4)
  ) named
  ORDER BY archived_at IS NOT NULL
  LIMIT 1
), svc AS (SELECT id, slug, name FROM found WHERE archived_at IS NULL)
SELECT svc.id, svc.slug, svc.name, (SELECT slug FROM found WHERE archived_at IS NOT NULL) AS archived,
  (SELECT json_build_object(
            'signature', string_agg(s.id || ':' || (extract(epoch FROM s.updated_at) * 1000)::bigint || ':' || (extract(epoch FROM l.updated_at) * 1000)::bigint, ',' ORDER BY s.slug),
            'sliIds', json_agg(s.sli_id ORDER BY s.slug))
     FROM slos s JOIN slis l ON l.id = s.sli_id WHERE s.service_id = svc.id AND s.archived_at IS NULL) AS slos,
  ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM api_tokens t WHERE t.id = $6::uuid AND ${TOKEN_VALID_SQL("t", "$5")})) AS "tokenOk",
  ${contextColumns("$1::uuid", "$5")}
FROM (SELECT 1) one LEFT JOIN svc ON true`;

const MANY_CONTEXT_SQL = `SELECT svc.id, svc.slug, svc.name, ${contextColumns("svc.team_id", "$2")} FROM services svc WHERE svc.id = ANY($1::uuid[])`;

export type ContextRow = {
  id: string | null;
  slug: string | null;
  name: string | null;
  policies: PolicyVersionRow[] | null;
  overrides: { id: string; approvedBy: string; escalatedTo: string | null; reason: string; expiresAt: string; environment: string | null }[] | null;
  freezes: { id: string; reason: string; startsAt: string; endsAt: string; environment: string | null }[] | null;
  hold: { incidentId: string; incidentTitle: string } | null;
  /** The service's most overdue open P0 action item. */
  overdue?: OverdueActionItem | null;
  /** The team's admins (who may grant an override), by name. */
  admins: string[] | null;
  /** The slug of the archived service the gate was asked about (then `id` is null: unknown). */
  archived?: string | null;
  /** The calling API token is still good (GATE_CONTEXT_SQL only). */
  tokenOk?: boolean;
};

/** A stored body, read with the schema it was written with. A body that fails is a problem, never the default. */
export function readPolicyBody(body: unknown): { policy: Policy; problem: null } | { policy: null; problem: string } {
  // Fields a newer release added take their defaults; everything else must parse.
  const r = policySchema.safeParse(typeof body === "object" && body !== null ? { ...defaultPolicy, ...body } : body);
  if (r.success) return { policy: r.data, problem: null };
  const first = Object.entries(fieldErrors(r.error))[0];
  return { policy: null, problem: first ? `${first[0]} ${first[1]}` : "not a policy object" };
}

/** The policy in force from the latest version of each scope: the service's own, else the team's, else the built-in default (version 0). */
export function pickEffective(rows: readonly PolicyVersionRow[], serviceId: string | null): EffectivePolicy {
  // Rows are the latest version of each scope; a latest version without a body went back to the team's (or the default).
  const own = serviceId ? rows.find((r) => r.scope === serviceId && r.body) : undefined;
  const row = own ?? rows.find((r) => r.scope === "team" && r.body);
  if (!row) return { policy: defaultPolicy, scope: "default", version: 0, problem: null };
  const scope = own ? "service" : "team";
  const read = readPolicyBody(row.body);
  // Fail closed: the default policy still names environments and thresholds for the numbers,
  // but decideGate denies feature deploys while `problem` is set.
  return { policy: read.policy ?? defaultPolicy, scope, version: row.version, problem: read.problem && `${scope} policy version ${row.version}: ${read.problem}` };
}

/** The one mapping from a context row and the service's SLOs to the domain's GateContext. */
export function gateContextOf(row: ContextRow, slos: readonly GateSlo[] | null): { ctx: GateContext; policy: EffectivePolicy } {
  const policy = pickEffective(row.policies ?? [], row.id);
  return {
    policy,
    ctx: {
      policy: policy.policy,
      policyProblem: policy.problem,
      slos: row.id === null ? null : slos,
      overrides: (row.overrides ?? []).map((o) => ({ ...o, expiresAt: new Date(o.expiresAt) })),
      freezes: (row.freezes ?? []).map((f) => ({ ...f, startsAt: new Date(f.startsAt), endsAt: new Date(f.endsAt) })),
      missingPostmortem: row.hold,
      overdueP0: row.overdue ?? null,
      admins: row.admins ?? [],
      archivedService: row.archived ?? null,
    },
  };
}

/**
 * An SLO as the gate sees it: its name and remaining budget (or the error that kept it from being
 * evaluated), and how that budget comes back: a rolling window's length, or when a calendar
 * window resets (its end lies after the instant evaluated).
 */
export function gateSloOf(slo: { id: string; slug: string; name: string }, status: Pick<SloStatus, "budget" | "error" | "at" | "windowStart" | "windowEnd" | "burnRates"> & Partial<Pick<SloStatus, "integrity">>): GateSlo {
  const at = status.at.getTime();
  const calendar = status.windowEnd.getTime() > at;
  const recovery = {
    burnRate: status.burnRates[CURRENT_BURN_LOOKBACK],
    periodMinutes: (Math.max(status.windowEnd.getTime(), at) - status.windowStart.getTime()) / 60_000,
    resetsAt: calendar ? status.windowEnd : null,
    elapsedMinutes: (at - status.windowStart.getTime()) / 60_000,
  };
  const uncertain = status.integrity?.findings.map((f) => f.reason) ?? [];
  return { id: slo.id, slug: slo.slug, name: slo.name, budget: status.budget, error: status.error, recovery, ...(uncertain.length ? { uncertain } : {}) };
}

export type Standing = { standing: ServiceStanding; policy: EffectivePolicy };

/**
 * The standing of each of these services now (one query for all of them), from their SLOs'
 * statuses, which the caller has computed for its own page.
 */
export async function standingsOf(services: readonly { id: string; slos: readonly GateSlo[] }[], now: Date): Promise<Map<string, Standing>> {
  if (services.length === 0) return new Map();
  const { rows } = await reusedQuery<ContextRow>(MANY_CONTEXT_SQL, [services.map((s) => s.id), now], services.length);
  const byId = new Map(rows.map((r) => [r.id!, r]));
  return new Map(
    services.flatMap((s) => {
      const row = byId.get(s.id);
      if (!row) return [];
      const { ctx, policy } = gateContextOf(row, s.slos);
      return [[s.id, { standing: serviceStanding(ctx, now), policy }] as const];
    }),
  );
}

/** Policies of many services at once (status thresholds): the same lookup as the contexts'. */
export async function effectivePoliciesOf(serviceIds: readonly string[]): Promise<(serviceId: string) => EffectivePolicy> {
  const ids = [...new Set(serviceIds)];
  const rows = ids.length
    ? (await reusedQuery<PolicyVersionRow & { service_id: string }>(
        `SELECT svc.id AS service_id, p.scope, p.version, p.body FROM services svc
         CROSS JOIN LATERAL (${LATEST_POLICY_VERSIONS_SQL("svc.team_id", "svc.id")}) p WHERE svc.id = ANY($1::uuid[])`,
        [ids],
        ids.length,
      )).rows
    : [];
  const byService = new Map<string, PolicyVersionRow[]>();
  for (const r of rows) byService.set(r.service_id, [...(byService.get(r.service_id) ?? []), r]);
  return (serviceId) => pickEffective(byService.get(serviceId) ?? [], serviceId);
}

/** A standing as JSON (pages, the service's API answer, the overview). */
export function standingView({ standing: s, policy }: Standing): ServiceStandingView {
  return {
    environment: s.environment,
    changeType: "feature",
    decision: s.decision,
    tier: s.tier,
    headline: s.headline,
    reasons: s.reasons,
    because: s.because,
    decidingSlo: s.decidingSlo ? { id: s.decidingSlo.id, name: s.decidingSlo.name } : null,
    freeze: s.freeze ? { id: s.freeze.id, reason: s.freeze.reason, endsAt: s.freeze.endsAt.toISOString() } : null,
    override: s.override ? { id: s.override.id, reason: s.override.reason, approvedBy: s.override.approvedBy, expiresAt: s.override.expiresAt.toISOString() } : null,
    postmortemHold: s.postmortemHold?.incidentId ? { incidentId: s.postmortemHold.incidentId, incidentTitle: s.postmortemHold.incidentTitle } : null,
    policy: { scope: policy.scope, version: policy.version, problem: policy.problem },
    toGetThrough: wayThroughView(s.wayThrough),
  };
}

/** A way through as JSON: its instants as ISO strings (the one mapping for the gate's answer and every standing). */
export function wayThroughView(w: WayThrough | null): WayThroughView | null {
  return w && (JSON.parse(JSON.stringify(w)) as WayThroughView);
}
