// Start-up, in order: validate configuration, bring up the database (embedded unless
// DATABASE_URL is set), apply pending migrations (once, under an advisory lock, so replicas
// can start together), create the first admin if configured, seed demo data if asked, serve.
import path from "node:path";
import { closeDatabase, db } from "./db/client";
import { keepClockInSync } from "./clock";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./db/embedded";
import { applyPendingMigrations } from "./db/migrate";
import { ConfigError, parseConfig, type Config } from "./config";
import { logger } from "./logger";
import { readOrCreateSecret } from "./secret-file";
import { startHttpServer, type RunningServer } from "./http/server";
import { bootstrapAdmin } from "./services/users";
import { seedDemo } from "./demo/seed";
import { startJobs, type JobRunner } from "./jobs/runner";

export type Booted = { config: Config; server: RunningServer; stop: () => Promise<void> };

export async function boot(opts: { dev?: boolean; demo?: boolean } = {}): Promise<Booted> {
  const config = parseConfig(process.env);
  const log = logger();
  let embedded: EmbeddedDatabase | undefined;
  if (!config.DATABASE_URL) {
    embedded = await startEmbeddedDatabase({
      dataDir: config.dataDir,
      port: config.EMBEDDED_DB_PORT,
      log: (line) => log.info(line),
    });
  }
  const stopDatabase = async () => {
    await closeDatabase();
    await embedded?.stop();
  };
  try {
    const databaseUrl = config.DATABASE_URL ?? embedded!.url;
    process.env.DATABASE_URL = databaseUrl;
    process.env.AUTH_SECRET = await resolveAuthSecret(config, Boolean(embedded));
    process.env.NEXTAUTH_SECRET = process.env.AUTH_SECRET;
    process.env.NEXTAUTH_URL = config.publicUrl;

    const { applied } = await applyPendingMigrations(databaseUrl, { log: (m) => log.info(m) });
    if (applied.length) log.info({ applied }, "database migrations applied");
    // Time comes from the database's clock from here on (lib/server/clock.ts).
    const stopClock = await keepClockInSync(db().pool, log);

    const admin = await bootstrapAdmin({
      email: config.BURNRATE_ADMIN_EMAIL,
      password: config.BURNRATE_ADMIN_PASSWORD,
      name: config.BURNRATE_ADMIN_NAME,
    });
    if (admin) log.info({ user_id: admin.id }, "first administrator created from BURNRATE_ADMIN_EMAIL");
    if (opts.demo || config.BURNRATE_DEMO) await seedDemo({ log, dataDir: config.dataDir });
    const jobs: JobRunner | undefined = config.BURNRATE_JOBS ? await startJobs(databaseUrl, log) : undefined;

    const server = await startHttpServer({ dev: Boolean(opts.dev), host: config.HOST, port: config.PORT, log, tls: config.publicUrl.startsWith("https://") });
    log.info(`Burnrate is listening on ${config.publicUrl} (bound to ${config.HOST}:${server.port})`);
    return {
      config,
      server,
      stop: async () => {
        await server.close();
        stopClock();
        await jobs?.stop();
        await stopDatabase();
      },
    };
  } catch (e) {
    await stopDatabase().catch(() => {});
    throw e;
  }
}

async function resolveAuthSecret(config: Config, embedded: boolean): Promise<string> {
  if (config.AUTH_SECRET) return config.AUTH_SECRET;
  if (!embedded) {
    throw new ConfigError(
      "Invalid configuration:\n  AUTH_SECRET: is required with DATABASE_URL, and every replica must share it (try: openssl rand -base64 32)",
    );
  }
  // Single-node default: a random secret kept beside the embedded database.
  return readOrCreateSecret(path.join(config.dataDir, "auth-secret"));
}
