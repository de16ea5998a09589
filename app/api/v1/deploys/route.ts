import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { MAX_DEPLOY_BYTES, recordDeploySchema } from "@/lib/schemas/deploys";
import { recordDeploy } from "@/lib/server/services/deploys";

// 201 with the new record; a retried report gets the first record back with 200 (docs/deploys.md).
export const POST = authedRoute("/api/v1/deploys", async ({ req, actor }) => {
  const { created: isNew, deploy } = await recordDeploy(actor, await parseJson(req, recordDeploySchema, MAX_DEPLOY_BYTES), /^burnrate-cli\//.test(req.headers.get("user-agent") ?? "") ? "cli" : "api");
  return isNew ? created(deploy) : deploy;
});
