// The one place where HTTP meets the service layer: authentication, body limits, schema
// parsing and the mapping of typed errors to status codes. Route files stay a few lines long.
import type { NextRequest } from "next/server";
import { z, type ZodType } from "zod";
import { callerFromRequest, type Caller } from "../auth/actor";
import { AppError, DATABASE_RETRY_AFTER_SECONDS, fieldsError, isDatabaseDiskFull, isDatabaseUnavailable, RetryLaterError, unauthenticated } from "../errors";
import { dropBody, LINGER, readCapped } from "./read-capped";
import { logger } from "../logger";
import { currentRequest } from "../request-context";
import { operations } from "../openapi";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

type Params = Record<string, string>;
// Next passes no params object to routes without dynamic segments.
type Ctx<P> = { params?: Promise<P> } | undefined;
/** PostgreSQL text cannot hold NUL, so it is refused up front instead of failing the write. */
const NUL_PROBLEM = "must not contain NUL characters";
/** A \u0000 escape in JSON text (not an escaped backslash followed by "u0000"). */
const JSON_NUL = /(?<!\\)(?:\\\\)*\\u0000/;
/** 400 naming a path or query parameter that holds a NUL character. */
function refuseNul(name: string, value: unknown) {
  if (typeof value === "string" && value.includes("\0")) throw new AppError("bad_request", `${name}: ${NUL_PROBLEM}`, { [name]: NUL_PROBLEM });
}

const paramsOf = async <P>(ctx: Ctx<P>) => {
  const params = ((await ctx?.params) ?? {}) as P;
  for (const [name, value] of Object.entries(params as Record<string, unknown>)) refuseNul(name, value);
  return params;
};

type Args<P> = { req: NextRequest; params: P };

export function publicRoute<P extends Params = Params>(pattern: string, fn: (a: Args<P>) => Promise<unknown>) {
  return async (req: NextRequest, ctx: Ctx<P>) => run(pattern, req.method, async () => fn({ req, params: await paramsOf(ctx) }));
}

export function authedRoute<P extends Params = Params>(
  pattern: string,
  fn: (a: Args<P> & Caller) => Promise<unknown>,
) {
  return async (req: NextRequest, ctx: Ctx<P>) =>
    run(pattern, req.method, async () => {
      const caller = await callerFromRequest(req);
      if (!caller) throw unauthenticated();
      return fn({ req, params: await paramsOf(ctx), ...caller });
    });
}

/** A 201 answer: the created record, encoded with its operation's response schema as any answer is. */
class Created {
  constructor(
    readonly value: unknown,
    readonly headers?: Record<string, string>,
  ) {}
}
export const created = (value: unknown, headers?: Record<string, string>) => new Created(value, headers);

async function run(pattern: string, method: string, fn: () => Promise<unknown>): Promise<Response> {
  const ctx = currentRequest();
  if (ctx) ctx.route = pattern;
  try {
    const result = await fn();
    if (result instanceof Response) return result;
    if (result === undefined) return new Response(null, { status: 204 });
    if (result instanceof Created) return Response.json(encodeAnswer(pattern, method, result.value), { status: 201, headers: result.headers });
    return Response.json(encodeAnswer(pattern, method, result));
  } catch (e) {
    return errorResponse(e);
  }
}

/**
 * Answers that the hot paths give are not parsed again (each costs more than its work; the
 * types and the recorded-response check of the test suites hold them to their schemas).
 */
const UNPARSED = new Set(["post /api/v1/ingest", "post /api/v1/gate", "get /api/v1/teams/{team}/status", "get /api/v1/teams/{team}/services/{service}/slos/{slo}/status"]);
let responseSchemas: Map<string, ZodType> | undefined;

/**
 * The answer as its operation's response schema (lib/server/openapi.ts) outputs it: fields the
 * schema does not name are dropped, so nothing a service happens to carry leaks. The service's
 * type already is the schema's output; an answer that still does not match is a bug, logged,
 * and sent as it is rather than failing the request.
 */
export function encodeAnswer(pattern: string, method: string, value: unknown): unknown {
  responseSchemas ??= new Map(operations.flatMap((o) => (o.response && !UNPARSED.has(`${o.method} ${o.path}`) ? [[`${o.method} ${o.path}`, o.response] as const] : [])));
  const schema = responseSchemas.get(`${method.toLowerCase()} ${pattern.replace(/\[(\w+)\]/g, "{$1}")}`);
  if (!schema) return value;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  logger().error({ route: pattern, method, issues: r.error.issues.slice(0, 5) }, "an answer does not match its operation's response schema; sent as it is");
  return value;
}

export function errorResponse(e: unknown): Response {
  if (e instanceof z.ZodError) e = fieldsError("invalid", e);
  const requestId = currentRequest()?.requestId;
  const known = e instanceof AppError ? e : databaseProblem(e, requestId);
  if (known) {
    const headers = known instanceof RetryLaterError ? { "retry-after": String(known.retryAfterSeconds) } : undefined;
    return Response.json({ error: { code: known.code, message: known.message, fields: known.fields } }, { status: known.status, headers });
  }
  logger().error({ err: e, request_id: requestId }, "unhandled error in route");
  return Response.json(
    { error: { code: "internal", message: `internal error; quote request id ${requestId ?? "unknown"} when reporting it` } },
    { status: 500 },
  );
}

/** A database that is full (507) or away (503, come back in 5 s) as the error the client gets, logged once; else undefined. */
function databaseProblem(e: unknown, requestId: string | undefined): AppError | undefined {
  if (isDatabaseDiskFull(e)) {
    logger().error({ request_id: requestId }, "the database's disk is full: writes fail until space is freed");
    return new AppError("insufficient_storage", "the database's disk is full, so this change was not stored; an operator must free space");
  }
  if (isDatabaseUnavailable(e)) {
    logger().warn({ request_id: requestId, reason: e instanceof Error ? e.message : String(e) }, "database unavailable");
    return new RetryLaterError("unavailable", "the database cannot be reached right now; try again shortly", DATABASE_RETRY_AFTER_SECONDS);
  }
  return undefined;
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

/** A Content-Type the JSON routes accept: application/json or application/<something>+json. */
export const isJsonType = (type: string) => JSON_TYPE.test(type);

/** Reads a JSON body of at most `limit` bytes and parses it with the input's schema. */
export async function parseJson<S extends ZodType>(req: Request, schema: S, limit = DEFAULT_BODY_LIMIT): Promise<z.output<S>> {
  if (!isJsonType(req.headers.get("content-type") ?? "")) {
    throw new AppError("unsupported_media_type", "send the body as JSON with 'Content-Type: application/json'");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) {
    await dropBody(req.body);
    throw tooLarge(limit);
  }
  return parseJsonText(await readCapped(req.body, limit, () => tooLarge(limit), LINGER), schema);
}

/** A JSON body's text, read whole, parsed with the input's schema (parseJson's last step). */
export function parseJsonText<S extends ZodType>(text: string, schema: S): z.output<S> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "the body is not valid JSON", { body: "is not valid JSON" });
  }
  if (JSON_NUL.test(text)) throw new AppError("invalid", `body: ${NUL_PROBLEM}`, { body: NUL_PROBLEM });
  return schema.parse(body);
}

/** Reads a raw text body (YAML, or JSON whose exact bytes are signed) of at most `limit` bytes. */
export async function readText(req: Request, type: { accept: RegExp; name: string }, limit: number): Promise<string> {
  if (!type.accept.test(req.headers.get("content-type") ?? "")) {
    throw new AppError("unsupported_media_type", `send the body with 'Content-Type: ${type.name}'`);
  }
  if (Number(req.headers.get("content-length") ?? "0") > limit) {
    await dropBody(req.body);
    throw tooLarge(limit);
  }
  return readCapped(req.body, limit, () => tooLarge(limit), LINGER);
}

function tooLarge(limit: number) {
  return new AppError("payload_too_large", `the body is larger than ${limit} bytes`);
}


/** Parses a path or query parameter with a schema, naming the parameter in the error. */
export function parseParam<S extends ZodType>(name: string, value: unknown, schema: S): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError("bad_request", `${name}: ${r.error.issues[0]?.message ?? "is invalid"}`, { [name]: r.error.issues[0]?.message ?? "is invalid" });
  return r.data;
}

/** Parses the query string with a schema; unknown parameters are ignored. */
export function parseQuery<S extends ZodType>(req: NextRequest, schema: S): z.output<S> {
  return parseSearchParams(req.nextUrl.searchParams, schema);
}

export function parseSearchParams<S extends ZodType>(params: URLSearchParams, schema: S): z.output<S> {
  for (const [name, value] of params) refuseNul(name, value);
  const r = schema.safeParse(Object.fromEntries(params));
  if (!r.success) {
    throw fieldsError("bad_request", r.error);
  }
  return r.data;
}
