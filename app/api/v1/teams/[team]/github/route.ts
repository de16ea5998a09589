import { authedRoute, parseJson } from "@/lib/server/http/route";
import { putGithubSchema } from "@/lib/schemas/gate";
import { deleteGithub, getGithub, putGithub } from "@/lib/server/services/github";

type P = { team: string };
const path = "/api/v1/teams/[team]/github";
export const GET = authedRoute<P>(path, ({ actor, params }) => getGithub(actor, params.team));
export const PUT = authedRoute<P>(path, async ({ req, actor, params }) => putGithub(actor, params.team, await parseJson(req, putGithubSchema, 32 * 1024)));
export const DELETE = authedRoute<P>(path, ({ actor, params }) => deleteGithub(actor, params.team));
