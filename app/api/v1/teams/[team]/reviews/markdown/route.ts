import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { reviewQuerySchema } from "@/lib/schemas/reviews";
import { fileResponse, reviewMarkdownFile } from "@/lib/server/services/review-exports";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/reviews/markdown", async ({ req, actor, params }) => fileResponse(await reviewMarkdownFile(actor, params.team, parseQuery(req, reviewQuerySchema))));
