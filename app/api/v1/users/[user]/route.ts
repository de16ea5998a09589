import { authedRoute, parseJson } from "@/lib/server/http/route";
import { updateUserSchema } from "@/lib/schemas/auth";
import { removeUser, updateUser } from "@/lib/server/services/users";

export const PATCH = authedRoute<{ user: string }>("/api/v1/users/[user]", async ({ req, actor, params }) => updateUser(actor, params.user, await parseJson(req, updateUserSchema, 4 * 1024)));
export const DELETE = authedRoute<{ user: string }>("/api/v1/users/[user]", ({ actor, params }) => removeUser(actor, params.user));
