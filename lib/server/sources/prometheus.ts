// A client for the Prometheus HTTP API's range queries, as served by Prometheus, Thanos,
// Mimir and VictoriaMetrics (GET /api/v1/query_range). Every call has a hard timeout, so a
// source that hangs only makes its own SLI stale. Requests go through the outbound guard
// (lib/server/http/outbound.ts): no private addresses unless OUTBOUND_ALLOW, no redirects.
import { z } from "zod";
import { OutboundError, outboundRequest, type OutboundPolicy } from "../http/outbound";

export type PromSource = { url: string; authHeader?: string | null };

/**
 * Why a query gave no samples, in our words: the upstream's body and its `error` text are never
 * repeated (they are stored as the SLI's last sync error and shown to every viewer, and would
 * let an editor read whatever answers at the URL they typed).
 */
export class PromQueryError extends Error {
  constructor(
    message: string,
    /** The guard refused the address (not reachable without OUTBOUND_ALLOW). */
    readonly refused = false,
  ) {
    super(message);
  }
}

export const PROM_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

/** The envelope of every answer; an error answer has no data. */
const envelopeSchema = z.object({ status: z.enum(["success", "error"]), errorType: z.string().optional(), data: z.unknown().optional() });
/** Prometheus's documented errorType values, described in our words (its `error` text is not shown). */
const errorTypes: Record<string, string> = {
  bad_data: "Prometheus rejected the query or its parameters (bad_data); check the PromQL",
  execution: "the query failed while running (execution)",
  timeout: "the query timed out in Prometheus (timeout)",
  canceled: "the query was cancelled (canceled)",
  internal: "Prometheus had an internal error (internal)",
  unavailable: "Prometheus is unavailable (unavailable)",
  not_found: "the endpoint was not found (not_found)",
};
const resultTypes = new Set(["vector", "scalar", "string"]);
/** A range vector: series of [unix seconds, value as a string] (the value may be "NaN" or "+Inf"). */
const matrixSchema = z.object({
  resultType: z.literal("matrix"),
  result: z.array(z.object({ metric: z.record(z.string(), z.string()).optional(), values: z.array(z.tuple([z.number(), z.string()])) })),
});

/**
 * GET one Prometheus HTTP API path through the outbound guard; the envelope's `data` on success,
 * a PromQueryError in our words otherwise.
 */
async function promGet(src: PromSource, path: string, params: URLSearchParams, timeoutMs: number, policy: OutboundPolicy): Promise<{ data: unknown; origin: string }> {
  let url: URL;
  try {
    url = new URL(path, src.url.endsWith("/") ? src.url : `${src.url}/`);
  } catch {
    throw new PromQueryError("the source URL is not a valid URL");
  }
  url.search = params.toString();
  let res: Awaited<ReturnType<typeof outboundRequest>>;
  try {
    res = await outboundRequest(url, {
      ...policy,
      headers: { accept: "application/json", ...(src.authHeader ? { authorization: src.authHeader } : {}) },
      timeoutMs,
      maxBytes: MAX_RESPONSE_BYTES,
      // Prometheus answers 400/422/503 with a typed error envelope.
      errorAnswers: true,
    });
  } catch (e) {
    if (!(e instanceof OutboundError)) throw e;
    throw new PromQueryError(e.message, e.kind === "refused");
  }
  const notProm = () => new PromQueryError(`${url.origin} answered HTTP ${res.status} with something that is not Prometheus JSON`);
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    throw notProm();
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw notProm();
  if (!res.ok || envelope.data.status !== "success") {
    const what = errorTypes[envelope.data.errorType ?? ""] ?? "Prometheus reported an error";
    throw new PromQueryError(`query failed (HTTP ${res.status}): ${what}`);
  }
  return { data: envelope.data.data, origin: url.origin };
}

/** Samples of a query that must return at most one series: step time (ms) -> value. NaN samples are dropped. */
export async function queryRange(src: PromSource, query: string, start: Date, end: Date, stepSeconds = 60, timeoutMs = PROM_TIMEOUT_MS, policy: OutboundPolicy = {}): Promise<Map<number, number>> {
  const params = new URLSearchParams({ query, start: String(start.getTime() / 1000), end: String(end.getTime() / 1000), step: String(stepSeconds) });
  const { data, origin } = await promGet(src, "api/v1/query_range", params, timeoutMs, policy);
  const matrix = matrixSchema.safeParse(data);
  if (!matrix.success) {
    const kind = (data as { resultType?: unknown } | undefined)?.resultType;
    throw new PromQueryError(typeof kind === "string" && resultTypes.has(kind) ? `expected a range vector (matrix), got ${kind}` : `${origin} answered with a malformed range vector`);
  }
  const series = matrix.data.result;
  if (series.length > 1) throw new PromQueryError(`the query returned ${series.length} series; aggregate it to one, e.g. sum(...)`);
  const out = new Map<number, number>();
  for (const [t, v] of series[0]?.values ?? []) {
    const n = Number(v);
    if (Number.isFinite(n)) out.set(Math.round(t * 1000), n);
  }
  return out;
}

/**
 * Samples of a query aggregated `by (label)` (grouped SLOs, docs/grouped-slos.md): label value ->
 * step time (ms) -> value. A series without the label is an error naming it, not a member.
 */
export async function queryRangeByLabel(src: PromSource, query: string, label: string, start: Date, end: Date, stepSeconds = 60, timeoutMs = PROM_TIMEOUT_MS, policy: OutboundPolicy = {}): Promise<Map<string, Map<number, number>>> {
  const params = new URLSearchParams({ query, start: String(start.getTime() / 1000), end: String(end.getTime() / 1000), step: String(stepSeconds) });
  const { data, origin } = await promGet(src, "api/v1/query_range", params, timeoutMs, policy);
  const matrix = matrixSchema.safeParse(data);
  if (!matrix.success) throw new PromQueryError(`${origin} answered with something that is not a range vector (matrix)`);
  const out = new Map<string, Map<number, number>>();
  for (const series of matrix.data.result) {
    const value = series.metric?.[label];
    if (value === undefined) throw new PromQueryError(`the query returned a series without the label "${label}"; aggregate it with sum by (${label}) (...)`);
    const samples = out.get(value) ?? new Map<number, number>();
    for (const [t, v] of series.values) {
      const n = Number(v);
      if (Number.isFinite(n)) samples.set(Math.round(t * 1000), n);
    }
    out.set(value, samples);
  }
  return out;
}

/** Label values (GET /api/v1/label/<name>/values) of the series a selector matches between start and end. */
export async function labelValues(src: PromSource, label: string, match: string, start: Date, end: Date, timeoutMs = PROM_TIMEOUT_MS, policy: OutboundPolicy = {}): Promise<string[]> {
  const params = new URLSearchParams({ "match[]": match, start: String(start.getTime() / 1000), end: String(end.getTime() / 1000) });
  const { data, origin } = await promGet(src, `api/v1/label/${encodeURIComponent(label)}/values`, params, timeoutMs, policy);
  const r = z.array(z.string()).safeParse(data);
  if (!r.success) throw new PromQueryError(`${origin} answered with malformed label values`);
  return r.data;
}

/** A native histogram sample as the HTTP API writes it: buckets are [boundary rule, lower, upper, count], numbers as text. */
const nativeHistogramSchema = z.object({ count: z.string(), sum: z.string(), buckets: z.array(z.tuple([z.number(), z.string(), z.string(), z.string()])).optional() });
const vectorSchema = z.object({
  resultType: z.literal("vector"),
  result: z.array(z.object({ metric: z.record(z.string(), z.string()).optional(), value: z.tuple([z.number(), z.string()]).optional(), histogram: z.tuple([z.number(), nativeHistogramSchema]).optional() })),
});
export type InstantSample = z.infer<typeof vectorSchema>["result"][number];

/** An instant query's vector (GET /api/v1/query), float and native histogram samples alike. */
export async function queryInstant(src: PromSource, query: string, at: Date, timeoutMs = PROM_TIMEOUT_MS, policy: OutboundPolicy = {}): Promise<InstantSample[]> {
  const { data, origin } = await promGet(src, "api/v1/query", new URLSearchParams({ query, time: String(at.getTime() / 1000) }), timeoutMs, policy);
  const r = vectorSchema.safeParse(data);
  if (!r.success) {
    const kind = (data as { resultType?: unknown } | undefined)?.resultType;
    throw new PromQueryError(typeof kind === "string" && (resultTypes.has(kind) || kind === "matrix") ? `expected an instant vector, got ${kind}` : `${origin} answered with a malformed instant vector`);
  }
  return r.data.result;
}
