// Integration tests of the migration runner against a real PostgreSQL: the embedded PostgreSQL 18
// in the db-embedded project, TEST_DATABASE_URL (default the local server) in db-postgres. Every test works in its own scratch database, dropped afterwards.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  applyPendingMigrations,
  createMigration,
  listLocalMigrations,
  listPendingMigrations,
  migrationSlug,
  migrationStatus,
} from "./migrate";

const serverUrl = inject("serverUrl");
const created: string[] = [];
let admin: pg.Client;
let local: string[];
let tmp: string;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  local = await listLocalMigrations();
  tmp = await mkdtemp(path.join(os.tmpdir(), "burnrate-migrate-test-"));
});

afterAll(async () => {
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  await rm(tmp, { recursive: true, force: true });
});

async function scratchDatabase(): Promise<string> {
  const name = `burnrate_migrate_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  created.push(name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const appliedRows = (url: string) =>
  query<{ migration_name: string }>(
    url,
    "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
  );

describe("migration runner", () => {
  it("has the initial migration in prisma/migrations", () => {
    expect(local.length).toBeGreaterThan(0);
    expect(local[0]).toMatch(/^\d{14}_init$/);
  });

  it("applies to an empty database once, then finds nothing to apply", async () => {
    const url = await scratchDatabase();
    const first = await applyPendingMigrations(url);
    expect(first.applied).toEqual(local);

    const tables = await query<{ t: string | null }>(
      url,
      "SELECT to_regclass('public.users')::text AS t UNION ALL SELECT to_regclass('public.sli_buckets')::text",
    );
    expect(tables.map((r) => r.t)).toEqual(["users", "sli_buckets"]);
    expect((await appliedRows(url)).map((r) => r.migration_name)).toEqual(local);

    const second = await applyPendingMigrations(url);
    expect(second.applied).toEqual([]);
    expect(await appliedRows(url)).toHaveLength(local.length);

    const status = await migrationStatus(url);
    expect(status).toMatchObject({ upToDate: true, pending: [], failed: [], local });
  });

  it("applies exactly once when five callers race", async () => {
    const url = await scratchDatabase();
    const results = await Promise.all(Array.from({ length: 5 }, () => applyPendingMigrations(url)));
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    expect(results.flatMap((r) => r.applied)).toEqual(local);
    const rows = await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM _prisma_migrations");
    expect(rows[0]?.n).toBe(local.length);
  });

  it("lists pending migrations with plain SQL, before and after", async () => {
    const url = await scratchDatabase();
    expect(await listPendingMigrations(url)).toEqual(local); // no _prisma_migrations table yet
    expect((await migrationStatus(url)).pending).toEqual(local);
    await applyPendingMigrations(url);
    expect(await listPendingMigrations(url)).toEqual([]);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      expect(await listPendingMigrations(pool)).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it("creates no migration when the schema matches the history", async () => {
    const url = await scratchDatabase();
    const migrationsDir = path.join(tmp, "unchanged");
    await cp(path.resolve("prisma/migrations"), migrationsDir, { recursive: true });
    expect(await createMigration(url, "nothing", { migrationsDir })).toBeNull();
    expect(await listLocalMigrations(migrationsDir)).toEqual(local);
    // `dev` applies the history to the development database first, as `prisma migrate dev` does.
    expect(await listPendingMigrations(url, { migrationsDir })).toEqual([]);
  });

  it("names migration folders as the Prisma CLI does", () => {
    expect(migrationSlug("add notes")).toBe("add_notes");
    expect(migrationSlug("Add apiToken scopes!")).toBe("add_api_token_scopes");
    expect(migrationSlug("  ")).toBe("");
  });

  it("creates and applies a migration for a schema change", async () => {
    const url = await scratchDatabase();
    const migrationsDir = path.join(tmp, "changed");
    await cp(path.resolve("prisma/migrations"), migrationsDir, { recursive: true });
    const schemaPath = path.join(tmp, "schema.prisma");
    const schema = await readFile(path.resolve("prisma/schema.prisma"), "utf8");
    await writeFile(
      schemaPath,
      `${schema}\nmodel MigrateTestNote {\n  id   Int    @id\n  body String\n\n  @@map("migrate_test_notes")\n}\n`,
    );
    const folder = await createMigration(url, "add notes", { migrationsDir, schemaPath });
    expect(folder).toMatch(/^\d{14}_add_notes$/);
    const sql = await readFile(path.join(migrationsDir, folder!, "migration.sql"), "utf8");
    expect(sql).toContain('CREATE TABLE "migrate_test_notes"');
    expect(await readFile(path.join(migrationsDir, "migration_lock.toml"), "utf8")).toContain(
      'provider = "postgresql"',
    );
    expect(await listPendingMigrations(url, { migrationsDir })).toEqual([]);
    expect(await createMigration(url, "again", { migrationsDir, schemaPath })).toBeNull();
  });
});
