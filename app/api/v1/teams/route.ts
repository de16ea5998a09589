import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createTeamSchema } from "@/lib/schemas/teams";
import { createTeam, listTeams } from "@/lib/server/services/teams";

export const GET = authedRoute("/api/v1/teams", ({ actor }) => listTeams(actor));
export const POST = authedRoute("/api/v1/teams", async ({ req, actor }) =>
  created(await createTeam(actor, await parseJson(req, createTeamSchema, 16 * 1024))),
);
