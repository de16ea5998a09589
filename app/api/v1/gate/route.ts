import { authedRoute } from "@/lib/server/http/route";
import { GATE_PATH, gateResponse } from "@/lib/server/http/gate";

// Calls with an Authorization header are answered by the HTTP server's fast path
// (lib/server/http/gate.ts); this route answers the rest (sessions, none) the same way.
export const POST = authedRoute(GATE_PATH, ({ req, actor }) => gateResponse(req, req.nextUrl.searchParams, actor));
