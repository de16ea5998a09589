import { authedRoute, parseJson, parseQuery } from "@/lib/server/http/route";
import { reviewQuerySchema, saveReviewSchema } from "@/lib/schemas/reviews";
import { getReview, saveReview } from "@/lib/server/services/reviews";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/reviews", ({ req, actor, params }) => getReview(actor, params.team, parseQuery(req, reviewQuerySchema)));
export const PUT = authedRoute<P>("/api/v1/teams/[team]/reviews", async ({ req, actor, params }) => saveReview(actor, params.team, await parseJson(req, saveReviewSchema, 128 * 1024)));
