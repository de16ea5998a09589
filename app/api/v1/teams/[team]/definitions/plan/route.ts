import { authedRoute, parseJson } from "@/lib/server/http/route";
import { definitionFilesSchema, MAX_DEFINITION_BODY_BYTES } from "@/lib/schemas/definitions";
import { planDefinitionFiles } from "@/lib/server/services/definitions";

type P = { team: string };
const pattern = "/api/v1/teams/[team]/definitions/plan";
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) => planDefinitionFiles(actor, params.team, await parseJson(req, definitionFilesSchema, MAX_DEFINITION_BODY_BYTES)));
