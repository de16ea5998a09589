import { authedRoute, parseJson, parseQuery } from "@/lib/server/http/route";
import { putPolicySchema, resetPolicyQuerySchema } from "@/lib/schemas/policy";
import { getServicePolicy, putServicePolicy } from "@/lib/server/services/policy";

type P = { team: string; service: string };
const path = "/api/v1/teams/[team]/services/[service]/policy";
export const GET = authedRoute<P>(path, ({ actor, params }) => getServicePolicy(actor, params.team, params.service));
export const PUT = authedRoute<P>(path, async ({ req, actor, params }) => {
  const body = await parseJson(req, putPolicySchema, 64 * 1024);
  return putServicePolicy(actor, params.team, params.service, body.policy, body.baseVersion);
});
/** Back to the team's policy (a new version with no body). */
export const DELETE = authedRoute<P>(path, ({ req, actor, params }) => putServicePolicy(actor, params.team, params.service, null, parseQuery(req, resetPolicyQuerySchema).baseVersion));
