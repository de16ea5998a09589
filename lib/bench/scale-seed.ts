// Seeding for the scale part (scale.ts): BENCH_SCALE_SLOS SLOs (one service and SLI each) and
// 30 days of their traffic written by SQL straight into the tables the push path fills, instead
// of pushing 432 million minutes. Every SLI gets the same deterministic series as benchRows()
// (bench-database.ts). Minute buckets are written for the hours the status engine reads per
// minute (the last 7 hours, which hold every lookback up to 6h, and the hours holding the 1d and
// 3d lookbacks' starts and the window's start); the hourly and daily rollups are written for the
// whole window, as upsertBuckets would leave them: an hour's sum is the sum of its minutes.
// scale.ts checks the result against one SLI pushed through the push path.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { ensureBucketPartitions } from "../server/sli-data";

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Services, SLIs and SLOs svc-1 .. svc-(n-1) of team `teamId`, like seed-catalog.ts's svc-0, in a few statements. */
export async function seedScaleCatalog(url: string, teamId: string, n: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO services (id, team_id, slug, name) SELECT gen_random_uuid(), $1, 'svc-' || g, 'Service ' || g FROM generate_series(1, $2::int - 1) g`,
      [teamId, n],
    );
    await client.query(
      `INSERT INTO slis (id, service_id, slug, name, kind) SELECT gen_random_uuid(), s.id, 'availability', 'Availability', 'request_ratio'
       FROM services s WHERE s.team_id = $1 AND s.slug <> 'svc-0'`,
      [teamId],
    );
    await client.query(
      `INSERT INTO slos (id, service_id, sli_id, slug, name, objective, window_kind, window_days)
       SELECT gen_random_uuid(), s.id, i.id, 'slo-' || substr(s.slug, 5), 'SLO ' || substr(s.slug, 5), 0.999, 'rolling', 30
       FROM services s JOIN slis i ON i.service_id = s.id WHERE s.team_id = $1 AND s.slug <> 'svc-0'`,
      [teamId],
    );
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

/**
 * Writes `days` of benchRows' series ending at `end` for every SLI of team `teamId` except
 * `skipSliId` (the one pushed through the push path). Returns the rows written per table.
 */
export async function seedScaleData(url: string, teamId: string, skipSliId: string, end: number, days: number) {
  const t = performance.now();
  const start = end - days * 1440 * MIN;
  await ensureBucketPartitions(new Date(start - 7 * 1440 * MIN), new Date(end + 7 * 1440 * MIN));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The hours read per minute: floor(t, hour) for each edge the engine splits at.
    const hourOf = (ms: number) => Math.floor(ms / HOUR) * HOUR;
    const minuteHours = [hourOf(end - 1440 * MIN), hourOf(end - 4320 * MIN), hourOf(start)];
    // i = minutes before `end`, as in benchRows: total = 1000 + i % 97, 3 bad every 7th minute.
    await client.query(
      `CREATE TEMP TABLE pattern AS
       SELECT to_timestamp(($1::bigint - i::bigint * 60000) / 1000.0) AS minute, (1000 + i % 97 - CASE WHEN i % 7 = 0 THEN 3 ELSE 0 END)::bigint AS good, (1000 + i % 97)::bigint AS total
       FROM generate_series(1, $2::int) i`,
      [end, days * 1440],
    );
    await client.query(
      `ALTER TABLE pattern ADD COLUMN per_minute boolean;
       UPDATE pattern SET per_minute = minute >= to_timestamp(${(hourOf(end) - 6 * HOUR) / 1000}) OR date_trunc('hour', minute, 'UTC') = ANY(ARRAY[${minuteHours.map((h) => `to_timestamp(${h / 1000})`).join(",")}])`,
    );
    const slis = (await client.query<{ id: string }>(`SELECT i.id FROM slis i JOIN services s ON s.id = i.service_id WHERE s.team_id = $1 AND i.id <> $2 ORDER BY i.id`, [teamId, skipSliId])).rows.map((r) => r.id);
    const rows = { minutes: 0, hours: 0, days: 0 };
    // A thousand SLIs a statement: each statement's rows arrive in key order.
    for (let i = 0; i < slis.length; i += 1000) {
      const ids = slis.slice(i, i + 1000);
      rows.minutes += (await client.query(`INSERT INTO sli_buckets (sli_id, minute, good, total) SELECT s.id, p.minute, p.good, p.total FROM unnest($1::uuid[]) s(id) CROSS JOIN pattern p WHERE p.per_minute ORDER BY 1, 2`, [ids])).rowCount ?? 0;
      rows.hours += (await client.query(
        `INSERT INTO sli_buckets_hourly (sli_id, hour, good, total) SELECT s.id, h.hour, h.good, h.total FROM unnest($1::uuid[]) s(id)
         CROSS JOIN (SELECT date_trunc('hour', minute, 'UTC') AS hour, sum(good) AS good, sum(total) AS total FROM pattern GROUP BY 1) h ORDER BY 1, 2`,
        [ids],
      )).rowCount ?? 0;
      rows.days += (await client.query(
        `INSERT INTO sli_buckets_daily (sli_id, day, good, total) SELECT s.id, d.day, d.good, d.total FROM unnest($1::uuid[]) s(id)
         CROSS JOIN (SELECT date_trunc('day', minute, 'UTC') AS day, sum(good) AS good, sum(total) AS total FROM pattern GROUP BY 1) d ORDER BY 1, 2`,
        [ids],
      )).rowCount ?? 0;
    }
    for (const table of ["sli_buckets", "sli_buckets_hourly", "sli_buckets_daily", "slos", "slis", "services"]) await client.query(`VACUUM ANALYZE ${table}`);
    return { ...rows, seconds: (performance.now() - t) / 1000 };
  } finally {
    await client.end();
  }
}
