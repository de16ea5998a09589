import { authedRoute } from "@/lib/server/http/route";
import { exportPostmortem } from "@/lib/server/services/postmortems";

type P = { postmortem: string };
export const GET = authedRoute<P>("/api/v1/postmortems/[postmortem]/export", async ({ actor, params }) => {
  const { filename, markdown } = await exportPostmortem(actor, params.postmortem);
  return new Response(markdown, { headers: { "content-type": "text/markdown; charset=utf-8", "content-disposition": `attachment; filename="${filename}"` } });
});
