// Answers GitHub's deployment protection rule on the deployment's callback URL, authenticated as
// the team's GitHub App installation. Queued (retried with backoff) when this process runs
// jobs; sent at once otherwise. The API URL is a team admin's choice (GitHub Enterprise), so
// every request, the token's included, goes through the outbound guard; failures are told in our
// words (the queue stores them), never with GitHub's answer.
import { createAppAuth } from "@octokit/auth-app";
import { request } from "@octokit/request";
import { prisma } from "../db/client";
import { OutboundError, outboundFetch, outboundRequest, type OutboundPolicy } from "../http/outbound";
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

export class GithubCallbackError extends Error {}

/** The installation token's answer is small JSON; anything larger is not GitHub. */
const MAX_TOKEN_ANSWER_BYTES = 256 * 1024;

/** One attempt; throws on failure so the queue retries. */
export async function deliverGithubCallback(c: GithubCallback, timeoutMs = 10_000, policy: OutboundPolicy = {}): Promise<void> {
  const g = await prisma().githubIntegration.findUnique({ where: { teamId: c.teamId } });
  if (!g) return; // the integration was removed since: nobody to answer as
  const fetch = outboundFetch({ ...policy, timeoutMs, maxBytes: MAX_TOKEN_ANSWER_BYTES });
  const auth = createAppAuth({ appId: g.appId, privateKey: g.privateKey, request: request.defaults({ baseUrl: g.apiUrl, request: { fetch } }) });
  let token: string;
  try {
    ({ token } = await auth({ type: "installation", installationId: c.installationId }));
  } catch (err) {
    // @octokit/request's errors carry GitHub's message; keep only what failed.
    const cause = (err as { cause?: unknown }).cause;
    const status = (err as { status?: unknown }).status;
    if (cause instanceof OutboundError) throw new GithubCallbackError(`installation token: ${cause.message}`);
    throw new GithubCallbackError(typeof status === "number" ? `GitHub answered HTTP ${status} to the installation token request` : "the installation token request failed");
  }
  try {
    await outboundRequest(c.callbackUrl, {
      ...policy,
      method: "POST",
      headers: { authorization: `Bearer ${token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "content-type": "application/json" },
      body: JSON.stringify({ environment_name: c.environment, state: c.state, comment: c.comment }),
      timeoutMs,
      maxBytes: 0, // only the status matters
    });
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    throw new GithubCallbackError(err.kind === "status" ? `GitHub answered HTTP ${err.status} to the deployment callback` : `deployment callback: ${err.message}`);
  }
}
