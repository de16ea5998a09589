import { authedRoute } from "@/lib/server/http/route";
import { endSessionFor } from "@/lib/server/services/sessions";

export const DELETE = authedRoute<{ user: string; session: string }>("/api/v1/users/[user]/sessions/[session]", ({ actor, params }) => endSessionFor(actor, params.user, params.session));
