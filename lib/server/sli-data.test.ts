// The hourly rollup stays exactly in step with the minute buckets, also under concurrent
// writes to the same hours, and counts read through it equal counts read minute by minute.
import { describe, expect, it } from "vitest";
import { db, REUSED_PLAN_MAX, statementName } from "./db/client";
import { makeTeam } from "./testing/factories";
import { createService, createSli } from "./services/catalog";
import { countByMinute, countManyWindowsAndLookbacks, countWindowAndLookbacks, upsertBuckets, type BucketRow } from "./sli-data";
import { createExclusion } from "./services/catalog";

const MIN = 60_000;
const t0 = Date.UTC(2026, 2, 1, 0, 0);

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function sli() {
  const { team, members } = await makeTeam(["editor"]);
  const svc = await createService(members.editor, team.slug, { slug: "s", name: "S", description: "" });
  const x = await createSli(members.editor, team.slug, "s", { slug: "x", name: "X", description: "", kind: "request_ratio" });
  return { id: x!.id, serviceId: svc!.id };
}

describe("hourly rollup", () => {
  it("matches the minutes after concurrent, overlapping, out-of-order writes", async () => {
    const s = await sli();
    const random = prng(42);
    const batch = (n: number): BucketRow[] =>
      Array.from({ length: n }, () => {
        const total = Math.floor(random() * 1000);
        return { sliId: s.id, minute: new Date(t0 + Math.floor(random() * 5 * 1440) * MIN), good: Math.floor(random() * (total + 1)), total };
      });
    // Eight writers at once, all landing in the same five days (so the same hours), twice;
    // then bursts of small writes crowding the same two hours, where races would show.
    for (let round = 0; round < 2; round++) await Promise.all(Array.from({ length: 8 }, () => upsertBuckets(batch(700))));
    // Writer k writes only minute k of one hour: no two writers touch the same minute row, so
    // only the rollup's own concurrency control keeps the hour's sum right.
    for (let round = 0; round < 10; round++) {
      const hour = t0 + (6 * 1440 + round * 60) * MIN;
      await Promise.all(Array.from({ length: 12 }, (_, k) => upsertBuckets([{ sliId: s.id, minute: new Date(hour + k * MIN), good: k, total: 10 + k }])));
    }
    const { rows } = await db().pool.query(
      `SELECT m.hour, m.good, m.total, h.good AS h_good, h.total AS h_total
       FROM (SELECT date_trunc('hour', minute AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, sum(good)::bigint AS good, sum(total)::bigint AS total
             FROM sli_buckets WHERE sli_id = $1 GROUP BY 1) m
       FULL JOIN (SELECT hour, good, total FROM sli_buckets_hourly WHERE sli_id = $1) h ON h.hour = m.hour
       WHERE m.good IS DISTINCT FROM h.good OR m.total IS DISTINCT FROM h.total`,
      [s.id],
    );
    expect(rows).toEqual([]);
    const days = await db().pool.query(
      `SELECT h.day, h.good, h.total, d.good AS d_good, d.total AS d_total
       FROM (SELECT date_trunc('day', hour, 'UTC') AS day, sum(good)::bigint AS good, sum(total)::bigint AS total
             FROM sli_buckets_hourly WHERE sli_id = $1 GROUP BY 1) h
       FULL JOIN (SELECT day, good, total FROM sli_buckets_daily WHERE sli_id = $1) d ON d.day = h.day
       WHERE h.good IS DISTINCT FROM d.good OR h.total IS DISTINCT FROM d.total`,
      [s.id],
    );
    expect(days.rows).toEqual([]);
    const hours = await db().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM sli_buckets_hourly WHERE sli_id = $1", [s.id]);
    expect(hours.rows[0]!.n).toBeGreaterThan(100);

    // Counts through the rollup equal counts minute by minute, for windows and instants at any offset.
    for (let i = 0; i < 40; i++) {
      const at = new Date(t0 + Math.floor(random() * 6 * 1440 * MIN));
      const windowStart = new Date(at.getTime() - Math.floor(random() * 4 * 1440) * MIN - Math.floor(random() * 60_000));
      const { window, lookbacks } = await countWindowAndLookbacks(s, windowStart, at);
      expect({ window, lookbacks }).toEqual(await countByMinute(s, windowStart, at));
    }
  });
});

describe("series for charts", () => {
  it("reads the same hourly and daily sums through the rollup as minute by minute", async () => {
    const s = await sli();
    const random = prng(7);
    const rows = Array.from({ length: 3000 }, () => {
      const total = Math.floor(random() * 500);
      return { sliId: s.id, minute: new Date(t0 + Math.floor(random() * 3 * 1440) * MIN), good: Math.floor(random() * (total + 1)), total };
    });
    await upsertBuckets(rows);
    const { bucketSeries } = await import("./sli-data");
    for (const step of [60, 1440]) {
      const from = new Date(t0 + 17 * MIN);
      const at = new Date(t0 + 2 * 1440 * MIN + 333 * MIN + 20_000);
      const series = await bucketSeries(s, from, at, step);
      // Expected: straight from the minutes, in JS.
      const stepMs = step * MIN;
      const expected = new Map<number, [number, number]>();
      const latest = new Map(rows.map((r) => [r.minute.getTime(), r])); // last write wins
      for (const r of latest.values()) {
        if (r.minute < from || r.minute >= at) continue;
        const k = Math.floor(r.minute.getTime() / stepMs);
        const [g, t] = expected.get(k) ?? [0, 0];
        expected.set(k, [g + r.good, t + r.total]);
      }
      for (const b of series) {
        const [g, t] = expected.get(b.start.getTime() / stepMs) ?? [0, 0];
        expect([b.good, b.total]).toEqual([g, t]);
      }
      expect(series.reduce((n, b) => n + b.total, 0)).toBe([...expected.values()].reduce((n, [, t]) => n + t, 0));
    }
  });
});

describe("minute storage", () => {
  it("keeps minutes in weekly partitions (Monday 00:00 UTC), made as data for a new week arrives", async () => {
    const s = await sli();
    // Sunday 23:59 and Monday 00:00 of 2026-03-09 fall in two partitions.
    const sunday = Date.UTC(2026, 2, 8, 23, 59);
    await upsertBuckets([
      { sliId: s.id, minute: new Date(sunday), good: 1, total: 1 },
      { sliId: s.id, minute: new Date(sunday + MIN), good: 2, total: 2 },
    ]);
    const { rows } = await db().pool.query<{ part: string; n: number }>(
      "SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM sli_buckets WHERE sli_id = $1 GROUP BY 1 ORDER BY 1",
      [s.id],
    );
    expect(rows).toEqual([
      { part: "burnrate_partitions.sli_buckets_20260302", n: 1 },
      { part: "burnrate_partitions.sli_buckets_20260309", n: 1 },
    ]);
  });

  it("re-sending a batch changes nothing; a changed bucket moves its hour by the difference", async () => {
    const s = await sli();
    const rows = Array.from({ length: 90 }, (_, i) => ({ sliId: s.id, minute: new Date(t0 + i * MIN), good: 90 + (i % 10), total: 100 }));
    await upsertBuckets(rows);
    const hourly = async () =>
      (await db().pool.query<{ good: string; total: string }>("SELECT good, total FROM sli_buckets_hourly WHERE sli_id = $1 ORDER BY hour", [s.id])).rows.map((r) => [Number(r.good), Number(r.total)]);
    const sum = (xs: typeof rows) => [xs.reduce((a, r) => a + r.good, 0), xs.reduce((a, r) => a + r.total, 0)];
    expect(await hourly()).toEqual([sum(rows.slice(0, 60)), sum(rows.slice(60))]);
    await upsertBuckets(rows);
    expect(await hourly()).toEqual([sum(rows.slice(0, 60)), sum(rows.slice(60))]);
    // Minute 5 goes from 95/100 to 10/40, and the same batch sends it twice: the later one wins.
    await upsertBuckets([{ ...rows[5]!, good: 1, total: 1 }, { ...rows[5]!, good: 10, total: 40 }]);
    const first = sum(rows.slice(0, 60));
    expect(await hourly()).toEqual([[first[0]! - 95 + 10, first[1]! - 100 + 40], sum(rows.slice(60))]);
  });

  it("deleting an SLI deletes its minutes (there is no foreign key to cascade), and a write for a deleted SLI stores nothing", async () => {
    const s = await sli();
    await upsertBuckets([{ sliId: s.id, minute: new Date(t0), good: 1, total: 2 }]);
    await db().pool.query("DELETE FROM slis WHERE id = $1", [s.id]);
    const count = async () => (await db().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM sli_buckets WHERE sli_id = $1", [s.id])).rows[0]!.n;
    expect(await count()).toBe(0);
    expect(await upsertBuckets([{ sliId: s.id, minute: new Date(t0 + MIN), good: 1, total: 2 }])).toBe(0);
    expect(await count()).toBe(0);
  });
});

describe("counts of many SLIs in one statement", () => {
  it("equal each SLI's counts read minute by minute, with different windows and an exclusion on one SLI", async () => {
    const { team, members } = await makeTeam(["editor"]);
    const random = prng(11);
    const list: { id: string; serviceId: string; windowStart: Date }[] = [];
    for (let i = 0; i < 4; i++) {
      const svc = await createService(members.editor, team.slug, { slug: `s${i}`, name: `S${i}`, description: "" });
      const x = await createSli(members.editor, team.slug, `s${i}`, { slug: "x", name: "X", description: "", kind: "request_ratio" });
      const rows = Array.from({ length: 4000 }, () => {
        const total = Math.floor(random() * 100);
        return { sliId: x!.id, minute: new Date(t0 + Math.floor(random() * 8 * 1440) * MIN), good: Math.floor(random() * (total + 1)), total };
      });
      await upsertBuckets(rows);
      // Windows from 30 minutes to 7 days long, at odd offsets; one SLI twice (two SLOs share it).
      for (const minutes of i === 0 ? [30, 7 * 1440 - 17] : [Math.floor(random() * 7 * 1440)]) {
        list.push({ id: x!.id, serviceId: svc!.id, windowStart: new Date(t0 + 8 * 1440 * MIN - minutes * MIN - 25_000) });
      }
    }
    await createExclusion(members.editor, team.slug, "s2", {
      sli: null, kind: "maintenance", reason: "database failover", startsAt: new Date(t0 + 7 * 1440 * MIN), endsAt: new Date(t0 + 7 * 1440 * MIN + 90 * MIN),
    });
    const at = new Date(t0 + 8 * 1440 * MIN - 25_000);
    const many = await countManyWindowsAndLookbacks(list, at);
    const one = await Promise.all(list.map((x) => countByMinute(x, x.windowStart, at)));
    const counts = (x: { window: unknown; lookbacks: unknown }) => ({ window: x.window, lookbacks: x.lookbacks });
    expect(many.map(counts)).toEqual(one.map(counts));
    // The days of each window add up to the window, each day inside it.
    for (const [i, m] of many.entries()) {
      expect(m.daily!.reduce((s, d) => s + d.total, 0)).toBe(m.window.total);
      expect(m.daily!.reduce((s, d) => s + d.good, 0)).toBe(m.window.good);
      for (const d of m.daily!) expect(d.start.getTime()).toBeGreaterThan(list[i]!.windowStart.getTime() - 86_400_000);
    }
    // The exclusion took minutes out of the excluded SLI only.
    const raw = await db().pool.query<{ n: string }>("SELECT sum(total)::text AS n FROM sli_buckets WHERE sli_id = $1 AND minute >= $2 AND minute < $3", [list[3]!.id, list[3]!.windowStart, at]);
    expect(many[3]!.window.total).toBeLessThan(Number(raw.rows[0]!.n));
    expect(many[4]!.window.total).toBeGreaterThan(0);

    // One SLO's read is a prepared statement with a generic plan (db/client.ts reusedQuery()); a
    // batch past REUSED_PLAN_MAX is planned for its values. Both give the same counts.
    const alone = await Promise.all(list.map((x) => countManyWindowsAndLookbacks([x], at)));
    expect(alone.map((a) => counts(a[0]!))).toEqual(many.map(counts));
    const padded = Array.from({ length: REUSED_PLAN_MAX + 1 }, (_, k) => list[k % list.length]!);
    expect((await countManyWindowsAndLookbacks(padded, at)).map(counts)).toEqual(padded.map((x) => counts(many[list.indexOf(x)]!)));
    // Generic plans on the reused statements' own connections only: on the main pool's, where
    // Prisma's statements and the batches run, a statement is still planned for its values.
    const text = "SELECT count(*)::int AS n FROM sli_buckets WHERE sli_id = $1 AND minute >= $2";
    expect(statementName(text)).toMatch(/^br_[0-9a-f]{24}$/);
    for (const [pool, plans] of [[db().reusing, { generic_plans: 3, custom_plans: 0 }], [db().pool, { generic_plans: 0, custom_plans: 3 }]] as const) {
      const client = await pool.connect();
      try {
        for (let i = 0; i < 3; i++) await client.query({ name: statementName(text), text, values: [list[0]!.id, list[0]!.windowStart] });
        const { rows } = await client.query("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1", [statementName(text)]);
        expect(rows).toEqual([plans]);
      } finally {
        client.release();
      }
    }
  });
});

describe("the exclusion rule, once in SQL and once in the domain", () => {
  it("NOT_EXCLUDED_SQL leaves out exactly the minutes exclusionCovers names", async () => {
    const { team, members } = await makeTeam(["editor"]);
    await createService(members.editor, team.slug, { slug: "svc", name: "Svc", description: "" });
    await createService(members.editor, team.slug, { slug: "other", name: "Other", description: "" });
    const a = (await createSli(members.editor, team.slug, "svc", { slug: "a", name: "A", description: "", kind: "request_ratio" }))!;
    const b = (await createSli(members.editor, team.slug, "svc", { slug: "b", name: "B", description: "", kind: "request_ratio" }))!;
    const o = (await createSli(members.editor, team.slug, "other", { slug: "o", name: "O", description: "", kind: "request_ratio" }))!;
    const ids = await db().pool.query<{ id: string; service_id: string }>("SELECT id, service_id FROM slis WHERE id = ANY($1::uuid[])", [[a.id, b.id, o.id]]);
    const serviceOf = new Map(ids.rows.map((r) => [r.id, r.service_id]));
    const t0 = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000);
    const at = (m: number) => new Date(t0.getTime() + m * 60_000);
    const svc = serviceOf.get(a.id)!;
    // One of the service's SLIs for minutes 10-19; all of them for 30-39 (ends exclusive); the other service's for 0-59.
    const exclusions = [
      { serviceId: svc, sliId: a.id, startsAt: at(10), endsAt: at(20) },
      { serviceId: svc, sliId: null, startsAt: at(30), endsAt: at(40) },
      { serviceId: serviceOf.get(o.id)!, sliId: null, startsAt: at(0), endsAt: at(60) },
    ];
    for (const e of exclusions) {
      await db().pool.query("INSERT INTO exclusions (id, service_id, sli_id, kind, reason, starts_at, ends_at) VALUES (gen_random_uuid(), $1, $2, 'maintenance', 'test', $3, $4)", [e.serviceId, e.sliId, e.startsAt, e.endsAt]);
    }
    const { NOT_EXCLUDED_SQL } = await import("./sli-data");
    const { exclusionCovers } = await import("../domain/exclusion");
    for (const sli of [a, b, o]) {
      const minutes = Array.from({ length: 60 }, (_, m) => at(m));
      const { rows } = await db().pool.query<{ minute: Date }>(
        `SELECT b.minute FROM unnest($3::timestamptz[]) AS m(minute) CROSS JOIN LATERAL (SELECT $1::uuid AS sli_id, m.minute) b
         WHERE ${NOT_EXCLUDED_SQL("$2")}`,
        [sli.id, serviceOf.get(sli.id), minutes],
      );
      const kept = new Set(rows.map((r) => r.minute.getTime()));
      const target = { id: sli.id, serviceId: serviceOf.get(sli.id)! };
      for (const m of minutes) expect(kept.has(m.getTime()), `${sli.id} ${m.toISOString()}`).toBe(!exclusions.some((e) => exclusionCovers(e, target, m)));
    }
  });
});
