import { created, parseJson, publicRoute } from "@/lib/server/http/route";
import { setupSchema } from "@/lib/schemas/auth";
import { createFirstAdmin } from "@/lib/server/services/users";

export const POST = publicRoute("/api/setup", async ({ req }) => {
  const user = await createFirstAdmin(await parseJson(req, setupSchema, 16 * 1024));
  return created({ id: user.id, email: user.email, name: user.name });
});
