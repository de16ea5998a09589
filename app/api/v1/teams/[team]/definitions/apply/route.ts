import { authedRoute, parseJson } from "@/lib/server/http/route";
import { definitionFilesSchema, MAX_DEFINITION_BODY_BYTES } from "@/lib/schemas/definitions";
import { applyDefinitionFiles } from "@/lib/server/services/definitions";

type P = { team: string };
const pattern = "/api/v1/teams/[team]/definitions/apply";
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) => applyDefinitionFiles(actor, params.team, await parseJson(req, definitionFilesSchema, MAX_DEFINITION_BODY_BYTES)));
