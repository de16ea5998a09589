import { authedRoute } from "@/lib/server/http/route";
import { deleteTemplate } from "@/lib/server/services/postmortems";

type P = { team: string; template: string };
export const DELETE = authedRoute<P>("/api/v1/teams/[team]/postmortem-templates/[template]", ({ actor, params }) => deleteTemplate(actor, params.team, params.template));
