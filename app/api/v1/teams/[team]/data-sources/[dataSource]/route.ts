import { authedRoute, parseJson } from "@/lib/server/http/route";
import { updateDataSourceSchema } from "@/lib/schemas/data-sources";
import { deleteDataSource, updateDataSource } from "@/lib/server/services/data-sources";

type P = { team: string; dataSource: string };
const pattern = "/api/v1/teams/[team]/data-sources/[dataSource]";
export const PATCH = authedRoute<P>(pattern, async ({ req, actor, params }) => updateDataSource(actor, params.team, params.dataSource, await parseJson(req, updateDataSourceSchema, 64 * 1024)));
export const DELETE = authedRoute<P>(pattern, ({ actor, params }) => deleteDataSource(actor, params.team, params.dataSource));
