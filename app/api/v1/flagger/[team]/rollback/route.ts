import { authedRoute, parseJson } from "@/lib/server/http/route";
import { flaggerPayloadSchema } from "@/lib/schemas/analysis";
import { flaggerHook } from "@/lib/server/services/analyses";

// Flagger's rollback webhook: a 2xx tells Flagger to roll back, so only a failed analysis gets one (docs/deploy-verification.md).
type P = { team: string };
export const POST = authedRoute<P>("/api/v1/flagger/[team]/rollback", async ({ req, actor, params }) => {
  const r = await flaggerHook(actor, params.team, "rollback", await parseJson(req, flaggerPayloadSchema, 16 * 1024));
  if (r.status === 200) return r.body;
  const code = r.status === 404 ? "not_found" : "conflict";
  return Response.json({ error: { code, message: r.body.reasons.join(" ") }, ...r.body }, { status: r.status });
});
