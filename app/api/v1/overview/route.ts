import { authedRoute } from "@/lib/server/http/route";
import { getOverview } from "@/lib/server/services/overview";
import { parseOverviewFilters } from "@/lib/schemas/overview";

export const GET = authedRoute("/api/v1/overview", ({ actor, req }) => getOverview(actor, undefined, parseOverviewFilters(req.nextUrl.searchParams)));
