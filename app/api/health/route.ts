// Liveness: the process answers. It checks nothing else, so a database outage does not get
// every replica restarted by its orchestrator (that is what /api/ready is for).
import { publicRoute } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";
export const GET = publicRoute("/api/health", async () => ({ status: "ok" }));
