// Overrides: a team admin's explicit, time-limited, audited exception to the policy for one
// service (docs/domain.md: who, why and until when). Granting also tells the team's channels.
import { overrideExpiryProblem, overrideInForce } from "../../domain/policy";
import { overrideEndedMessage, overrideMessage } from "../../domain/notification";
import type { CreateOverrideInput } from "../../schemas/gate";
import type { OverrideView } from "../../schemas/views";
import { isUuid } from "../../schemas/common";
import type { Prisma } from "../../generated/prisma/client";
import { db, prisma } from "../db/client";
import { ACTIVE_OVERRIDE_SQL } from "./gate-context";
import { getConfig } from "../config";
import { AppError, notFound } from "../errors";
import { outboxTeamMessage } from "../jobs/outbox";
import type { Actor } from "./actor";
import { requirePersonInTeam, requireTeamRead } from "./access";
import { actorName, writeAudit } from "./audit";
import { findService } from "./catalog";
import { effectivePolicy } from "./policy";
import { clockNow } from "../clock";

const include = { service: { select: { slug: true, name: true } }, grantedBy: { select: { name: true } } } as const;
type Row = Prisma.GateOverrideGetPayload<{ include: typeof include }>;

const view = (o: Row, now: Date): OverrideView => ({
  id: o.id,
  service: o.service,
  environment: o.environment,
  reason: o.reason,
  approvedBy: o.approvedBy,
  escalatedTo: o.escalatedTo,
  expiresAt: o.expiresAt.toISOString(),
  grantedBy: o.grantedBy?.name ?? null,
  createdAt: o.createdAt.toISOString(),
  revokedAt: o.revokedAt?.toISOString() ?? null,
  active: overrideInForce(o, now),
});

export async function grantOverride(actor: Actor, team: string, input: CreateOverrideInput, now = clockNow()): Promise<OverrideView> {
  const access = await requirePersonInTeam(actor, team, "admin");
  const service = await findService(access, input.service);
  const { policy } = await effectivePolicy(access.teamId, service.id);
  const problem = overrideExpiryProblem(input.expiresAt, now, policy);
  if (problem) throw new AppError("invalid", `expiresAt: ${problem}`, { expiresAt: problem });
  // Writes inside the transaction without relations (Prisma loads those with parallel queries,
  // which one transaction's connection would have to queue); the view is read after the commit.
  const id = await prisma().$transaction(async (tx) => {
    const o = await tx.gateOverride.create({
      data: {
        teamId: access.teamId,
        serviceId: service.id,
        environment: input.environment,
        reason: input.reason,
        approvedBy: input.approvedBy,
        escalatedTo: input.escalatedTo,
        expiresAt: input.expiresAt,
        grantedById: actor.kind === "user" ? actor.userId : null,
      },
    });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "override.grant", targetType: "gate_override", targetId: o.id, after: { ...auditFields(o), service: service.slug } });
    // The team hears of it from the outbox, written with the override: both or neither.
    const grantedBy = await actorName(tx, actor);
    const message = overrideMessage({
      team: access.slug,
      service: { slug: service.slug, name: service.name },
      environment: o.environment,
      reason: o.reason,
      approvedBy: o.approvedBy,
      escalatedTo: o.escalatedTo,
      expiresAt: o.expiresAt.toISOString(),
      grantedBy,
      url: `${getConfig().publicUrl}/teams/${access.slug}/gate`,
    });
    await outboxTeamMessage(tx, access.teamId, message);
    return o.id;
  });
  return view(await prisma().gateOverride.findUniqueOrThrow({ where: { id }, include }), now);
}

/** Ends an override before its expiry. */
export async function revokeOverride(actor: Actor, team: string, id: string, now = clockNow()): Promise<OverrideView> {
  const access = await requirePersonInTeam(actor, team, "admin");
  const found = await prisma().$transaction(async (tx) => {
    const before = isUuid(id) ? await tx.gateOverride.findFirst({ where: { id, teamId: access.teamId } }) : null;
    if (!before) throw notFound("override");
    if (before.revokedAt || before.expiresAt <= now) return before.id;
    const o = await tx.gateOverride.update({ where: { id: before.id }, data: { revokedAt: now } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "override.revoke", targetType: "gate_override", targetId: o.id, before: auditFields(before), after: auditFields(o) });
    const service = await tx.service.findUniqueOrThrow({ where: { id: o.serviceId }, select: { slug: true, name: true } });
    await outboxTeamMessage(tx, access.teamId, overrideEndedMessage({ team: access.slug, service, endedBy: await actorName(tx, actor), url: `${getConfig().publicUrl}/teams/${access.slug}/gate` }));
    return o.id;
  });
  return view(await prisma().gateOverride.findUniqueOrThrow({ where: { id: found }, include }), now);
}

/** Ids of these teams' overrides in force at `now`: the gate's own prefilter (gate-context.ts), so lists and the gate agree. */
async function activeOverrideIds(teamIds: readonly string[], now: Date): Promise<string[]> {
  const { rows } = await db().pool.query<{ id: string }>(`SELECT o.id FROM gate_overrides o WHERE o.team_id = ANY($1::uuid[]) AND ${ACTIVE_OVERRIDE_SQL("o", "$2")}`, [teamIds, now]);
  return rows.map((r) => r.id);
}

const auditFields = (o: Prisma.GateOverrideGetPayload<object>) => ({
  environment: o.environment,
  reason: o.reason,
  approvedBy: o.approvedBy,
  escalatedTo: o.escalatedTo,
  expiresAt: o.expiresAt.toISOString(),
  revokedAt: o.revokedAt?.toISOString() ?? null,
});

/** Overrides of a team (or one service): active ones first, then the last 50 ended. */
export async function listOverrides(actor: Actor, team: string, opts: { service?: string; activeOnly?: boolean } = {}, now = clockNow()): Promise<OverrideView[]> {
  const access = await requireTeamRead(actor, team);
  const serviceId = opts.service ? (await findService(access, opts.service)).id : undefined;
  const where = { teamId: access.teamId, ...(serviceId ? { serviceId } : {}) };
  const [active, ended] = await Promise.all([
    prisma().gateOverride.findMany({ where: { ...where, id: { in: await activeOverrideIds([access.teamId], now) } }, orderBy: { expiresAt: "asc" }, include }),
    opts.activeOnly ? [] : prisma().gateOverride.findMany({ where: { ...where, OR: [{ revokedAt: { not: null } }, { expiresAt: { lte: now } }] }, orderBy: { createdAt: "desc" }, take: 50, include }),
  ]);
  return [...active, ...ended].map((o) => view(o, now));
}

/** Active overrides of these teams (the caller already may read them): the overview shows them while they last. */
export async function activeOverrides(teamIds: string[], now = clockNow()): Promise<OverrideView[]> {
  const rows = await prisma().gateOverride.findMany({ where: { id: { in: await activeOverrideIds(teamIds, now) } }, orderBy: { expiresAt: "asc" }, include: { ...include, team: { select: { slug: true } } } });
  return rows.map((o) => ({ ...view(o, now), team: o.team.slug }));
}
