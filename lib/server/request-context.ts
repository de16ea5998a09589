// Per-request context shared by the HTTP server (which writes the canonical log line) and the
// route handlers Next.js bundles separately. Both must see the same AsyncLocalStorage instance,
// so it lives on globalThis rather than in a module-level variable (each bundle has its own).
import { AsyncLocalStorage } from "node:async_hooks";

export type RequestContext = {
  requestId: string;
  /** Route pattern, e.g. /api/v1/teams/[team]/tokens, set by the route wrapper. */
  route?: string;
  /** Slug of the team the request acted on, when there is one. */
  team?: string;
  /** The page or route as the browser asked for it (path and query), for returning after sign-in. */
  path?: string;
  /** Who is calling, as the HTTP server saw it: for rate limits and the sessions list. */
  client?: { address: string; userAgent: string };
  /** Set when the sign-in limit refused this request: the auth route answers 429 with Retry-After. */
  signInRetryAfterSeconds?: number;
  /** Set when a database call of this request failed because the database is away or stalled: a page that failed answers 503, not 500. */
  databaseUnavailable?: boolean;
};

const key = Symbol.for("burnrate.requestContext");
type Holder = { [key]?: AsyncLocalStorage<RequestContext> };

export function requestContextStorage(): AsyncLocalStorage<RequestContext> {
  const holder = globalThis as Holder;
  holder[key] ??= new AsyncLocalStorage<RequestContext>();
  return holder[key];
}

export function currentRequest(): RequestContext | undefined {
  return requestContextStorage().getStore();
}
