import type { CreateTokenInput, CreatedToken, TokenView } from "../../schemas/tokens";
import type { TokenScope } from "../../domain/roles";
import { db, prisma } from "../db/client";
import { AppError, notFound } from "../errors";
import { generateApiToken, hashApiToken, looksLikeApiToken } from "../auth/api-token";
import type { Actor } from "./actor";
import { requirePersonInTeam, requireUser } from "./access";
import { writeAudit } from "./audit";
import { clockNow } from "../clock";
import { LRUCache } from "lru-cache";
import { processGlobal } from "../process-global";

type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  createdBy: { name: string } | null;
};

function toView(t: TokenRow): TokenView {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes as TokenScope[],
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
    createdBy: t.createdBy?.name ?? null,
  };
}

/** Team admins create tokens in the web app; the secret is returned here once and never again. */
export async function createToken(actor: Actor, slug: string, input: CreateTokenInput, now = clockNow()): Promise<CreatedToken> {
  const user = requireUser(actor);
  const access = await requirePersonInTeam(actor, slug, "admin");
  if (input.expiresAt && input.expiresAt <= now) {
    throw new AppError("invalid", "the expiry must be in the future", { expiresAt: "must be in the future" });
  }
  const { secret, prefix, hash } = generateApiToken();
  const token = await prisma().$transaction(async (tx) => {
    const t = await tx.apiToken.create({
      data: {
        teamId: access.teamId,
        name: input.name,
        prefix,
        tokenHash: hash,
        scopes: input.scopes,
        expiresAt: input.expiresAt,
        createdById: user.userId,
      },
      include: { createdBy: { select: { name: true } } },
    });
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: "token.create",
      targetType: "api_token",
      targetId: t.id,
      after: { name: t.name, scopes: t.scopes, expiresAt: t.expiresAt?.toISOString() ?? null },
    });
    return t;
  });
  return { token: toView(token), secret };
}

export async function listTokens(actor: Actor, slug: string): Promise<TokenView[]> {
  const access = await requirePersonInTeam(actor, slug, "admin");
  const rows = await prisma().apiToken.findMany({
    where: { teamId: access.teamId },
    include: { createdBy: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toView);
}

export async function revokeToken(actor: Actor, slug: string, tokenId: string, now = clockNow()): Promise<TokenView> {
  const access = await requirePersonInTeam(actor, slug, "admin");
  const view = await prisma().$transaction(async (tx) => {
    const before = await tx.apiToken.findFirst({ where: { id: tokenId, teamId: access.teamId } });
    if (!before) throw notFound("token");
    const t = await tx.apiToken.update({
      where: { id: before.id },
      data: { revokedAt: before.revokedAt ?? now },
      include: { createdBy: { select: { name: true } } },
    });
    if (!before.revokedAt) {
      await writeAudit(tx, actor, {
        teamId: access.teamId,
        action: "token.revoke",
        targetType: "api_token",
        targetId: t.id,
        before: { revokedAt: null },
        after: { revokedAt: now.toISOString() },
      });
    }
    return toView(t);
  });
  forget(view.id);
  return view;
}

// Writing last_used_at on every request would turn each read into a write; a minute's
// precision is what people need to spot unused tokens.
const LAST_USED_PRECISION_MS = 60_000;

/** The rule of a usable token `t` at `now` (SQL): not revoked, not expired. Every statement that accepts a token reads it here. */
export const TOKEN_VALID_SQL = (t: string, now: string) => `(${t}.revoked_at IS NULL AND (${t}.expires_at IS NULL OR ${t}.expires_at > ${now}))`;

/**
 * Resolves a bearer secret to an actor, or null when it is unknown, revoked or expired. Every
 * machine request passes here: one indexed query, in SQL rather than the ORM.
 */
export async function authenticateToken(secret: string, now = clockNow()): Promise<Actor | null> {
  if (!looksLikeApiToken(secret)) return null;
  return lookUp(hashApiToken(secret), now);
}

async function lookUp(hash: string, now: Date): Promise<TokenActor | null> {
  const { rows } = await db().pool.query<{ id: string; team_id: string; slug: string; scopes: string[]; last_used_at: Date | null; valid: boolean }>({
    name: "token-by-hash",
    text: `SELECT t.id, t.team_id, tm.slug, t.scopes, t.last_used_at, ${TOKEN_VALID_SQL("t", "$2")} AS valid
           FROM api_tokens t JOIN teams tm ON tm.id = t.team_id WHERE t.token_hash = $1`,
    values: [hash, now],
  });
  const t = rows[0];
  if (!t?.valid) return null;
  if (!t.last_used_at || now.getTime() - t.last_used_at.getTime() > LAST_USED_PRECISION_MS) {
    await db().pool.query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", [t.id, now]);
  }
  return { kind: "token", tokenId: t.id, teamId: t.team_id, teamSlug: t.slug, scopes: t.scopes as TokenScope[] };
}

type TokenActor = Extract<Actor, { kind: "token" }>;

/** The answer to a bearer token that is unknown, revoked or expired (401). */
export const tokenRefused = () => new AppError("unauthenticated", "the API token is unknown, revoked or expired");

/** How long a token found good is remembered by `authenticateTokenRechecked`. */
export const TOKEN_REMEMBER_MS = 5_000;

const remembered = processGlobal("remembered-tokens", () => new LRUCache<string, TokenActor>({ max: 10_000, ttl: TOKEN_REMEMBER_MS }));

/**
 * `authenticateToken` for a caller whose own next statement re-checks the token with
 * TOKEN_VALID_SQL (the deploy gate's context): a token found good in the last
 * TOKEN_REMEMBER_MS is taken from memory, saving the gate a round trip to the database on
 * every call. A revocation on this replica forgets it at once; on another replica, the
 * re-check refuses it.
 */
export async function authenticateTokenRechecked(secret: string, now = clockNow()): Promise<Actor | null> {
  if (!looksLikeApiToken(secret)) return null;
  const hash = hashApiToken(secret);
  const known = remembered.get(hash);
  if (known) return known;
  const actor = await lookUp(hash, now);
  if (actor) remembered.set(hash, actor);
  return actor;
}

/** Forgets a remembered token (it was revoked here). */
function forget(tokenId: string) {
  for (const [hash, actor] of remembered.entries()) if (actor.tokenId === tokenId) remembered.delete(hash);
}
