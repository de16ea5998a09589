import { authedRoute, created, parseJson, parseQuery } from "@/lib/server/http/route";
import { analysisQuerySchema, createAnalysisSchema, MAX_ANALYSIS_BYTES } from "@/lib/schemas/analysis";
import { listAnalyses, startAnalysis } from "@/lib/server/services/analyses";

type P = { team: string };
export const GET = authedRoute<P>("/api/v1/teams/[team]/analyses", ({ req, actor, params }) => listAnalyses(actor, params.team, parseQuery(req, analysisQuerySchema)));
export const POST = authedRoute<P>("/api/v1/teams/[team]/analyses", async ({ req, actor, params }) =>
  created(await startAnalysis(actor, params.team, await parseJson(req, createAnalysisSchema, MAX_ANALYSIS_BYTES))),
);
