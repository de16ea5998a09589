import { authedRoute } from "@/lib/server/http/route";
import { requireUser } from "@/lib/server/services/access";
import { endAllSessionsFor, listSessions } from "@/lib/server/services/sessions";

export const GET = authedRoute("/api/v1/me/sessions", ({ actor }) => listSessions(actor, requireUser(actor).userId));
/** Signs out everywhere else: every session of the caller but this one ends. */
export const DELETE = authedRoute("/api/v1/me/sessions", ({ actor }) => endAllSessionsFor(actor, requireUser(actor).userId));
