// `npm run bench`: the SLO engine at scale on PostgreSQL (TEST_DATABASE_URL, a scratch database
// made and dropped here). Seeds BENCH_SLOS SLOs (default 1,000) with BENCH_DAYS (default 30) of
// per-minute data through the push path, next to a plain COPY of the same rows measured in the
// same run, then times every SLO's status and one SLO's status with its burndown, the dashboard,
// the deploy gate (alone, and beside concurrent postmortem searches), and a 10-minute mixed load
// on the embedded default and on PostgreSQL; then the scale part (scale.ts, 10,000 SLOs and
// Prometheus beside them), the mixed load and the soak.
// Figures are printed; targets are ratios and budgets from issue 3, reported, not asserted.
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { db } from "../server/db/client";
import { defaultExternalUrl } from "../server/testing/global-setup";
import { benchRows, pushBenchRows, withBenchDatabase } from "./bench-database";

const SLOS = Number(process.env.BENCH_SLOS ?? 1000);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const PUSHERS = Number(process.env.BENCH_PUSHERS ?? 2);
/** `npm run bench:dashboard`: seed, then only the statuses and the dashboard (pages' time to interactive). */
const DASHBOARD_ONLY = process.env.BENCH_PART === "dashboard";
const MIN = 60_000;

async function main() {
  // `npm run bench:scale` / BENCH_PART=scale: only the 10,000-SLO part (scale.ts).
  if (process.env.BENCH_PART === "scale") return (await import("./scale")).benchScale();
  await withBenchDatabase(SLOS, async ({ url, catalog: { teamSlug, sliIds, token, gateSecret, email, password } }) => {
    const end = Math.floor(Date.now() / MIN) * MIN;
    const total = SLOS * DAYS * 1440;
    console.log(`Burnrate SLO engine benchmark: ${SLOS} SLOs x ${DAYS} days = ${total.toLocaleString("en-US")} minute buckets on PostgreSQL`);

    // Baseline: COPY of the same rows into a plain table of the same shape.
    await db().pool.query("CREATE TABLE bench_copy (sli_id uuid, minute timestamptz, good bigint, total bigint, PRIMARY KEY (sli_id, minute))");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let t = performance.now();
    const gen = benchRows(sliIds, end, DAYS);
    await pipeline(
      Readable.from((function* () {
        let buf = "";
        for (const r of gen) {
          buf += `${r.sliId}\t${r.minute.toISOString()}\t${r.good}\t${r.total}\n`;
          if (buf.length > 1 << 20) {
            yield buf;
            buf = "";
          }
        }
        if (buf) yield buf;
      })()),
      client.query(copyFrom("COPY bench_copy FROM STDIN")),
    );
    const copySeconds = (performance.now() - t) / 1000;
    await client.end();
    await db().pool.query("DROP TABLE bench_copy");
    const copyRate = total / copySeconds;
    console.log(`COPY baseline:        ${Math.round(copyRate).toLocaleString("en-US")} buckets/s (${copySeconds.toFixed(1)} s)`);

    // The push path: validation, SLI resolution, upsert and rollup, in batches of 10,000 items
    // from PUSHERS clients at once (as agents push in parallel), each pushing whole SLIs.
    const { ingestBatch } = await import("../server/services/ingest");
    t = performance.now();
    let next = 0;
    const pusher = async () => {
      for (let s = next++; s < sliIds.length; s = next++) await pushBenchRows(ingestBatch, token, sliIds[s]!, end, DAYS);
    };
    await Promise.all(Array.from({ length: PUSHERS }, pusher));
    const pushSeconds = (performance.now() - t) / 1000;
    const pushRate = total / pushSeconds;
    console.log(`Push ingestion:       ${Math.round(pushRate).toLocaleString("en-US")} buckets/s (${pushSeconds.toFixed(1)} s, ${PUSHERS} clients) = ${(pushRate / copyRate).toFixed(2)} x COPY (target >= 0.5)`);

    const { getSloStatus } = await import("../server/services/slo-status");
    const { listTeamStatus } = await import("../server/services/team-status");
    await db().pool.query("VACUUM ANALYZE");
    const at = new Date(end);
    const allTimes: number[] = [];
    let count = 0;
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      count = (await listTeamStatus(token, teamSlug, at)).slos.length;
      allTimes.push(performance.now() - t);
    }
    const first = allTimes[0]!;
    allTimes.sort((a, b) => a - b);
    console.log(`All ${count} statuses:      first ${Math.round(first)} ms, median ${Math.round(allTimes[2]!)} ms over 5 runs (target < 1000 ms)`);

    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      t = performance.now();
      await getSloStatus(token, teamSlug, "svc-0", "slo-0", at);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`One status + burndown: median ${times[10]!.toFixed(1)} ms, p95 ${times[19]!.toFixed(1)} ms over 21 runs (target < 20 ms)`);

    const { benchDashboard } = await import("./dashboard");
    await benchDashboard(url, email, password, SLOS);
    if (DASHBOARD_ONLY) return;

    // The gate on svc-0, whose SLO has the full 30 days of minutes.
    const { benchGate } = await import("./gate");
    await benchGate(url, gateSecret, "svc-0");

    // The gate again, alone and while 4 clients search ~50 MB of published postmortems (issue 14).
    const { benchGateWithSearches } = await import("./search");
    await benchGateWithSearches(url, gateSecret, "svc-0");

    // One canary analysis interval over 10 SLIs x 60 minutes of two cohorts (issue 16).
    const { benchCanary } = await import("./canary");
    await benchCanary({ teamSlug, token, gateSecret });
  });

  if (DASHBOARD_ONLY) return;
  // Issue 17: BENCH_SCALE_SLOS (default 10,000) SLOs seeded by SQL, with Prometheus beside them.
  await (await import("./scale")).benchScale();

  // The mixed load (issue 7), each on a fresh app: LOAD_SECONDS (default 600) on the embedded
  // default, then on PostgreSQL.
  const { benchLoad } = await import("./load");
  await benchLoad(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);

  // The soak (issue 19): the mix for SOAK_MINUTES (default 60) on one app, leaks and backlog per minute.
  const { benchSoak } = await import("./soak");
  await benchSoak(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
