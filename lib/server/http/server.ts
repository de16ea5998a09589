// The HTTP server around Next.js: it owns the request id and writes the one canonical log line
// per request (docs/domain.md "The product's own logs"), which Next's own server cannot do because
// only the outermost layer sees the final status and duration.
import http from "node:http";
import { randomUUID } from "node:crypto";
import next from "next";
import type { Logger } from "pino";
import { requestContextStorage, type RequestContext } from "../request-context";
import { DATABASE_RETRY_AFTER_SECONDS } from "../errors";
import { GATE_PATH, serveGate } from "./gate";
import { answersInErrorShape, errorsAsJson } from "./api-errors";
import { API_CSP, HSTS, newNonce, pageCsp, securityHeaders } from "./security-headers";
import { clientAddress } from "../rate-limit";

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Whether a raw request target is an API route: its path, dot segments resolved, starts with /api/. */
export function isApiPath(raw: string): boolean {
  return resolvedPathname(raw)?.startsWith("/api/") ?? false;
}

/** The path of a raw request target, dot segments resolved; undefined when it is not one. */
function resolvedPathname(raw: string): string | undefined {
  try {
    return new URL(`http://h${raw.startsWith("/") ? raw : `/${raw}`}`).pathname;
  } catch {
    return undefined;
  }
}

export type RunningServer = { server: http.Server; port: number; close: () => Promise<void> };

export async function startHttpServer(opts: { dev: boolean; host: string; port: number; log: Logger; dir?: string; tls?: boolean }): Promise<RunningServer> {
  const app = next({ dev: opts.dev, hostname: opts.host, port: opts.port, dir: opts.dir ?? process.cwd() });
  await app.prepare();
  const handle = app.getRequestHandler();
  const storage = requestContextStorage();

  // Timeouts are checked every 2 s (Node checks every 30 s by default), so a slow client is cut off near its deadline.
  const server = http.createServer({ connectionsCheckingInterval: 2_000 }, (req, res) => {
    const started = process.hrtime.bigint();
    const incoming = req.headers["x-request-id"];
    const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", requestId);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const address = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"]);
    for (const h of securityHeaders) res.setHeader(h.key, h.value);
    // Every response carries a policy, whatever its raw path looks like: the API's (nothing loads)
    // only for what is certainly an API route once the path is resolved; the page policy for all
    // else, static files and 404 pages included (a policy on a script file is simply unused).
    if (isApiPath(req.url ?? "/")) res.setHeader("content-security-policy", API_CSP);
    else {
      // Next.js reads the policy from the request to put its nonce on the scripts it renders.
      const csp = pageCsp(newNonce(), { dev: opts.dev, tls: opts.tls ?? false });
      req.headers["content-security-policy"] = csp;
      res.setHeader("content-security-policy", csp);
    }
    if (opts.tls) res.setHeader("strict-transport-security", HSTS);
    const ctx: RequestContext = { requestId, path: req.url ?? "/", client: { address, userAgent: String(req.headers["user-agent"] ?? "") } };
    // A body refused for its size is not read to its end, so this connection cannot carry another
    // request: say so, and the client opens a new one instead of reusing a socket that is closing
    // (which its next request would find closed: "other side closed").
    // A page that failed because the database is away is a 503 with Retry-After, as the API's
    // answers are: Next.js renders its error page with a 500, not knowing why.
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => http.ServerResponse;
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      if (status === 413) res.setHeader("connection", "close");
      if (status === 500 && ctx.databaseUnavailable) {
        status = 503;
        res.statusCode = 503;
        res.setHeader("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
      }
      return writeHead(status, ...rest);
    }) as typeof res.writeHead;
    // Every error of the API (and /metrics) in its one JSON shape, also those Next.js makes
    // itself (unknown paths, methods a route lacks): api-errors.ts.
    const pathname = resolvedPathname(req.url ?? "/");
    if (pathname && answersInErrorShape(pathname)) errorsAsJson(req, res, pathname, (s) => (s === 500 && ctx.databaseUnavailable ? 503 : s));
    res.on("close", () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (path.startsWith("/_next/")) return; // static assets: noise, not requests
      opts.log.info(
        {
          request_id: requestId,
          http_method: req.method,
          route: ctx.route ?? path,
          http_status: res.statusCode,
          duration_ms: Math.round(durationMs * 100) / 100,
          team: ctx.team,
          aborted: res.writableFinished ? undefined : true,
        },
        "request",
      );
    });
    storage.run(ctx, () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (req.method === "POST" && url.pathname === GATE_PATH && req.headers.authorization) {
        ctx.route = GATE_PATH;
        serveGate(req, res, url).catch((err: unknown) => {
          opts.log.error({ err, request_id: requestId }, "request handler failed");
          if (!res.headersSent) res.statusCode = 500;
          res.end();
        });
        return;
      }
      handle(req, res).catch((err: unknown) => {
        opts.log.error({ err, request_id: requestId }, "request handler failed");
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
    });
  });
  // Slow-body clients must not hold sockets forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  };
}
