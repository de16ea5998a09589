// A mixed workload against a running app, only on loopback: push ingestion, deploy-gate calls,
// status reads and the dashboard page at once, for a set time. Reports requests per second and
// p50/p99 per endpoint, every error, and the app's memory over time with its trend.
// Used by `npm run bench` (10 minutes, embedded default and PostgreSQL) and, short, by
// lib/server/load.system.test.ts.
import fs from "node:fs";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { signInViaApi, startApp, tempDataDir } from "../server/testing/app-process";
import { createScratchDatabase } from "../server/testing/global-setup";

export type World = { url: string; cookie: string; team: string; services: string[]; ingestToken: string; gateToken: string; readToken: string };
export type EndpointStats = { name: string; requests: number; perSecond: number; p50: number; p99: number; errors: number };
export type LoadReport = { seconds: number; endpoints: EndpointStats[]; errors: string[]; memory: { at: number; rssMb: number }[]; rssStartMb: number; rssEndMb: number; trendMbPerMin: number };

const json = { "content-type": "application/json" };

/** A team with `n` services, each with an SLI and an SLO, and tokens for every scope, made through the API. */
export async function makeWorld(url: string, cookie: string, team: string, n: number): Promise<World> {
  const send = async (p: string, body: unknown) => {
    const r = await fetch(`${url}${p}`, { method: "POST", headers: { ...json, cookie, origin: url }, body: JSON.stringify(body) });
    if (r.status >= 300) throw new Error(`POST ${p}: ${r.status} ${await r.text()}`);
    return (await r.json()) as Record<string, unknown>;
  };
  await send("/api/v1/teams", { slug: team, name: team });
  const services: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = `svc-${i}`;
    await send(`/api/v1/teams/${team}/services`, { slug: s, name: `Service ${i}` });
    await send(`/api/v1/teams/${team}/services/${s}/slis`, { slug: "avail", name: "Availability", kind: "request_ratio" });
    await send(`/api/v1/teams/${team}/services/${s}/slos`, { slug: "main", name: "Main", sli: "avail", objective: "99.9%", window: { kind: "rolling", days: 28 } });
    services.push(s);
  }
  const token = async (scopes: string[]) => (await send(`/api/v1/teams/${team}/tokens`, { name: `load-${scopes[0]}`, scopes })).secret as string;
  return { url, cookie, team, services, ingestToken: await token(["ingest"]), gateToken: await token(["gate"]), readToken: await token(["read"]) };
}

/** Resident memory of one process, in MB (VmRSS). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Least-squares slope of y over x. */
export function slope(points: { x: number; y: number }[]) {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

type Request = { method: string; path: string; headers: Record<string, string>; body?: string };

/**
 * Runs the mix for `seconds`: closed-loop workers (2 pushing 600-item batches, 4 calling the
 * gate, 2 reading the team's statuses, 1 loading the overview page), memory sampled every
 * `sampleSeconds` from the app's process `pid`. The node process only: PostgreSQL's cache
 * filling up is not a leak.
 */
export async function mixedLoad(w: World, pid: number, seconds: number, sampleSeconds = 5): Promise<LoadReport> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const end = performance.now() + seconds * 1000;
  const errors: string[] = [];
  const latencies = new Map<string, number[]>();
  const failures = new Map<string, number>();
  let round = 0;

  const once = (r: Request) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(`${w.url}${r.path}`, { method: r.method, headers: r.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      });
      req.setTimeout(30_000, () => req.destroy(new Error("no answer in 30 s")));
      req.on("error", reject);
      req.end(r.body);
    });

  const worker = async (name: string, next: () => Request) => {
    const list = latencies.get(name) ?? [];
    latencies.set(name, list);
    while (performance.now() < end) {
      const r = next();
      const t = performance.now();
      try {
        const { status, text } = await once(r);
        list.push(performance.now() - t);
        if (status >= 300 || (name === "push" && !text.includes('"rejected":[]'))) {
          failures.set(name, (failures.get(name) ?? 0) + 1);
          if (errors.length < 20) errors.push(`${name}: HTTP ${status} ${text.slice(0, 200)}`);
        }
      } catch (e) {
        failures.set(name, (failures.get(name) ?? 0) + 1);
        if (errors.length < 20) errors.push(`${name}: ${String(e)}`);
      }
    }
  };

  const bearer = (token: string, body?: string): Record<string, string> => ({ authorization: `Bearer ${token}`, ...(body ? { ...json, "content-length": String(Buffer.byteLength(body)) } : {}) });
  const push = (): Request => {
    // The last 20 minutes of 30 services: the same buckets again and again (the last value
    // wins), as agents re-sending and catching up do.
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const k = round++;
    const items = [];
    for (let s = 0; s < 30; s++) {
      for (let m = 0; m < 20; m++) {
        const total = 1000 + ((k + m) % 50);
        items.push({ sli: `${w.services[s % w.services.length]}/avail`, minute: new Date(now - m * 60_000).toISOString(), good: total - ((k + s) % 3), total });
      }
    }
    const body = JSON.stringify({ items });
    return { method: "POST", path: "/api/v1/ingest", headers: bearer(w.ingestToken, body), body };
  };
  const gate = (): Request => {
    const body = JSON.stringify({ service: w.services[round++ % w.services.length], environment: "production", version: `v${round}`, requester: "load" });
    return { method: "POST", path: "/api/v1/gate", headers: bearer(w.gateToken, body), body };
  };
  const status = (): Request => ({ method: "GET", path: `/api/v1/teams/${w.team}/status`, headers: bearer(w.readToken) });
  const page = (): Request => ({ method: "GET", path: "/", headers: { cookie: w.cookie } });

  const started = performance.now();
  const memory: { at: number; rssMb: number }[] = [{ at: 0, rssMb: rssMb(pid) }];
  const sampler = setInterval(() => memory.push({ at: (performance.now() - started) / 1000, rssMb: rssMb(pid) }), sampleSeconds * 1000);
  try {
    await Promise.all([
      ...Array.from({ length: 2 }, () => worker("push", push)),
      ...Array.from({ length: 4 }, () => worker("gate", gate)),
      ...Array.from({ length: 2 }, () => worker("status", status)),
      worker("page", page),
    ]);
  } finally {
    clearInterval(sampler);
    agent.destroy();
  }
  memory.push({ at: (performance.now() - started) / 1000, rssMb: rssMb(pid) });
  const elapsed = (performance.now() - started) / 1000;
  const endpoints = [...latencies].map(([name, xs]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    return { name, requests: xs.length, perSecond: xs.length / elapsed, p50: at(0.5), p99: at(0.99), errors: failures.get(name) ?? 0 };
  });
  // The trend after the first fifth (warm-up: JIT, caches, connection pools).
  const settled = memory.filter((m) => m.at >= elapsed / 5).map((m) => ({ x: m.at / 60, y: m.rssMb }));
  return { seconds: elapsed, endpoints, errors, memory, rssStartMb: settled[0]?.y ?? memory[0]!.rssMb, rssEndMb: memory.at(-1)!.rssMb, trendMbPerMin: slope(settled) };
}

export function printLoad(label: string, r: LoadReport) {
  console.log(`Mixed load, ${label}, ${Math.round(r.seconds)} s:`);
  for (const e of r.endpoints) console.log(`  ${e.name.padEnd(7)} ${e.perSecond.toFixed(1).padStart(7)} requests/s  p50 ${e.p50.toFixed(1)} ms  p99 ${e.p99.toFixed(1)} ms  errors ${e.errors} (${e.requests} requests)`);
  console.log(`  app memory (RSS of the node process): ${r.rssStartMb.toFixed(0)} MB after warm-up, ${r.rssEndMb.toFixed(0)} MB at the end, trend ${r.trendMbPerMin.toFixed(2)} MB/min`);
  if (r.errors.length) console.log(`  errors: ${r.errors.join("; ")}`);
}

/** `npm run bench`'s load part: the mix for LOAD_SECONDS (default 600) on a fresh app, embedded default then PostgreSQL. */
export async function benchLoad(serverUrl: string) {
  const seconds = Number(process.env.LOAD_SECONDS ?? 600);
  const admin = { BURNRATE_ADMIN_EMAIL: "load@example.test", BURNRATE_ADMIN_PASSWORD: "load-bench-password-1" };
  // Capacity, not limits: the per-token rate limit would cap the gate workers.
  const env = { ...admin, LOG_LEVEL: "warn", TOKEN_RATE_LIMIT_PER_MINUTE: "100000000", AUTH_SECRET: process.env.AUTH_SECRET! };
  const dataDir = await tempDataDir("burnrate-load-");
  const scratch = await createScratchDatabase(serverUrl);
  try {
    for (const [label, extra] of [["embedded default", { DATA_DIR: dataDir }], ["PostgreSQL 15", { DATABASE_URL: scratch.url }]] as const) {
      const app = await startApp({ ...env, ...extra });
      try {
        const cookie = await signInViaApi(app.url, admin.BURNRATE_ADMIN_EMAIL, admin.BURNRATE_ADMIN_PASSWORD);
        const world = await makeWorld(app.url, cookie, "load", 30);
        printLoad(label, await mixedLoad(world, app.proc.pid!, seconds, Math.max(5, seconds / 60)));
      } finally {
        await app.stop();
      }
    }
  } finally {
    await scratch.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
