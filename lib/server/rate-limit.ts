// Rate limits: per API token and per client address for sign-ins, counted in this replica's
// memory (rate-limiter-flexible; fixed one-minute windows). N replicas allow up to N times the
// limit: they bound abuse without a database round trip on every call (the gate answers in
// milliseconds). Account lockout, which must hold across replicas, is in the database (users.ts).
import { RateLimiterMemory } from "rate-limiter-flexible";
import { getConfig } from "./config";
import { RetryLaterError } from "./errors";
import { processGlobal } from "./process-global";

function limiters() {
  return processGlobal("rate-limiters", () => {
    const c = getConfig();
    const perMinute = (points: number) => (points > 0 ? new RateLimiterMemory({ points, duration: 60 }) : null);
    return { token: perMinute(c.TOKEN_RATE_LIMIT_PER_MINUTE), signIn: perMinute(c.SIGN_IN_RATE_LIMIT_PER_MINUTE) };
  });
}

async function take(limiter: RateLimiterMemory | null, key: string, what: string) {
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

/** Counts one sign-in attempt from a client address; 429 when over SIGN_IN_RATE_LIMIT_PER_MINUTE. */
export const limitSignIn = (address: string) => take(limiters().signIn, address, "too many sign-in attempts from this address");

/** The header the HTTP server sets to the client's address (it overwrites any value the client sent). */
export const CLIENT_ADDRESS_HEADER = "x-burnrate-client-address";

/** The client's address: the socket's peer, or the first X-Forwarded-For hop when TRUST_PROXY is on. */
export function clientAddress(remote: string | undefined, forwardedFor: string | string[] | undefined): string {
  const forwarded = Array.isArray(forwardedFor) ? forwardedFor[0] : forwardedFor;
  const first = forwarded?.split(",")[0]?.trim();
  return (getConfig().TRUST_PROXY && first) || remote || "unknown";
}
