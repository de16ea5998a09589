import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createActionItemSchema } from "@/lib/schemas/incidents";
import { createActionItem } from "@/lib/server/services/action-items";

type P = { postmortem: string };
export const POST = authedRoute<P>("/api/v1/postmortems/[postmortem]/action-items", async ({ req, actor, params }) =>
  created(await createActionItem(actor, params.postmortem, await parseJson(req, createActionItemSchema, 16 * 1024))),
);
