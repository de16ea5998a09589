import { publicRoute, readText } from "@/lib/server/http/route";
import { handleTicketWebhook } from "@/lib/server/services/ticket-webhooks";

// Authenticated by the body's HMAC signature (linear-signature), not a token or session: the tracker sends it.
type P = { integration: string };
export const POST = publicRoute<P>("/api/v1/webhooks/linear/[integration]", async ({ req, params }) => {
  const raw = await readText(req, { accept: /^application\/json\b/i, name: "application/json" }, 1024 * 1024);
  return handleTicketWebhook("linear", params.integration, req.headers.get("linear-signature"), raw);
});
