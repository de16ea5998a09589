import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createDataSourceSchema } from "@/lib/schemas/data-sources";
import { createDataSource, listDataSources } from "@/lib/server/services/data-sources";

type P = { team: string };
const pattern = "/api/v1/teams/[team]/data-sources";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => listDataSources(actor, params.team));
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  created(await createDataSource(actor, params.team, await parseJson(req, createDataSourceSchema, 64 * 1024))),
);
