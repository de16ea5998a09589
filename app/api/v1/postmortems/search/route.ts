import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { searchQuerySchema } from "@/lib/schemas/incidents";
import { searchPostmortems } from "@/lib/server/services/postmortems";

export const GET = authedRoute("/api/v1/postmortems/search", ({ req, actor }) => searchPostmortems(actor, parseQuery(req, searchQuerySchema).q));
