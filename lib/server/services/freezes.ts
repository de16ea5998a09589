// Manual freezes (a holiday freeze, an incident freeze): between start and end the gate treats
// the covered services as frozen, whatever their budgets (in the environment a freeze names, or
// without one in every gated environment).
import type { CreateFreezeInput } from "../../schemas/gate";
import type { FreezeView } from "../../schemas/views";
import { isUuid } from "../../schemas/common";
import type { Prisma } from "../../generated/prisma/client";
import { db, prisma } from "../db/client";
import { ACTIVE_FREEZE_SQL } from "./gate-context";
import { freezeInForce } from "../../domain/policy";
import { notFound } from "../errors";
import type { Actor } from "./actor";
import { requirePersonInTeam, requireTeamRead } from "./access";
import { actorName, writeAudit } from "./audit";
import { outboxTeamMessage } from "../jobs/outbox";
import { freezeMessage } from "../../domain/notification";
import { getConfig } from "../config";
import { findService } from "./catalog";
import { clockNow } from "../clock";

const include = { service: { select: { slug: true, name: true } }, createdBy: { select: { name: true } } } as const;
type Row = Prisma.FreezeGetPayload<{ include: typeof include }>;

const view = (f: Row, now: Date): FreezeView => ({
  id: f.id,
  service: f.service,
  environment: f.environment,
  reason: f.reason,
  startsAt: f.startsAt.toISOString(),
  endsAt: f.endsAt.toISOString(),
  createdBy: f.createdBy?.name ?? null,
  cancelledAt: f.cancelledAt?.toISOString() ?? null,
  active: freezeInForce(f, now),
});

/** Team admins declare freezes; they may start now or later. */
export async function createFreeze(actor: Actor, team: string, input: CreateFreezeInput, now = clockNow()): Promise<FreezeView> {
  const access = await requirePersonInTeam(actor, team, "admin");
  const service = input.service ? await findService(access, input.service) : null;
  // Relations are read after the commit: Prisma loads them with parallel queries, which one
  // transaction's connection would have to queue.
  const id = await prisma().$transaction(async (tx) => {
    const f = await tx.freeze.create({
      data: {
        teamId: access.teamId,
        serviceId: service?.id ?? null,
        environment: input.environment,
        reason: input.reason,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        createdById: actor.kind === "user" ? actor.userId : null,
      },
    });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "freeze.create", targetType: "freeze", targetId: f.id, after: { ...auditFields(f), service: service?.slug ?? null } });
    await outboxTeamMessage(tx, access.teamId, freezeMessage("declared", await freezeChange(tx, actor, access.slug, f, service)));
    return f.id;
  });
  return view(await prisma().freeze.findUniqueOrThrow({ where: { id }, include }), now);
}

export async function cancelFreeze(actor: Actor, team: string, id: string, now = clockNow()): Promise<FreezeView> {
  const access = await requirePersonInTeam(actor, team, "admin");
  const found = await prisma().$transaction(async (tx) => {
    const before = isUuid(id) ? await tx.freeze.findFirst({ where: { id, teamId: access.teamId } }) : null;
    if (!before) throw notFound("freeze");
    if (before.cancelledAt || before.endsAt <= now) return before.id;
    const f = await tx.freeze.update({ where: { id: before.id }, data: { cancelledAt: now } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "freeze.cancel", targetType: "freeze", targetId: f.id, before: auditFields(before), after: auditFields(f) });
    const service = f.serviceId ? await tx.service.findUnique({ where: { id: f.serviceId }, select: { slug: true, name: true } }) : null;
    await outboxTeamMessage(tx, access.teamId, freezeMessage("cancelled", await freezeChange(tx, actor, access.slug, f, service)));
    return f.id;
  });
  return view(await prisma().freeze.findUniqueOrThrow({ where: { id: found }, include }), now);
}

async function freezeChange(tx: Prisma.TransactionClient, actor: Actor, team: string, f: Prisma.FreezeGetPayload<object>, service: { slug: string; name: string } | null) {
  return {
    team,
    service: service ? { slug: service.slug, name: service.name } : null,
    environment: f.environment,
    reason: f.reason,
    startsAt: f.startsAt.toISOString(),
    endsAt: f.endsAt.toISOString(),
    by: await actorName(tx, actor),
    url: `${getConfig().publicUrl}/teams/${team}/gate`,
  };
}

const auditFields = (f: Prisma.FreezeGetPayload<object>) => ({
  environment: f.environment,
  reason: f.reason,
  startsAt: f.startsAt.toISOString(),
  endsAt: f.endsAt.toISOString(),
  cancelledAt: f.cancelledAt?.toISOString() ?? null,
});

/** Current and coming freezes, then the last 50 that ended. */
export async function listFreezes(actor: Actor, team: string, now = clockNow()): Promise<FreezeView[]> {
  const access = await requireTeamRead(actor, team);
  const [open, ended] = await Promise.all([
    prisma().freeze.findMany({ where: { teamId: access.teamId, cancelledAt: null, endsAt: { gt: now } }, orderBy: { startsAt: "asc" }, include }),
    prisma().freeze.findMany({ where: { teamId: access.teamId, OR: [{ cancelledAt: { not: null } }, { endsAt: { lte: now } }] }, orderBy: { endsAt: "desc" }, take: 50, include }),
  ]);
  return [...open, ...ended].map((f) => view(f, now));
}

/** Freezes of these teams in force now (the caller already may read them), for the overview. */
export async function activeFreezes(teamIds: string[], now = clockNow()): Promise<FreezeView[]> {
  // The gate's own prefilter (gate-context.ts), so the overview and the gate agree.
  const { rows: ids } = await db().pool.query<{ id: string }>(`SELECT f.id FROM freezes f WHERE f.team_id = ANY($1::uuid[]) AND ${ACTIVE_FREEZE_SQL("f", "$2")}`, [teamIds, now]);
  const rows = await prisma().freeze.findMany({ where: { id: { in: ids.map((r) => r.id) } }, orderBy: { endsAt: "asc" }, include: { ...include, team: { select: { slug: true } } } });
  return rows.map((f) => ({ ...view(f, now), team: f.team.slug }));
}
