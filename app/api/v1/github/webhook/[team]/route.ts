import { publicRoute, readText } from "@/lib/server/http/route";
import { handleGithubWebhook } from "@/lib/server/services/github";

// Authenticated by the webhook's HMAC signature, not a token or session (GitHub sends it).
type P = { team: string };
export const POST = publicRoute<P>("/api/v1/github/webhook/[team]", async ({ req, params }) => {
  const raw = await readText(req, { accept: /^application\/json\b/i, name: "application/json" }, 1024 * 1024);
  const h = req.headers;
  const a = await handleGithubWebhook(params.team, { event: h.get("x-github-event"), delivery: h.get("x-github-delivery"), signature: h.get("x-hub-signature-256") }, raw);
  return Response.json(a.body, { status: a.status });
});
