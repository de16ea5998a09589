// The deploy gate's HTTP answer, shared by its Next route (app/api/v1/gate/route.ts) and the
// fast path of the HTTP server (server.ts), which answers token-authenticated gate calls before
// Next's router: the gate is on every deploy's critical path, and Next's routing and response
// streaming cost more than the decision itself (see `npm run bench`).
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { gateQuerySchema, gateRequestSchema, MAX_GATE_BYTES, type GateRequest } from "../../schemas/gate";
import type { GateDecisionView } from "../../schemas/views";
import { actorFromBearer } from "../auth/actor";
import { askGate } from "../services/gate";
import type { Actor } from "../services/actor";
import { errorResponse, isJsonType, parseJson, parseJsonText, parseSearchParams } from "./route";

export const GATE_PATH = "/api/v1/gate";

/** Always 200 with the decision (Argo Rollouts judges the body); ?mode=strict answers a deny with 423 Locked and the same body. */
async function answerGate(params: URLSearchParams, actor: Actor, input: () => Promise<GateRequest>): Promise<{ status: number; answer: GateDecisionView }> {
  const { mode } = parseSearchParams(params, gateQuerySchema);
  const answer = await askGate(actor, await input());
  return { status: mode === "strict" && answer.decision === "deny" ? 423 : 200, answer };
}

const HEADERS = { "content-type": "application/json", "cache-control": "no-store" };

export async function gateResponse(req: Request, params: URLSearchParams, actor: Actor): Promise<Response> {
  const { status, answer } = await answerGate(params, actor, () => parseJson(req, gateRequestSchema, MAX_GATE_BYTES));
  return Response.json(answer, { status, headers: HEADERS });
}

/**
 * The fast path, for requests that carry an Authorization header; the rest go through Next. A
 * JSON body of a declared length within the limit (every pipeline's call) is read straight from
 * the socket; anything else (chunked, too large, another type) takes parseJson's way, with its
 * errors. The token is re-checked by the gate's own statement, so it may come from memory.
 */
export async function serveGate(req: IncomingMessage, res: ServerResponse, url: URL) {
  try {
    const actor = await actorFromBearer(req.headers.authorization ?? "", { rechecked: true });
    const declared = Number(req.headers["content-length"] ?? NaN);
    const direct = isJsonType(req.headers["content-type"] ?? "") && Number.isSafeInteger(declared) && declared <= MAX_GATE_BYTES;
    const { status, answer } = await answerGate(url.searchParams, actor, async () =>
      direct ? parseJsonText(await readWhole(req), gateRequestSchema) : parseJson(webRequest(req, url), gateRequestSchema, MAX_GATE_BYTES),
    );
    res.writeHead(status, HEADERS);
    res.end(JSON.stringify(answer));
  } catch (e) {
    const response = errorResponse(e);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  }
}

/** A body whose length was declared (Node's parser ends it there). */
function readWhole(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("the client went away before sending the whole body"));
    });
  });
}

function webRequest(req: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  return new Request(url, { method: "POST", headers, body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } as RequestInit);
}
