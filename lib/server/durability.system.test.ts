// "Data written is on disk when the request returns": writes acknowledged before a kill -9
// of the app (and, on the embedded default, of its PostgreSQL too) are all there after restart.
import { describe, expect, it } from "vitest";
import { embeddedDatabase, startApp, signInViaApi, type AppProcess } from "./testing/app-process";
import { cleanupsAfterAll } from "./testing/cleanups";
import { createScratchDatabase, defaultExternalUrl } from "./testing/global-setup";

const admin = { BURNRATE_ADMIN_EMAIL: "root@example.test", BURNRATE_ADMIN_PASSWORD: "durability-test-password" };
const cleanups = cleanupsAfterAll();

const cleanDataDir = () => cleanups.tempDir("burnrate-sys-");

/** Creates teams with 8 requests in flight until `killAfter` are acknowledged, then kill -9s. */
async function writeThenKill(app: AppProcess, cookie: string, killAfter: number, kill: () => void) {
  const acked: string[] = [];
  let n = 0;
  let killed = false;
  const worker = async () => {
    while (!killed) {
      const slug = `dur-${process.pid}-${n++}`;
      try {
        const res = await fetch(`${app.url}/api/v1/teams`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie, origin: app.url },
          body: JSON.stringify({ slug, name: slug }),
        });
        if (res.status === 201) acked.push(slug);
        else if (!killed) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
      } catch (e) {
        if (!killed) throw e;
      }
      if (acked.length >= killAfter && !killed) {
        killed = true;
        kill();
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await app.exited;
  return acked;
}

async function teamSlugs(app: AppProcess) {
  const cookie = await signInViaApi(app.url, admin.BURNRATE_ADMIN_EMAIL, admin.BURNRATE_ADMIN_PASSWORD);
  const res = await fetch(`${app.url}/api/v1/teams`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return new Set(((await res.json()) as { slug: string }[]).map((t) => t.slug));
}


/** Starts the app, signs in, writes until `killAfter` acks, kills as told, restarts, returns what was lost. */
async function crashAndRecover(env: Record<string, string>, killAfter: number, kill: (first: AppProcess, postgresPid?: number) => void) {
  const first = await startApp(env);
  cleanups.add(first.stop);
  const postgresPid = env.DATA_DIR ? (await embeddedDatabase(env.DATA_DIR)).pid : undefined;
  const cookie = await signInViaApi(first.url, admin.BURNRATE_ADMIN_EMAIL, admin.BURNRATE_ADMIN_PASSWORD);
  const acked = await writeThenKill(first, cookie, killAfter, () => kill(first, postgresPid));
  const second = await startApp(env);
  cleanups.add(second.stop);
  const slugs = await teamSlugs(second);
  await second.stop();
  return { acked, lost: acked.filter((s) => !slugs.has(s)), restartOutput: second.output() };
}

describe("kill -9 loses nothing acknowledged", () => {
  it("embedded default: app and PostgreSQL killed together", async () => {
    const dataDir = await cleanDataDir();
    const r = await crashAndRecover({ ...admin, DATA_DIR: dataDir }, 150, (first, postgresPid) => {
      first.proc.kill("SIGKILL");
      process.kill(postgresPid!, "SIGKILL");
    });
    expect(r.acked.length).toBeGreaterThanOrEqual(150);
    expect(r.lost).toEqual([]);
  });

  it("embedded default: app killed, its orphaned PostgreSQL is stopped cleanly on restart", async () => {
    const dataDir = await cleanDataDir();
    let orphan = 0;
    const r = await crashAndRecover({ ...admin, DATA_DIR: dataDir }, 60, (first, postgresPid) => {
      orphan = postgresPid!;
      first.proc.kill("SIGKILL");
    });
    expect(r.restartOutput).toContain(`stopping PostgreSQL (pid ${orphan}) left running by a previous instance`);
    expect(r.lost).toEqual([]);
  });

  it("external PostgreSQL (TEST_DATABASE_URL)", async () => {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
    cleanups.add(scratch.drop);
    const env = { ...admin, DATABASE_URL: scratch.url, AUTH_SECRET: "durability-secret-durability-secret-01" };
    const r = await crashAndRecover(env, 150, (first) => first.proc.kill("SIGKILL"));
    expect(r.acked.length).toBeGreaterThanOrEqual(150);
    expect(r.lost).toEqual([]);
  });
});
