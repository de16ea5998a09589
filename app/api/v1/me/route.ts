import { authedRoute } from "@/lib/server/http/route";
import { describeActor } from "@/lib/server/services/me";

export const GET = authedRoute("/api/v1/me", ({ actor, user }) => describeActor(actor, user));
