// What the database benches share: a scratch database on TEST_DATABASE_URL's server, made and
// dropped here, with the committed migrations applied and the bench catalog seeded; and the
// deterministic per-minute traffic they push into it through the push path.
import { applyPendingMigrations } from "../server/db/migrate";
import { closeDatabase, prisma } from "../server/db/client";
import { createScratchDatabase, defaultExternalUrl } from "../server/testing/global-setup";
import type { ingestBatch } from "../server/services/ingest";
import type { seedBenchCatalog } from "./seed-catalog";

const MIN = 60_000;
const BATCH = 10_000; // the push endpoint's largest batch

export type BenchCatalog = Awaited<ReturnType<typeof seedBenchCatalog>>;

/**
 * Runs `fn` on a fresh scratch database seeded with `slos` SLOs (seed-catalog.ts), as the app's
 * database; disconnects and drops it afterwards, whatever happens. Modules that open the app's
 * database are imported only once DATABASE_URL names the scratch one (hence the dynamic imports).
 */
export async function withBenchDatabase<T>(slos: number, fn: (bench: { url: string; catalog: BenchCatalog }) => Promise<T>): Promise<T> {
  process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret";
  // The bench's bulk statements (a COPY of millions of rows) run far longer than a request may.
  process.env.DB_QUERY_TIMEOUT_MS ??= String(3_600_000);
  const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
  process.env.DATABASE_URL = scratch.url;
  try {
    await applyPendingMigrations(scratch.url);
    const { seedBenchCatalog } = await import("./seed-catalog");
    const catalog = await seedBenchCatalog(slos);
    return await fn({ url: scratch.url, catalog });
  } finally {
    await prisma().$disconnect().catch(() => {});
    await closeDatabase();
    await scratch.drop();
  }
}

/** `days` of per-minute buckets for each SLI, oldest first, ending at `end`: 1,000 requests a minute, a few failures. */
export function* benchRows(sliIds: string[], end: number, days: number) {
  const minutes = days * 1440;
  // Deterministic, cheap "traffic".
  for (const id of sliIds) for (let i = minutes; i > 0; i--) {
    const total = 1000 + (i % 97);
    yield { sliId: id, minute: new Date(end - i * MIN), good: total - (i % 7 === 0 ? 3 : 0), total };
  }
}

/**
 * Pushes `days` of one SLI's bench rows through the push path in batches of BATCH items.
 * `ingest` is ingestBatch, imported by the caller once the scratch database is the app's.
 */
export async function pushBenchRows(ingest: typeof ingestBatch, token: BenchCatalog["token"], sliId: string, end: number, days: number) {
  let items: unknown[] = [];
  for (const r of benchRows([sliId], end, days)) {
    items.push({ sli: r.sliId, minute: r.minute.toISOString(), good: r.good, total: r.total });
    if (items.length === BATCH) {
      await ingest(token, { items }, new Date(end));
      items = [];
    }
  }
  if (items.length) await ingest(token, { items }, new Date(end));
}
