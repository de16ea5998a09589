// Backup and restore as docs/reliability.md describes them: a pg_dump of the database restored
// into an empty one, and a cold copy of the embedded default's data folder, each give the same
// SLO statuses (budgets, burn rates, alerts) as the original at the same instant.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { signInViaApi, startApp } from "./testing/app-process";
import { cleanupsAfterAll } from "./testing/cleanups";
import { createScratchDatabase, defaultExternalUrl } from "./testing/global-setup";

const run = promisify(execFile);
const admin = { BURNRATE_ADMIN_EMAIL: "root@example.test", BURNRATE_ADMIN_PASSWORD: "backup-test-password-1", AUTH_SECRET: "backup-test-secret-backup-test-secret-0123" };
const cleanups = cleanupsAfterAll();

const tempDir = () => cleanups.tempDir("burnrate-backup-");

/** Every team's SLO statuses at one instant, as the API serves them, from an app started with `env`. */
async function statusesAt(env: Record<string, string>, at: string) {
  const app = await startApp({ ...admin, BURNRATE_JOBS: "0", ...env });
  cleanups.add(app.stop);
  try {
    const cookie = await signInViaApi(app.url, admin.BURNRATE_ADMIN_EMAIL, admin.BURNRATE_ADMIN_PASSWORD);
    const teams = (await (await fetch(`${app.url}/api/v1/teams`, { headers: { cookie } })).json()) as { slug: string }[];
    const out: Record<string, unknown> = {};
    for (const { slug } of teams) {
      const res = await fetch(`${app.url}/api/v1/teams/${slug}/status?at=${encodeURIComponent(at)}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      out[slug] = await res.json();
    }
    return out;
  } finally {
    await app.stop();
  }
}

/** The demo's statuses must have data, or equality would prove nothing. */
function expectData(statuses: Record<string, unknown>) {
  const text = JSON.stringify(statuses);
  expect(Object.keys(statuses).length).toBeGreaterThanOrEqual(3);
  expect(text).toMatch(/"budget":\{"state":"ok","remaining":0\.\d+/);
  expect(text).toMatch(/"good":[1-9]/);
}

describe("backup and restore", () => {
  it("PostgreSQL: pg_dump restored into an empty database gives the same statuses", async () => {
    const source = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
    cleanups.add(source.drop);
    const target = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
    cleanups.add(target.drop);
    const at = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const before = await statusesAt({ DATABASE_URL: source.url, BURNRATE_DEMO: "1" }, at);
    expectData(before);

    const dump = path.join(await tempDir(), "burnrate.dump");
    await run("pg_dump", ["--format=custom", "--no-owner", `--file=${dump}`, source.url]);
    await run("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${target.url}`, dump]);
    await source.drop(); // the original is gone; only the restored copy answers

    expect(await statusesAt({ DATABASE_URL: target.url }, at)).toEqual(before);
  });

  it("embedded default: a copy of the stopped app's data folder gives the same statuses", async () => {
    const dataDir = await tempDir();
    const at = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const before = await statusesAt({ DATA_DIR: dataDir, BURNRATE_DEMO: "1" }, at);
    expectData(before);

    const copy = await tempDir();
    await fs.cp(dataDir, copy, { recursive: true, preserveTimestamps: true });
    await fs.rm(dataDir, { recursive: true, force: true });

    expect(await statusesAt({ DATA_DIR: copy }, at)).toEqual(before);
  });
});
