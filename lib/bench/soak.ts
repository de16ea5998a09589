// `npm run bench`'s soak: the mixed load (load.ts) for SOAK_MINUTES (default 60) on one app over
// PostgreSQL, in one-minute rounds. After each round it reads what grows when something leaks:
// the app's resident memory, its open file descriptors and sockets, PostgreSQL's connections to
// the app's database, and the job queue's backlog. It prints the first and last rounds' p99 per
// endpoint, and the slopes per hour after a warm-up fifth.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { makeWorld, mixedLoad, slope, type LoadReport } from "./load";
import { signInViaApi, startApp } from "../server/testing/app-process";
import { createScratchDatabase, defaultExternalUrl } from "../server/testing/global-setup";

type Round = { minute: number; report: LoadReport; rssMb: number; fds: number; sockets: number; dbConnections: number; backlog: number };

/** The app's open file descriptors, and how many of them are sockets. */
function descriptors(pid: number) {
  const dir = `/proc/${pid}/fd`;
  const fds = fs.readdirSync(dir);
  const sockets = fds.filter((fd) => {
    try {
      return fs.readlinkSync(`${dir}/${fd}`).startsWith("socket:");
    } catch {
      return false; // closed meanwhile
    }
  }).length;
  return { fds: fds.length, sockets };
}

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;

export async function benchSoak(serverUrl: string) {
  const minutes = Number(process.env.SOAK_MINUTES ?? 60);
  const admin = { BURNRATE_ADMIN_EMAIL: "soak@example.test", BURNRATE_ADMIN_PASSWORD: "soak-bench-password-1" };
  const scratch = await createScratchDatabase(serverUrl);
  const watcher = new pg.Client({ connectionString: scratch.url });
  const app = await startApp({ ...admin, DATABASE_URL: scratch.url, LOG_LEVEL: "warn", TOKEN_RATE_LIMIT_PER_MINUTE: "100000000", AUTH_SECRET: process.env.AUTH_SECRET ?? "soak-secret-soak-secret-soak-secret-0123" });
  try {
    await watcher.connect();
    const cookie = await signInViaApi(app.url, admin.BURNRATE_ADMIN_EMAIL, admin.BURNRATE_ADMIN_PASSWORD);
    const world = await makeWorld(app.url, cookie, "soak", 30);
    const pid = app.proc.pid!;
    const rounds: Round[] = [];
    for (let m = 1; m <= minutes; m++) {
      const report = await mixedLoad(world, pid, 60, 10);
      const { rows: conns } = await watcher.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
      const { rows: queue } = await watcher.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry')");
      rounds.push({ minute: m, report, rssMb: rssOf(pid), ...descriptors(pid), dbConnections: conns[0]!.n, backlog: queue[0]!.n });
      const r = rounds.at(-1)!;
      console.log(`  soak minute ${m}: RSS ${r.rssMb.toFixed(0)} MB, ${r.fds} fds (${r.sockets} sockets), ${r.dbConnections} database connections, queue backlog ${r.backlog}, errors ${report.errors.length}`);
    }
    printSoak(rounds);
  } finally {
    await watcher.end().catch(() => {});
    await app.stop();
    await scratch.drop();
  }
}

function printSoak(rounds: Round[]) {
  const first = rounds[0]!;
  const last = rounds.at(-1)!;
  const settled = rounds.filter((r) => r.minute > rounds.length / 5);
  const perHour = (y: (r: Round) => number) => slope(settled.map((r) => ({ x: r.minute / 60, y: y(r) })));
  console.log(`Soak, PostgreSQL 15, ${rounds.length} min of the mixed load:`);
  for (const e of first.report.endpoints) {
    const end = last.report.endpoints.find((x) => x.name === e.name)!;
    console.log(`  ${e.name.padEnd(7)} p99 ${e.p99.toFixed(1)} ms in the first minute, ${end.p99.toFixed(1)} ms in the last (${(end.p99 / e.p99).toFixed(2)} x); ${e.perSecond.toFixed(1)} -> ${end.perSecond.toFixed(1)} requests/s`);
  }
  console.log(`  app memory: ${first.rssMb.toFixed(0)} -> ${last.rssMb.toFixed(0)} MB, slope ${perHour((r) => r.rssMb).toFixed(1)} MB/hour after warm-up`);
  console.log(`  open descriptors: ${first.fds} -> ${last.fds} (sockets ${first.sockets} -> ${last.sockets}), slope ${perHour((r) => r.fds).toFixed(1)}/hour`);
  console.log(`  database connections: ${first.dbConnections} -> ${last.dbConnections}; job queue backlog: ${first.backlog} -> ${last.backlog} (most ${Math.max(...rounds.map((r) => r.backlog))})`);
  console.log(`  errors: ${rounds.reduce((a, r) => a + r.report.errors.length, 0)}`);
}

// `npm run bench:soak` runs the soak alone (`npm run bench` runs it last).
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  benchSoak(process.env.TEST_DATABASE_URL ?? defaultExternalUrl).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
