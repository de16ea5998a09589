import { authedRoute } from "@/lib/server/http/route";
import { revokeOverride } from "@/lib/server/services/overrides";

type P = { team: string; override: string };
export const DELETE = authedRoute<P>("/api/v1/teams/[team]/overrides/[override]", ({ actor, params }) => revokeOverride(actor, params.team, params.override));
