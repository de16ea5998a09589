// Resolves who is calling a route: an API token (Authorization: Bearer) or the browser session.
import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getConfig } from "../config";
import { AppError } from "../errors";
import type { Actor } from "../services/actor";
import { authenticateToken } from "../services/tokens";
import { getSessionUser, type SessionUser } from "../services/users";
import { authOptions, authSecret } from "./options";
import { limitToken } from "../rate-limit";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The actor of an `Authorization: Bearer <token>` header; 401 when it is malformed or the token is not valid. */
export async function actorFromBearer(authorization: string): Promise<Actor> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!m?.[1]) throw new AppError("unauthenticated", "the Authorization header must be 'Bearer <token>'");
  const actor = await authenticateToken(m[1]);
  if (!actor) throw new AppError("unauthenticated", "the API token is unknown, revoked or expired");
  if (actor.kind === "token") await limitToken(actor.tokenId);
  return actor;
}

export async function actorFromRequest(req: NextRequest): Promise<Actor | null> {
  const authorization = req.headers.get("authorization");
  if (authorization) return actorFromBearer(authorization);
  const jwt = await getToken({ req, secret: authSecret(), secureCookie: getConfig().publicUrl.startsWith("https://") });
  if (typeof jwt?.uid !== "string") return null;
  // A session cookie rides along on cross-site requests; refuse state changes from other origins (CSRF).
  if (unsafeMethods.has(req.method)) assertSameOrigin(req);
  const user = await getSessionUser(jwt.uid);
  return user ? { kind: "user", userId: user.id, isSiteAdmin: user.isSiteAdmin } : null;
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

/** For server components: the signed-in person, or null. Looked up once per request (layout and page share it). */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  return id ? getSessionUser(id) : null;
});

export function actorOf(user: SessionUser): Actor {
  return { kind: "user", userId: user.id, isSiteAdmin: user.isSiteAdmin };
}
