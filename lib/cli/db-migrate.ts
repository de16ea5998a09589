// Database migrations from the command line, on Prisma's wasm schema engine (no native binary):
//   tsx lib/cli/db-migrate.ts deploy                      like `prisma migrate deploy`
//   tsx lib/cli/db-migrate.ts status                      like `prisma migrate status` (exit 1 unless up to date)
//   tsx lib/cli/db-migrate.ts dev --name <name>           like `prisma migrate dev --name <name>`
//        [--create-only] [--accept-data-loss]
// Options for all: --verbose (engine log lines). Uses DATABASE_URL, or without it the embedded
// database in DATA_DIR (started for the command and stopped after); runs from the project root
// (prisma/migrations and prisma/schema.prisma are resolved from the working directory).
import path from "node:path";
import { parseArgs } from "node:util";
import { applyPendingMigrations, createMigration, migrationStatus } from "../server/db/migrate";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../server/db/embedded";
import { getConfig } from "../server/config";

const usage = `usage: tsx lib/cli/db-migrate.ts <command> [options]
  deploy                       apply pending migrations
  status                       show migration status (exit 1 unless up to date)
  dev --name <name>            create a migration from schema changes and apply it
      [--create-only]          write it without applying it
      [--accept-data-loss]     apply it even if it drops data
  --verbose                    print the schema engine's log
Uses DATABASE_URL, or the embedded database in DATA_DIR (default ./data) when it is unset.`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: "string", short: "n" },
        "create-only": { type: "boolean" },
        "accept-data-loss": { type: "boolean" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command || positionals.length > 1) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  let embedded: EmbeddedDatabase | undefined;
  if (!process.env.DATABASE_URL) {
    const config = getConfig();
    embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, port: config.EMBEDDED_DB_PORT });
  }
  try {
    return await run(command, values, process.env.DATABASE_URL ?? embedded!.url);
  } finally {
    await embedded?.stop();
  }
}

type Values = { name?: string; "create-only"?: boolean; "accept-data-loss"?: boolean; verbose?: boolean };

async function run(command: string, values: Values, databaseUrl: string): Promise<number> {
  const opts = { log: (msg: string) => console.log(msg), verbose: values.verbose ?? false };
  const started = performance.now();
  const took = () => `${Math.round(performance.now() - started)} ms`;

  switch (command) {
    case "deploy": {
      const { applied } = await applyPendingMigrations(databaseUrl, opts);
      if (applied.length) console.log(`Applied ${applied.length} migration(s) in ${took()}`);
      return 0;
    }
    case "status": {
      const s = await migrationStatus(databaseUrl, { verbose: opts.verbose, log: opts.log });
      console.log(`${s.local.length} migration(s) found in ${path.join("prisma", "migrations")}`);
      if (s.pending.length) console.log(`Not yet applied:\n${indent(s.pending)}`);
      if (s.missingLocally.length) {
        console.log(`Applied to the database but missing from the folder:\n${indent(s.missingLocally)}`);
      }
      if (s.failed.length) console.log(`Failed (resolve before deploying):\n${indent(s.failed)}`);
      if (s.edited.length) console.log(`Modified after being applied:\n${indent(s.edited)}`);
      console.log(s.upToDate ? "Database schema is up to date" : "Database schema is not up to date");
      return s.upToDate ? 0 : 1;
    }
    case "dev": {
      if (!values.name) {
        console.error(`dev needs --name <name>\n\n${usage}`);
        return 2;
      }
      const folder = await createMigration(databaseUrl, values.name, {
        ...opts,
        createOnly: values["create-only"] ?? false,
        acceptDataLoss: values["accept-data-loss"] ?? false,
      });
      console.log(folder ? `Migration ${folder} ready (${took()})` : "Already in sync, no migration created");
      return 0;
    }
    default:
      console.error(`unknown command: ${command}\n\n${usage}`);
      return 2;
  }
}

function indent(names: string[]): string {
  return names.map((n) => `  ${n}`).join("\n");
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
