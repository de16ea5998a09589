// Error-budget policies: the team's, and optionally one per service that replaces it. Every
// change appends a version (never an update) with its audit record in the same transaction.
import { servicesChanged, teamServicesChanged } from "../data-generation";
import { describePolicyChanges, type Policy } from "../../domain/policy";
import type { PolicyView, PolicyVersionView } from "../../schemas/views";
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { LATEST_POLICY_VERSIONS_SQL, pickEffective, readPolicyBody, type EffectivePolicy, type PolicyVersionRow } from "./gate-context";
import { conflict } from "../errors";
import type { Actor } from "./actor";
import { requireDefinitionsWrite, requireTeamRead } from "./access";
import { writeAudit } from "./audit";
import { findService } from "./catalog";

type Tx = Prisma.TransactionClient;
export type { EffectivePolicy, PolicyScope } from "./gate-context";

/** The policy a service is judged by (or a team's, with `serviceId` null): one indexed query. */
export async function effectivePolicy(teamId: string, serviceId: string | null, tx: Tx = prisma()): Promise<EffectivePolicy> {
  const rows = await tx.$queryRawUnsafe<PolicyVersionRow[]>(LATEST_POLICY_VERSIONS_SQL("$1::uuid", "$2::uuid"), teamId, serviceId);
  return pickEffective(rows, serviceId);
}

async function latestVersion(tx: Tx, teamId: string, scope: string) {
  return tx.policyVersion.findFirst({ where: { teamId, scope }, orderBy: { version: "desc" }, include: { createdBy: { select: { name: true } } } });
}

function view(e: EffectivePolicy, meta: { updatedAt: Date | null; updatedBy: string | null }, inherited: boolean, editVersion: number): PolicyView {
  return { policy: e.policy, scope: e.scope, version: e.version, editVersion, problem: e.problem, inherited, updatedAt: meta.updatedAt?.toISOString() ?? null, updatedBy: meta.updatedBy };
}

export async function getTeamPolicy(actor: Actor, team: string): Promise<PolicyView> {
  const access = await requireTeamRead(actor, team);
  return teamPolicyView(access.teamId);
}

/** The team's policy view (the caller's access already checked: a `definitions` token may write it without `read`). */
async function teamPolicyView(teamId: string): Promise<PolicyView> {
  const latest = await latestVersion(prisma(), teamId, "team");
  return view(pickEffective(latest ? [latest] : [], null), { updatedAt: latest?.createdAt ?? null, updatedBy: latest?.createdBy?.name ?? null }, false, latest?.version ?? 0);
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
  return view(e, { updatedAt: meta?.createdAt ?? null, updatedBy: meta?.createdBy?.name ?? null }, e.scope !== "service", own?.version ?? 0);
}

/**
 * Team admins set the team's policy: a new version, audited with the policy before and after.
 * `baseVersion`: the version the edit started from (a form's `editVersion`); a save based on an
 * older one is a 409 that says what changed since. Omitted, the save applies to whatever is current.
 */
export async function putTeamPolicy(actor: Actor, team: string, policy: Policy, baseVersion?: number): Promise<PolicyView> {
  const access = await requireDefinitionsWrite(actor, team, "admin");
  await appendVersion(actor, access.teamId, null, policy, baseVersion);
  return teamPolicyView(access.teamId);
}

/** A service's own policy replaces the team's for that service; `null` goes back to the team's. */
export async function putServicePolicy(actor: Actor, team: string, service: string, policy: Policy | null, baseVersion?: number): Promise<PolicyView> {
  const access = await requireDefinitionsWrite(actor, team, "admin");
  const s = await findService(access, service);
  await appendVersion(actor, access.teamId, s.id, policy, baseVersion);
  return servicePolicyView(access.teamId, s.id);
}

async function appendVersion(actor: Actor, teamId: string, serviceId: string | null, body: Policy | null, baseVersion: number | undefined) {
  const scope = serviceId ?? "team";
  try {
    await prisma().$transaction(async (tx) => {
      const before = await effectivePolicy(teamId, serviceId, tx);
      const last = await latestVersion(tx, teamId, scope);
      if (baseVersion !== undefined && baseVersion !== (last?.version ?? 0)) await throwStale(tx, teamId, scope, baseVersion, last);
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
  // Its tier thresholds are part of every status of the services it covers.
  await (serviceId ? servicesChanged([serviceId]) : teamServicesChanged(teamId));
}

/** A save from an older version: 409, naming who saved since and what they changed (nothing is written). */
async function throwStale(tx: Tx, teamId: string, scope: string, baseVersion: number, last: Awaited<ReturnType<typeof latestVersion>>): Promise<never> {
  const base = baseVersion > 0 ? await tx.policyVersion.findUnique({ where: { teamId_scope_version: { teamId, scope, version: baseVersion } } }) : null;
  const read = (b: unknown) => (b ? readPolicyBody(b).policy : null);
  const [was, now] = [read(base?.body), read(last?.body)];
  const changes = was && now ? describePolicyChanges(was, now) : [now ? "a policy of its own was set" : "it went back to the inherited policy"];
  const who = last?.createdBy?.name ? ` by ${last.createdBy.name}` : "";
  throw conflict(`the policy was changed since you opened it (version ${last?.version ?? 0}${who}, yours started from ${baseVersion}): ${changes.join("; ") || "no setting differs"}. Reload to see it; nothing was saved`, {
    baseVersion: `is ${last?.version ?? 0} now`,
  });
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
    policy: r.body ? (readPolicyBody(r.body).policy ?? null) : null,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy?.name ?? null,
  }));
}
