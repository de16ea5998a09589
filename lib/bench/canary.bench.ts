// `npx tsx lib/bench/canary.bench.ts`: only the canary interval's cost (lib/bench/canary.ts), on a
// scratch database of TEST_DATABASE_URL's server; `npm run bench` runs it with the rest.
import { withBenchDatabase } from "./bench-database";

withBenchDatabase(1, async ({ catalog }) => {
  const { benchCanary } = await import("./canary");
  await benchCanary(catalog);
}).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
