import { authedRoute, parseJson } from "@/lib/server/http/route";
import { reviewSettingsSchema } from "@/lib/schemas/reviews";
import { setReviewTimeZone } from "@/lib/server/services/reviews";

type P = { team: string };
export const PUT = authedRoute<P>("/api/v1/teams/[team]/review-settings", async ({ req, actor, params }) => setReviewTimeZone(actor, params.team, await parseJson(req, reviewSettingsSchema, 4 * 1024)));
