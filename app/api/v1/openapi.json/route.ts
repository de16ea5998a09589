import { publicRoute } from "@/lib/server/http/route";
import { openApiDocument } from "@/lib/server/openapi";

export const GET = publicRoute("/api/v1/openapi.json", async () => openApiDocument());
