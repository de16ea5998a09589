// Resolves who is calling a route: an API token (Authorization: Bearer) or the browser session.
import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { cache } from "react";
import { getConfig } from "../config";
import { AppError } from "../errors";
import type { Actor } from "../services/actor";
import { authenticateToken, authenticateTokenRechecked, tokenRefused } from "../services/tokens";
import { sessionUser, type SessionUser } from "../services/sessions";
import { authSecret } from "./options";
import { limitToken } from "../rate-limit";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The actor of an `Authorization: Bearer <token>` header; 401 when it is malformed or the token
 * is not valid. `rechecked`: the caller re-checks the token in its own next statement (the deploy
 * gate), so a token found good seconds ago is taken from memory (tokens.ts).
 */
export async function actorFromBearer(authorization: string, opts: { rechecked?: boolean } = {}): Promise<Actor> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!m?.[1]) throw new AppError("unauthenticated", "the Authorization header must be 'Bearer <token>'");
  const actor = await (opts.rechecked ? authenticateTokenRechecked : authenticateToken)(m[1]);
  if (!actor) throw tokenRefused();
  if (actor.kind === "token") await limitToken(actor.tokenId);
  return actor;
}

/** The session cookie's claims (signature and expiry checked), or null. */
const sessionClaims = (req: Parameters<typeof getToken>[0]["req"]) => getToken({ req, secret: authSecret(), secureCookie: getConfig().publicUrl.startsWith("https://") });

/** Who is calling, and for a browser session the person it stands for (so no handler looks them up again). */
export type Caller = { actor: Actor; user: SessionUser | null };

export async function callerFromRequest(req: NextRequest): Promise<Caller | null> {
  const authorization = req.headers.get("authorization");
  if (authorization) return { actor: await actorFromBearer(authorization), user: null };
  const jwt = await sessionClaims(req);
  if (!jwt) return null;
  // A session cookie rides along on cross-site requests; refuse state changes from other origins (CSRF).
  if (unsafeMethods.has(req.method)) assertSameOrigin(req);
  const user = await sessionUser(jwt);
  return user ? { actor: actorOf(user, jwt.sid as string), user } : null;
}

function assertSameOrigin(req: NextRequest) {
  const origin = req.headers.get("origin");
  const allowed = new Set([new URL(getConfig().publicUrl).origin, req.nextUrl.origin]);
  const host = req.headers.get("host");
  if (host) allowed.add(`${req.nextUrl.protocol}//${host}`);
  if (!origin || !allowed.has(origin)) {
    throw new AppError("forbidden", "cross-site request refused: the Origin header does not match this site");
  }
}

/**
 * For server components: the signed-in person (with their session's id), or null when the cookie
 * is missing, forged, expired, or names a session that has ended. Looked up once per request.
 */
export const currentUser = cache(async (): Promise<(SessionUser & { sessionId: string }) | null> => {
  // Imported here, not at the top: this module also serves the launcher's gate fast path, where
  // next/headers cannot load (it needs Next's request storage).
  const { cookies } = await import("next/headers");
  // Cookies only: getToken would also take a JWT from an Authorization header, which pages do not accept.
  const jwt = await sessionClaims({ cookies: await cookies(), headers: {} } as unknown as NextRequest);
  const user = jwt ? await sessionUser(jwt) : null;
  return user ? { ...user, sessionId: jwt!.sid as string } : null;
});

export function actorOf(user: SessionUser & { sessionId?: string }, sessionId = user.sessionId): Actor {
  return { kind: "user", userId: user.id, isSiteAdmin: user.isSiteAdmin, sessionId };
}
