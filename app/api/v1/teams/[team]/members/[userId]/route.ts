import { authedRoute, parseJson, parseParam } from "@/lib/server/http/route";
import { uuidSchema } from "@/lib/schemas/common";
import { updateMemberSchema } from "@/lib/schemas/teams";
import { removeMember, updateMember } from "@/lib/server/services/teams";

type P = { team: string; userId: string };
const pattern = "/api/v1/teams/[team]/members/[userId]";

export const PATCH = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  updateMember(actor, params.team, parseParam("userId", params.userId, uuidSchema), await parseJson(req, updateMemberSchema, 16 * 1024)),
);
export const DELETE = authedRoute<P>(pattern, ({ actor, params }) =>
  removeMember(actor, params.team, parseParam("userId", params.userId, uuidSchema)),
);
