import { authedRoute, parseJson } from "@/lib/server/http/route";
import { SAVE_POSTMORTEM_MAX_BYTES, savePostmortemSchema } from "@/lib/schemas/incidents";
import { getPostmortem, savePostmortem } from "@/lib/server/services/postmortems";

type P = { postmortem: string };
export const GET = authedRoute<P>("/api/v1/postmortems/[postmortem]", ({ actor, params }) => getPostmortem(actor, params.postmortem));
/** Save an edit; 409 when someone saved since the revision it started from. The cap fits a document at the schema's size limits. */
export const PATCH = authedRoute<P>("/api/v1/postmortems/[postmortem]", async ({ req, actor, params }) => savePostmortem(actor, params.postmortem, await parseJson(req, savePostmortemSchema, SAVE_POSTMORTEM_MAX_BYTES)));
