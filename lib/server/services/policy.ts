// Error-budget policies: the team's, and optionally one per service that replaces it. Every
// change appends a version (never an update) with its audit record in the same transaction.
import { defaultPolicy, type Policy } from "../../domain/policy";
import { policySchema } from "../../schemas/policy";
import type { PolicyView, PolicyVersionView } from "../../schemas/views";
import { Prisma } from "../../generated/prisma/client";
import { db, prisma } from "../db/client";
import { conflict } from "../errors";
import type { Actor } from "./actor";
import { requirePersonInTeam, requireTeamRead } from "./access";
import { writeAudit } from "./audit";
import { findService } from "./catalog";

type Tx = Prisma.TransactionClient;
export type PolicyScope = "default" | "team" | "service";
export type EffectivePolicy = { policy: Policy; scope: PolicyScope; version: number };

type VersionRow = { scope: string; version: number; body: unknown };

/**
 * The policy a service is judged by: its own latest version if it has one with a body, else the
 * team's latest, else the built-in default (version 0). One indexed query.
 */
export async function effectivePolicy(teamId: string, serviceId: string | null, tx: Tx = prisma()): Promise<EffectivePolicy> {
  const rows = await tx.$queryRaw<VersionRow[]>`
    SELECT DISTINCT ON (scope) scope, version, body FROM policy_versions
    WHERE team_id = ${teamId}::uuid AND scope IN ('team', ${serviceId ?? "team"})
    ORDER BY scope, version DESC`;
  return pickEffective(rows, serviceId);
}

/**
 * The policy of each of these services at once (dashboards, the tier evaluator, the gate page):
 * one query, each service's own latest version and its team's. A service with neither gets the default.
 */
export async function effectivePoliciesOf(serviceIds: readonly string[]): Promise<(serviceId: string) => EffectivePolicy> {
  const rows = serviceIds.length
    ? (
        await db().pool.query<VersionRow & { service_id: string }>(
          `SELECT svc.id AS service_id, p.scope, p.version, p.body
           FROM services svc
           CROSS JOIN LATERAL (
             SELECT DISTINCT ON (scope) scope, version, body FROM policy_versions
             WHERE team_id = svc.team_id AND scope IN ('team', svc.id::text) ORDER BY scope, version DESC) p
           WHERE svc.id = ANY($1::uuid[])`,
          [[...new Set(serviceIds)]],
        )
      ).rows
    : [];
  const byService = new Map<string, VersionRow[]>();
  for (const r of rows) byService.set(r.service_id, [...(byService.get(r.service_id) ?? []), r]);
  return (serviceId) => pickEffective(byService.get(serviceId) ?? [], serviceId);
}

/** The policy in force from the latest version of each scope (service first, then team, then the default). */
export function pickEffective(rows: VersionRow[], serviceId: string | null): EffectivePolicy {
  const own = serviceId ? rows.find((r) => r.scope === serviceId) : undefined;
  if (own?.body) return { policy: readBody(own.body), scope: "service", version: own.version };
  const team = rows.find((r) => r.scope === "team");
  if (team?.body) return { policy: readBody(team.body), scope: "team", version: team.version };
  return { policy: defaultPolicy, scope: "default", version: 0 };
}

/** Stored bodies were validated on write; parsing again fills fields a newer release added. */
function readBody(body: unknown): Policy {
  const r = policySchema.safeParse({ ...defaultPolicy, ...(body as object) });
  return r.success ? r.data : defaultPolicy;
}

async function latestVersion(tx: Tx, teamId: string, scope: string) {
  return tx.policyVersion.findFirst({ where: { teamId, scope }, orderBy: { version: "desc" }, include: { createdBy: { select: { name: true } } } });
}

function view(e: EffectivePolicy, meta: { updatedAt: Date | null; updatedBy: string | null }, inherited: boolean): PolicyView {
  return { policy: e.policy, scope: e.scope, version: e.version, inherited, updatedAt: meta.updatedAt?.toISOString() ?? null, updatedBy: meta.updatedBy };
}

export async function getTeamPolicy(actor: Actor, team: string): Promise<PolicyView> {
  const access = await requireTeamRead(actor, team);
  const latest = await latestVersion(prisma(), access.teamId, "team");
  return view(pickEffective(latest ? [latest] : [], null), { updatedAt: latest?.createdAt ?? null, updatedBy: latest?.createdBy?.name ?? null }, false);
}

export async function getServicePolicy(actor: Actor, team: string, service: string): Promise<PolicyView> {
  const access = await requireTeamRead(actor, team);
  return servicePolicyView(access.teamId, (await findService(access, service)).id);
}

/** The policy view of a service the caller may read (its access already checked). */
export async function servicePolicyView(teamId: string, serviceId: string): Promise<PolicyView> {
  const [own, teamLatest] = await Promise.all([latestVersion(prisma(), teamId, serviceId), latestVersion(prisma(), teamId, "team")]);
  const rows = [own, teamLatest].filter((r) => r !== null);
  const e = pickEffective(rows, serviceId);
  const meta = e.scope === "service" ? own : teamLatest;
  return view(e, { updatedAt: meta?.createdAt ?? null, updatedBy: meta?.createdBy?.name ?? null }, e.scope !== "service");
}

/** Team admins set the team's policy: a new version, audited with the policy before and after. */
export async function putTeamPolicy(actor: Actor, team: string, policy: Policy): Promise<PolicyView> {
  const access = await requirePersonInTeam(actor, team, "admin");
  await appendVersion(actor, access.teamId, null, policy);
  return getTeamPolicy(actor, team);
}

/** A service's own policy replaces the team's for that service; `null` goes back to the team's. */
export async function putServicePolicy(actor: Actor, team: string, service: string, policy: Policy | null): Promise<PolicyView> {
  const access = await requirePersonInTeam(actor, team, "admin");
  const s = await findService(access, service);
  await appendVersion(actor, access.teamId, s.id, policy);
  return servicePolicyView(access.teamId, s.id);
}

async function appendVersion(actor: Actor, teamId: string, serviceId: string | null, body: Policy | null) {
  const scope = serviceId ?? "team";
  try {
    await prisma().$transaction(async (tx) => {
      const before = await effectivePolicy(teamId, serviceId, tx);
      const last = await latestVersion(tx, teamId, scope);
      const row = await tx.policyVersion.create({
        data: {
          teamId,
          serviceId,
          scope,
          version: (last?.version ?? 0) + 1,
          body: body ?? Prisma.DbNull,
          createdById: actor.kind === "user" ? actor.userId : null,
        },
      });
      const after = await effectivePolicy(teamId, serviceId, tx);
      await writeAudit(tx, actor, {
        teamId,
        action: body ? "policy.update" : "policy.reset",
        targetType: serviceId ? "service_policy" : "team_policy",
        targetId: serviceId ?? teamId,
        before: { scope: before.scope, version: before.version, policy: before.policy },
        after: { scope: after.scope, version: row.version, policy: after.policy },
      });
    });
  } catch (e) {
    // Two admins saving at once: the unique (team, scope, version) lets one win; the other retries.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict("the policy was changed at the same moment by someone else; reload and save again");
    throw e;
  }
}

/** Every version of the team's policy and its services', newest first, with who made it. */
export async function policyHistory(actor: Actor, team: string, service?: string): Promise<PolicyVersionView[]> {
  const access = await requireTeamRead(actor, team);
  const serviceId = service ? (await findService(access, service)).id : undefined;
  const rows = await prisma().policyVersion.findMany({
    where: { teamId: access.teamId, ...(serviceId ? { scope: { in: ["team", serviceId] } } : {}) },
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { createdBy: { select: { name: true } }, service: { select: { slug: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    scope: r.scope === "team" ? "team" : "service",
    service: r.service?.slug ?? null,
    version: r.version,
    policy: r.body ? readBody(r.body) : null,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy?.name ?? null,
  }));
}
