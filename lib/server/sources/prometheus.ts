// A client for the Prometheus HTTP API's range queries, as served by Prometheus, Thanos,
// Mimir and VictoriaMetrics (GET /api/v1/query_range). Every call has a hard timeout, so a
// source that hangs only makes its own SLI stale.
import { readCapped } from "../http/read-capped";

export type PromSource = { url: string; authHeader?: string | null };

export class PromQueryError extends Error {}

export const PROM_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

type RangeResponse = { status: "success" | "error"; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] } };

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
  let body: RangeResponse;
  try {
    body = JSON.parse(text) as RangeResponse;
  } catch {
    throw new PromQueryError(`${url.origin} answered HTTP ${res.status} with something that is not Prometheus JSON`);
  }
  if (!res.ok || body.status !== "success") throw new PromQueryError(`query failed (HTTP ${res.status}): ${body.error ?? "unknown error"}`);
  if (body.data?.resultType !== "matrix") throw new PromQueryError(`expected a range vector (matrix), got ${body.data?.resultType ?? "nothing"}`);
  const series = body.data.result;
  if (series.length > 1) throw new PromQueryError(`the query returned ${series.length} series; aggregate it to one, e.g. sum(...)`);
  const out = new Map<number, number>();
  for (const [t, v] of series[0]?.values ?? []) {
    const n = Number(v);
    if (Number.isFinite(n)) out.set(Math.round(t * 1000), n);
  }
  return out;
}
