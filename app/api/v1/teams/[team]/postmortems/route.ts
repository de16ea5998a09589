import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createPostmortemSchema } from "@/lib/schemas/incidents";
import { createPostmortem, listPostmortems } from "@/lib/server/services/postmortems";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/postmortems", ({ actor, params }) => listPostmortems(actor, params.team));
export const POST = authedRoute<P>("/api/v1/teams/[team]/postmortems", async ({ req, actor, params }) =>
  created(await createPostmortem(actor, params.team, await parseJson(req, createPostmortemSchema, 16 * 1024))),
);
