import type { Role, TokenScope } from "../../domain/roles";

/** Who is calling: a signed-in person, or a machine holding a team's API token. */
export type Actor =
  | {
      kind: "user";
      userId: string;
      isSiteAdmin: boolean;
      /** The browser session it came from (absent in scripts and tests). */ sessionId?: string;
      /**
       * Set only on the system actor of ticket sync (lib/server/services/ticket-actor.ts), which acts
       * on a tracker's signed webhook: an editor of this one team, whatever its user row says.
       * Never built from a request.
       */
      system?: { teamId: string; source: string };
    }
  | { kind: "token"; tokenId: string; teamId: string; teamSlug: string; scopes: TokenScope[] };

export type TeamAccess = { teamId: string; slug: string; name: string; role: Role | "site-admin" | "token" };
