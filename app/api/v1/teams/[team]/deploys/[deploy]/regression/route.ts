import { authedRoute, parseJson } from "@/lib/server/http/route";
import { MAX_REGRESSION_BODY_BYTES, regressionRequestSchema } from "@/lib/schemas/regression";
import { compareRelease } from "@/lib/server/services/regression";

type P = { team: string; deploy: string };

// A release's first minutes against the last good releases (docs/regression.md). POST, as the
// criteria travel in the body; nothing is stored.
export const POST = authedRoute<P>("/api/v1/teams/[team]/deploys/[deploy]/regression", async ({ req, actor, params }) =>
  compareRelease(actor, params.team, params.deploy, await parseJson(req, regressionRequestSchema, MAX_REGRESSION_BODY_BYTES)),
);
