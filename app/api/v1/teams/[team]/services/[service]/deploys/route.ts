import { authedRoute, parseQuery } from "@/lib/server/http/route";
import { deployQuerySchema } from "@/lib/schemas/deploys";
import { listServiceDeploys } from "@/lib/server/services/deploys";

type P = { team: string; service: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/services/[service]/deploys", ({ req, actor, params }) =>
  listServiceDeploys(actor, params.team, params.service, parseQuery(req, deployQuerySchema.omit({ service: true }))),
);
