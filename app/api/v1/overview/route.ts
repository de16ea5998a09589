import { authedRoute } from "@/lib/server/http/route";
import { getOverview } from "@/lib/server/services/overview";

export const GET = authedRoute("/api/v1/overview", ({ actor }) => getOverview(actor));
