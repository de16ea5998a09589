import type { Role, TokenScope } from "../../domain/roles";

/** Who is calling: a signed-in person, or a machine holding a team's API token. */
export type Actor =
  | { kind: "user"; userId: string; isSiteAdmin: boolean; /** The browser session it came from (absent in scripts and tests). */ sessionId?: string }
  | { kind: "token"; tokenId: string; teamId: string; teamSlug: string; scopes: TokenScope[] };

export type TeamAccess = { teamId: string; slug: string; name: string; role: Role | "site-admin" | "token" };
