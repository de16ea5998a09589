// One pg pool per process, shared by Prisma (through its driver adapter) and the few bulk paths
// that need plain SQL. Kept on globalThis so the launcher and Next's bundles share it, and so
// dev-mode hot reloads do not open a new pool each time.
import { createHash } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client";
import { getConfig } from "../config";
import { isDatabaseUnavailable } from "../errors";
import { currentRequest } from "../request-context";

/** `reusing`: the connections that run reusedQuery()'s named statements (generic plans). */
export type Database = { prisma: PrismaClient; pool: pg.Pool; reusing: pg.Pool; url: string };

const key = Symbol.for("burnrate.db");
type Holder = { [key]?: Database };

// COUNT(*) and other int8 results arrive as strings by default; our counts fit in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type PoolTimeouts = { connectMs: number; queryMs: number };

/**
 * The pool's bounds, so a database that is away or slow is a prompt 503 rather than a hang:
 * a connection (free or new) within `connectMs`, a statement within `queryMs` (PostgreSQL
 * cancels it; should its answer not arrive, as in a partition, the client gives up 1 s later
 * and the connection is discarded). Idle connections are probed by TCP keep-alive, and a
 * transaction left open by a vanished client is ended by the server after a minute.
 */
export function poolOptions(url: string, max: number, t: PoolTimeouts, { genericPlans = false } = {}) {
  // JIT off: our statements are many short index scans, and PostgreSQL's cost model judged the
  // all-SLO status statement worth compiling, which took 450 ms of its 800 (EXPLAIN ANALYZE).
  // Generic plans only on the connections of reusedQuery(): the setting applies to every statement
  // of a connection, unnamed ones included, and the others are best planned for their values.
  const options = `-c jit=off${genericPlans ? " -c plan_cache_mode=force_generic_plan" : ""} -c statement_timeout=${t.queryMs} -c idle_in_transaction_session_timeout=60000`;
  return {
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: t.connectMs,
    query_timeout: t.queryMs + 1_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    options,
  } satisfies pg.PoolConfig;
}

/** Statements over at most this many SLIs or services reuse their plan (reusedQuery()). */
export const REUSED_PLAN_MAX = 16;
const statementNames = new Map<string, string>();

/**
 * A read of one SLO or one service (its page, the deploy gate): a named prepared statement on a
 * connection of its own small pool, which plans it once and then reuses the plan, generic for any
 * values (plan_cache_mode=force_generic_plan on those connections only). Planning was more than
 * half of PostgreSQL's time on one SLO's page (docs/scaling.md, "One SLO under 10 ms"). A batch
 * over more than REUSED_PLAN_MAX items runs on the main pool, unnamed and planned for the array
 * it is given, as does everything with DB_PREPARED_STATEMENTS=false (a pooler that does not keep
 * prepared statements).
 */
export function reusedQuery<R extends pg.QueryResultRow>(text: string, values: unknown[], items: number): Promise<pg.QueryResult<R>> {
  if (items > REUSED_PLAN_MAX || !getConfig().DB_PREPARED_STATEMENTS) return db().pool.query<R>(text, values);
  return db().reusing.query<R>({ name: statementName(text), text, values });
}

/** The prepared statement's name for a text: the same text, the same name, on every connection. */
export function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `br_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    // Texts differ only by a few shapes (a range split by hours, or not); bounded all the same.
    if (statementNames.size < 1000) statementNames.set(text, name);
  }
  return name;
}

/** Connections of the reusedQuery() pool: half the main pool's (one SLO's page runs five such reads at once). */
const reusingPoolSize = (max: number) => Math.max(2, Math.ceil(max / 2));

export function createDatabase(url: string, max = getConfig().DB_POOL_SIZE): Database {
  const config = getConfig();
  const timeouts = { connectMs: config.DB_CONNECT_TIMEOUT_MS, queryMs: config.DB_QUERY_TIMEOUT_MS };
  const pool = new pg.Pool(poolOptions(url, max, timeouts));
  const reusing = new pg.Pool(poolOptions(url, reusingPoolSize(max), timeouts, { genericPlans: true }));
  for (const p of [pool, reusing]) {
    // An idle client losing its connection (database restart) must not crash the process.
    p.on("error", () => {});
    watchAvailability(p);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { prisma, pool, reusing, url };
}

/**
 * Two things every database call needs when the database is away or stalled:
 *  - the request it served is marked (RequestContext.databaseUnavailable), so the HTTP server
 *    can answer a page that failed for it with 503;
 *  - a connection whose statement got no answer in time is closed at once. pg leaves it open
 *    with the statement in flight, and a pooled client released without an error (Prisma's
 *    transactions do that) would hand the stall to the next request; closed, the pool drops it.
 * Prisma and our SQL both reach PostgreSQL through the pool's promise-returning `query` and
 * `connect`, and through the promise-returning `query` of a checked-out client.
 */
function watchAvailability(pool: pg.Pool) {
  const watched = <F extends (...args: never[]) => unknown>(fn: F, onStall?: () => void): F =>
    ((...args: Parameters<F>) => {
      const ctx = currentRequest();
      const result = fn(...args);
      if (result instanceof Promise) {
        result.catch((e: unknown) => {
          if (!isDatabaseUnavailable(e)) return;
          if (ctx) ctx.databaseUnavailable = true;
          if (onStall && e instanceof Error && e.message === STALLED) onStall();
        });
      }
      return result;
    }) as F;
  pool.query = watched(pool.query.bind(pool)) as typeof pool.query;
  pool.connect = watched(pool.connect.bind(pool)) as typeof pool.connect;
  pool.on("connect", (client) => {
    const close = () => (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    client.query = watched(client.query.bind(client), close) as typeof client.query;
  });
}

/** pg's error for a statement whose answer did not come within `query_timeout`. */
const STALLED = "Query read timeout";

/** The process's database, from DATABASE_URL (set by the launcher for the embedded default). */
export function db(): Database {
  const holder = globalThis as Holder;
  if (!holder[key]) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start`, which sets it up");
    holder[key] = createDatabase(url);
  }
  return holder[key];
}

export function prisma(): PrismaClient {
  return db().prisma;
}

export async function closeDatabase() {
  const holder = globalThis as Holder;
  const current = holder[key];
  holder[key] = undefined;
  if (current) {
    await current.prisma.$disconnect();
    await Promise.all([current.pool.end(), current.reusing.end()]);
  }
}

/** Runs `fn` in a transaction on one pooled connection (for bulk SQL outside Prisma). */
export async function withTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db().pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    if (isDatabaseUnavailable(e)) {
      // The link is gone or stalled (a reset, a partition, a timeout): waiting for a ROLLBACK would
      // double the caller's wait. Dropping the connection rolls the transaction back on the server.
      broken = e instanceof Error ? e : new Error(String(e));
    } else {
      // A connection that cannot even roll back (the database restarted) is destroyed, not pooled.
      await client.query("ROLLBACK").catch((err: unknown) => (broken = err instanceof Error ? err : new Error(String(err))));
    }
    throw e;
  } finally {
    client.release(broken);
  }
}
