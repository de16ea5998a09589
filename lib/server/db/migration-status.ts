// Which migrations are applied, in plain SQL: no schema engine, so the readiness endpoint can
// ask cheaply, and the Next.js bundle of that endpoint does not pull in the wasm engine.
import { readdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export type MigrationsDirOption = { migrationsDir?: string };

export function migrationsDirOf(opts: MigrationsDirOption | undefined): string {
  return path.resolve(/*turbopackIgnore: true*/ opts?.migrationsDir ?? path.join(process.cwd(), "prisma", "migrations"));
}

/** Folder names of the local migrations, sorted as Prisma sorts them (localeCompare). */
export async function listLocalMigrations(migrationsDir?: string): Promise<string[]> {
  const dir = migrationsDirOf({ migrationsDir });
  // Read at run time from the deployment's prisma/migrations; nothing for the bundler to trace.
  const entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [];
    throw e;
  });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
}

export interface Target {
  url: string;
  /** PostgreSQL schema holding the tables and `_prisma_migrations` (`?schema=`, as in Prisma URLs). */
  schema: string;
}

export function parseTarget(databaseUrl: string): Target {
  let u: URL;
  try {
    u = new URL(databaseUrl);
  } catch {
    throw new Error("DATABASE_URL is not a valid postgresql:// URL");
  }
  if (u.protocol !== "postgresql:" && u.protocol !== "postgres:") {
    throw new Error(`DATABASE_URL must be a postgresql:// URL, got ${u.protocol}//`);
  }
  const schema = u.searchParams.get("schema") || "public";
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(schema)) {
    throw new Error(`unsupported schema name in DATABASE_URL: ${JSON.stringify(schema)}`);
  }
  return { url: databaseUrl, schema };
}

export function qi(ident: string): string {
  return '"' + ident.replaceAll('"', '""') + '"';
}

// --- pending migrations without the engine (cheap; for readiness checks) -------------------------

type Queryable = Pick<pg.Client, "query"> | Pick<pg.Pool, "query">;

export async function appliedMigrationNames(db: Queryable, schema: string): Promise<Set<string> | null> {
  const exists = await db.query<{ t: string | null }>(
    "SELECT to_regclass(format('%I._prisma_migrations', $1::text))::text AS t",
    [schema],
  );
  if (!exists.rows[0]?.t) return null;
  const res = await db.query<{ migration_name: string }>(
    `SELECT migration_name FROM ${qi(schema)}._prisma_migrations
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  return new Set(res.rows.map((r) => r.migration_name));
}

/**
 * Names of local migrations not yet applied, in apply order. Plain SQL on `_prisma_migrations`,
 * no engine: cheap enough for a readiness probe. A missing table means everything is pending.
 *
 * `db` is either a connection URL (a short-lived client is opened and closed) or an existing
 * `pg.Pool`/`pg.Client` (used as is, not closed; the schema is then `public` unless given).
 */
export async function listPendingMigrations(
  db: string | pg.Pool | pg.Client,
  opts?: { migrationsDir?: string; schema?: string },
): Promise<string[]> {
  const local = await listLocalMigrations(opts?.migrationsDir);
  if (typeof db !== "string") {
    return pendingOf(local, await appliedMigrationNames(db, opts?.schema ?? "public"));
  }
  const target = parseTarget(db);
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    return pendingOf(local, await appliedMigrationNames(client, opts?.schema ?? target.schema));
  } finally {
    await client.end();
  }
}

export function pendingOf(local: string[], applied: Set<string> | null): string[] {
  return applied ? local.filter((m) => !applied.has(m)) : local;
}

