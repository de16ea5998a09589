import { authedRoute } from "@/lib/server/http/route";
import { requireUser } from "@/lib/server/services/access";
import { endSessionFor } from "@/lib/server/services/sessions";

export const DELETE = authedRoute<{ session: string }>("/api/v1/me/sessions/[session]", ({ actor, params }) => endSessionFor(actor, requireUser(actor).userId, params.session));
