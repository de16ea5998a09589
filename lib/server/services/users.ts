import type { ChangePasswordInput, CreateUserInput, SetupInput, SignInInput, UpdateUserInput } from "../../schemas/auth";
import type { AdminUserView } from "../../schemas/views";
import { isUuid } from "../../schemas/common";
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { AppError, conflict, notFound } from "../errors";
import { hashPassword, verifyPassword } from "../auth/password";
import type { Actor } from "./actor";
import { requireSiteAdmin, requireUser } from "./access";
import { writeAudit } from "./audit";
import { getConfig } from "../config";
import { logger } from "../logger";
import { endSessionsOf, type SessionUser } from "./sessions";
import { clockNow } from "../clock";

export type { SessionUser };

// Serialises first-admin creation across replicas: two setup submissions cannot both win.
const SETUP_LOCK = 0x6275726e; // "burn"

export async function needsSetup(): Promise<boolean> {
  return (await prisma().user.count()) === 0;
}

/** Creates the first site administrator; refuses once any user exists (no default password ever). */
export async function createFirstAdmin(input: SetupInput): Promise<SessionUser> {
  const passwordHash = await hashPassword(input.password);
  return prisma().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`;
    if ((await tx.user.count()) > 0) throw conflict("setup is already done: sign in instead");
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, passwordHash, isSiteAdmin: true },
    });
    await writeAudit(tx, { kind: "user", userId: user.id, isSiteAdmin: true }, {
      action: "user.setup",
      targetType: "user",
      targetId: user.id,
      after: { name: user.name, isSiteAdmin: true },
    });
    return toSessionUser(user);
  });
}

/** Start-up: create the first admin from BURNRATE_ADMIN_EMAIL/PASSWORD when there is no user yet. */
export async function bootstrapAdmin(env: { email?: string; password?: string; name: string }) {
  if (!env.email || !env.password) return null;
  try {
    return await createFirstAdmin({ email: env.email.toLowerCase(), password: env.password, name: env.name });
  } catch (e) {
    if (e instanceof AppError && e.code === "conflict") return null;
    throw e;
  }
}

/**
 * A password sign-in: the person, or null. The caller gets the same null (the same answer, after
 * the same argon2 work) for an unknown email, a wrong password, a locked and a disabled account,
 * so the answer tells nobody which emails exist or which accounts are locked; the owner learns of
 * a lock on their account page after it ends, and site admins see it on theirs.
 * SIGN_IN_LOCKOUT_ATTEMPTS failures in a row lock the account for SIGN_IN_LOCKOUT_MINUTES, even to
 * the right password (so guessing gains nothing), held in the database so every replica agrees;
 * a success clears the count.
 */
export async function verifyCredentials(input: SignInInput, now = clockNow()): Promise<SessionUser | null> {
  const db = prisma();
  const user = await db.user.findUnique({ where: { email: input.email } });
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || user.disabledAt) return null;
  if (user.lockedUntil && user.lockedUntil > now) {
    logger().info({ user_id: user.id }, "sign-in to a locked account refused");
    return null;
  }
  const { SIGN_IN_LOCKOUT_ATTEMPTS: attempts, SIGN_IN_LOCKOUT_MINUTES: minutes } = getConfig();
  if (ok) {
    if (user.failedSignIns > 0) await db.user.update({ where: { id: user.id }, data: { failedSignIns: 0 } });
    return toSessionUser(user);
  }
  if (attempts > 0) {
    // One statement, so concurrent failures all count and the one reaching the limit locks.
    const [row] = await db.$queryRaw<{ locked_until: Date | null }[]>`
      UPDATE users SET
        failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= ${attempts}::int THEN 0 ELSE failed_sign_ins + 1 END,
        locked_at = CASE WHEN failed_sign_ins + 1 >= ${attempts}::int THEN ${now}::timestamptz ELSE locked_at END,
        locked_until = CASE WHEN failed_sign_ins + 1 >= ${attempts}::int THEN ${now}::timestamptz + make_interval(mins => ${minutes}::int) ELSE locked_until END
      WHERE id = ${user.id}::uuid RETURNING locked_until`;
    if (row?.locked_until && row.locked_until > now) {
      logger().warn({ user_id: user.id, locked_until: row.locked_until.toISOString() }, "account locked after repeated failed sign-ins");
    }
  }
  return null;
}

/**
 * OpenID Connect sign-in: find the user by (issuer, subject); else link by email when the
 * issuer vouches that the address is verified; else create a user with no team (a team admin
 * then adds them). An unverified email never takes over an existing account.
 */
export async function upsertOidcUser(p: {
  issuer: string;
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string;
}): Promise<SessionUser | null> {
  const db = prisma();
  const linked = await db.identity.findUnique({
    where: { issuer_subject: { issuer: p.issuer, subject: p.subject } },
    include: { user: true },
  });
  if (linked) return toSessionUser(linked.user);
  const email = p.email.toLowerCase();
  const existing = await db.user.findUnique({ where: { email } });
  if (existing && !p.emailVerified) return null;
  return db.$transaction(async (tx) => {
    const user = existing ?? (await tx.user.create({ data: { email, name: p.name || email } }));
    await tx.identity.create({ data: { userId: user.id, issuer: p.issuer, subject: p.subject } });
    await writeAudit(tx, { kind: "user", userId: user.id, isSiteAdmin: user.isSiteAdmin }, {
      action: existing ? "user.identity_linked" : "user.created_by_oidc",
      targetType: "user",
      targetId: user.id,
      after: { issuer: p.issuer },
    });
    return toSessionUser(user);
  });
}

export async function createUser(actor: Actor, input: CreateUserInput): Promise<SessionUser> {
  requireSiteAdmin(actor);
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma().$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash, isSiteAdmin: input.isSiteAdmin },
      });
      await writeAudit(tx, actor, {
        action: "user.create",
        targetType: "user",
        targetId: user.id,
        after: { name: user.name, isSiteAdmin: user.isSiteAdmin },
      });
      return toSessionUser(user);
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw conflict("a user with this email already exists", { email: "is already taken" });
    }
    throw e;
  }
}

export async function listUsers(actor: Actor, now = clockNow()): Promise<AdminUserView[]> {
  requireSiteAdmin(actor);
  const users = await prisma().user.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { sessions: { where: { expiresAt: { gt: now } } } } } } });
  return users.map((u) => ({
    ...toSessionUser(u),
    disabled: u.disabledAt !== null,
    lockedUntil: u.lockedUntil && u.lockedUntil > now ? u.lockedUntil.toISOString() : null,
    lastLockedAt: u.lockedAt?.toISOString() ?? null,
    sessions: u._count.sessions,
  }));
}

/** The person as an admin acts on them: "not found" for an unknown id; never oneself (no locking yourself out). */
async function otherUser(actor: Actor, userId: string) {
  const admin = requireSiteAdmin(actor);
  const user = isUuid(userId) ? await prisma().user.findUnique({ where: { id: userId } }) : null;
  if (!user) throw notFound("person");
  if (user.id === admin.userId) throw conflict("you cannot disable or remove your own account; ask another site administrator");
  return user;
}

/** Site admins disable (or enable) an account; disabling ends its sessions at once. */
export async function updateUser(actor: Actor, userId: string, input: UpdateUserInput): Promise<AdminUserView> {
  const user = await otherUser(actor, userId);
  await prisma().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { disabledAt: input.disabled ? (user.disabledAt ?? clockNow()) : null } });
    const ended = input.disabled ? await endSessionsOf(tx, user.id) : 0;
    await writeAudit(tx, actor, { action: input.disabled ? "user.disable" : "user.enable", targetType: "user", targetId: user.id, before: { disabled: user.disabledAt !== null }, after: { disabled: input.disabled, sessionsEnded: ended } });
  });
  return (await listUsers(actor)).find((u) => u.id === user.id)!;
}

/** Site admins remove an account: its sessions, memberships and identities go with it; what it wrote stays, unattributed. */
export async function removeUser(actor: Actor, userId: string): Promise<void> {
  const user = await otherUser(actor, userId);
  await prisma().$transaction(async (tx) => {
    await tx.user.delete({ where: { id: user.id } });
    await writeAudit(tx, actor, { action: "user.remove", targetType: "user", targetId: user.id, before: { name: user.name, email: user.email, isSiteAdmin: user.isSiteAdmin } });
  });
}

/** A person changes their own password; every other session of theirs ends (a copied cookie stops working). */
export async function changePassword(actor: Actor, input: ChangePasswordInput): Promise<{ sessionsEnded: number }> {
  const me = requireUser(actor);
  const user = await prisma().user.findUniqueOrThrow({ where: { id: me.userId } });
  if (!user.passwordHash) throw new AppError("invalid", "your account signs in through single sign-on and has no password here", { currentPassword: "Your account has no password here" });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw new AppError("invalid", "the current password is not right", { currentPassword: "This is not your current password" });
  const passwordHash = await hashPassword(input.newPassword);
  return prisma().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, failedSignIns: 0 } });
    const sessionsEnded = await endSessionsOf(tx, user.id, me.sessionId);
    await writeAudit(tx, actor, { action: "user.password_change", targetType: "user", targetId: user.id, after: { sessionsEnded } });
    return { sessionsEnded };
  });
}

/** What the account page shows of the person's own account: its last lock, if any. */
export async function accountOf(actor: Actor, now = clockNow()) {
  const me = requireUser(actor);
  const u = await prisma().user.findUniqueOrThrow({ where: { id: me.userId } });
  return {
    hasPassword: u.passwordHash !== null,
    lastLock: u.lockedAt && u.lockedUntil ? { from: u.lockedAt.toISOString(), until: u.lockedUntil.toISOString(), endedAlready: u.lockedUntil <= now } : null,
  };
}

function toSessionUser(u: { id: string; email: string; name: string; isSiteAdmin: boolean }): SessionUser {
  return { id: u.id, email: u.email, name: u.name, isSiteAdmin: u.isSiteAdmin };
}
