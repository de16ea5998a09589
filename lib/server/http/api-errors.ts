// Answers of the API that Next.js makes itself (404 for a path no route has, 405 for a method a
// route does not export, its own 400 and 500) carry an HTML page or nothing. Every error of the
// API has one shape, { error: { code, message, fields? } } (lib/schemas/responses.ts), so the
// HTTP server (server.ts) puts that body in their place.
import type http from "node:http";

const codes: Record<number, string> = { 400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type", 429: "too_many_requests", 503: "unavailable" };

/** The error for a framework-made answer of `status` to `method path`. */
export function frameworkError(status: number, method: string, path: string, allow?: string): { code: string; message: string } {
  const what = `${method} ${path}`;
  if (status === 404) return { code: "not_found", message: `no API operation answers ${what}; the operations are listed in /api/v1/openapi.json` };
  if (status === 405) return { code: "method_not_allowed", message: `${method} is not allowed on ${path}${allow ? `; allowed: ${allow}` : ""}` };
  if (status >= 500) return { code: status === 503 ? "unavailable" : "internal", message: status === 503 ? "the service is unavailable right now; try again shortly" : "internal error" };
  return { code: codes[status] ?? "bad_request", message: `the request ${what} was refused (HTTP ${status})` };
}

/** Whether a path's errors are the API's (next-auth's routes answer in their own shapes; pages with pages). */
export function answersInErrorShape(pathname: string): boolean {
  return (pathname.startsWith("/api/") && !pathname.startsWith("/api/auth/")) || pathname === "/metrics";
}

const typeIn = (headers: unknown): string | undefined => {
  if (!headers || typeof headers !== "object" || Array.isArray(headers)) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === "content-type");
  return key ? String((headers as Record<string, unknown>)[key]) : undefined;
};

/**
 * Makes every error answer of `res` that is not JSON the one error shape: decided when the
 * status and headers are known (at writeHead, or at the first write or end), the framework's body
 * dropped and the JSON written instead. JSON answers and successes pass untouched.
 */
export function errorsAsJson(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, effectiveStatus: (status: number) => number = (s) => s) {
  let replace: boolean | undefined;
  let body = "";
  const decide = (status: number, headerType: string | undefined) => {
    if (replace !== undefined) return replace;
    const type = headerType ?? String(res.getHeader("content-type") ?? "");
    replace = status >= 400 && !/\bjson\b/i.test(type);
    if (replace) {
      const allow = res.getHeader("allow");
      body = JSON.stringify({ error: frameworkError(effectiveStatus(status), req.method ?? "GET", pathname, allow === undefined ? undefined : String(allow)) });
      res.setHeader("content-type", "application/json");
      res.setHeader("content-length", Buffer.byteLength(body));
      res.removeHeader("content-encoding");
      res.removeHeader("transfer-encoding");
    }
    return replace;
  };
  const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => http.ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    if (decide(status, rest.map(typeIn).find((t) => t !== undefined))) {
      // Headers passed here would override the JSON's type and length.
      rest = rest.map((r) => (r && typeof r === "object" && !Array.isArray(r) ? Object.fromEntries(Object.entries(r).filter(([k]) => !/^content-(type|length|encoding)$/i.test(k))) : r));
    }
    return writeHead(status, ...rest);
  }) as typeof res.writeHead;
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  res.write = ((...a: unknown[]) => {
    if (!res.headersSent && decide(res.statusCode, undefined)) return true;
    if (replace) return true;
    return write(...a);
  }) as typeof res.write;
  const end = res.end.bind(res) as (...a: unknown[]) => http.ServerResponse;
  res.end = ((...a: unknown[]) => {
    if (!res.headersSent) decide(res.statusCode, undefined);
    if (!replace) return end(...a);
    const cb = a.find((x) => typeof x === "function");
    return cb ? end(body, cb) : end(body);
  }) as typeof res.end;
}
