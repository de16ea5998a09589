// Serves route handlers of app/api over real HTTP on loopback, for service tests whose stand-ins
// call us back (the trackers' webhooks): the same handler the app runs, with its body limits,
// status codes and error shape, without building the app.
import http from "node:http";
import type { NextRequest } from "next/server";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type Route = { pattern: RegExp; names: string[]; handler: Handler };

export async function startRouteServer(routes: Route[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    for (const r of routes) {
      const m = r.pattern.exec(path);
      if (!m || req.method !== "POST") continue;
      const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
      const answer = await r.handler(request as NextRequest, { params: Promise.resolve(params) });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" }).end(await answer.text());
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
