import { authedRoute, parseJson } from "@/lib/server/http/route";
import { changePasswordSchema } from "@/lib/schemas/auth";
import { changePassword } from "@/lib/server/services/users";

export const PUT = authedRoute("/api/v1/me/password", async ({ req, actor }) => changePassword(actor, await parseJson(req, changePasswordSchema, 4 * 1024)));
