// Faults: PostgreSQL restarted under load (a private PostgreSQL 15 server this test starts and
// stops), and the embedded default's disk filling up (a small tmpfs this test mounts). In both
// the app says what is wrong, recovers on its own, and loses no acknowledged write.
import { execFileSync, spawnSync } from "node:child_process";
import { statfsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { embeddedDatabase, freePort, signInViaApi, startApp, type AppProcess } from "./testing/app-process";
import { cleanupsAfterAll } from "./testing/cleanups";

const cleanups = cleanupsAfterAll();
const json = { "content-type": "application/json" };
const MIN = 60_000;
const admin = { BURNRATE_ADMIN_EMAIL: "root@example.test", BURNRATE_ADMIN_PASSWORD: "faults-test-password-1" };

/** PostgreSQL 15's own binaries (Debian's layout), run as the postgres user when we are root. */
const PG_BIN = "/usr/lib/postgresql/15/bin";
const asPostgres = (cmd: string, args: string[]) => {
  const root = process.getuid?.() === 0;
  const r = spawnSync(root ? "runuser" : cmd, root ? ["-u", "postgres", "--", cmd, ...args] : args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.stdout}`);
};

async function privatePostgres() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "burnrate-pg-"));
  cleanups.add(() => fs.rm(dir, { recursive: true, force: true }));
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:", dir]);
  const port = await freePort();
  asPostgres(`${PG_BIN}/initdb`, ["-D", `${dir}/data`, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const pgctl = (...args: string[]) => asPostgres(`${PG_BIN}/pg_ctl`, ["-D", `${dir}/data`, "-l", `${dir}/log`, "-w", ...args]);
  const start = () => pgctl("-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "start");
  start();
  cleanups.add(() => pgctl("-m", "immediate", "stop"));
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, start, stop: () => pgctl("-m", "fast", "stop") };
}

/** Pushes unique minute buckets from 4 workers until `stop()`, remembering every acknowledged one. */
function pushLoad(app: AppProcess, token: string) {
  const acked = new Map<string, number>(); // minute ISO -> total
  const statuses = new Map<number, number>();
  const samples = new Map<number, string>(); // status -> the first answer with it
  let running = true;
  let n = 0;
  const base = Math.floor(Date.now() / MIN) * MIN - 90 * 24 * 60 * MIN; // room for 12,960 pushes inside the 100-day retention
  const worker = async () => {
    while (running) {
      const k = n++;
      const items = Array.from({ length: 10 }, (_, i) => ({ sli: "api/avail", minute: new Date(base + (k * 10 + i) * MIN).toISOString(), good: k, total: k + i + 1 }));
      try {
        const r = await fetch(`${app.url}/api/v1/ingest`, { method: "POST", headers: { ...json, authorization: `Bearer ${token}` }, body: JSON.stringify({ items }), signal: AbortSignal.timeout(20_000) });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        const text = await r.text();
        if (!samples.has(r.status)) samples.set(r.status, text.slice(0, 300));
        if (r.status === 200 && text.includes('"rejected":[]')) for (const it of items) acked.set(it.minute, it.total);
      } catch {
        statuses.set(0, (statuses.get(0) ?? 0) + 1);
      }
    }
  };
  const done = Promise.all(Array.from({ length: 4 }, worker));
  return { acked, statuses, samples, stop: async () => ((running = false), await done) };
}

async function setUp(app: AppProcess) {
  const cookie = await signInViaApi(app.url, admin.BURNRATE_ADMIN_EMAIL, admin.BURNRATE_ADMIN_PASSWORD);
  const post = async (p: string, body: unknown) => {
    const r = await fetch(`${app.url}${p}`, { method: "POST", headers: { ...json, cookie, origin: app.url }, body: JSON.stringify(body) });
    expect(r.status, p).toBeLessThan(300);
    return (await r.json()) as Record<string, unknown>;
  };
  await post("/api/v1/teams", { slug: "alpha", name: "Alpha" });
  await post("/api/v1/teams/alpha/services", { slug: "api", name: "API" });
  await post("/api/v1/teams/alpha/services/api/slis", { slug: "avail", name: "Availability", kind: "request_ratio" });
  return (await post("/api/v1/teams/alpha/tokens", { name: "ingest", scopes: ["ingest"] })).secret as string;
}

/** The stored buckets of the one SLI, minute ISO -> total, straight from the database. */
async function stored(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ minute: Date; total: string }>("SELECT minute, total FROM sli_buckets");
    return new Map(rows.map((r) => [r.minute.toISOString(), Number(r.total)]));
  } finally {
    await c.end();
  }
}

const lost = (acked: Map<string, number>, have: Map<string, number>) => [...acked].filter(([m, total]) => have.get(m) !== total);

describe("faults", () => {
  it("PostgreSQL restarted under load: not ready while it is away, 503s not 500s, back on its own, nothing acknowledged lost", async () => {
    const server = await privatePostgres();
    const app = await startApp({ ...admin, DATABASE_URL: server.url, AUTH_SECRET: "faults-secret-faults-secret-faults-0123", LOG_LEVEL: "warn", TOKEN_RATE_LIMIT_PER_MINUTE: "100000000" });
    cleanups.add(app.stop);
    const token = await setUp(app);
    const load = pushLoad(app, token);
    await new Promise((r) => setTimeout(r, 2_000));
    server.stop();
    // Away for 4 s: readiness says so.
    const readiness: number[] = [];
    for (let i = 0; i < 8; i++) {
      readiness.push((await fetch(`${app.url}/api/ready`)).status);
      await new Promise((r) => setTimeout(r, 500));
    }
    server.start();
    const deadline = Date.now() + 60_000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      ready = (await fetch(`${app.url}/api/ready`)).status === 200;
      if (!ready) await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 2_000)); // pushes succeed again
    await load.stop();

    expect(readiness).toContain(503);
    expect(ready).toBe(true);
    expect([...load.samples].filter(([s]) => s !== 200 && s !== 503)).toEqual([]);
    expect(load.statuses.get(0) ?? 0).toBe(0);
    expect(load.statuses.get(503)).toBeGreaterThan(0);
    expect(load.acked.size).toBeGreaterThan(100);
    expect(lost(load.acked, await stored(server.url))).toEqual([]);
    expect(app.proc.exitCode).toBeNull();
  }, 180_000);

  it("embedded default, disk full: writes refused with a clear error, nothing corrupted or lost once space is freed", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "burnrate-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=160m,mode=0755", "tmpfs", dataDir]);
    cleanups.add(() => {
      spawnSync("umount", ["-l", dataDir]);
      return fs.rm(dataDir, { recursive: true, force: true });
    });
    const env = { ...admin, DATA_DIR: dataDir, LOG_LEVEL: "warn", TOKEN_RATE_LIMIT_PER_MINUTE: "100000000" };
    let app = await startApp(env);
    cleanups.add(() => app.stop());
    const token = await setUp(app);
    // Leave 2 MB: the next few thousand buckets (and their WAL) do not fit.
    const { bavail, bsize } = statfsSync(dataDir);
    const filler = path.join(dataDir, "filler");
    execFileSync("fallocate", ["-l", String(Math.max(0, bavail * bsize - 2 * 1024 * 1024)), filler]);
    const load = pushLoad(app, token);
    const deadline = Date.now() + 60_000;
    while (!load.statuses.has(507) && !load.statuses.has(503) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1_000));
    await load.stop();
    const refusals = [...load.statuses.keys()].filter((x) => x !== 200);
    expect(refusals.length).toBeGreaterThan(0);
    const unhandled = app.output().split("\n").filter((l) => l.includes("unhandled error")).slice(0, 3).join("\n");
    expect(refusals.filter((x) => x !== 507 && x !== 503), `${JSON.stringify([...load.samples])}\n${unhandled}`).toEqual([]);
    expect(app.output()).toMatch(/disk is full|No space left on device/);

    // Space freed; a restart (PostgreSQL may have stopped itself to protect its data) finds every acknowledged bucket.
    await fs.rm(filler);
    await app.stop();
    app = await startApp(env);
    expect(lost(load.acked, await stored((await embeddedDatabase(dataDir)).url))).toEqual([]);
    expect(load.acked.size).toBeGreaterThan(0);
    // And it takes writes again.
    const r = await fetch(`${app.url}/api/v1/ingest`, { method: "POST", headers: { ...json, authorization: `Bearer ${token}` }, body: JSON.stringify({ items: [{ sli: "api/avail", minute: new Date(Math.floor(Date.now() / MIN) * MIN - MIN).toISOString(), good: 1, total: 1 }] }) });
    expect(r.status).toBe(200);
  }, 240_000);

  it("kill -9 of the app and its PostgreSQL during ingestion and postmortem saves: every acknowledged write is there, none half-written", async () => {
    const dataDir = await cleanups.tempDir("burnrate-kill-");
    const env = { ...admin, DATA_DIR: dataDir, LOG_LEVEL: "warn", TOKEN_RATE_LIMIT_PER_MINUTE: "100000000" };
    const app = await startApp(env);
    cleanups.add(() => app.stop());
    const token = await setUp(app);
    const cookie = await signInViaApi(app.url, admin.BURNRATE_ADMIN_EMAIL, admin.BURNRATE_ADMIN_PASSWORD);
    const session = { ...json, cookie, origin: app.url };
    const pm = (await (await fetch(`${app.url}/api/v1/teams/alpha/postmortems`, { method: "POST", headers: session, body: JSON.stringify({ title: "Save 0" }) })).json()) as { id: string; revision: number };

    // Saves one after another, each a title and two sections written together.
    let lastAcked = { revision: pm.revision, title: "Save 0" };
    let saving = true;
    const saver = (async () => {
      for (let i = 1; saving; i++) {
        const body = { revision: lastAcked.revision, title: `Save ${i}`, sections: [{ key: "summary", title: "Summary", body: `summary ${i}` }, { key: "impact", title: "Impact", body: `impact ${i}` }] };
        try {
          const r = await fetch(`${app.url}/api/v1/postmortems/${pm.id}`, { method: "PATCH", headers: session, body: JSON.stringify(body) });
          if (r.status === 200) lastAcked = { revision: ((await r.json()) as { revision: number }).revision, title: body.title };
        } catch {
          return; // killed
        }
      }
    })();
    const load = pushLoad(app, token);
    await new Promise((r) => setTimeout(r, 3_000));
    const postgresPid = (await embeddedDatabase(dataDir)).pid;
    app.proc.kill("SIGKILL");
    process.kill(postgresPid, "SIGKILL");
    saving = false;
    await load.stop();
    await saver;
    await app.exited;
    expect(load.acked.size).toBeGreaterThan(50);
    expect(lastAcked.revision).toBeGreaterThan(pm.revision + 3);

    const again = await startApp(env);
    cleanups.add(() => again.stop());
    expect(lost(load.acked, await stored((await embeddedDatabase(dataDir)).url))).toEqual([]);
    const cookie2 = await signInViaApi(again.url, admin.BURNRATE_ADMIN_EMAIL, admin.BURNRATE_ADMIN_PASSWORD);
    const saved = (await (await fetch(`${again.url}/api/v1/postmortems/${pm.id}`, { headers: { cookie: cookie2 } })).json()) as { revision: number; title: string; sections: { key: string; body: string }[] };
    // The last acknowledged save, or the one in flight when the kill came: never a mix of two.
    expect(saved.revision).toBeGreaterThanOrEqual(lastAcked.revision);
    expect(saved.revision).toBeLessThanOrEqual(lastAcked.revision + 1);
    const n = saved.title.replace("Save ", "");
    expect(saved.sections.map((x) => x.body)).toEqual([`summary ${n}`, `impact ${n}`]);
    if (saved.revision === lastAcked.revision) expect(saved.title).toBe(lastAcked.title);
  }, 180_000);
});
