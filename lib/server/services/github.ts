// GitHub custom deployment protection rules (GitHub docs: "Creating custom deployment protection
// rules"). GitHub sends a team's GitHub App a `deployment_protection_rule` webhook; Burnrate
// verifies its X-Hub-Signature-256 HMAC, asks the gate, and answers on the deployment's
// callback URL with an installation token of the App: approved or rejected, with a comment.
import { verify } from "@octokit/webhooks-methods";
import { changeTypes, githubComment, type ChangeType } from "../../domain/policy";
import { githubDeploymentRuleSchema, type PutGithubInput } from "../../schemas/gate";
import type { GithubIntegrationView } from "../../schemas/views";
import { prisma } from "../db/client";
import { getConfig } from "../config";
import { assertCallable } from "../http/outbound";
import { AppError, conflict, fieldsError, notFound } from "../errors";
import { logger } from "../logger";
import { requestGithubCallback } from "../jobs/github-callbacks";
import type { Actor } from "./actor";
import { requirePersonInTeam } from "./access";
import { writeAudit } from "./audit";
import { decideDeploy, decisionUrl } from "./gate";
import { clockNow } from "../clock";

/**
 * How old a delivery's deployment may be. GitHub redelivers a webhook on request for three days
 * (GitHub docs: "Redelivering webhooks"); a delivery older than that is a replay, refused even if
 * its deployment was never decided here (decisions do not have to be kept forever for this).
 */
export const MAX_DELIVERY_AGE_MS = 3 * 24 * 60 * 60 * 1000;
/** Clocks differ: a deployment created a little "in the future" is still this one. */
const MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000;

export const webhookUrl = (team: string) => `${getConfig().publicUrl}/api/v1/github/webhook/${team}`;

export async function getGithub(actor: Actor, team: string): Promise<GithubIntegrationView> {
  const access = await requirePersonInTeam(actor, team, "admin");
  const g = await prisma().githubIntegration.findUnique({ where: { teamId: access.teamId } });
  return {
    configured: Boolean(g),
    appId: g?.appId ?? null,
    apiUrl: g?.apiUrl ?? null,
    defaultChangeType: (g?.defaultChangeType as ChangeType | undefined) ?? null,
    webhookUrl: webhookUrl(access.slug),
    updatedAt: g?.updatedAt.toISOString() ?? null,
  };
}

/** Team admins connect their GitHub App; the private key and webhook secret are never shown again. */
export async function putGithub(actor: Actor, team: string, input: PutGithubInput): Promise<GithubIntegrationView> {
  const access = await requirePersonInTeam(actor, team, "admin");
  assertCallable(input.apiUrl, "apiUrl");
  await prisma().$transaction(async (tx) => {
    const data = { appId: input.appId, privateKey: input.privateKey, webhookSecret: input.webhookSecret, apiUrl: input.apiUrl.replace(/\/$/, ""), defaultChangeType: input.defaultChangeType };
    await tx.githubIntegration.upsert({ where: { teamId: access.teamId }, create: { teamId: access.teamId, ...data }, update: data });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "github.configure", targetType: "github_integration", targetId: access.teamId, after: { appId: data.appId, apiUrl: data.apiUrl, defaultChangeType: data.defaultChangeType } });
  });
  return getGithub(actor, team);
}

export async function deleteGithub(actor: Actor, team: string) {
  const access = await requirePersonInTeam(actor, team, "admin");
  await prisma().$transaction(async (tx) => {
    const g = await tx.githubIntegration.findUnique({ where: { teamId: access.teamId } });
    if (!g) throw notFound("GitHub integration");
    await tx.githubIntegration.delete({ where: { teamId: access.teamId } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "github.remove", targetType: "github_integration", targetId: access.teamId, before: { appId: g.appId, apiUrl: g.apiUrl } });
  });
}

export type WebhookHeaders = { event: string | null; delivery: string | null; signature: string | null };
export type WebhookAnswer = { status: number; body: unknown };

/**
 * Handles one webhook delivery. Refusals (no integration, bad or missing signature, replayed
 * delivery, malformed payload) are 4xx, logged without secrets, and decide nothing.
 */
export async function handleGithubWebhook(teamSlug: string, h: WebhookHeaders, raw: string, now = clockNow()): Promise<WebhookAnswer> {
  const team = await prisma().team.findUnique({ where: { slug: teamSlug }, select: { id: true, slug: true, github: true } });
  const log = logger().child({ team: teamSlug, github_delivery: h.delivery, github_event: h.event });
  // One answer for "no such team" and "no integration": team names do not leak.
  if (!team?.github) throw notFound(`GitHub integration of team "${teamSlug}"`);
  if (!h.signature || !(await verify(team.github.webhookSecret, raw, h.signature).catch(() => false))) {
    log.warn("GitHub webhook refused: the X-Hub-Signature-256 signature is missing or does not match");
    throw new AppError("unauthenticated", "the X-Hub-Signature-256 signature is missing or does not match the configured webhook secret");
  }
  if (h.event === "ping") return { status: 200, body: { ok: true, message: "pong" } };
  if (h.event !== "deployment_protection_rule") return { status: 202, body: { ignored: `event ${h.event ?? "(none)"} is not handled` } };
  if (!h.delivery || !/^[\w-]{1,100}$/.test(h.delivery)) throw new AppError("bad_request", "the X-GitHub-Delivery header is missing or malformed", { "X-GitHub-Delivery": "is required" });

  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError("bad_request", "the body is not valid JSON", { body: "is not valid JSON" });
  }
  const parsed = githubDeploymentRuleSchema.safeParse(json);
  if (!parsed.success) throw fieldsError("invalid", parsed.error);
  const p = parsed.data;
  if (p.action !== "requested") return { status: 202, body: { ignored: `action ${p.action} is not handled` } };
  const age = now.getTime() - Date.parse(p.deployment.created_at);
  if (age > MAX_DELIVERY_AGE_MS || age < -MAX_CLOCK_AHEAD_MS) {
    log.warn({ deployment_created_at: p.deployment.created_at }, "GitHub webhook refused: the deployment is too old (a replay) or dated in the future");
    throw new AppError("invalid", `the deployment was created at ${p.deployment.created_at}: deliveries older than 3 days (or from the future) are refused as replays`, {
      "deployment.created_at": "is more than 3 days old, or in the future",
    });
  }
  // The callback carries the App's installation token: only ever to the configured GitHub API.
  if (new URL(p.deployment_callback_url).origin !== new URL(team.github.apiUrl).origin) {
    log.warn("GitHub webhook refused: the callback URL is not on the configured GitHub API");
    throw new AppError("invalid", "deployment_callback_url is not on the configured GitHub API", { deployment_callback_url: "must be on the configured GitHub API" });
  }

  const requested = (p.deployment.payload as { change_type?: unknown } | undefined)?.change_type;
  const changeType = (changeTypes as readonly unknown[]).includes(requested) ? (requested as ChangeType) : (team.github.defaultChangeType as ChangeType);
  const sha = p.deployment.sha ?? p.sha ?? "unknown";
  let decision;
  try {
    decision = await decideDeploy({
      teamId: team.id,
      teamSlug: team.slug,
      tokenId: null,
      source: "github",
      service: { githubRepository: p.repository.full_name },
      environment: p.environment,
      version: p.ref ? `${p.ref}@${sha.slice(0, 12)}` : sha,
      commit: /^[0-9a-f]{7,64}$/i.test(sha) ? sha : null,
      changeType,
      requester: p.sender?.login ?? p.deployment.creator?.login ?? "github",
      link: null,
      // One decision per deployment review: the callback URL is signed, the delivery id is not.
      github: { deliveryId: h.delivery, callbackUrl: p.deployment_callback_url },
    });
  } catch (e) {
    if ((e as { code?: string }).code === "23505") {
      log.warn("GitHub webhook refused: this deployment review was already decided (a replay)");
      throw conflict("this deployment review (its deployment_callback_url) was already decided: a replayed delivery is refused");
    }
    throw e;
  }
  await requestGithubCallback({
    teamId: team.id,
    decisionId: decision.decisionId,
    callbackUrl: p.deployment_callback_url,
    installationId: p.installation.id,
    environment: p.environment,
    state: decision.decision === "deny" ? "rejected" : "approved",
    comment: githubComment(decision, decisionUrl(team.slug, decision.decisionId)),
  });
  return { status: 202, body: decision };
}
