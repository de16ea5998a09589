// The search phase of the bench alone (`npm run bench` runs it too, on its larger database):
//   bash lib/cli/prepare.sh --build && npx tsx lib/bench/search.bench.ts
// A scratch database on TEST_DATABASE_URL's server with one SLO of 30 days of per-minute data
// (the gate's input, as in the bench), then lib/bench/search.ts. About a minute here.
import { applyPendingMigrations } from "../server/db/migrate";
import { closeDatabase, prisma } from "../server/db/client";
import { createScratchDatabase, defaultExternalUrl } from "../server/testing/global-setup";

const MIN = 60_000;

async function main() {
  process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret";
  const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
  process.env.DATABASE_URL = scratch.url;
  try {
    await applyPendingMigrations(scratch.url);
    const { seedBenchCatalog } = await import("./seed-catalog");
    const { sliIds, token, gateSecret } = await seedBenchCatalog(1);
    const { ingestBatch } = await import("../server/services/ingest");
    const end = Math.floor(Date.now() / MIN) * MIN;
    const minutes = 30 * 1440;
    for (let from = minutes; from > 0; from -= 10_000) {
      const items = [];
      for (let i = from; i > Math.max(0, from - 10_000); i--) {
        const total = 1000 + (i % 97);
        items.push({ sli: sliIds[0]!, minute: new Date(end - i * MIN).toISOString(), good: total - (i % 7 === 0 ? 3 : 0), total });
      }
      await ingestBatch(token, { items }, new Date(end));
    }
    const { benchGateWithSearches } = await import("./search");
    await benchGateWithSearches(scratch.url, gateSecret, "svc-0");
  } finally {
    await prisma().$disconnect().catch(() => {});
    await closeDatabase();
    await scratch.drop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
