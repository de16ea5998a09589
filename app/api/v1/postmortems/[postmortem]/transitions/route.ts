import { authedRoute, parseJson } from "@/lib/server/http/route";
import { transitionSchema } from "@/lib/schemas/incidents";
import { transitionPostmortem } from "@/lib/server/services/postmortems";

type P = { postmortem: string };
export const POST = authedRoute<P>("/api/v1/postmortems/[postmortem]/transitions", async ({ req, actor, params }) => {
  const t = await parseJson(req, transitionSchema, 16 * 1024);
  return transitionPostmortem(actor, params.postmortem, t.action, t.comment);
});
