import { authedRoute } from "@/lib/server/http/route";
import { restoreGroup } from "@/lib/server/services/slo-groups";

type P = { team: string; service: string; group: string };
export const POST = authedRoute<P>("/api/v1/teams/[team]/services/[service]/groups/[group]/restore", ({ actor, params }) => restoreGroup(actor, params.team, params.service, params.group));
