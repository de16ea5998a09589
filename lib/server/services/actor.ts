import type { Role, TokenScope } from "../../domain/roles";

/**
 * Who is calling: a signed-in person, or a machine holding a team's API token. `system` is set
 * only on ticket sync's actor (ticket-actor.ts), which acts on a tracker's signed webhook as an
 * editor of that one team, whatever its user row says; it is never built from a request.
 */
export type Actor =
  | { kind: "user"; userId: string; isSiteAdmin: boolean; /** The browser session it came from (absent in scripts and tests). */ sessionId?: string; system?: { teamId: string; source: string } }
  | { kind: "token"; tokenId: string; teamId: string; teamSlug: string; scopes: TokenScope[] };

export type TeamAccess = { teamId: string; slug: string; name: string; role: Role | "site-admin" | "token" };
