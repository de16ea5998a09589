import { authedRoute, parseJson } from "@/lib/server/http/route";
import { updateGroupSchema } from "@/lib/schemas/slo-groups";
import { archiveGroup, getGroup, updateGroup } from "@/lib/server/services/slo-groups";

type P = { team: string; service: string; group: string };
const pattern = "/api/v1/teams/[team]/services/[service]/groups/[group]";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => getGroup(actor, params.team, params.service, params.group));
export const PATCH = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  updateGroup(actor, params.team, params.service, params.group, await parseJson(req, updateGroupSchema, 64 * 1024)),
);
// Deleting a group archives it with its members (data kept), as other archives do.
export const DELETE = authedRoute<P>(pattern, ({ actor, params }) => archiveGroup(actor, params.team, params.service, params.group));
