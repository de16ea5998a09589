// A client for the Prometheus HTTP API's range queries, as served by Prometheus, Thanos,
// Mimir and VictoriaMetrics (GET /api/v1/query_range). Every call has a hard timeout, so a
// source that hangs only makes its own SLI stale.
import { z } from "zod";
import { readCapped } from "../http/read-capped";

export type PromSource = { url: string; authHeader?: string | null };

export class PromQueryError extends Error {}

export const PROM_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

/** The envelope of every answer; an error answer has no data. */
const envelopeSchema = z.object({ status: z.enum(["success", "error"]), error: z.string().optional(), data: z.unknown().optional() });
/** A range vector: series of [unix seconds, value as a string] (the value may be "NaN" or "+Inf"). */
const matrixSchema = z.object({
  resultType: z.literal("matrix"),
  result: z.array(z.object({ metric: z.record(z.string(), z.string()).optional(), values: z.array(z.tuple([z.number(), z.string()])) })),
});

/** Samples of a query that must return at most one series: step time (ms) -> value. NaN samples are dropped. */
export async function queryRange(src: PromSource, query: string, start: Date, end: Date, stepSeconds = 60, timeoutMs = PROM_TIMEOUT_MS): Promise<Map<number, number>> {
  const url = new URL("api/v1/query_range", src.url.endsWith("/") ? src.url : `${src.url}/`);
  url.search = new URLSearchParams({ query, start: String(start.getTime() / 1000), end: String(end.getTime() / 1000), step: String(stepSeconds) }).toString();
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: "application/json", ...(src.authHeader ? { authorization: src.authHeader } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
  } catch (e) {
    const reason = e instanceof Error && e.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : e instanceof Error ? e.message : String(e);
    throw new PromQueryError(`could not reach ${url.origin}: ${reason}`);
  }
  const text = await readCapped(res.body, MAX_RESPONSE_BYTES, () => new PromQueryError(`the response is larger than ${MAX_RESPONSE_BYTES} bytes`));
  const notProm = () => new PromQueryError(`${url.origin} answered HTTP ${res.status} with something that is not Prometheus JSON`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw notProm();
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw notProm();
  if (!res.ok || envelope.data.status !== "success") throw new PromQueryError(`query failed (HTTP ${res.status}): ${envelope.data.error ?? "unknown error"}`);
  const matrix = matrixSchema.safeParse(envelope.data.data);
  if (!matrix.success) {
    const kind = (envelope.data.data as { resultType?: unknown } | undefined)?.resultType;
    throw new PromQueryError(typeof kind === "string" && kind !== "matrix" ? `expected a range vector (matrix), got ${kind}` : `${url.origin} answered with a malformed range vector`);
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
