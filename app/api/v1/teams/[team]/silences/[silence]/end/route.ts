import { authedRoute } from "@/lib/server/http/route";
import { endSilence } from "@/lib/server/services/silences";

type P = { team: string; silence: string };
export const POST = authedRoute<P>("/api/v1/teams/[team]/silences/[silence]/end", ({ actor, params }) => endSilence(actor, params.team, params.silence));
