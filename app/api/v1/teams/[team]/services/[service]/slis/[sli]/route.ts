import { authedRoute } from "@/lib/server/http/route";
import { deleteSli } from "@/lib/server/services/catalog";

type P = { team: string; service: string; sli: string };
export const DELETE = authedRoute<P>("/api/v1/teams/[team]/services/[service]/slis/[sli]", ({ actor, params }) =>
  deleteSli(actor, params.team, params.service, params.sli),
);
