// Answers GitHub's deployment protection rule on the deployment's callback URL, authenticated as
// the team's GitHub App installation. Queued (retried with backoff) when this process runs
// jobs; sent at once otherwise.
import { createAppAuth } from "@octokit/auth-app";
import { request } from "@octokit/request";
import { prisma } from "../db/client";
import { logger } from "../logger";
import { processGlobal } from "../process-global";

export type GithubCallback = {
  teamId: string;
  decisionId: string;
  callbackUrl: string;
  installationId: number;
  environment: string;
  state: "approved" | "rejected";
  comment: string;
};

type Enqueuer = (c: GithubCallback) => Promise<void>;
// Registered by the job runner in the launcher, used from Next's bundles: one per process.
const hook = processGlobal("githubCallbackEnqueuer", () => ({ fn: null as Enqueuer | null }));

export function setGithubCallbackEnqueuer(fn: Enqueuer | null) {
  hook.fn = fn;
}

export async function requestGithubCallback(c: GithubCallback): Promise<void> {
  if (hook.fn) {
    try {
      return await hook.fn(c);
    } catch (err) {
      logger().warn({ err, decision_id: c.decisionId }, "could not queue the GitHub callback; sending it now");
    }
  }
  await deliverGithubCallback(c).catch((err: unknown) => logger().error({ err, decision_id: c.decisionId }, "GitHub deployment callback failed"));
}

/** One attempt; throws on failure so the queue retries. */
export async function deliverGithubCallback(c: GithubCallback, timeoutMs = 10_000): Promise<void> {
  const g = await prisma().githubIntegration.findUnique({ where: { teamId: c.teamId } });
  if (!g) return; // the integration was removed since: nobody to answer as
  const auth = createAppAuth({ appId: g.appId, privateKey: g.privateKey, request: request.defaults({ baseUrl: g.apiUrl }) });
  const { token } = await auth({ type: "installation", installationId: c.installationId });
  const res = await fetch(c.callbackUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "content-type": "application/json" },
    body: JSON.stringify({ environment_name: c.environment, state: c.state, comment: c.comment }),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "error",
  });
  if (!res.ok) throw new Error(`GitHub answered HTTP ${res.status} to the deployment callback`);
}
