// Faults: PostgreSQL restarted under load (a private PostgreSQL 15 server this test starts and
// stops), and the embedded default's disk filling up (a small tmpfs this test mounts). In both
// the app says what is wrong, recovers on its own, and loses no acknowledged write.
import { execFileSync, spawnSync } from "node:child_process";
import { statfsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { embeddedDatabase, freePort, signInViaApi, startApp } from "./testing/app-process";
import { cleanupsAfterAll } from "./testing/cleanups";
import { faultLoad, lostWrites, setUpWorld, storedBuckets } from "./testing/fault-load";

const cleanups = cleanupsAfterAll();
const json = { "content-type": "application/json" };
const MIN = 60_000;
const admin = { BURNRATE_ADMIN_EMAIL: "root@example.test", BURNRATE_ADMIN_PASSWORD: "faults-test-password-1" };
const login = { email: admin.BURNRATE_ADMIN_EMAIL, password: admin.BURNRATE_ADMIN_PASSWORD };

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

describe("faults", () => {
  it("PostgreSQL restarted under load: not ready while it is away, 503s not 500s, back on its own, nothing acknowledged lost", async () => {
    const server = await privatePostgres();
    const app = await startApp({ ...admin, DATABASE_URL: server.url, AUTH_SECRET: "faults-secret-faults-secret-faults-0123", LOG_LEVEL: "warn", TOKEN_RATE_LIMIT_PER_MINUTE: "100000000" });
    cleanups.add(app.stop);
    const w = await setUpWorld(app, login);
    const load = faultLoad(app, w);
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
    expect(load.answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    expect(load.statuses()[503]).toBeGreaterThan(0);
    expect(load.acked.size).toBeGreaterThan(100);
    expect(lostWrites(load.acked, await storedBuckets(server.url))).toEqual([]);
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
    const w = await setUpWorld(app, login);
    const { token } = w;
    // Leave 2 MB: the next few thousand buckets (and their WAL) do not fit.
    const { bavail, bsize } = statfsSync(dataDir);
    const filler = path.join(dataDir, "filler");
    execFileSync("fallocate", ["-l", String(Math.max(0, bavail * bsize - 2 * 1024 * 1024)), filler]);
    const load = faultLoad(app, w);
    const deadline = Date.now() + 60_000;
    while (!load.statuses()[507] && !load.statuses()[503] && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1_000));
    await load.stop();
    const refusals = load.answers.filter((a) => a.status !== 200);
    expect(refusals.length).toBeGreaterThan(0);
    const unhandled = app.output().split("\n").filter((l) => l.includes("unhandled error")).slice(0, 3).join("\n");
    expect(refusals.filter((a) => a.status !== 507 && a.status !== 503), unhandled).toEqual([]);
    expect(app.output()).toMatch(/disk is full|No space left on device/);

    // Space freed; a restart (PostgreSQL may have stopped itself to protect its data) finds every acknowledged bucket.
    await fs.rm(filler);
    await app.stop();
    app = await startApp(env);
    expect(lostWrites(load.acked, await storedBuckets((await embeddedDatabase(dataDir)).url))).toEqual([]);
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
    const w = await setUpWorld(app, login);
    const { cookie } = w;
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
    const load = faultLoad(app, w);
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
    expect(lostWrites(load.acked, await storedBuckets((await embeddedDatabase(dataDir)).url))).toEqual([]);
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
