// GitHub custom deployment protection rules against a local stand-in for GitHub's API (a service
// outside this machine's reach): payloads shaped as GitHub documents the
// `deployment_protection_rule` webhook, signed with X-Hub-Signature-256, answered on the
// deployment callback URL with the App's installation token.
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import http from "node:http";
import { importSPKI, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { MAX_DELIVERY_AGE_MS, deleteGithub, getGithub, handleGithubWebhook, putGithub } from "./github";
import { ingestBatch } from "./ingest";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
// The stand-ins listen on loopback, which the outbound guard refuses unless allowed (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const APP_ID = "123456";
const SECRET = "whsec-burnrate-test-0123456789";

type Callback = { path: string; auth: string; body: { environment_name: string; state: string; comment: string } };
const callbacks: Callback[] = [];
const tokenRequests: { installation: string; iss: unknown }[] = [];
let github: http.Server;
let base = "";

beforeAll(async () => {
  const key = await importSPKI(publicKey, "RS256");
  github = http.createServer(async (req, res) => {
    let text = "";
    for await (const c of req) text += c;
    const auth = req.headers.authorization ?? "";
    const tokenPath = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.url ?? "");
    if (req.method === "POST" && tokenPath) {
      // GitHub checks the App's JWT (RS256, iss = App id) before issuing an installation token.
      try {
        const { payload } = await jwtVerify(auth.replace(/^bearer /i, ""), key, { algorithms: ["RS256"] });
        tokenRequests.push({ installation: tokenPath[1]!, iss: payload.iss });
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ token: `ghs_install_${tokenPath[1]}`, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: { deployments: "write" } }));
      } catch {
        res.writeHead(401).end('{"message":"A JSON web token could not be decoded"}');
      }
      return;
    }
    if (req.method === "POST" && /\/deployment_protection_rule$/.test(req.url ?? "")) {
      if (auth !== "Bearer ghs_install_42") return res.writeHead(401).end();
      callbacks.push({ path: req.url!, auth, body: JSON.parse(text) as Callback["body"] });
      return res.writeHead(204).end();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => github.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(github.address() as { port: number }).port}`;
});
afterAll(() => github?.close());

const sign = (body: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** The webhook GitHub sends when a deployment waits on the rule (fields from GitHub's documentation). */
function payload(runId: number, over: Record<string, unknown> = {}, createdAt = new Date()) {
  const sha = "9f2c1e4b7a0d3c6e8f1a2b3c4d5e6f7a8b9c0d1e";
  const created_at = createdAt.toISOString();
  return JSON.stringify({
    action: "requested",
    environment: "production",
    event: "push",
    sha,
    ref: "refs/heads/main",
    deployment_callback_url: `${base}/repos/acme/checkout/actions/runs/${runId}/deployment_protection_rule`,
    deployment: { url: `${base}/repos/acme/checkout/deployments/1`, id: 1, sha, ref: "main", task: "deploy", payload: {}, environment: "production", creator: { login: "octocat" }, created_at, updated_at: created_at },
    pull_requests: [],
    repository: { id: 1296269, name: "checkout", full_name: "acme/checkout", private: true },
    organization: { login: "acme" },
    installation: { id: 42, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" },
    sender: { login: "octocat", type: "User" },
    ...over,
  });
}

async function setup() {
  const { team, members } = await makeTeam(["admin", "editor"]);
  await createService(members.editor, team.slug, { slug: "checkout", name: "Checkout", description: "", githubRepository: "acme/checkout" });
  await createSli(members.editor, team.slug, "checkout", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  await createSlo(members.editor, team.slug, "checkout", { slug: "main", name: "Checkout availability", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
  await putGithub(members.admin, team.slug, { appId: APP_ID, privateKey, webhookSecret: SECRET, apiUrl: base, defaultChangeType: "feature" });
  const ingest = await makeTokenActor(team.slug, members.admin, ["ingest"]);
  const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
  const setBad = (bad: number) => ingestBatch(ingest, { items: [{ sli: "checkout/ok", minute, good: 10_000 - bad, total: 10_000 }] });
  const deliver = (body: string, headers: Partial<{ event: string | null; delivery: string | null; signature: string | null }> = {}) =>
    handleGithubWebhook(team.slug, { event: "deployment_protection_rule", delivery: randomUUID(), signature: sign(body), ...headers }, body);
  return { team, members, setBad, deliver };
}

describe("GitHub deployment protection rules", () => {
  it("reject a deploy in freeze and approve one in normal, answering on the callback URL as the App installation", async () => {
    const { team, setBad, deliver } = await setup();
    await setBad(95); // 5 % left: freeze
    const denied = await deliver(payload(1001));
    expect(denied.status).toBe(202);
    expect(denied.body).toMatchObject({ decision: "deny", tier: "freeze", source: "github", service: { slug: "checkout" }, requester: "octocat", changeType: "feature", commit: "9f2c1e4b7a0d3c6e8f1a2b3c4d5e6f7a8b9c0d1e" });
    const cb = callbacks.find((c) => c.path === "/repos/acme/checkout/actions/runs/1001/deployment_protection_rule")!;
    expect(cb.body.state).toBe("rejected");
    expect(cb.body.environment_name).toBe("production");
    expect(cb.body.comment.startsWith("Burnrate: deny (tier freeze).\n- Checkout availability has 5% of its error budget left: tier freeze")).toBe(true);
    expect(cb.body.comment.length).toBeLessThanOrEqual(1024); // docs/domain.md: a comment of at most 1,024 characters
    expect(tokenRequests.at(-1)).toEqual({ installation: "42", iss: APP_ID }); // the JWT names the App

    await setBad(10); // 90 % left: normal
    await deliver(payload(1002));
    expect(callbacks.find((c) => c.path.includes("/runs/1002/"))!.body.state).toBe("approved");
    expect(await prisma().gateDecision.count({ where: { teamId: team.id, source: "github" } })).toBe(2);
  });

  it("take the change type from the deployment's payload when it names one", async () => {
    const { setBad, deliver } = await setup();
    await setBad(95);
    const r = await deliver(payload(1003, { deployment: { sha: "abc1234", payload: { change_type: "security" }, creator: { login: "octocat" }, created_at: new Date().toISOString() } }));
    expect(r.body).toMatchObject({ decision: "allow", changeType: "security" });
    expect(callbacks.find((c) => c.path.includes("/runs/1003/"))!.body.state).toBe("approved");
  });

  it("refuse a tampered, unsigned or replayed delivery, and decide nothing for it", async () => {
    const { team, deliver } = await setup();
    const body = payload(1004);
    await expect(deliver(body.replace('"production"', '"staging"'), { signature: sign(body) })).rejects.toMatchObject({ status: 401 });
    await expect(deliver(body, { signature: null })).rejects.toMatchObject({ status: 401 });
    await expect(deliver(body, { signature: sign(body, "another-secret-of-16+") })).rejects.toMatchObject({ status: 401 });
    const delivery = randomUUID();
    await deliver(body, { delivery });
    const replayed = { status: 409, message: "this deployment review (its deployment_callback_url) was already decided: a replayed delivery is refused" };
    await expect(deliver(body, { delivery })).rejects.toMatchObject(replayed);
    // X-GitHub-Delivery is not signed: a captured delivery under a fresh id is the same review.
    await expect(deliver(body, { delivery: randomUUID() })).rejects.toMatchObject(replayed);
    expect(await prisma().gateDecision.count({ where: { teamId: team.id } })).toBe(1);
    expect(callbacks.filter((c) => c.path.includes("/runs/1004/"))).toHaveLength(1);
  });

  it("refuse a delivery whose signed deployment is older than GitHub's three-day redelivery window, or from the future", async () => {
    const { team, deliver } = await setup();
    const old = payload(1009, {}, new Date(Date.now() - MAX_DELIVERY_AGE_MS - 60_000));
    await expect(deliver(old)).rejects.toMatchObject({ status: 422, fields: { "deployment.created_at": "is more than 3 days old, or in the future" } });
    await expect(deliver(payload(1010, {}, new Date(Date.now() + 3_600_000)))).rejects.toMatchObject({ status: 422 });
    await expect(deliver(payload(1011, { deployment: { sha: "abc1234" } }))).rejects.toMatchObject({ status: 422, fields: { "deployment.created_at": expect.any(String) } });
    expect(await prisma().gateDecision.count({ where: { teamId: team.id } })).toBe(0);
    // Inside the window it is decided.
    expect((await deliver(payload(1012, {}, new Date(Date.now() - MAX_DELIVERY_AGE_MS + 60_000)))).status).toBe(202);
  });

  it("refuse malformed payloads and callback URLs off the configured API; ignore other events", async () => {
    const { team, deliver } = await setup();
    await expect(deliver("{not json")).rejects.toMatchObject({ status: 400 });
    await expect(deliver(payload(1005, { deployment_callback_url: "https://attacker.example/steal" }))).rejects.toMatchObject({ status: 422, fields: { deployment_callback_url: "must be on the configured GitHub API" } });
    await expect(deliver(payload(1006, { environment: 42 }))).rejects.toMatchObject({ status: 422, fields: { environment: expect.any(String) } });
    expect(await deliver(payload(1007), { event: "ping" })).toEqual({ status: 200, body: { ok: true, message: "pong" } });
    expect((await deliver(payload(1008, { action: "completed" }))).status).toBe(202);
    expect(await prisma().gateDecision.count({ where: { teamId: team.id } })).toBe(0);
    await expect(handleGithubWebhook("no-such-team", { event: "deployment_protection_rule", delivery: "d", signature: sign("{}") }, "{}")).rejects.toMatchObject({ status: 404 });
  });

  it("is configured by team admins, who never see the key or secret again", async () => {
    const { team, members } = await setup();
    const view = await getGithub(members.admin, team.slug);
    expect(view).toMatchObject({ configured: true, appId: APP_ID, apiUrl: base, webhookUrl: expect.stringMatching(new RegExp(`/api/v1/github/webhook/${team.slug}$`)) });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(view)).not.toContain("PRIVATE KEY");
    await expect(getGithub(members.editor, team.slug)).rejects.toMatchObject({ status: 403 });
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { teamId: team.id, action: "github.configure" } });
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    await deleteGithub(members.admin, team.slug);
    expect((await getGithub(members.admin, team.slug)).configured).toBe(false);
  });
});
