// The search phase of the bench alone (`npm run bench` runs it too, on its larger database):
//   bash lib/cli/prepare.sh --build && npx tsx lib/bench/search.bench.ts
// A scratch database on TEST_DATABASE_URL's server with one SLO of 30 days of per-minute data
// (the gate's input, as in the bench), then lib/bench/search.ts. About a minute here.
import { pushBenchRows, withBenchDatabase } from "./bench-database";

const MIN = 60_000;

async function main() {
  await withBenchDatabase(1, async ({ url, catalog: { sliIds, token, gateSecret } }) => {
    const { ingestBatch } = await import("../server/services/ingest");
    const end = Math.floor(Date.now() / MIN) * MIN;
    await pushBenchRows(ingestBatch, token, sliIds[0]!, end, 30);
    const { benchGateWithSearches } = await import("./search");
    await benchGateWithSearches(url, gateSecret, "svc-0");
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
