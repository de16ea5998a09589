// Composite SLOs (docs/composite-slos.md): create one, read it with its members and late state,
// replace its members. A composite is an ordinary SLO whose SLI has source = composite; its
// minutes are materialised from the members' minutes (composite-materialise.ts), so everything
// else reads it like any SLO. Members are SLOs of the same team (team scoping here, rule 3).
import { Prisma } from "../../generated/prisma/client";
import { describeLateRule, describeMissing, findCycle, whenDelayedModes, type WhenDelayed } from "../../domain/composite";
import { complianceWindow } from "../../domain/window";
import type { CompositeMemberInput, CompositeView, CreateCompositeInput, UpdateCompositeInput } from "../../schemas/composites";
import { prisma } from "../db/client";
import { AppError, conflict, notFound } from "../errors";
import { clockNow } from "../clock";
import type { Actor, TeamAccess } from "./actor";
import { requireDefinitionsWrite, requireTeamRead } from "./access";
import { requireUnchangedSince, writeAudit } from "./audit";
import { findService, findSlo, sloView, windowColumns } from "./catalog";
import { storedWindowOf } from "./stored-values";
import { recordDefinitionChanges, snapshotMeasures } from "./definition-versions";

type Tx = Prisma.TransactionClient;

const writeAccess = (actor: Actor, team: string) => requireDefinitionsWrite(actor, team, "editor");

/** The member SLOs by service/slug, in the caller's team; each unknown one is a field error naming it. */
async function resolveMembers(tx: Tx, access: TeamAccess, ownService: string, members: readonly CompositeMemberInput[]) {
  const out: { sloId: string; weight: number }[] = [];
  for (const [i, m] of members.entries()) {
    const serviceRef = m.service ?? ownService;
    const svc = await tx.service.findFirst({ where: { teamId: access.teamId, slug: serviceRef } });
    if (!svc) throw new AppError("invalid", `no service "${serviceRef}" in this team`, { [`members.${i}.service`]: "no such service in this team" });
    const slo = await tx.slo.findFirst({ where: { serviceId: svc.id, slug: m.slo } });
    if (!slo) throw new AppError("invalid", `no SLO "${m.slo}" in service "${serviceRef}"`, { [`members.${i}.slo`]: "no such SLO in that service" });
    if (out.some((o) => o.sloId === slo.id)) throw new AppError("invalid", `SLO "${serviceRef}/${m.slo}" is listed twice`, { [`members.${i}.slo`]: "is already a member" });
    out.push({ sloId: slo.id, weight: m.weight });
  }
  return out;
}

/** Refuses members that would make the composite contain itself, directly or through other composites. */
async function refuseCycle(tx: Tx, teamId: string, compositeId: string, memberIds: readonly string[], names: (id: string) => Promise<string>) {
  const rows = await tx.compositeMember.findMany({ where: { composite: { service: { teamId } }, NOT: { compositeSloId: compositeId } }, select: { compositeSloId: true, memberSloId: true } });
  const edges = new Map<string, string[]>();
  for (const r of rows) edges.set(r.compositeSloId, [...(edges.get(r.compositeSloId) ?? []), r.memberSloId]);
  const cycle = findCycle(edges, compositeId, memberIds);
  if (!cycle) return;
  const i = memberIds.indexOf(cycle[1]!);
  const path = (await Promise.all(cycle.map(names))).join(" → ");
  throw new AppError("invalid", `a composite cannot contain itself, directly or through another composite: ${path}`, { [`members.${i}.slo`]: "would make the composite contain itself" });
}

/** Replaces a composite's members (here and in a definitions apply). */
export async function writeMembers(tx: Tx, compositeSloId: string, members: readonly { sloId: string; weight: number }[]) {
  await tx.compositeMember.deleteMany({ where: { compositeSloId } });
  await tx.compositeMember.createMany({ data: members.map((m, position) => ({ compositeSloId, memberSloId: m.sloId, weight: new Prisma.Decimal(m.weight), position })) });
}

export async function createComposite(actor: Actor, team: string, service: string, input: CreateCompositeInput): Promise<CompositeView> {
  const access = await writeAccess(actor, team);
  try {
    const id = await prisma().$transaction(async (tx) => {
      const svc = await findService(access, service, tx);
      if (svc.archivedAt) throw conflict(`service "${svc.slug}" is archived: restore it first`);
      const members = await resolveMembers(tx, access, svc.slug, input.members);
      // The composite's own SLI, named like it: its minutes are the materialised ones.
      const sli = await tx.sli.create({
        data: { serviceId: svc.id, slug: input.slug, name: input.name, kind: "request_ratio", source: "composite", description: `Composite of ${members.length} SLOs (docs/composite-slos.md)`, maxDelayMinutes: input.maxDelayMinutes, whenDelayed: input.whenDelayed },
      });
      const slo = await tx.slo.create({
        data: { serviceId: svc.id, sliId: sli.id, slug: input.slug, name: input.name, description: input.description, objective: input.objective, minEvents: input.minEvents, ...windowColumns(input.window) },
        include: { sli: true },
      });
      await writeMembers(tx, slo.id, members);
      const view = await compositeViewOf(tx, slo.id);
      await writeAudit(tx, actor, { teamId: access.teamId, action: "composite.create", targetType: "slo", targetId: slo.id, after: view as unknown as Prisma.InputJsonValue });
      return slo.id;
    });
    return await compositeViewOf(prisma(), id);
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict(`an SLO or SLI with slug "${input.slug}" already exists in this service`, { slug: "is already taken" });
    throw e;
  }
}

/** Replaces the members (and, if given, the delay rule): a new definition version of the composite's SLI. */
export async function updateComposite(actor: Actor, team: string, service: string, slo: string, input: UpdateCompositeInput): Promise<CompositeView> {
  const access = await writeAccess(actor, team);
  const id = await prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const found = await findComposite(svc.id, slo, tx);
    await requireUnchangedSince(tx, "slos", "slo", found.id, input.baseUpdatedAt);
    if (found.archivedAt) throw conflict(`SLO "${found.slug}" is archived: restore it first`);
    const members = await resolveMembers(tx, access, svc.slug, input.members);
    const nameOf = async (sloId: string) => {
      const s = await tx.slo.findUnique({ where: { id: sloId }, include: { service: { select: { slug: true } } } });
      return s ? `${s.service.slug}/${s.slug}` : sloId;
    };
    await refuseCycle(tx, access.teamId, found.id, members.map((m) => m.sloId), nameOf);
    const before = await compositeViewOf(tx, found.id);
    const measures = await snapshotMeasures(tx, { sliIds: [found.sliId] });
    await writeMembers(tx, found.id, members);
    await tx.sli.update({ where: { id: found.sliId }, data: { maxDelayMinutes: input.maxDelayMinutes, whenDelayed: input.whenDelayed } });
    // Touch the SLO so a stale save (baseUpdatedAt) of the old members is refused (rule 8).
    await tx.slo.update({ where: { id: found.id }, data: { updatedAt: clockNow() } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "composite.update", targetType: "slo", targetId: found.id, before: before as unknown as Prisma.InputJsonValue, after: (await compositeViewOf(tx, found.id)) as unknown as Prisma.InputJsonValue });
    // Minutes already materialised keep the members they were measured with; the change is a version from now on.
    await recordDefinitionChanges(tx, actor, access.teamId, measures, clockNow());
    return found.id;
  });
  return compositeViewOf(prisma(), id);
}

export async function getComposite(actor: Actor, team: string, service: string, slo: string, at = clockNow()): Promise<CompositeView> {
  const svc = await findService(await requireTeamRead(actor, team), service);
  const found = await findComposite(svc.id, slo);
  return compositeViewOf(prisma(), found.id, at);
}

async function findComposite(serviceId: string, slo: string, tx: Tx = prisma()) {
  const found = await findSlo(serviceId, slo, tx);
  if (found.sli.source !== "composite") throw notFound(`composite SLO "${slo}"`);
  return found;
}

const whenDelayedOf = (v: string | null): WhenDelayed => (whenDelayedModes as readonly string[]).includes(v ?? "") ? (v as WhenDelayed) : "ignore";

/** The composite with its members, weights and late state over its current window. */
export async function compositeViewOf(tx: Tx, sloId: string, at = clockNow()): Promise<CompositeView> {
  const s = await tx.slo.findUniqueOrThrow({
    where: { id: sloId },
    include: { sli: true, members: { orderBy: { position: "asc" }, include: { member: { include: { service: { select: { slug: true } } } } } } },
  });
  const windowStart = complianceWindow(storedWindowOf(s), at).start;
  const gaps = await tx.compositeGap.groupBy({ by: ["memberSloId"], where: { sliId: s.sliId, minute: { gte: windowStart, lt: at } }, _count: { _all: true } });
  const missingOf = new Map(gaps.map((g) => [g.memberSloId, g._count._all]));
  const totalWeight = s.members.reduce((sum, m) => sum + Number(m.weight), 0);
  const whenDelayed = whenDelayedOf(s.sli.whenDelayed);
  const maxDelayMinutes = s.sli.maxDelayMinutes ?? 0;
  const members = s.members.map((m) => ({
    service: m.member.service.slug,
    slo: m.member.slug,
    name: m.member.name,
    objective: m.member.objective.toString().replace(/\.?0+$/, ""),
    weight: Number(m.weight),
    share: totalWeight > 0 ? Number(m.weight) / totalWeight : 0,
    archived: m.member.archivedAt !== null,
    missingMinutes: missingOf.get(m.memberSloId) ?? 0,
  }));
  return {
    slo: sloView(s),
    members,
    maxDelayMinutes,
    whenDelayed,
    lateRule: describeLateRule(maxDelayMinutes, whenDelayed),
    syncedUntil: s.sli.syncedUntil?.toISOString() ?? null,
    missing: members.filter((m) => m.missingMinutes > 0).map((m) => describeMissing(`${m.service}/${m.slo}`, m.missingMinutes, whenDelayed)),
  };
}
