// Gives each database-backed vitest project a fresh, migrated database:
//   db-embedded: an embedded PostgreSQL in a temporary folder, started for the run;
//   db-postgres: a new database on the server at TEST_DATABASE_URL (default: 127.0.0.1:5432).
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "../db/embedded";
import { applyPendingMigrations } from "../db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    /** A superuser URL on the same server, for tests that create their own databases. */
    serverUrl: string;
  }
}

export const defaultExternalUrl = "postgresql://postgres@127.0.0.1:5432/test";

export default async function setup(project: TestProject) {
  if (project.name === "db-embedded") {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "burnrate-test-"));
    await fs.chmod(dataDir, 0o755);
    const embedded = await startEmbeddedDatabase({ dataDir });
    await applyPendingMigrations(embedded.url);
    project.provide("databaseUrl", embedded.url);
    project.provide("serverUrl", embedded.url.replace(/\/burnrate$/, "/postgres"));
    return async () => {
      await embedded.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    };
  }
  const serverUrl = process.env.TEST_DATABASE_URL ?? defaultExternalUrl;
  const { url, drop } = await createScratchDatabase(serverUrl);
  await applyPendingMigrations(url);
  project.provide("databaseUrl", url);
  project.provide("serverUrl", serverUrl);
  return drop;
}

/** A new empty database on the server of `serverUrl`, and a function that drops it. */
export async function createScratchDatabase(serverUrl: string) {
  const name = `burnrate_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
