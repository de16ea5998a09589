// `npm start` / `npm run dev` / `npm run demo`: boots Burnrate and stops it cleanly on SIGINT/SIGTERM.
import { boot } from "../server/boot";
import { ConfigError } from "../server/config";
import { EmbeddedDatabaseError } from "../server/db/embedded";
import { logger } from "../server/logger";

const args = new Set(process.argv.slice(2));

async function main() {
  const booted = await boot({ dev: args.has("--dev"), demo: args.has("--demo") });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ signal }, "shutting down");
    await booted.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof EmbeddedDatabaseError) {
    process.stderr.write(`\nBurnrate cannot start: ${e.message}\n\n`);
  } else {
    logger().fatal({ err: e }, "start-up failed");
  }
  process.exit(1);
});
