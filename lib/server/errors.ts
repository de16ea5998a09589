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
  | "too_many_requests";

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

/** 429: the caller is over a rate limit; Retry-After (seconds) says when to come back. */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super("too_many_requests", message);
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const forbidden = (why: string) => new AppError("forbidden", why);
export const conflict = (why: string, fields?: Record<string, string>) => new AppError("conflict", why, fields);
export const unauthenticated = (why = "sign in or send an API token as 'Authorization: Bearer <token>'") =>
  new AppError("unauthenticated", why);
