import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { deployQuerySchema } from "@/lib/schemas/deploys";
import { listDeploys } from "@/lib/server/services/deploys";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/deploys", ({ req, actor, params }) => listDeploys(actor, params.team, parseQuery(req, deployQuerySchema)));
