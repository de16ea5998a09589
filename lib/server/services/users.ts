import type { CreateUserInput, SetupInput, SignInInput } from "../../schemas/auth";
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { AppError, conflict } from "../errors";
import { hashPassword, verifyPassword } from "../auth/password";
import type { Actor } from "./actor";
import { requireSiteAdmin } from "./access";
import { writeAudit } from "./audit";
import { getConfig } from "../config";
import { logger } from "../logger";

export type SessionUser = { id: string; email: string; name: string; isSiteAdmin: boolean };

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

/** Thrown by a sign-in to a locked account; next-auth passes the message on as its error code. */
export class AccountLockedError extends Error {
  constructor(readonly until: Date) {
    super("AccountLocked");
  }
}

/**
 * A password sign-in. SIGN_IN_LOCKOUT_ATTEMPTS failures in a row lock the account for
 * SIGN_IN_LOCKOUT_MINUTES, even to the right password (so guessing gains nothing), held in the
 * database so every replica agrees; a success clears the count. Unknown emails cost the same
 * hash as known ones (verifyPassword), so the answer does not tell which emails exist.
 */
export async function verifyCredentials(input: SignInInput, now = new Date()): Promise<SessionUser | null> {
  const db = prisma();
  const user = await db.user.findUnique({ where: { email: input.email } });
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user) return null;
  if (user.lockedUntil && user.lockedUntil > now) throw new AccountLockedError(user.lockedUntil);
  const { SIGN_IN_LOCKOUT_ATTEMPTS: attempts, SIGN_IN_LOCKOUT_MINUTES: minutes } = getConfig();
  if (ok) {
    if (user.failedSignIns > 0 || user.lockedUntil) await db.user.update({ where: { id: user.id }, data: { failedSignIns: 0, lockedUntil: null } });
    return toSessionUser(user);
  }
  if (attempts > 0) {
    // One statement, so concurrent failures all count and the one reaching the limit locks.
    const [row] = await db.$queryRaw<{ locked_until: Date | null }[]>`
      UPDATE users SET
        failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= ${attempts}::int THEN 0 ELSE failed_sign_ins + 1 END,
        locked_until = CASE WHEN failed_sign_ins + 1 >= ${attempts}::int THEN ${now}::timestamptz + make_interval(mins => ${minutes}::int) ELSE locked_until END
      WHERE id = ${user.id}::uuid RETURNING locked_until`;
    if (row?.locked_until && row.locked_until > now) {
      logger().warn({ user_id: user.id, locked_until: row.locked_until.toISOString() }, "account locked after repeated failed sign-ins");
    }
  }
  return null;
}

export async function getSessionUser(userId: string): Promise<SessionUser | null> {
  const user = await prisma().user.findUnique({ where: { id: userId } });
  return user ? toSessionUser(user) : null;
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

export async function listUsers(actor: Actor) {
  requireSiteAdmin(actor);
  const users = await prisma().user.findMany({ orderBy: { name: "asc" } });
  return users.map(toSessionUser);
}

function toSessionUser(u: { id: string; email: string; name: string; isSiteAdmin: boolean }): SessionUser {
  return { id: u.id, email: u.email, name: u.name, isSiteAdmin: u.isSiteAdmin };
}
