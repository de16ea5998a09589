import { authedRoute, readText } from "@/lib/server/http/route";
import { MAX_OPENSLO_BYTES } from "@/lib/schemas/openslo";
import { exportOpenSlo, importOpenSlo } from "@/lib/server/services/openslo";

type P = { team: string };
const pattern = "/api/v1/teams/[team]/openslo";

export const GET = authedRoute<P>(pattern, async ({ actor, params }) =>
  new Response(await exportOpenSlo(actor, params.team), {
    headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": `attachment; filename="${params.team.replace(/[^a-z0-9-]/gi, "_")}-openslo.yaml"` },
  }),
);
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  importOpenSlo(actor, params.team, await readText(req, { accept: /^(application|text)\/(x-)?yaml\b/i, name: "application/yaml" }, MAX_OPENSLO_BYTES)),
);
