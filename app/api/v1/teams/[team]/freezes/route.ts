import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createFreezeSchema } from "@/lib/schemas/gate";
import { createFreeze, listFreezes } from "@/lib/server/services/freezes";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/freezes", ({ actor, params }) => listFreezes(actor, params.team));
export const POST = authedRoute<P>("/api/v1/teams/[team]/freezes", async ({ req, actor, params }) =>
  created(await createFreeze(actor, params.team, await parseJson(req, createFreezeSchema, 16 * 1024))),
);
