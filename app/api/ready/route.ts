import { publicRoute } from "@/lib/server/http/route";
import { checkReadiness } from "@/lib/server/services/readiness";

export const dynamic = "force-dynamic";
export const GET = publicRoute("/api/ready", async () => {
  const r = await checkReadiness();
  return Response.json(r, { status: r.ready ? 200 : 503 });
});
