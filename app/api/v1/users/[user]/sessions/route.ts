import { authedRoute } from "@/lib/server/http/route";
import { endAllSessionsFor, listSessions } from "@/lib/server/services/sessions";

export const GET = authedRoute<{ user: string }>("/api/v1/users/[user]/sessions", ({ actor, params }) => listSessions(actor, params.user));
export const DELETE = authedRoute<{ user: string }>("/api/v1/users/[user]/sessions", ({ actor, params }) => endAllSessionsFor(actor, params.user));
