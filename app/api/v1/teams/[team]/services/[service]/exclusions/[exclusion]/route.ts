import { authedRoute } from "@/lib/server/http/route";
import { deleteExclusion } from "@/lib/server/services/catalog";

type P = { team: string; service: string; exclusion: string };
export const DELETE = authedRoute<P>("/api/v1/teams/[team]/services/[service]/exclusions/[exclusion]", ({ actor, params }) =>
  deleteExclusion(actor, params.team, params.service, params.exclusion),
);
