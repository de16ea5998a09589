import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { addMemberSchema } from "@/lib/schemas/teams";
import { addMember, listMembers } from "@/lib/server/services/teams";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/members", ({ actor, params }) => listMembers(actor, params.team));
export const POST = authedRoute<P>("/api/v1/teams/[team]/members", async ({ req, actor, params }) =>
  created(await addMember(actor, params.team, await parseJson(req, addMemberSchema, 16 * 1024))),
);
