// Browser sessions, held on the server. The session cookie is next-auth's signed JWT, and it names
// a row here (`sid`); a request is signed in only while that row exists, has not expired, and
// its account is not disabled. So signing out, ending a session from the list, disabling or
// removing the account and changing the password all take effect at once, on every replica: a
// copied cookie stops working. (A JWT alone cannot be revoked before it expires.)
import type { Prisma } from "../../generated/prisma/client";
import type { SessionView } from "../../schemas/views";
import { db, prisma } from "../db/client";
import { notFound } from "../errors";
import type { Actor } from "./actor";
import { requireUser } from "./access";
import { writeAudit } from "./audit";
import { clockNow } from "../clock";
import type { SessionUser } from "../../schemas/responses";

/** How long a session lasts from its sign-in (also the cookie's lifetime). */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;
/** last_seen_at is written at most this often per session (a write per request would cost the gate's database). */
const TOUCH_EVERY_S = 60;

/** The answer's type is its response schema's output (lib/schemas/responses.ts). */
export type { SessionUser } from "../../schemas/responses";
export type SessionClient = { userAgent: string; address: string };

/** Opens a session at sign-in; returns its id for the cookie. Drops the person's expired sessions on the way. */
export async function startSession(userId: string, method: "password" | "oidc", client: SessionClient, now = clockNow()): Promise<string> {
  const [, created] = await prisma().$transaction([
    prisma().session.deleteMany({ where: { userId, expiresAt: { lte: now } } }),
    prisma().session.create({
      data: { userId, method, userAgent: client.userAgent.slice(0, 300), address: client.address.slice(0, 100), createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) },
      select: { id: true },
    }),
  ]);
  return created.id;
}

// One round trip: the session must be live and its account enabled; last seen is refreshed when stale.
const SESSION_USER_SQL = `
WITH live AS (SELECT id, last_seen_at FROM sessions WHERE id = $1::uuid AND user_id = $2::uuid AND expires_at > $3),
touched AS (UPDATE sessions SET last_seen_at = $3 WHERE id IN (SELECT id FROM live WHERE last_seen_at < $3 - make_interval(secs => $4)) RETURNING id)
SELECT u.id, u.email, u.name, u.is_site_admin FROM users u WHERE u.id = $2::uuid AND u.disabled_at IS NULL AND EXISTS (SELECT 1 FROM live)`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The person a session cookie's claims stand for, or null when the session is gone, expired or the account disabled. */
export async function sessionUser(claims: Record<string, unknown>, now = clockNow()): Promise<SessionUser | null> {
  const { uid, sid } = claims;
  if (typeof uid !== "string" || typeof sid !== "string" || !UUID.test(uid) || !UUID.test(sid)) return null;
  const { rows } = await db().pool.query<{ id: string; email: string; name: string; is_site_admin: boolean }>({
    name: "session-user",
    text: SESSION_USER_SQL,
    values: [sid, uid, now, TOUCH_EVERY_S],
  });
  const u = rows[0];
  return u ? { id: u.id, email: u.email, name: u.name, isSiteAdmin: u.is_site_admin } : null;
}

/** Hourly (the retention job): expired sessions and the sign-in limit's expired counters go. */
export async function purgeExpired(now = clockNow()): Promise<{ sessions: number; rateLimits: number }> {
  const sessions = await prisma().session.deleteMany({ where: { expiresAt: { lte: now } } });
  const rateLimits = await prisma().rateLimit.deleteMany({ where: { expire: { lt: BigInt(now.getTime()) } } });
  return { sessions: sessions.count, rateLimits: rateLimits.count };
}

/** Signing out: the session ends on the server (next-auth's signOut event). */
export async function endSession(sid: unknown): Promise<void> {
  if (typeof sid === "string" && UUID.test(sid)) await prisma().session.deleteMany({ where: { id: sid } });
}

/** Ends every session of a person, but `keep` (the one changing its own password stays signed in). */
export async function endSessionsOf(tx: Prisma.TransactionClient, userId: string, keep?: string): Promise<number> {
  const r = await tx.session.deleteMany({ where: { userId, ...(keep ? { id: { not: keep } } : {}) } });
  return r.count;
}

/** Whose sessions an actor may see and end: their own, or anyone's for a site admin. Others, and unknown ids, are "not found". */
async function requireSessionOwner(actor: Actor, userId: string) {
  const user = requireUser(actor);
  if (user.userId !== userId && !user.isSiteAdmin) throw notFound("person");
  if (!UUID.test(userId) || !(await prisma().user.findUnique({ where: { id: userId }, select: { id: true } }))) throw notFound("person");
  return user;
}

/** A person's live sessions, newest first; `current` marks the caller's own. */
export async function listSessions(actor: Actor, userId: string, now = clockNow()): Promise<SessionView[]> {
  const user = await requireSessionOwner(actor, userId);
  const rows = await prisma().session.findMany({ where: { userId, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" } });
  return rows.map((s) => ({
    id: s.id,
    method: s.method as SessionView["method"],
    userAgent: s.userAgent,
    address: s.address,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    current: s.id === user.sessionId,
  }));
}

/** Ends one session of a person (theirs, or any as a site admin), audited. */
export async function endSessionFor(actor: Actor, userId: string, sessionId: string): Promise<void> {
  await requireSessionOwner(actor, userId);
  await prisma().$transaction(async (tx) => {
    const s = UUID.test(sessionId) ? await tx.session.findFirst({ where: { id: sessionId, userId } }) : null;
    if (!s) throw notFound("session");
    await tx.session.delete({ where: { id: s.id } });
    await writeAudit(tx, actor, { action: "session.end", targetType: "user", targetId: userId, before: { session: s.id, method: s.method, createdAt: s.createdAt.toISOString() } });
  });
}

/** Ends every session of a person but the caller's own, audited; returns how many ended. */
export async function endAllSessionsFor(actor: Actor, userId: string): Promise<{ ended: number }> {
  const user = await requireSessionOwner(actor, userId);
  return prisma().$transaction(async (tx) => {
    const ended = await endSessionsOf(tx, userId, user.sessionId);
    await writeAudit(tx, actor, { action: "session.end_all", targetType: "user", targetId: userId, after: { ended } });
    return { ended };
  });
}
