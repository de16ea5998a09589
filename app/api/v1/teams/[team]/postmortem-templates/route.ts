import { authedRoute, parseJson } from "@/lib/server/http/route";
import { PUT_TEMPLATE_MAX_BYTES, templateSchema } from "@/lib/schemas/incidents";
import { listTemplates, putTemplate } from "@/lib/server/services/postmortems";

type P = { team: string };
const path = "/api/v1/teams/[team]/postmortem-templates";
export const GET = authedRoute<P>(path, ({ actor, params }) => listTemplates(actor, params.team));
export const PUT = authedRoute<P>(path, async ({ req, actor, params }) => putTemplate(actor, params.team, await parseJson(req, templateSchema, PUT_TEMPLATE_MAX_BYTES)));
