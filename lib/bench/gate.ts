// The deploy gate part of `npm run bench`: POST /api/v1/gate at a fixed 200 requests/s on
// loopback (autocannon, latencies corrected for coordinated omission), next to a trivial route of
// the same app at the same rate, in the same run. Reports latency percentiles and the app
// process's CPU time per request (from /proc), and the ratios gate / trivial.
import fs from "node:fs";
import autocannon from "autocannon";

const RATE = 200;
const SECONDS = Number(process.env.BENCH_GATE_SECONDS ?? 15);

/** CPU seconds (user + system) of a process and its descendants, from /proc. */
function treeCpuSeconds(root: number): number {
  const ticks = 100; // USER_HZ on Linux
  const stats = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      return [{ pid: Number(pid), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / ticks }];
    } catch {
      return [];
    }
  });
  const inTree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) if (!inTree.has(s.pid) && inTree.has(s.ppid)) (inTree.add(s.pid), (grew = true));
  }
  return stats.filter((s) => inTree.has(s.pid)).reduce((a, s) => a + s.cpu, 0);
}

type Load = { p50: number; p99: number; mean: number; requests: number; non2xx: number; errors: number; cpuMsPerRequest: number };

async function load(pid: number, opts: autocannon.Options): Promise<Load> {
  await autocannon({ ...opts, duration: 2 }); // warm-up: JIT, connections, caches
  const cpu0 = treeCpuSeconds(pid);
  const r = await autocannon({ ...opts, connections: 20, overallRate: RATE, duration: SECONDS });
  const cpu = treeCpuSeconds(pid) - cpu0;
  return { p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors, cpuMsPerRequest: (cpu * 1000) / r.requests.total };
}

const fmt = (name: string, l: Load) =>
  `${name.padEnd(26)} p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, mean ${l.mean.toFixed(2)} ms, app CPU ${l.cpuMsPerRequest.toFixed(2)} ms/request (${l.requests} requests, ${l.non2xx + l.errors} failed)`;

/** Runs against a database that has team `teamSlug` with service `service` and a gate token. */
export async function benchGate(databaseUrl: string, gateToken: string, service: string) {
  const { startApp } = await import("../server/testing/app-process");
  const app = await startApp({ DATABASE_URL: databaseUrl, AUTH_SECRET: process.env.AUTH_SECRET!, BURNRATE_JOBS: "0", LOG_LEVEL: "warn" });
  try {
    const pid = app.proc.pid!;
    const body = JSON.stringify({ service, environment: "production", version: "bench", changeType: "feature", requester: "bench" });
    const gate = await load(pid, { url: `${app.url}/api/v1/gate`, method: "POST", headers: { authorization: `Bearer ${gateToken}`, "content-type": "application/json" }, body });
    const trivial = await load(pid, { url: `${app.url}/api/health` });
    const authed = await load(pid, { url: `${app.url}/api/v1/me`, headers: { authorization: `Bearer ${gateToken}` } });
    console.log(`Deploy gate at ${RATE} requests/s for ${SECONDS} s on loopback (targets: p99 < 10 ms, cost <= 2x a trivial route):`);
    console.log(`  ${fmt("POST /api/v1/gate", gate)}`);
    console.log(`  ${fmt("GET /api/health (trivial)", trivial)}`);
    console.log(`  ${fmt("GET /api/v1/me (token)", authed)}`);
    console.log(`  gate / trivial: mean latency ${(gate.mean / trivial.mean).toFixed(2)}x, app CPU ${(gate.cpuMsPerRequest / trivial.cpuMsPerRequest).toFixed(2)}x; gate / token-authenticated route: mean ${(gate.mean / authed.mean).toFixed(2)}x, CPU ${(gate.cpuMsPerRequest / authed.cpuMsPerRequest).toFixed(2)}x`);
    if (gate.non2xx + gate.errors > 0) throw new Error(`the gate failed ${gate.non2xx + gate.errors} requests`);
  } finally {
    await app.stop();
  }
}
