// The short version of `npm run bench`'s 10-minute mixed load (lib/bench/load.ts): pushes, gate
// calls, status reads and the dashboard at once on the embedded default, with no errors.
import fs from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { makeWorld, mixedLoad, printLoad } from "../bench/load";
import { signInViaApi, startApp, type AppProcess, tempDataDir } from "./testing/app-process";

let app: AppProcess | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  await app?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe("mixed load", () => {
  it("pushes, gate calls, status reads and pages at once for 20 s: every request answered, none failed", async () => {
    dataDir = await tempDataDir("burnrate-load-");
    app = await startApp({ DATA_DIR: dataDir, BURNRATE_ADMIN_EMAIL: "load@example.test", BURNRATE_ADMIN_PASSWORD: "load-test-password-1", LOG_LEVEL: "warn", TOKEN_RATE_LIMIT_PER_MINUTE: "100000000" });
    const cookie = await signInViaApi(app.url, "load@example.test", "load-test-password-1");
    const world = await makeWorld(app.url, cookie, "load", 10);
    const report = await mixedLoad(world, app.proc.pid!, Number(process.env.LOAD_TEST_SECONDS ?? 20), 2);
    printLoad("embedded default (test)", report);
    expect(report.errors).toEqual([]);
    expect(report.endpoints.map((e) => e.name).sort()).toEqual(["gate", "page", "push", "status"]);
    for (const e of report.endpoints) expect(e.requests, e.name).toBeGreaterThan(5);
    expect(report.memory.length).toBeGreaterThan(5);
    // What was pushed last is what is stored: the status of svc-0 counts this minute's events.
    const res = await fetch(`${app.url}/api/v1/teams/load/services/svc-0/slos/main/status`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: { total: number } }).status.total).toBeGreaterThan(0);
  });
});
