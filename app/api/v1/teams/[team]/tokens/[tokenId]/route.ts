import { authedRoute, parseParam } from "@/lib/server/http/route";
import { uuidSchema } from "@/lib/schemas/common";
import { revokeToken } from "@/lib/server/services/tokens";

type P = { team: string; tokenId: string };
export const DELETE = authedRoute<P>("/api/v1/teams/[team]/tokens/[tokenId]", ({ actor, params }) =>
  revokeToken(actor, params.team, parseParam("tokenId", params.tokenId, uuidSchema)),
);
