// Migration runner on Prisma's wasm schema engine: `migrate deploy`, `migrate status` and
// `migrate dev --name X` without the native schema-engine binary (which the Prisma CLI downloads,
// and which cannot be downloaded offline). Same folder layout (prisma/migrations/<ts>_<name>/
// migration.sql + migration_lock.toml) and the same `_prisma_migrations` table, so the real CLI
// works on what this writes and vice versa.
//
// Everything about instantiating the engine lives in this file; each workaround for its sharp
// edges is explained where it is applied.
import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import type {
  HistoryDiagnostic,
  MigrationDirectory,
  MigrationList,
  SchemaEngine,
  SchemaFilter,
} from "@prisma/schema-engine-wasm";
import pg from "pg";
import {
  appliedMigrationNames,
  listLocalMigrations,
  migrationsDirOf,
  parseTarget,
  pendingOf,
  qi,
  type Target,
} from "./migration-status";

export { listLocalMigrations, listPendingMigrations } from "./migration-status";

export interface MigrateOptions {
  /** Receives progress lines and engine warnings. Default: silent. */
  log?: (msg: string) => void;
  /**
   * Folder holding the migration folders. Default: `<process.cwd()>/prisma/migrations`. Resolved
   * from the working directory rather than from this file, because after bundling (Next.js) or
   * from a compiled location this file's own path says nothing about where the project is.
   */
  migrationsDir?: string;
  /** Prisma schema; only read by `createMigration`. Default: `<process.cwd()>/prisma/schema.prisma`. */
  schemaPath?: string;
  /** Also pass the engine's info/debug lines (JSON) to `log`; by default only its warnings. */
  verbose?: boolean;
}

export interface ApplyOptions extends MigrateOptions {
  /** Give up waiting for another process's migration lock after this long (default: wait). */
  lockTimeoutMs?: number;
}

export interface CreateMigrationOptions extends ApplyOptions {
  /** Write the migration folder but do not apply it to the database (`migrate dev --create-only`). */
  createOnly?: boolean;
  /** Apply a migration even if the engine warns it loses data (dropped columns, tables...). */
  acceptDataLoss?: boolean;
}

export interface MigrationStatus {
  /** Migration folders found locally, in the order they apply. */
  local: string[];
  /** Local migrations not (successfully) applied to the database. */
  pending: string[];
  /** Migrations recorded in the database that are missing from the folder. */
  missingLocally: string[];
  /** Migrations that started but failed; `deploy` refuses to run until they are resolved. */
  failed: string[];
  /** Applied migrations whose migration.sql changed since (checksum mismatch). */
  edited: string[];
  hasMigrationsTable: boolean;
  /** True when there is nothing pending, missing or failed. */
  upToDate: boolean;
  /** The engine's raw diagnostic (null when in sync). */
  history: HistoryDiagnostic | null;
}

const LOCKFILE = "migration_lock.toml";
const MIGRATION_FILE = "migration.sql";
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

// Session advisory lock held (on a dedicated connection) around every engine run that writes.
// Deliberately NOT Prisma's own key 72707369: the engine takes that one itself, on a pooled
// connection of its own, so holding it here would make the engine wait for us forever.
// 0x6275726e72617465 = "burnrate" in ASCII.
const RUNNER_LOCK_KEY = "7094703118452651109";

// --- paths and migration folders ----------------------------------------------------------------

function schemaPathOf(opts: MigrateOptions | undefined): string {
  return path.resolve(opts?.schemaPath ?? path.join(process.cwd(), "prisma", "schema.prisma"));
}

/** The engine's view of the migrations folder, built the way the Prisma CLI builds it. */
async function loadMigrationList(baseDir: string): Promise<MigrationList> {
  const lockContent = await readFile(path.join(baseDir, LOCKFILE), "utf8").catch(() => null);
  const migrationDirectories: MigrationDirectory[] = [];
  for (const name of await listLocalMigrations(baseDir)) {
    const content = await readFile(path.join(baseDir, name, MIGRATION_FILE), "utf8").then(
      (value) => ({ tag: "ok" as const, value }),
      (e: Error) => ({ tag: "error" as const, value: e.message }),
    );
    migrationDirectories.push({ path: name, migrationFile: { path: MIGRATION_FILE, content } });
  }
  return {
    baseDir,
    lockfile: { path: LOCKFILE, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

// --- connection settings --------------------------------------------------------------------------

/** The same server and credentials, another database. */
function withDatabase(databaseUrl: string, database: string): string {
  const u = new URL(databaseUrl);
  u.pathname = "/" + encodeURIComponent(database);
  return u.toString();
}

// --- the wasm engine ------------------------------------------------------------------------------

type WasmGlue = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

declare global {
  // The wasm glue reports Rust panic messages here; without it a panic surfaces as
  // "Cannot read properties of undefined (reading 'set_message')".
  var PRISMA_WASM_PANIC_REGISTRY: { set_message(message: string): void } | undefined;
}

interface EngineState {
  glue?: Promise<WasmGlue>;
  /** Tail of the queue of engine runs. */
  queue: Promise<unknown>;
  lastPanicMessage?: string;
  /** Set after a Rust panic: the wasm instance's memory may be inconsistent; never reused. */
  poisoned?: Error;
}

// Per process, not per module instance: the wasm glue module is a process-wide singleton (one
// copy in Node's module cache), while this file may be loaded several times (Next.js bundles,
// vitest projects). Two copies each instantiating the wasm would swap the glue's memory under
// each other (seen: garbage panic messages, then a crash).
const stateKey = Symbol.for("burnrate.schemaEngine");
const state: EngineState = ((globalThis as { [stateKey]?: EngineState })[stateKey] ??= {
  queue: Promise.resolve(),
});

function loadEngine(): Promise<WasmGlue> {
  state.glue ??= (async () => {
    globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message: string) {
        state.lastPanicMessage = message;
        // A panic inside an engine future traps outside any promise and ends the process with
        // a bare "RuntimeError: unreachable"; this is the only place its reason is visible.
        process.stderr.write(`prisma schema engine panic: ${message}\n`);
      },
    };
    // The package's own entry point imports the .wasm as an ES module, which Node cannot do;
    // instantiate it by hand against the JS glue, as wasm-bindgen's bundler target expects.
    const mod = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const entry = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm");
    const bytes = await readFile(path.join(path.dirname(entry), "schema_engine_bg.wasm"));
    // The engine arms a 10 s timer around its own advisory lock and has no way to clear it, so
    // every deploy kept the process alive 10 s longer. Unref its timers: while the engine works,
    // its open database connections keep the process alive anyway.
    const imports: Record<string, unknown> = { ...mod };
    for (const name of Object.keys(imports).filter((n) => n.startsWith("__wbg_setTimeout_"))) {
      imports[name] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
    }
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": imports as WebAssembly.ModuleImports,
    });
    mod.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return mod;
  })();
  state.glue.catch(() => {
    state.glue = undefined;
  });
  return state.glue;
}

// One engine run at a time per process: calls on an engine must not overlap, and all engines
// share the one wasm instance.
function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = state.queue.then(fn, fn);
  state.queue = run.catch(() => undefined);
  return run;
}

/** PostgreSQL's internal single-byte `"char"` type (pg_catalog columns such as contype). */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

interface PgFieldLike {
  dataTypeID: number;
}
// adapter-pg funnels every query through this (TypeScript-private) method; a multi-statement
// script yields one result per statement.
interface WithPerformIO {
  performIO(query: SqlQuery): Promise<{ fields: PgFieldLike[] } | { fields: PgFieldLike[] }[]>;
}

/**
 * adapter-pg has no mapping for `"char"` (OID 18): "Column type 'char' could not be deserialized".
 * The engine reads such columns as Rust chars and accepts nothing but a Character column (given
 * Text, it panics on PostgreSQL 18, whose pg_constraint lists NOT NULL constraints). So: let the
 * adapter see text, remember which columns they were, and report them as Character.
 */
function mapCharColumns<T extends SqlQueryable>(queryable: T): T {
  const q = queryable as T & WithPerformIO;
  if (typeof q.performIO !== "function") {
    throw new Error("@prisma/adapter-pg changed: performIO not found (pinned to 7.10.0)");
  }
  const charColumns = new WeakMap<SqlQuery, number[]>();
  const performIO = q.performIO.bind(q);
  q.performIO = async (query) => {
    const result = await performIO(query);
    for (const r of Array.isArray(result) ? result : [result]) {
      const found: number[] = [];
      r.fields.forEach((field, i) => {
        if (field.dataTypeID === PG_CHAR_OID) {
          field.dataTypeID = PG_TEXT_OID;
          found.push(i);
        }
      });
      if (found.length > 0) charColumns.set(query, found);
    }
    return result;
  };
  const queryRaw = q.queryRaw.bind(q);
  q.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(query) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

/**
 * adapter-pg's executeScript splits on ";" and runs the pieces one by one on whatever pooled
 * connection is free. The native engine sends a migration script as one simple-protocol query,
 * which PostgreSQL runs as one implicit transaction (a failing migration leaves nothing behind),
 * and which survives ";" inside strings or function bodies. Do the same: a query without
 * parameters goes through pg's simple protocol.
 */
function wrapAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  mapCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel): Promise<Transaction> =>
    mapCharColumns(await startTransaction(isolationLevel));
  adapter.executeScript = async (script: string) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

/**
 * Owns every connection the engine opens. engine.free() closes none of them (pitfall 4), and
 * adapter-pg's own shadow database is broken (pitfall 3), so both are done here.
 */
class EngineConnections implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "@prisma/adapter-pg";
  private readonly pools = new Set<pg.Pool>();
  private readonly shadowDatabases = new Set<string>();

  constructor(private readonly target: Target) {}

  // One connection per pool: the engine issues its queries one at a time (and opens no
  // transactions in these flows), and it takes Prisma's session advisory lock (72707369) without
  // ever releasing it, again before each applyMigrations. On a second pooled connection that
  // would wait for the first and time out after 10 s; on the same session it is reentrant.
  // The timeout turns a would-be deadlock (engine waiting for a second connection) into an error.
  private pool(url: string, schema: string): pg.Pool {
    const pool = new pg.Pool({
      connectionString: url,
      max: 1,
      connectionTimeoutMillis: 60_000,
      // Migration scripts name tables unqualified, so `?schema=` has to become the search_path
      // (the native engine does the same).
      options: `-c search_path=${schema}`,
    });
    pool.on("error", () => {}); // an idle client dying must not crash the process
    this.pools.add(pool);
    return pool;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const factory = new PrismaPg(this.pool(this.target.url, this.target.schema), {
      schema: this.target.schema,
    });
    return wrapAdapter(await factory.connect());
  }

  // A temporary database on the same server, for replaying the history (`createMigration`).
  // The database name goes into the URL's path, so the URL cannot point back at the main database.
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
    await this.admin(`CREATE DATABASE ${qi(name)}`);
    this.shadowDatabases.add(name);
    const pool = this.pool(withDatabase(this.target.url, name), this.target.schema);
    const adapter = wrapAdapter(await new PrismaPg(pool, { schema: this.target.schema }).connect());
    adapter.dispose = async () => {
      await this.dropShadow(name, pool);
    };
    return adapter;
  }

  private async admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.target.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  private async dropShadow(name: string, pool: pg.Pool | undefined): Promise<void> {
    if (!this.shadowDatabases.delete(name)) return;
    if (pool) {
      this.pools.delete(pool);
      await pool.end();
    }
    await this.admin(`DROP DATABASE IF EXISTS ${qi(name)} WITH (FORCE)`);
  }

  async close(): Promise<void> {
    const pools = [...this.pools];
    this.pools.clear();
    await Promise.allSettled(pools.map((p) => p.end()));
    for (const name of [...this.shadowDatabases]) await this.dropShadow(name, undefined);
  }
}

type EngineMethod = Exclude<keyof SchemaEngine, "free" | typeof Symbol.dispose | "debugPanic">;
/** Runs one engine command; a rejection becomes an Error naming the command and the driver's error. */
type EngineCall = <T>(method: EngineMethod, fn: (engine: SchemaEngine) => Promise<T>) => Promise<T>;

/**
 * Runs `body` with a fresh engine connected to `target`, then frees the engine and closes every
 * connection it opened. Serialised process-wide.
 */
async function withEngine<T>(
  target: Target,
  datamodel: [string, string] | undefined,
  opts: MigrateOptions | undefined,
  body: (call: EngineCall) => Promise<T>,
): Promise<T> {
  const log = opts?.log ?? (() => {});
  return serialised(async () => {
    if (state.poisoned) throw state.poisoned;
    const wasm = await loadEngine();
    const connections = new EngineConnections(target);
    const bound = bindMigrationAwareSqlAdapterFactory(connections);
    // The engine logs JSON lines; INFO ones include whole migration scripts.
    const engineLog = (line: string) => {
      if (opts?.verbose) return log(`engine: ${line.trimEnd()}`);
      const entry = parseEngineLog(line);
      if (entry && (entry.level === "WARN" || entry.level === "ERROR")) {
        log(`engine ${entry.level.toLowerCase()}: ${entry.message}`);
      }
    };
    const toError = (method: string, e: unknown): Error => {
      if (e instanceof WebAssembly.RuntimeError) {
        state.poisoned = new Error(
          `schema engine panicked in ${method}: ${state.lastPanicMessage ?? e.message}` +
            " (the engine cannot be used again in this process)",
        );
        return state.poisoned;
      }
      return engineError(method, e, bound.errorRegistry);
    };
    let engine: SchemaEngine | undefined;
    try {
      engine = await wasm.SchemaEngine.new(
        { datamodels: datamodel ? [datamodel] : undefined },
        engineLog,
        bound,
      ).catch((e: unknown) => {
        throw toError("connect", e);
      });
      const live = engine;
      // `fn` must call the method on the instance (`e.applyMigrations(...)`): detached, it loses `this`.
      return await body((method, fn) =>
        Promise.resolve()
          .then(() => fn(live))
          .catch((e: unknown) => {
            throw toError(method, e);
          }),
      );
    } finally {
      engine?.free();
      await connections.close();
    }
  });
}

function parseEngineLog(line: string): { level: string; message: string } | undefined {
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v !== "object" || v === null) return undefined;
    const { level, fields } = v as { level?: unknown; fields?: { message?: unknown } };
    if (typeof level !== "string") return undefined;
    return { level, message: String(fields?.message ?? "") };
  } catch {
    return undefined;
  }
}

interface EngineErrorShape {
  message?: unknown;
  code?: unknown;
}

/** Engine errors are plain objects or Errors with a Prisma code (P3xxx) in `code`. */
function engineError(
  method: string,
  e: unknown,
  registry: { consumeError(id: number): { error: unknown } | undefined },
): Error {
  const shape: EngineErrorShape = typeof e === "object" && e !== null ? (e as EngineErrorShape) : {};
  // An error thrown in JS (e.g. by pg) is parked in the registry; the engine reports its id.
  const id = /External error id#(\d+)/.exec(String(shape.message ?? ""))?.[1];
  const original = id !== undefined ? registry.consumeError(Number(id))?.error : undefined;
  const message =
    original instanceof Error
      ? original.message
      : typeof shape.message === "string"
        ? shape.message
        : String(e);
  const code = typeof shape.code === "string" ? shape.code : undefined;
  // Drop the Rust span trace ("   0: sql_schema_connector::... at ....rs:113"); `cause` keeps it.
  const summary = (message.split(/\n\s+0: /)[0] ?? message).trim();
  const err = new Error(`${method} failed${code ? ` (${code})` : ""}: ${summary}`, {
    cause: original ?? e,
  });
  return Object.assign(err, { code });
}

// --- the runner lock ------------------------------------------------------------------------------

/**
 * Runs `fn` while holding the runner's session advisory lock on a dedicated connection, so that
 * concurrent callers (app replicas starting together) take turns. Waiting callers block inside
 * PostgreSQL, not in this process. The lock dies with the connection if this process dies.
 */
async function withRunnerLock<T>(
  target: Target,
  opts: ApplyOptions | undefined,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: target.url, keepAlive: true });
  client.on("error", () => {}); // surfaced by the next query instead
  await client.connect();
  try {
    if (opts?.lockTimeoutMs !== undefined) {
      await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(opts.lockTimeoutMs))}`);
    }
    await client.query("SELECT pg_advisory_lock($1::bigint)", [RUNNER_LOCK_KEY]);
    try {
      return await fn(client);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [RUNNER_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

// --- deploy ---------------------------------------------------------------------------------------

/**
 * `prisma migrate deploy`: applies every pending migration in order, each in its own implicit
 * transaction. Safe to call from several processes at once: callers serialise on an advisory
 * lock; the first applies, the others then find nothing pending and do not start the engine.
 */
export async function applyPendingMigrations(
  databaseUrl: string,
  opts?: ApplyOptions,
): Promise<{ applied: string[] }> {
  const target = parseTarget(databaseUrl);
  const log = opts?.log ?? (() => {});
  const baseDir = migrationsDirOf(opts);
  return withRunnerLock(target, opts, async (client) => {
    const local = await listLocalMigrations(baseDir);
    // Failed and rolled-back migrations count as pending, so they still reach the engine and
    // produce its error (P3009) instead of being skipped here.
    const pending = pendingOf(local, await appliedMigrationNames(client, target.schema));
    if (pending.length === 0) {
      log(`${local.length} migration(s) found, none pending`);
      return { applied: [] };
    }
    log(`${pending.length} pending migration(s): ${pending.join(", ")}`);
    const migrationsList = await loadMigrationList(baseDir);
    const out = await withEngine(target, undefined, opts, (call) =>
      call("applyMigrations", (e) => e.applyMigrations({ migrationsList, filters: NO_FILTER })),
    );
    for (const name of out.appliedMigrationNames) log(`applied ${name}`);
    return { applied: out.appliedMigrationNames };
  });
}

// --- status ---------------------------------------------------------------------------------------

/** `prisma migrate status`. Read-only; takes no lock and needs no shadow database. */
export async function migrationStatus(
  databaseUrl: string,
  opts?: MigrateOptions,
): Promise<MigrationStatus> {
  const target = parseTarget(databaseUrl);
  const migrationsList = await loadMigrationList(migrationsDirOf(opts));
  const out = await withEngine(target, undefined, opts, (call) =>
    call("diagnoseMigrationHistory", (e) =>
      e.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER }),
    ),
  );
  const h = out.history;
  const pending =
    h?.diagnostic === "databaseIsBehind" || h?.diagnostic === "historiesDiverge"
      ? h.unappliedMigrationNames
      : [];
  const missingLocally =
    h?.diagnostic === "migrationsDirectoryIsBehind" || h?.diagnostic === "historiesDiverge"
      ? h.unpersistedMigrationNames
      : [];
  return {
    local: migrationsList.migrationDirectories.map((d) => d.path),
    pending,
    missingLocally,
    failed: out.failedMigrationNames,
    edited: out.editedMigrationNames,
    hasMigrationsTable: out.hasMigrationsTable,
    upToDate: h === null && out.failedMigrationNames.length === 0,
    history: h,
  };
}

// --- dev ------------------------------------------------------------------------------------------

/**
 * The folder-name part of a migration name, as the Prisma CLI derives it (the engine takes the
 * name as given): slugify with "_" (decamelized, lowercased, non-alphanumerics collapsed),
 * at most 200 characters. "Add apiToken scopes" -> "add_api_token_scopes".
 */
export function migrationSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replaceAll("&", " and ")
    .replace(/([A-Z]{2,})(\d+)/g, "$1 $2")
    .replace(/([a-z\d]+)([A-Z]{2,})/g, "$1 $2")
    .replace(/([a-z\d])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-rt-z\d]+)/g, "$1 $2")
    .toLowerCase()
    .replace(/([a-z\d]+)'([ts])(\s|$)/g, "$1$2$3")
    .replace(/[^a-z\d]+/g, "_")
    .replace(/^_|_$/g, "")
    .substring(0, 200);
}

/** Prisma's migration_lock.toml, byte for byte. */
function lockfileContent(provider: string): string {
  return (
    "# Please do not edit this file manually\n" +
    "# It should be added in your version-control system (e.g., Git)\n" +
    `provider = "${provider}"\n`
  );
}

/**
 * `prisma migrate dev --name <name>` for development: applies pending migrations, then diffs the
 * migration history (replayed on a temporary shadow database on the same server, dropped
 * afterwards) against the Prisma schema, writes `<timestamp>_<name>/migration.sql` and applies it.
 * Returns the new folder name, or null when the schema already matches the history.
 * Needs the CREATEDB privilege (for the shadow database), as `prisma migrate dev` does.
 */
export async function createMigration(
  databaseUrl: string,
  name: string,
  opts?: CreateMigrationOptions,
): Promise<string | null> {
  const target = parseTarget(databaseUrl);
  const log = opts?.log ?? (() => {});
  const baseDir = migrationsDirOf(opts);
  const schemaPath = schemaPathOf(opts);
  const migrationName = migrationSlug(name);
  if (!migrationName) throw new Error(`migration name ${JSON.stringify(name)} has no letters or digits`);
  const schemaContent = await readFile(schemaPath, "utf8");
  const schema = { files: [{ path: schemaPath, content: schemaContent }] };

  // One engine for the whole flow: evaluateDataLoss and createMigration get no shadow database
  // of their own; they reuse the history's schema that devDiagnostic computed on the shadow
  // database and cached in the engine (keyed by the migration list). Without it they fail with
  // "PostgreSQL shadow DB must be provided through an external factory".
  return withRunnerLock(target, opts, () =>
    withEngine(target, [schemaPath, schemaContent], opts, async (call) => {
      let migrationsList = await loadMigrationList(baseDir);
      // Pitfall 1: devDiagnostic fails on a database without _prisma_migrations; applying an
      // empty list creates the table.
      await call("applyMigrations", (e) =>
        e.applyMigrations({
          migrationsList: { ...migrationsList, migrationDirectories: [] },
          filters: NO_FILTER,
        }),
      );
      const diagnose = async () => {
        const diag = await call("devDiagnostic", (e) =>
          e.devDiagnostic({ migrationsList, filters: NO_FILTER }),
        );
        if (diag.action.tag === "reset") {
          throw new Error(
            `the database needs a reset before a new migration can be created: ${diag.action.reason}`,
          );
        }
      };
      await diagnose();
      const applied = await call("applyMigrations", (e) =>
        e.applyMigrations({ migrationsList, filters: NO_FILTER }),
      );
      for (const m of applied.appliedMigrationNames) log(`applied ${m}`);
      // devDiagnostic cached the schema of the migrations applied at the time; now that all are,
      // diagnose again so the cache holds the full history that evaluateDataLoss looks up.
      if (applied.appliedMigrationNames.length > 0) await diagnose();

      const loss = await call("evaluateDataLoss", (e) =>
        e.evaluateDataLoss({ migrationsList, schema, filters: NO_FILTER }),
      );
      if (loss.unexecutableSteps.length > 0) {
        throw new Error(
          "the migration cannot be executed:\n" +
            loss.unexecutableSteps.map((f) => `  - ${f.message}`).join("\n"),
        );
      }
      for (const w of loss.warnings) log(`warning: ${w.message}`);
      if (loss.warnings.length > 0 && !opts?.acceptDataLoss && !opts?.createOnly) {
        throw new Error(
          "the migration would lose data; re-run with acceptDataLoss (--accept-data-loss) or " +
            "createOnly (--create-only) to review it first:\n" +
            loss.warnings.map((f) => `  - ${f.message}`).join("\n"),
        );
      }

      const created = await call("createMigration", (e) =>
        e.createMigration({ draft: false, migrationName, migrationsList, schema, filters: NO_FILTER }),
      );
      if (created.migrationScript === null) return null;
      const folder = created.generatedMigrationName;
      await mkdir(baseDir, { recursive: true });
      await mkdir(path.join(baseDir, folder)); // fails if it exists, as Prisma's does
      await writeFile(
        path.join(baseDir, folder, `migration.${created.extension}`),
        created.migrationScript,
        "utf8",
      );
      await writeFile(path.join(baseDir, LOCKFILE), lockfileContent(created.connectorType), "utf8");
      log(`created ${path.relative(process.cwd(), path.join(baseDir, folder))}`);
      if (opts?.createOnly) return folder;

      migrationsList = await loadMigrationList(baseDir);
      const out = await call("applyMigrations", (e) =>
        e.applyMigrations({ migrationsList, filters: NO_FILTER }),
      );
      for (const m of out.appliedMigrationNames) log(`applied ${m}`);
      return folder;
    }),
  );
}
