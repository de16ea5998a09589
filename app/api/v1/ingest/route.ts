import { authedRoute, parseJson } from "@/lib/server/http/route";
import { ingestEnvelopeSchema, MAX_INGEST_BYTES } from "@/lib/schemas/ingest";
import { ingestBatch } from "@/lib/server/services/ingest";

// 200 when at least one item was stored (rejected items listed by index), 422 when none was.
export const POST = authedRoute("/api/v1/ingest", async ({ req, actor }) => {
  const result = await ingestBatch(actor, await parseJson(req, ingestEnvelopeSchema, MAX_INGEST_BYTES));
  if (result.accepted > 0) return result;
  return Response.json({ error: { code: "invalid", message: "every item was rejected" }, ...result }, { status: 422 });
});
