// Start-up behaviour of the real app: clear errors, first-run setup, non-root operation,
// replicas starting together, logs and health endpoints.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { signInViaApi, startApp, tempDataDir } from "./testing/app-process";
import { createScratchDatabase, defaultExternalUrl } from "./testing/global-setup";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function tempDir(owner?: { uid: number; gid: number }) {
  const dir = await tempDataDir("burnrate-start-");
  if (owner) await fs.chown(dir, owner.uid, owner.gid);
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

// When the suite runs as root, "a non-root user" is nobody; otherwise it is the current user.
const nonRoot =
  process.getuid?.() === 0
    ? { uid: Number(execFileSync("id", ["-u", "nobody"]).toString()), gid: Number(execFileSync("id", ["-g", "nobody"]).toString()), name: "nobody" }
    : { uid: process.getuid!(), gid: process.getgid!(), name: os.userInfo().username };

// The non-root user must be able to read the checkout (node_modules, .next); say so plainly if not.
async function assertReadableByNonRoot() {
  const root = path.resolve(import.meta.dirname, "../..");
  try {
    execFileSync("test", ["-r", path.join(root, "package.json")], { uid: nonRoot.uid, gid: nonRoot.gid });
  } catch {
    throw new Error(`user ${nonRoot.name} cannot read ${root}: the non-root tests need a checkout outside private folders such as /root`);
  }
}

async function exitOf(env: Record<string, string>, opts = {}) {
  const app = await startApp(env, { ...opts, waitReady: false });
  cleanups.push(app.stop);
  const code = await app.exited;
  return { code, output: app.output() };
}

describe("start-up errors are clear", () => {
  it("names the bad variable", async () => {
    const r = await exitOf({ PORT: "not-a-port", DATA_DIR: await tempDir() });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/PORT: .*number/i);
  });

  it("says when the data folder is not writable", async () => {
    const blocker = path.join(await tempDir(), "a-file");
    await fs.writeFile(blocker, "");
    const r = await exitOf({ DATA_DIR: path.join(blocker, "data") });
    expect(r.code).toBe(1);
    expect(r.output).toContain(`the data folder ${path.join(blocker, "data")} is not writable`);
  });

  it("says when a non-root user cannot write the data folder", async () => {
    await assertReadableByNonRoot();
    const rootOwned = await tempDir({ uid: 0, gid: 0 });
    const r = await exitOf({ DATA_DIR: path.join(rootOwned, "data") }, { uid: nonRoot.uid, gid: nonRoot.gid });
    expect(r.code).toBe(1);
    expect(r.output).toContain(`is not writable by user ${nonRoot.name}`);
  });

  it("says when the data folder is in use by another instance", async () => {
    const dataDir = await tempDir();
    const first = await startApp({ DATA_DIR: dataDir });
    cleanups.push(first.stop);
    const r = await exitOf({ DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.output).toContain(`the data folder ${dataDir} is in use by another Burnrate instance (pid ${first.proc.pid})`);
    // The first instance is unharmed.
    expect((await fetch(`${first.url}/api/ready`)).status).toBe(200);
    await first.stop();
  });

  it("requires AUTH_SECRET with an external database", async () => {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
    cleanups.push(scratch.drop);
    const r = await exitOf({ DATABASE_URL: scratch.url });
    expect(r.code).toBe(1);
    expect(r.output).toContain("AUTH_SECRET: is required with DATABASE_URL");
  });
});

describe("first run", () => {
  it("the demo on an external database with a DATA_DIR that does not exist yet: the folder is made and holds the demo password", async () => {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
    cleanups.push(scratch.drop);
    const parent = await tempDataDir("burnrate-demo-");
    cleanups.push(() => fs.rm(parent, { recursive: true, force: true }));
    const dataDir = path.join(parent, "not", "yet");
    const app = await startApp({ DATABASE_URL: scratch.url, AUTH_SECRET: "startup-demo-secret-startup-demo-secret-0", DATA_DIR: dataDir, BURNRATE_DEMO: "true", LOG_LEVEL: "warn" });
    cleanups.push(app.stop);
    const password = (await fs.readFile(path.join(dataDir, "demo-admin-password"), "utf8")).trim();
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect((await fs.stat(path.join(dataDir, "demo-admin-password"))).mode & 0o777).toBe(0o600);
    await signInViaApi(app.url, "admin@demo.burnrate.dev", password);
  }, 120_000);

  it("runs as a non-root user, asks for the first admin, and has no default account", async () => {
    const dataDir = await tempDir({ uid: nonRoot.uid, gid: nonRoot.gid });
    const app = await startApp({ DATA_DIR: dataDir }, { uid: nonRoot.uid, gid: nonRoot.gid });
    cleanups.push(app.stop);
    const home = await fetch(`${app.url}/`, { redirect: "manual" });
    expect(home.status).toBe(307);
    expect(home.headers.get("location")).toMatch(/\/setup$/);

    const bad = await fetch(`${app.url}/api/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "A", email: "not-an-email", password: "short" }),
    });
    expect(bad.status).toBe(422);
    const badBody = (await bad.json()) as { error: { fields: Record<string, string> } };
    expect(badBody.error.fields).toEqual({ email: "Give an email address, e.g. ada@example.com", password: "Use at least 12 characters for the password" });

    const body = JSON.stringify({ name: "Ada", email: "Ada@Example.test", password: "a-long-enough-password" });
    const created = await fetch(`${app.url}/api/setup`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(created.status).toBe(201);
    const again = await fetch(`${app.url}/api/setup`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(again.status).toBe(409);

    const cookie = await signInViaApi(app.url, "ada@example.test", "a-long-enough-password");
    const me = (await (await fetch(`${app.url}/api/v1/me`, { headers: { cookie } })).json()) as { user: { isSiteAdmin: boolean } };
    expect(me.user.isSiteAdmin).toBe(true);
    await expect(signInViaApi(app.url, "ada@example.test", "wrong-password-here")).rejects.toThrow(/sign-in failed/);
    // Everything PostgreSQL wrote belongs to the non-root user.
    const stat = await fs.stat(path.join(dataDir, "postgres", "PG_VERSION"));
    expect(stat.uid).toBe(nonRoot.uid);
    await app.stop();
  });
});

describe("operations", () => {
  it("logs one JSON line per request with request id, route, status, duration and team; never secrets", async () => {
    const dataDir = await tempDir();
    const password = "log-test-password-123";
    const app = await startApp({ DATA_DIR: dataDir, BURNRATE_ADMIN_EMAIL: "ops@example.test", BURNRATE_ADMIN_PASSWORD: password });
    cleanups.push(app.stop);
    const cookie = await signInViaApi(app.url, "ops@example.test", password);
    const post = await fetch(`${app.url}/api/v1/teams`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: app.url, "x-request-id": "req-abc-123" },
      body: JSON.stringify({ slug: "sre", name: "SRE" }),
    });
    expect(post.status).toBe(201);
    expect(post.headers.get("x-request-id")).toBe("req-abc-123");
    const tokenRes = await fetch(`${app.url}/api/v1/teams/sre/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: app.url },
      body: JSON.stringify({ name: "ci", scopes: ["read"] }),
    });
    const { secret } = (await tokenRes.json()) as { secret: string };
    const read = await fetch(`${app.url}/api/v1/teams/sre`, { headers: { authorization: `Bearer ${secret}` } });
    expect(read.status).toBe(200);
    const generated = read.headers.get("x-request-id");
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    // A hostile request id is replaced, not echoed.
    const hostile = await fetch(`${app.url}/api/health`, { headers: { "x-request-id": "a\"b<script>" } });
    expect(hostile.headers.get("x-request-id")).not.toContain("<");

    await new Promise((r) => setTimeout(r, 300));
    const lines = app
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const teamLine = lines.find((l) => l.request_id === "req-abc-123");
    expect(teamLine).toMatchObject({ message: "request", service: "burnrate", level: "info", http_method: "POST", route: "/api/v1/teams", http_status: 201 });
    expect(typeof teamLine?.duration_ms).toBe("number");
    expect(String(teamLine?.timestamp)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines.find((l) => l.request_id === generated)).toMatchObject({ route: "/api/v1/teams/[team]", team: "sre", http_status: 200 });
    const all = app.output();
    for (const secretText of [password, secret, cookie.split("=")[1]!, "ops@example.test"]) expect(all).not.toContain(secretText);
    await app.stop();
  });

  it("health and readiness answer; replicas starting together apply migrations once", async () => {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
    cleanups.push(scratch.drop);
    const env = { DATABASE_URL: scratch.url, AUTH_SECRET: "replica-secret-replica-secret-replica-1" };
    const apps = await Promise.all([startApp(env), startApp(env), startApp(env)]);
    for (const a of apps) cleanups.push(a.stop);
    for (const a of apps) {
      expect(await (await fetch(`${a.url}/api/health`)).json()).toEqual({ status: "ok" });
      expect(await (await fetch(`${a.url}/api/ready`)).json()).toEqual({ ready: true, database: "ok", pendingMigrations: [] });
    }
    const folders = (await fs.readdir(path.resolve(import.meta.dirname, "../../prisma/migrations"), { withFileTypes: true })).filter((d) => d.isDirectory());
    const c = new pg.Client({ connectionString: scratch.url });
    await c.connect();
    const { rows } = await c.query<{ n: string }>("SELECT count(*) AS n FROM _prisma_migrations");
    await c.end();
    expect(Number(rows[0]!.n)).toBe(folders.length);
    await Promise.all(apps.map((a) => a.stop()));
  });
});
