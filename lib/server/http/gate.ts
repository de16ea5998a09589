// The deploy gate's HTTP answer, shared by its Next route (app/api/v1/gate/route.ts) and the
// fast path of the HTTP server (server.ts), which answers token-authenticated gate calls before
// Next's router: the gate is on every deploy's critical path, and Next's routing and response
// streaming cost more than the decision itself (see `npm run bench`).
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { gateQuerySchema, gateRequestSchema, MAX_GATE_BYTES } from "../../schemas/gate";
import { actorFromBearer } from "../auth/actor";
import { askGate } from "../services/gate";
import type { Actor } from "../services/actor";
import { errorResponse, parseJson, parseSearchParams } from "./route";

export const GATE_PATH = "/api/v1/gate";

/** Always 200 with the decision (Argo Rollouts judges the body); ?mode=strict answers a deny with 423 Locked and the same body. */
export async function gateResponse(req: Request, params: URLSearchParams, actor: Actor): Promise<Response> {
  const { mode } = parseSearchParams(params, gateQuerySchema);
  const answer = await askGate(actor, await parseJson(req, gateRequestSchema, MAX_GATE_BYTES));
  return Response.json(answer, { status: mode === "strict" && answer.decision === "deny" ? 423 : 200, headers: { "cache-control": "no-store" } });
}

/** The fast path, for requests that carry an Authorization header; the rest go through Next. */
export async function serveGate(req: IncomingMessage, res: ServerResponse, url: URL) {
  let response: Response;
  try {
    const actor = await actorFromBearer(req.headers.authorization ?? "");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const body = new Request(url, { method: "POST", headers, body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } as RequestInit);
    response = await gateResponse(body, url.searchParams, actor);
  } catch (e) {
    response = errorResponse(e);
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
