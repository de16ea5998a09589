import { authedRoute, parseJson, parseQuery } from "@/lib/server/http/route";
import { gateQuerySchema, gateRequestSchema, MAX_GATE_BYTES } from "@/lib/schemas/gate";
import { askGate } from "@/lib/server/services/gate";

// Always 200 with the decision in the body (Argo Rollouts judges the body); with ?mode=strict a
// deny is 423 Locked with the same body, so `curl --fail` stops the pipeline.
export const POST = authedRoute("/api/v1/gate", async ({ req, actor }) => {
  const { mode } = parseQuery(req, gateQuerySchema);
  const answer = await askGate(actor, await parseJson(req, gateRequestSchema, MAX_GATE_BYTES));
  return Response.json(answer, { status: mode === "strict" && answer.decision === "deny" ? 423 : 200, headers: { "cache-control": "no-store" } });
});
