import { authedRoute, parseJson } from "@/lib/server/http/route";
import { putPolicySchema } from "@/lib/schemas/policy";
import { getTeamPolicy, putTeamPolicy } from "@/lib/server/services/policy";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/policy", ({ actor, params }) => getTeamPolicy(actor, params.team));
export const PUT = authedRoute<P>("/api/v1/teams/[team]/policy", async ({ req, actor, params }) => {
  const body = await parseJson(req, putPolicySchema, 64 * 1024);
  return putTeamPolicy(actor, params.team, body.policy, body.baseVersion);
});
