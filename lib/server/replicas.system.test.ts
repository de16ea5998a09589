// Two replicas of the app on one PostgreSQL (different ports on loopback), background jobs on
// in both, and the second replica's clock ten minutes slow (libfaketime): data pushed through
// either is stored once with the right values, the gate's decisions through the other replica
// follow it within GATE_STATUS_MAX_AGE_SECONDS, and the per-minute alert evaluation sends one
// message per alert change, not one per replica. The skewed replica takes the database's time
// (lib/server/clock.ts): it takes the last ten minutes' buckets (which its own clock, past the
// 5 minutes' tolerance for a client's clock, would call future), refuses ones really more than
// 5 minutes ahead, and lets no expired override through.
import http from "node:http";
import { describe, expect, it } from "vitest";
import { signInViaApi, skewedClock, startApp, type AppProcess } from "./testing/app-process";
import { cleanupsAfterAll } from "./testing/cleanups";
import { createScratchDatabase, defaultExternalUrl } from "./testing/global-setup";

const cleanups = cleanupsAfterAll();
const json = { "content-type": "application/json" };
const MIN = 60_000;

/** A Slack-compatible webhook receiver on loopback that keeps every message. */
async function receiver() {
  const messages: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      messages.push(body);
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  cleanups.add(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${port}/hook`, messages };
}

describe("several replicas on one PostgreSQL", () => {
  it("store pushes once, agree on gate decisions, and send one message per alert change", async () => {
    const db = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
    cleanups.add(db.drop);
    const env = {
      DATABASE_URL: db.url,
      AUTH_SECRET: "replicas-secret-replicas-secret-0123456",
      BURNRATE_ADMIN_EMAIL: "root@example.test",
      BURNRATE_ADMIN_PASSWORD: "replicas-test-password-1",
      GATE_STATUS_MAX_AGE_SECONDS: "2",
      LOG_LEVEL: "warn",
    };
    const replicas: AppProcess[] = await Promise.all([startApp(env), startApp({ ...env, ...(await skewedClock("-10m")) })]);
    for (const r of replicas) cleanups.add(r.stop);
    const [a, b] = replicas as [AppProcess, AppProcess];
    const cookie = await signInViaApi(a.url, env.BURNRATE_ADMIN_EMAIL, env.BURNRATE_ADMIN_PASSWORD);
    const post = async (app: AppProcess, p: string, body: unknown, token?: string) => {
      const headers = token ? { ...json, authorization: `Bearer ${token}` } : { ...json, cookie, origin: app.url };
      const r = await fetch(`${app.url}${p}`, { method: "POST", headers, body: JSON.stringify(body) });
      expect(r.status, `${p}: ${r.status}`).toBeLessThan(300);
      return (await r.json()) as Record<string, unknown>;
    };
    const hook = await receiver();
    await post(a, "/api/v1/teams", { slug: "alpha", name: "Alpha" });
    await post(a, "/api/v1/teams/alpha/services", { slug: "api", name: "API" });
    await post(b, "/api/v1/teams/alpha/services/api/slis", { slug: "avail", name: "Availability", kind: "request_ratio" });
    await post(a, "/api/v1/teams/alpha/services/api/slos", { slug: "main", name: "Main SLO", sli: "avail", objective: "99.9%", window: { kind: "rolling", days: 28 } });
    await post(b, "/api/v1/teams/alpha/notification-channels", { name: "ops", kind: "slack", url: hook.url });
    const ingest = (await post(a, "/api/v1/teams/alpha/tokens", { name: "ingest", scopes: ["ingest"] })).secret as string;
    const gate = (await post(a, "/api/v1/teams/alpha/tokens", { name: "gate", scopes: ["gate"] })).secret as string;
    const decide = async (app: AppProcess) => (await post(app, "/api/v1/gate", { service: "api", environment: "production", version: "1", requester: "ci" }, gate)).decision;

    // Healthy data first, through both replicas: the gate allows on both.
    const now = Math.floor(Date.now() / MIN) * MIN;
    const minute = (m: number) => new Date(now - (m + 1) * MIN).toISOString();
    const good = Array.from({ length: 120 }, (_, m) => ({ sli: "api/avail", minute: minute(m), good: 1000, total: 1000 }));
    await Promise.all([post(a, "/api/v1/ingest", { items: good.filter((_, m) => m % 2 === 0) }, ingest), post(b, "/api/v1/ingest", { items: good.filter((_, m) => m % 2 === 1) }, ingest)]);
    expect([await decide(a), await decide(b)]).toEqual(["allow", "allow"]);

    // An outage pushed through A only, the last 60 minutes again with half the requests failing,
    // sent twice at once through both replicas (a retrying agent): the last value wins, once.
    const bad = Array.from({ length: 60 }, (_, m) => ({ sli: "api/avail", minute: minute(m), good: 500, total: 1000 }));
    await Promise.all([post(a, "/api/v1/ingest", { items: bad }, ingest), post(b, "/api/v1/ingest", { items: bad }, ingest)]);
    const status = async (app: AppProcess) => {
      const r = await fetch(`${app.url}/api/v1/teams/alpha/services/api/slos/main/status`, { headers: { cookie } });
      return ((await r.json()) as { status: { good: number; total: number } }).status;
    };
    expect(await status(a)).toMatchObject({ good: 60 * 500 + 60 * 1000, total: 120 * 1000 });
    expect(await status(b)).toMatchObject({ good: 60 * 500 + 60 * 1000, total: 120 * 1000 });
    // B's gate reuses statuses for at most 2 s here: after that it sees A's data and denies, as A does.
    await new Promise((r) => setTimeout(r, 2_500));
    expect([await decide(a), await decide(b)]).toEqual(["deny", "deny"]);
    const log = await fetch(`${b.url}/api/v1/teams/alpha/decisions?limit=200`, { headers: { cookie } });
    expect(((await log.json()) as { decisions: unknown[] }).decisions).toHaveLength(4);
    // B said when it started that its clock is off and that it keeps the database's time.
    expect(b.output()).toMatch(/clock differs from the database's/);

    // B's clock is ten minutes slow. Above, it took the last ten minutes (its totals match A's);
    // here it takes a minute 4 minutes ahead (inside the tolerance) and refuses one 8 minutes ahead.
    const ahead = await fetch(`${b.url}/api/v1/ingest`, { method: "POST", headers: { ...json, authorization: `Bearer ${ingest}` }, body: JSON.stringify({ items: [4, 8].map((m) => ({ sli: "api/avail", minute: new Date(now + m * MIN).toISOString(), good: 1, total: 1 })) }) });
    expect((await ahead.json()) as unknown).toMatchObject({ accepted: 1, rejected: [{ index: 1, field: "minute" }] });

    // An override for 20 s lets deploys through on both replicas; once it has expired by the
    // database's clock, B (whose own clock says it has ten minutes left) denies too.
    const expiresAt = new Date(Date.now() + 20_000).toISOString();
    await post(b, "/api/v1/teams/alpha/overrides", { service: "api", environment: "production", reason: "hotfix", approvedBy: "sre lead", escalatedTo: "head of engineering", expiresAt });
    await new Promise((r) => setTimeout(r, 2_500));
    expect([await decide(a), await decide(b)]).toEqual(["allow", "allow"]);
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 1_000));
    expect([await decide(a), await decide(b)]).toEqual(["deny", "deny"]);

    // The page alert: each replica runs the per-minute evaluation; one message for the change.
    const pages = () => hook.messages.filter((m) => m.includes("Main SLO") && !m.includes("Deploy gate"));
    const tierChanges = () => hook.messages.filter((m) => m.includes("Deploy gate"));
    // Up to four evaluator minutes: on a loaded 2-core machine the first may be missed. The
    // outage goes on meanwhile, as an agent would push it: without fresh minutes the 5-minute
    // short window would empty after a few minutes and (rightly) never page.
    const deadline = Date.now() + 240_000;
    const outageGoesOn = async () => {
      const latest = Math.floor(Date.now() / MIN) * MIN;
      const items = [0, 1, 2].map((m) => ({ sli: "api/avail", minute: new Date(latest - m * MIN).toISOString(), good: 500, total: 1000 }));
      await post(a, "/api/v1/ingest", { items }, ingest);
    };
    for (let i = 0; pages().length === 0 && Date.now() < deadline; i++) {
      if (i % 15 === 0) await outageGoesOn();
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(pages()).toHaveLength(1);
    // Another minute: both replicas tick again, and the unchanged state sends nothing.
    await new Promise((r) => setTimeout(r, 65_000));
    expect(pages()).toHaveLength(1);
    // A service's first tier is recorded silently; a change after it is told once.
    expect(tierChanges().length).toBeLessThanOrEqual(1);
  }, 420_000);
});

describe("no notification lost", () => {
  it("a replica with jobs off writes its messages to the outbox; the replica that runs jobs delivers them", async () => {
    const db = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
    cleanups.add(db.drop);
    const env = {
      DATABASE_URL: db.url,
      AUTH_SECRET: "outbox-secret-outbox-secret-outbox-0123",
      BURNRATE_ADMIN_EMAIL: "root@example.test",
      BURNRATE_ADMIN_PASSWORD: "outbox-test-password-1",
      LOG_LEVEL: "warn",
    };
    // A takes every change and runs no jobs; B runs them.
    const a = await startApp({ ...env, BURNRATE_JOBS: "false" });
    cleanups.add(a.stop);
    const cookie = await signInViaApi(a.url, env.BURNRATE_ADMIN_EMAIL, env.BURNRATE_ADMIN_PASSWORD);
    const post = async (p: string, body: unknown) => {
      const r = await fetch(`${a.url}${p}`, { method: "POST", headers: { ...json, cookie, origin: a.url }, body: JSON.stringify(body) });
      expect(r.status, `${p}: ${r.status}`).toBeLessThan(300);
      return (await r.json()) as Record<string, unknown>;
    };
    const hook = await receiver();
    await post("/api/v1/teams", { slug: "beta", name: "Beta" });
    await post("/api/v1/teams/beta/services", { slug: "web", name: "Web" });
    await post("/api/v1/teams/beta/notification-channels", { name: "ops", kind: "slack", url: hook.url });
    await post("/api/v1/teams/beta/overrides", { service: "web", reason: "hotfix agreed", approvedBy: "Dana", expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await post("/api/v1/teams/beta/freezes", { reason: "release weekend", startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    // Nothing is delivered while no replica runs jobs, and nothing is lost: the messages wait.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(hook.messages).toEqual([]);
    const b = await startApp(env);
    cleanups.add(b.stop);
    const deadline = Date.now() + 60_000;
    while (hook.messages.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(hook.messages.map((m) => (JSON.parse(m) as { text: string }).text.split(" for ")[0]).sort()).toEqual(["Deploy freeze declared", "Deploy gate override granted"]);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(hook.messages).toHaveLength(2); // once each
  }, 240_000);
});
