// Starts the real app (lib/cli/start.ts as `npm run build` bundles it, after `next build`) as a
// child process for system tests, and signs in through next-auth's HTTP API the way a browser does.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export type AppProcess = {
  url: string;
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<void>;
};

const root = path.resolve(import.meta.dirname, "../../..");
/** The server entry as `npm start` runs it (`npm run build:server`, run by `prepare.sh --build`). */
export const SERVER_ENTRY = ".next/burnrate-server/start.mjs";

/** A new empty folder for an app's DATA_DIR, readable by the non-root user the database may run as. */
export async function tempDataDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  await fs.chmod(dir, 0o755);
  return dir;
}

/** The embedded PostgreSQL an app runs on `dataDir`: its postmaster's pid and a URL to it (from postmaster.pid and db-password). */
export async function embeddedDatabase(dataDir: string): Promise<{ pid: number; url: string }> {
  const lines = (await fs.readFile(path.join(dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n");
  const password = (await fs.readFile(path.join(dataDir, "db-password"), "utf8")).trim();
  return { pid: Number(lines[0]), url: `postgresql://burnrate:${encodeURIComponent(password)}@127.0.0.1:${lines[3]!.trim()}/burnrate` };
}

/** Debian's libfaketime (package libfaketime, installed by `prepare.sh --faketime`), multi-threaded flavour. */
const LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

/**
 * Environment for an app whose wall clock is off by `offset` (libfaketime's syntax: "-5m",
 * "+90s"): the process's clock_gettime(CLOCK_REALTIME) is shifted; its monotonic clock, which
 * timers use, is not.
 */
export async function skewedClock(offset: string): Promise<Record<string, string>> {
  await fs.access(LIBFAKETIME).catch(() => {
    throw new Error(`${LIBFAKETIME} is missing: run \`bash lib/cli/prepare.sh --faketime\` (Debian's libfaketime)`);
  });
  return { LD_PRELOAD: LIBFAKETIME, FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: "1", FAKETIME_DONT_RESET: "1" };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

export async function startApp(env: Record<string, string>, opts: { uid?: number; gid?: number; waitReady?: boolean; nodeArgs?: string[] } = {}): Promise<AppProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const url = `http://127.0.0.1:${port}`;
  await fs.access(path.join(root, SERVER_ENTRY)).catch(() => {
    throw new Error(`${SERVER_ENTRY} is missing: run \`bash lib/cli/prepare.sh --build\``);
  });
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), SERVER_ENTRY], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: opts.uid === undefined ? (process.env.HOME ?? "/tmp") : "/tmp", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "info", PORT: String(port), PUBLIC_URL: url,
      // Every test signs in from 127.0.0.1: a higher per-address limit than production's 20 a minute.
      SIGN_IN_RATE_LIMIT_PER_MINUTE: "1000",
      // The stand-ins (Prometheus, notification receivers, GitHub) listen on loopback, which the
      // outbound guard refuses by default. A test of the guard passes OUTBOUND_ALLOW: "" (unset).
      OUTBOUND_ALLOW: "127.0.0.1/32,::1/128",
      ...env },
    stdio: ["ignore", "pipe", "pipe"],
    uid: opts.uid,
    gid: opts.gid,
  });
  let out = "";
  proc.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  proc.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const app: AppProcess = {
    url,
    proc,
    output: () => out,
    exited,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill("SIGTERM");
        await exited;
      }
    },
  };
  if (opts.waitReady === false) return app;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`app exited with ${proc.exitCode}:\n${out}`);
    const ok = await fetch(`${url}/api/ready`).then((r) => r.ok, () => false);
    if (ok) return app;
    await new Promise((r) => setTimeout(r, 200));
  }
  await app.stop();
  throw new Error(`app did not become ready:\n${out}`);
}

/** Signs in with email and password through next-auth's endpoints; returns the Cookie header. */
export async function signInViaApi(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = cookiesOf(res)
    .split("; ")
    .find((c) => c.startsWith("next-auth.session-token=") || c.startsWith("__Secure-next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed for ${email}: HTTP ${res.status}`);
  return session;
}

function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
