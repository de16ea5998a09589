// Faults on the link between the app and PostgreSQL, through a fault-injecting TCP proxy
// (testing/fault-proxy.ts): a 30-second black-hole partition, 200 ms of latency per round trip,
// and connection resets mid-transaction. One app on one scratch database runs the experiments
// in turn under pushes, gate calls and page loads; after each, every acknowledged write is
// there, no batch is stored in part, and the rollups equal the sums of their minutes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { EVALUATE_QUEUE } from "./jobs/runner";
import { startApp, type AppProcess } from "./testing/app-process";
import { cleanupsAfterAll } from "./testing/cleanups";
import { faultLoad, lostWrites, partialBatches, rollupMismatches, setUpWorld, storedBuckets, timeUntil, type Answer, type World } from "./testing/fault-load";
import { startFaultProxy, type FaultProxy } from "./testing/fault-proxy";
import { createScratchDatabase, defaultExternalUrl } from "./testing/global-setup";

const cleanups = cleanupsAfterAll();
const admin = { email: "root@example.test", password: "network-faults-password-1" };
/** The app's bounds (the defaults of DB_CONNECT_TIMEOUT_MS and DB_QUERY_TIMEOUT_MS): a stalled statement is given up 1 s after the query bound. */
const CONNECT_MS = 5_000;
const QUERY_MS = 10_000;
/** The longest any answer may take while the database is away: the query bound, its 1 s grace, and 2 s for the rest of the request on a loaded 2-core machine. */
const ANSWER_BOUND_MS = QUERY_MS + 1_000 + 2_000;

let app: AppProcess;
let proxy: FaultProxy;
let directUrl: string;
let world: World;
let healedAt = 0;

beforeAll(async () => {
  const db = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
  cleanups.add(db.drop);
  directUrl = db.url;
  proxy = await startFaultProxy(db.url);
  cleanups.add(proxy.close);
  app = await startApp({
    DATABASE_URL: proxy.url,
    AUTH_SECRET: "network-faults-secret-network-faults-01",
    BURNRATE_ADMIN_EMAIL: admin.email,
    BURNRATE_ADMIN_PASSWORD: admin.password,
    LOG_LEVEL: "warn",
    TOKEN_RATE_LIMIT_PER_MINUTE: "100000000",
  });
  cleanups.add(app.stop);
  world = await setUpWorld(app, admin);
}, 180_000);
afterAll(() => expect(app.proc.exitCode).toBeNull());

/** What every experiment ends with: nothing acknowledged lost, no batch in part, rollups equal to their minutes. */
async function expectIntact(load: ReturnType<typeof faultLoad>) {
  const have = await storedBuckets(directUrl);
  expect(load.acked.size).toBeGreaterThan(0);
  expect(lostWrites(load.acked, have)).toEqual([]);
  expect(partialBatches(load.sent, have)).toEqual([]);
  expect(await rollupMismatches(directUrl)).toEqual([]);
}

const unexpected = (answers: Answer[]) => answers.filter((a) => a.status !== 200 && !(a.status === 503 && a.retryAfter));
const slowest = (answers: Answer[]) => Math.max(...answers.map((a) => a.ms));
const ready = async () => (await fetch(`${app.url}/api/ready`, { signal: AbortSignal.timeout(3_000) })).status === 200;
const pushOk = async () =>
  (await fetch(`${app.url}/api/v1/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${world.token}` },
    body: JSON.stringify({ items: [{ sli: "api/avail", minute: new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString(), good: 1, total: 1 }] }),
    signal: AbortSignal.timeout(ANSWER_BOUND_MS),
  })).status === 200;

describe("the link to PostgreSQL", () => {
  it("black-holed for 30 s: every request answers 503 with Retry-After within the bound, readiness says so, the app is back within seconds of healing, nothing acknowledged lost", async () => {
    const load = faultLoad(app, world, { pushers: 2, gaters: 2, pagers: 1, region: 0 });
    await new Promise((r) => setTimeout(r, 3_000));
    proxy.blackHole();
    const cutAt = Date.now();
    const readiness: { status: number; ms: number }[] = [];
    while (Date.now() - cutAt < 30_000) {
      const t = performance.now();
      const status = await fetch(`${app.url}/api/ready`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, () => 0);
      readiness.push({ status, ms: performance.now() - t });
      await new Promise((r) => setTimeout(r, 1_000));
    }
    proxy.heal();
    healedAt = Date.now();
    const readyAfterMs = await timeUntil(ready, 30_000);
    const pushAfterMs = await timeUntil(pushOk, 30_000);
    await new Promise((r) => setTimeout(r, 2_000));
    await load.stop();
    console.log(`black hole 30 s: ready again ${Math.round(readyAfterMs)} ms after healing, pushes ${Math.round(pushAfterMs)} ms; slowest answer ${Math.round(slowest(load.answers))} ms; ${JSON.stringify({ push: load.statuses("push"), gate: load.statuses("gate"), page: load.statuses("page") })}`);

    // Readiness answers within its 1.5 s wait and says 503 while the link is cut.
    expect(readiness.length).toBeGreaterThan(8);
    expect(readiness.filter((r) => r.status !== 503)).toEqual([]);
    expect(Math.max(...readiness.map((r) => r.ms))).toBeLessThan(3_000);
    // Every answer is a success or a 503 with Retry-After, none later than the bound, none left hanging.
    expect(unexpected(load.answers)).toEqual([]);
    expect(slowest(load.answers)).toBeLessThan(ANSWER_BOUND_MS);
    for (const kind of ["push", "gate", "page"] as const) expect(load.statuses(kind)[503], kind).toBeGreaterThan(0);
    // Back on its own within seconds; the pool holds no dead connections (requests succeed at once).
    expect(readyAfterMs).toBeLessThan(10_000);
    expect(pushAfterMs).toBeLessThan(10_000);
    const after = load.answers.filter((a) => a.at > healedAt + pushAfterMs + 1_000);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((a) => a.status !== 200)).toEqual([]);
    await expectIntact(load);
  }, 180_000);

  it("200 ms per round trip: gate answers stay within the bound or are shed with 503, pages still load, nothing errors", async () => {
    proxy.latency(200);
    const load = faultLoad(app, world, { pushers: 1, gaters: 4, pagers: 1, region: 1 });
    await new Promise((r) => setTimeout(r, 15_000));
    await load.stop();
    proxy.heal();
    const gates = load.answers.filter((a) => a.kind === "gate" && a.status === 200).map((a) => a.ms).sort((a, b) => a - b);
    const p99 = gates[Math.floor(gates.length * 0.99)] ?? NaN;
    console.log(`latency 200 ms: gate p50 ${Math.round(gates[Math.floor(gates.length / 2)] ?? NaN)} ms, p99 ${Math.round(p99)} ms; ${JSON.stringify({ push: load.statuses("push"), gate: load.statuses("gate"), page: load.statuses("page") })}`);
    expect(unexpected(load.answers)).toEqual([]);
    expect(gates.length).toBeGreaterThan(10);
    // The gate's documented bound under a slow link: an answer within DB_CONNECT_TIMEOUT_MS plus its own round trips.
    expect(slowest(load.answers.filter((a) => a.kind === "gate"))).toBeLessThan(CONNECT_MS + 5_000);
    expect(load.statuses("page")[200]).toBeGreaterThan(0);
    await expectIntact(load);
  }, 120_000);

  it("connections reset mid-transaction and mid-batch: 503s with Retry-After, no batch stored in part, rollups equal their minutes", async () => {
    const load = faultLoad(app, world, { pushers: 4, gaters: 1, region: 2 });
    const started = Date.now();
    let resets = 0;
    while (Date.now() - started < 10_000) {
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 300));
      proxy.reset();
      resets++;
    }
    const pushAfterMs = await timeUntil(pushOk, 15_000);
    await load.stop();
    console.log(`resets: ${resets} in 10 s; pushes back ${Math.round(pushAfterMs)} ms after the last; ${JSON.stringify({ push: load.statuses("push"), gate: load.statuses("gate") })}`);
    expect(unexpected(load.answers)).toEqual([]);
    expect(load.statuses("push")[503]).toBeGreaterThan(0);
    expect(pushAfterMs).toBeLessThan(5_000);
    await expectIntact(load);
  }, 120_000);

  it("the once-a-minute jobs run again after the partition healed", async () => {
    // The evaluation is queued each minute: one must complete after the link came back.
    const evaluatedAfterHealMs = await timeUntil(async () => {
      const c = new pg.Client({ connectionString: directUrl });
      await c.connect();
      try {
        const { rows } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'completed' AND completed_on > to_timestamp($2 / 1000.0)", [EVALUATE_QUEUE, healedAt]);
        return (rows[0]?.n ?? 0) > 0;
      } finally {
        await c.end();
      }
    }, 90_000);
    expect(evaluatedAfterHealMs).toBeLessThan(90_000);
  }, 120_000);
});
