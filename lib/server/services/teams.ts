import type { AddMemberInput, CreateTeamInput, UpdateMemberInput } from "../../schemas/teams";
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { AppError, conflict, notFound } from "../errors";
import type { Actor } from "./actor";
import { requirePersonInTeam, requireSiteAdmin, requireTeamRead, requireUser } from "./access";
import { writeAudit } from "./audit";
import type { TeamSummary } from "../../schemas/responses";

/** The answer's type is its response schema's output (lib/schemas/responses.ts). */
export type { TeamSummary } from "../../schemas/responses";

/** The teams a person can see: their memberships, or every team for a site admin. */
export async function listTeams(actor: Actor): Promise<TeamSummary[]> {
  const user = requireUser(actor);
  if (user.isSiteAdmin) {
    const [teams, mine] = await Promise.all([
      prisma().team.findMany({ orderBy: { name: "asc" } }),
      prisma().membership.findMany({ where: { userId: user.userId } }),
    ]);
    const roleOf = new Map(mine.map((m) => [m.teamId, m.role]));
    return teams.map((t) => ({ id: t.id, slug: t.slug, name: t.name, role: roleOf.get(t.id) ?? "site-admin" }));
  }
  const memberships = await prisma().membership.findMany({
    where: { userId: user.userId },
    include: { team: true },
    orderBy: { team: { name: "asc" } },
  });
  return memberships.map((m) => ({ id: m.team.id, slug: m.team.slug, name: m.team.name, role: m.role }));
}

export async function getTeam(actor: Actor, slug: string) {
  const access = await requireTeamRead(actor, slug);
  return { id: access.teamId, slug: access.slug, name: access.name, role: access.role };
}

/** Site admins create teams; the creator becomes the team's first admin. */
export async function createTeam(actor: Actor, input: CreateTeamInput): Promise<TeamSummary> {
  const user = requireSiteAdmin(actor);
  try {
    return await prisma().$transaction(async (tx) => {
      const team = await tx.team.create({ data: { slug: input.slug, name: input.name } });
      await tx.membership.create({ data: { teamId: team.id, userId: user.userId, role: "admin" } });
      await writeAudit(tx, actor, {
        teamId: team.id,
        action: "team.create",
        targetType: "team",
        targetId: team.id,
        after: { slug: team.slug, name: team.name },
      });
      return { id: team.id, slug: team.slug, name: team.name, role: "admin" as const };
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw conflict(`a team with slug "${input.slug}" already exists`, { slug: "is already taken" });
    }
    throw e;
  }
}

export async function listMembers(actor: Actor, slug: string) {
  const access = await requireTeamRead(actor, slug);
  const rows = await prisma().membership.findMany({
    where: { teamId: access.teamId },
    include: { user: { select: { id: true, name: true, email: true } } },
    orderBy: { user: { name: "asc" } },
  });
  return rows.map((m) => ({ userId: m.user.id, name: m.user.name, email: m.user.email, role: m.role }));
}

export async function addMember(actor: Actor, slug: string, input: AddMemberInput) {
  const access = await requirePersonInTeam(actor, slug, "admin");
  const user = await prisma().user.findUnique({ where: { email: input.email } });
  if (!user) {
    throw new AppError("invalid", "no user has this email; ask a site admin to add them first", {
      email: "no user with this email",
    });
  }
  try {
    return await prisma().$transaction(async (tx) => {
      const m = await tx.membership.create({ data: { teamId: access.teamId, userId: user.id, role: input.role } });
      await writeAudit(tx, actor, {
        teamId: access.teamId,
        action: "member.add",
        targetType: "user",
        targetId: user.id,
        after: { role: m.role },
      });
      return { userId: user.id, name: user.name, email: user.email, role: m.role };
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw conflict("this person is already a member", { email: "is already a member" });
    }
    throw e;
  }
}

export async function updateMember(actor: Actor, slug: string, userId: string, input: UpdateMemberInput) {
  const access = await requirePersonInTeam(actor, slug, "admin");
  return prisma().$transaction(async (tx) => {
    const before = await findMember(tx, access.teamId, userId);
    if (before.role === "admin" && input.role !== "admin") await ensureAnotherAdmin(tx, access.teamId, userId);
    const m = await tx.membership.update({
      where: { userId_teamId: { userId, teamId: access.teamId } },
      data: { role: input.role },
    });
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: "member.role_change",
      targetType: "user",
      targetId: userId,
      before: { role: before.role },
      after: { role: m.role },
    });
    return { userId, role: m.role };
  });
}

export async function removeMember(actor: Actor, slug: string, userId: string) {
  const access = await requirePersonInTeam(actor, slug, "admin");
  await prisma().$transaction(async (tx) => {
    const before = await findMember(tx, access.teamId, userId);
    if (before.role === "admin") await ensureAnotherAdmin(tx, access.teamId, userId);
    await tx.membership.delete({ where: { userId_teamId: { userId, teamId: access.teamId } } });
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: "member.remove",
      targetType: "user",
      targetId: userId,
      before: { role: before.role },
    });
  });
}

async function findMember(tx: Prisma.TransactionClient, teamId: string, userId: string) {
  const m = await tx.membership.findUnique({ where: { userId_teamId: { userId, teamId } } });
  if (!m) throw notFound("member");
  return m;
}

/** A team must keep at least one admin, or nobody could manage its people and tokens. */
async function ensureAnotherAdmin(tx: Prisma.TransactionClient, teamId: string, leavingUserId: string) {
  // Lock the team's admin rows so two concurrent demotions cannot both pass the check.
  const admins = await tx.$queryRaw<{ user_id: string }[]>`
    SELECT user_id FROM memberships WHERE team_id = ${teamId}::uuid AND role = 'admin' FOR UPDATE`;
  if (!admins.some((a) => a.user_id !== leavingUserId)) {
    throw conflict("a team needs at least one admin: make someone else admin first");
  }
}
