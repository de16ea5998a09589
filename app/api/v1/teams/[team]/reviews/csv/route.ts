import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { reviewCsvQuerySchema } from "@/lib/schemas/reviews";
import { fileResponse, reviewCsvFile } from "@/lib/server/services/review-exports";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/reviews/csv", async ({ req, actor, params }) => fileResponse(await reviewCsvFile(actor, params.team, parseQuery(req, reviewCsvQuerySchema))));
