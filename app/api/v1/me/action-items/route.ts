import { authedRoute } from "@/lib/server/http/route";
import { myActionItems } from "@/lib/server/services/action-items";

export const GET = authedRoute("/api/v1/me/action-items", ({ actor }) => myActionItems(actor));
