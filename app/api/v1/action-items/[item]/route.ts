import { authedRoute, parseJson } from "@/lib/server/http/route";
import { updateActionItemSchema } from "@/lib/schemas/incidents";
import { getActionItem, updateActionItem } from "@/lib/server/services/action-items";

type P = { item: string };
export const GET = authedRoute<P>("/api/v1/action-items/[item]", ({ actor, params }) => getActionItem(actor, params.item));
export const PATCH = authedRoute<P>("/api/v1/action-items/[item]", async ({ req, actor, params }) => updateActionItem(actor, params.item, await parseJson(req, updateActionItemSchema, 16 * 1024)));
