import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createTokenSchema } from "@/lib/schemas/tokens";
import { createToken, listTokens } from "@/lib/server/services/tokens";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/tokens", ({ actor, params }) => listTokens(actor, params.team));
export const POST = authedRoute<P>("/api/v1/teams/[team]/tokens", async ({ req, actor, params }) =>
  created(await createToken(actor, params.team, await parseJson(req, createTokenSchema, 16 * 1024)), { "cache-control": "no-store" }),
);
