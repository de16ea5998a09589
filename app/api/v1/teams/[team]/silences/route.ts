import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createSilenceSchema } from "@/lib/schemas/silences";
import { createSilence, listSilences } from "@/lib/server/services/silences";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/silences", ({ actor, params }) => listSilences(actor, params.team));
export const POST = authedRoute<P>("/api/v1/teams/[team]/silences", async ({ req, actor, params }) =>
  created(await createSilence(actor, params.team, await parseJson(req, createSilenceSchema, 16 * 1024))),
);
