import type { ZodError } from "zod";
import { fieldErrors } from "../schemas/field-errors";

// Typed errors thrown by services and mapped to HTTP responses in one place (lib/server/http/route.ts).
export type ErrorCode =
  | "bad_request"
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "too_many_requests"
  | "unavailable"
  | "insufficient_storage";

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  unavailable: 503,
  insufficient_storage: 507,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Field path -> problem, for validation errors. */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.status = statusOf[code];
  }
}

/** A schema's failure as a typed error naming each bad field: 422 for bodies, 400 for the query string. */
export function fieldsError(code: "invalid" | "bad_request", e: ZodError): AppError {
  const fields = fieldErrors(e);
  return new AppError(code, Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join("; "), fields);
}

/** 429 (over a rate limit) or 503 (the database is away): Retry-After (seconds) says when to come back. */
export class RetryLaterError extends AppError {
  constructor(
    code: "too_many_requests" | "unavailable",
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const forbidden = (why: string) => new AppError("forbidden", why);
export const conflict = (why: string, fields?: Record<string, string>) => new AppError("conflict", why, fields);
export const unauthenticated = (why = "sign in or send an API token as 'Authorization: Bearer <token>'") =>
  new AppError("unauthenticated", why);

/** When to come back (Retry-After, seconds) after a 503 for a database that is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * A database that is down, restarting, unreachable, stalled or out of connections, in each form
 * it reaches us: SQLSTATE classes 08 (connection exception) and 57P (operator intervention: a
 * restart or crash), 57014 (a statement timeout), 53300 (too many connections); socket errors;
 * the pool's own time-outs; and Prisma's codes and its driver adapter's kinds for the same.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN",
  "57P01", "57P02", "57P03", "57P05", "57014", "53300",
  // Prisma: can't reach, timed out, server closed the connection, pool timeout, transaction could not start in time, too many connections.
  "P1001", "P1002", "P1008", "P1017", "P2024", "P2028", "P2037",
]);
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const UNAVAILABLE_TEXT = /Connection terminated|not queryable|connect ECONNREFUSED|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|terminating connection (due to administrator command|because of crash)|Can't reach database server|timeout exceeded when trying to connect|Query read timeout|Unable to start a transaction in the given time|Server has closed the connection/i;

type ErrorLike = { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };

/** Whether `test` holds for the error or anything it wraps: Prisma wraps the driver's error, so causes and metadata are searched. */
function inChain(e: unknown, test: (x: ErrorLike) => boolean, depth = 0): boolean {
  if (typeof e !== "object" || e === null || depth > 5) return false;
  const x = e as ErrorLike;
  return test(x) || inChain(x.cause, test, depth + 1) || inChain(x.meta?.driverAdapterError, test, depth + 1);
}
const messageMatches = (x: ErrorLike, re: RegExp) => typeof x.message === "string" && re.test(x.message);

/**
 * Whether an error means the database is away or stalled (restart, failover, partition, outage)
 * rather than a bug: such requests get 503 with Retry-After, and the pool reconnects on its own
 * when it is back.
 */
export const isDatabaseUnavailable = (e: unknown) =>
  inChain(e, (x) =>
    (typeof x.code === "string" && (UNAVAILABLE_CODES.has(x.code) || x.code.startsWith("08"))) ||
    (typeof x.kind === "string" && UNAVAILABLE_KINDS.has(x.kind)) ||
    messageMatches(x, UNAVAILABLE_TEXT));

/** Whether the database refused a write because its disk is full (SQLSTATE 53100, or ENOSPC in the message). */
export const isDatabaseDiskFull = (e: unknown) => inChain(e, (x) => x.code === "53100" || messageMatches(x, /No space left on device|disk full|could not extend file/i));
