// Rate limits (rate-limiter-flexible; fixed one-minute windows). Where each count lives:
// - sign-in attempts per client address: in PostgreSQL (the `rate_limits` table), shared by every
//   replica, so N replicas do not give a guesser N times the allowance; if the database cannot
//   answer, this replica's memory counts instead (the insurance limiter) rather than failing open
//   or refusing every sign-in;
// - requests per API token and searches per person: in this replica's memory. N replicas allow up
//   to N times the limit: they bound abuse without a database round trip on every call (the gate
//   answers in milliseconds), and what they protect (CPU of one replica) is per replica too.
// Account lockout, which must hold across replicas, is in the database (users.ts).
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from "rate-limiter-flexible";
import type pg from "pg";
import { getConfig } from "./config";
import { db } from "./db/client";
import { RetryLaterError } from "./errors";
import { processGlobal } from "./process-global";

/** Full-text searches one person may run per minute, per replica. */
export const SEARCHES_PER_MINUTE = 30;

const perMinute = (points: number) => (points > 0 ? new RateLimiterMemory({ points, duration: 60 }) : null);

function limiters() {
  return processGlobal("rate-limiters", () => {
    const c = getConfig();
    return { token: perMinute(c.TOKEN_RATE_LIMIT_PER_MINUTE), search: perMinute(SEARCHES_PER_MINUTE) };
  });
}

/** The shared sign-in limiter, made again when the process's database pool is (tests reopen it). */
function signInLimiter(): RateLimiterAbstract | null {
  const points = getConfig().SIGN_IN_RATE_LIMIT_PER_MINUTE;
  if (points <= 0) return null;
  const holder = processGlobal("sign-in-limiter", () => ({ pool: null as pg.Pool | null, limiter: null as RateLimiterAbstract | null }));
  const pool = db().pool;
  if (holder.pool !== pool || !holder.limiter) {
    holder.pool = pool;
    holder.limiter = new RateLimiterPostgres({
      storeClient: pool,
      tableName: "rate_limits",
      tableCreated: true, // by the migration (prisma/schema.prisma, model RateLimit)
      clearExpiredByTimeout: false,
      keyPrefix: "sign-in",
      points,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
    });
  }
  return holder.limiter;
}

async function take(limiter: RateLimiterAbstract | null, key: string, what: string) {
  if (!limiter) return;
  try {
    await limiter.consume(key);
  } catch (e: unknown) {
    // By shape, not instanceof: the limiter is shared by the launcher and Next's bundles (processGlobal),
    // each with its own copy of the library's classes.
    if (typeof e !== "object" || e === null || typeof (e as { msBeforeNext?: unknown }).msBeforeNext !== "number") throw e;
    const seconds = Math.max(1, Math.ceil((e as { msBeforeNext: number }).msBeforeNext / 1000));
    throw new RetryLaterError("too_many_requests", `${what} (${limiter.points} a minute); try again in ${seconds} s`, seconds);
  }
}

/** Counts one request of an API token; 429 when it is over TOKEN_RATE_LIMIT_PER_MINUTE. */
export const limitToken = (tokenId: string) => take(limiters().token, tokenId, "too many requests with this API token");

/**
 * Counts one password check from a client address, across replicas; RetryLaterError when over
 * SIGN_IN_RATE_LIMIT_PER_MINUTE. Called where the credentials are checked (auth/options.ts), so
 * no spelling of the sign-in URL gets around it.
 */
export const limitSignIn = (address: string) => take(signInLimiter(), address, "too many sign-in attempts from this address");

/** Counts one full-text search of a person; 429 when over SEARCHES_PER_MINUTE. */
export const limitSearch = (userId: string) => take(limiters().search, userId, "too many searches");

/** The client's address: the socket's peer, or the first X-Forwarded-For hop when TRUST_PROXY is on. */
export function clientAddress(remote: string | undefined, forwardedFor: string | string[] | undefined): string {
  const forwarded = Array.isArray(forwardedFor) ? forwardedFor[0] : forwardedFor;
  const first = forwarded?.split(",")[0]?.trim();
  return (getConfig().TRUST_PROXY && first) || remote || "unknown";
}
