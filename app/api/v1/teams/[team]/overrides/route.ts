import { authedRoute, created, parseJson, parseQuery } from "@/lib/server/http/route";
import { createOverrideSchema, overrideQuerySchema } from "@/lib/schemas/gate";
import { grantOverride, listOverrides } from "@/lib/server/services/overrides";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/overrides", ({ req, actor, params }) => listOverrides(actor, params.team, parseQuery(req, overrideQuerySchema)));
export const POST = authedRoute<P>("/api/v1/teams/[team]/overrides", async ({ req, actor, params }) =>
  created(await grantOverride(actor, params.team, await parseJson(req, createOverrideSchema, 16 * 1024))),
);
