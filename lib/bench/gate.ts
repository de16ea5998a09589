// The deploy gate part of `npm run bench`: POST /api/v1/gate at a fixed 200 requests/s on
// loopback, next to a trivial route of the same app at the same rate, in the same run. Reports
// latency percentiles and the app process's CPU time per request (from /proc), and the ratios.
//
// The load is open-loop: one request every 5 ms whatever the answers, over keep-alive
// connections, and each latency counts from the request's scheduled time, so a slow answer
// delays the ones behind it in the figures too (no coordinated omission). autocannon was tried
// first: its per-connection rate fires all connections in bursts and reports whole milliseconds.
// Each measured round is sent by a process of its own (load-generator.ts), so no pause of the
// bench's own process is counted as the app's.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import readline from "node:readline";

export const RATE = 200;
const SECONDS = Number(process.env.BENCH_GATE_SECONDS ?? 10);
/** Rounds per route, interleaved so that the machine's noise (2 cores shared with PostgreSQL and the load) falls on all of them. */
const ROUNDS = 3;

type ProcStat = { pid: number; ppid: number; cpu: number };

function procStats(): ProcStat[] {
  const ticks = 100; // USER_HZ on Linux
  return fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      return [{ pid: Number(pid), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / ticks }];
    } catch {
      return [];
    }
  });
}

/** CPU seconds (user + system) of a process and its descendants, from /proc. */
export function treeCpuSeconds(root: number): number {
  return treeOf(root, procStats()).reduce((a, s) => a + s.cpu, 0);
}

/**
 * CPU seconds of each of PostgreSQL's processes under `postmaster`, split into the backends
 * serving connections to `database` and everything else (autovacuum, checkpointer, WAL writer,
 * other databases' connections), by each process's title ("postgres: user database host ...").
 */
export function postgresCpu(postmaster: number, database: string): Map<number, { serving: boolean; cpu: number }> {
  const out = new Map<number, { serving: boolean; cpu: number }>();
  for (const s of treeOf(postmaster, procStats())) {
    let title = "";
    try {
      title = fs.readFileSync(`/proc/${s.pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      continue; // ended meanwhile
    }
    // "postgres: [cluster: ]user database host(port) state", e.g. "postgres: 15/main: postgres bench 127.0.0.1(5000) idle".
    const db = /^postgres: (?:\S+: )?\S+ (\S+) \S+\(\d+\)/.exec(title)?.[1];
    out.set(s.pid, { serving: db === database, cpu: s.cpu });
  }
  return out;
}

/** CPU used between two postgresCpu samples: per process, so a connection closed meanwhile is left out (never negative) rather than subtracted. */
function postgresCpuBetween(before: ReturnType<typeof postgresCpu>, after: ReturnType<typeof postgresCpu>): { serving: number; other: number } {
  let serving = 0;
  let other = 0;
  for (const [pid, a] of after) {
    const used = a.cpu - (before.get(pid)?.cpu ?? 0);
    if (a.serving) serving += used;
    else other += used;
  }
  return { serving, other };
}

function treeOf(root: number, stats: ProcStat[]): ProcStat[] {
  const inTree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) {
      if (!inTree.has(s.pid) && inTree.has(s.ppid)) {
        inTree.add(s.pid);
        grew = true;
      }
    }
  }
  return stats.filter((s) => inTree.has(s.pid));
}

export type Load = {
  p50: number;
  p99: number;
  mean: number;
  requests: number;
  failed: number;
  cpuMsPerRequest: number;
  problems: string[];
  /** With `db` (PostgreSQL's postmaster on this machine and the app's database): the CPU per request of the backends serving that database and of the rest of PostgreSQL, and how busy the whole machine was. */
  dbCpuMsPerRequest?: number;
  dbOtherCpuMsPerRequest?: number;
  machineBusy?: number;
};

/** Busy and total CPU ticks of the whole machine, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - (f[4] ?? 0), total };
}
const trace: [number, number][] = [];
export type Target = { url: string; method?: string; headers?: Record<string, string>; body?: string };

function once(agent: http.Agent, t: Target): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(t.url, { method: t.method ?? "GET", headers: t.headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(t.body);
  });
}

export type RunResult = { latencies: number[]; failed: number; problems: string[]; slowest: [number, number][] };

export async function run(agent: http.Agent, t: Target, seconds: number, rate = RATE): Promise<RunResult> {
  const n = rate * seconds;
  const latencies: number[] = [];
  let failed = 0;
  const problems: string[] = []; // the first few failures, to print
  const start = performance.now() + 10;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      once(agent, t).then(
        (status) => {
          latencies.push(performance.now() - due);
          if (process.env.BENCH_GATE_TRACE) trace.push([Math.round(due - start), performance.now() - due]);
          if (status >= 300) {
            failed++;
            if (problems.length < 5) problems.push(`HTTP ${status}`);
          }
        },
        (e: unknown) => {
          failed++;
          if (problems.length < 5) problems.push(String(e));
        },
      ),
    );
  }
  await Promise.all(pending);
  const slowest = trace.sort((a, b) => b[1] - a[1]).slice(0, 40);
  trace.length = 0;
  return { latencies, failed, problems, slowest };
}

/**
 * One round from a load generator of its own (load-generator.ts): started and warmed before
 * `before()` samples the counters, so the round's figures hold the requests only.
 */
async function runInOwnProcess(t: Target, seconds: number, rate: number, before: () => void): Promise<RunResult> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "load-generator.ts"), JSON.stringify({ target: t, seconds, rate })], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout! });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`the load generator exited (${code})`)));
    });
  try {
    if ((await next()) !== "ready") throw new Error("the load generator did not start");
    before();
    child.stdin!.write("go\n");
    return JSON.parse(await next()) as RunResult;
  } finally {
    lines.close();
    if (child.exitCode === null) child.kill();
  }
}

/** One round of `seconds` (default BENCH_GATE_SECONDS) at RATE from a load generator of its own: latency percentiles and the app's CPU per request. */
export async function measure(pid: number, t: Target, seconds = SECONDS, rate = RATE, pgDb?: { postmaster: number; database: string }): Promise<Load> {
  let cpu0 = 0;
  let db0: ReturnType<typeof postgresCpu> | null = null;
  let m0 = { busy: 0, total: 0 };
  const { latencies, failed, problems, slowest } = await runInOwnProcess(t, seconds, rate, () => {
    cpu0 = treeCpuSeconds(pid);
    db0 = pgDb ? postgresCpu(pgDb.postmaster, pgDb.database) : null;
    m0 = machineTicks();
  });
  const cpu = treeCpuSeconds(pid) - cpu0;
  const m1 = machineTicks();
  const pgUsed = pgDb && db0 ? postgresCpuBetween(db0, postgresCpu(pgDb.postmaster, pgDb.database)) : null;
  const perRequest = (s: number) => (s * 1000) / latencies.length;
  const db = pgUsed ? { dbCpuMsPerRequest: perRequest(pgUsed.serving), dbOtherCpuMsPerRequest: perRequest(pgUsed.other), machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total) } : {};
  latencies.sort((a, b) => a - b);
  if (process.env.BENCH_GATE_TRACE) console.log(t.url, "slowest (ms into the run: latency):", slowest.map(([at, ms]) => `${at}:${ms.toFixed(1)}`).join(" "));
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: latencies.reduce((a, b) => a + b, 0) / latencies.length, requests: latencies.length, failed, cpuMsPerRequest: (cpu * 1000) / latencies.length, problems, ...db };
}

/** The round with the median p99 of several. */
export const medianRound = (rounds: Load[]) => [...rounds].sort((a, b) => a.p99 - b.p99)[Math.floor(rounds.length / 2)]!;

export const fmt = (name: string, l: Load) =>
  `${name.padEnd(26)} p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, mean ${l.mean.toFixed(2)} ms, app CPU ${l.cpuMsPerRequest.toFixed(2)} ms/request` +
  (l.dbCpuMsPerRequest === undefined ? "" : `, PostgreSQL CPU ${l.dbCpuMsPerRequest.toFixed(2)} ms/request serving it (+${l.dbOtherCpuMsPerRequest!.toFixed(2)} background), machine ${(100 * l.machineBusy!).toFixed(0)} % busy`) +
  ` (${l.requests} requests, ${l.failed} failed)`;

/** Runs against a database that has team `teamSlug` with service `service` and a gate token. */
export async function benchGate(databaseUrl: string, gateToken: string, service: string) {
  const { startApp } = await import("../server/testing/app-process");
  const app = await startApp({ DATABASE_URL: databaseUrl, AUTH_SECRET: process.env.AUTH_SECRET!, BURNRATE_JOBS: "0", LOG_LEVEL: "warn", TOKEN_RATE_LIMIT_PER_MINUTE: "1000000", ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}) });
  try {
    const pid = app.proc.pid!;
    const body = JSON.stringify({ service, environment: "production", version: "bench", changeType: "feature", requester: "bench" });
    const targets = {
      gate: { url: `${app.url}/api/v1/gate`, method: "POST", headers: { authorization: `Bearer ${gateToken}`, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }, body },
      trivial: { url: `${app.url}/api/health` },
      authed: { url: `${app.url}/api/v1/me`, headers: { authorization: `Bearer ${gateToken}` } },
    };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const rounds: Record<keyof typeof targets, Load[]> = { gate: [], trivial: [], authed: [] };
    try {
      for (const t of Object.values(targets)) await run(agent, t, 5); // warm-up: JIT tiering, pool connections, caches
      for (let i = 0; i < ROUNDS; i++) for (const [k, t] of Object.entries(targets)) rounds[k as keyof typeof targets].push(await measure(pid, t));
    } finally {
      agent.destroy();
    }
    const gate = medianRound(rounds.gate);
    const trivial = medianRound(rounds.trivial);
    const authed = medianRound(rounds.authed);
    console.log(`  gate p99 by round: ${rounds.gate.map((r) => r.p99.toFixed(2)).join(", ")} ms; the median round is shown`);
    console.log(`Deploy gate at ${RATE} requests/s, ${ROUNDS} rounds of ${SECONDS} s per route on loopback (targets: p99 < 10 ms, cost <= 2x a trivial route):`);
    console.log(`  ${fmt("POST /api/v1/gate", gate)}`);
    console.log(`  ${fmt("GET /api/health (trivial)", trivial)}`);
    console.log(`  ${fmt("GET /api/v1/me (token)", authed)}`);
    console.log(`  gate / trivial: mean latency ${(gate.mean / trivial.mean).toFixed(2)}x, app CPU ${(gate.cpuMsPerRequest / trivial.cpuMsPerRequest).toFixed(2)}x; gate / token-authenticated route: mean ${(gate.mean / authed.mean).toFixed(2)}x, CPU ${(gate.cpuMsPerRequest / authed.cpuMsPerRequest).toFixed(2)}x`);
    if (rounds.gate.some((r) => r.failed > 0)) throw new Error("the gate failed requests");
  } finally {
    await app.stop();
  }
}
