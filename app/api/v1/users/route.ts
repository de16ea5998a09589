import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createUserSchema } from "@/lib/schemas/auth";
import { createUser, listUsers } from "@/lib/server/services/users";

export const GET = authedRoute("/api/v1/users", ({ actor }) => listUsers(actor));
export const POST = authedRoute("/api/v1/users", async ({ req, actor }) =>
  created(await createUser(actor, await parseJson(req, createUserSchema, 16 * 1024))),
);
