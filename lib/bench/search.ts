// The search part of `npm run bench` (issue 14): the deploy gate at RATE requests/s alone, then
// while CLIENTS clients search postmortems in a loop through the same app, then beside a paced
// PACED searches a second, over ~50 MB of published postmortems seeded with SQL. Reports the
// gate's latencies and their ratios (with searches / without). Runs on the bench's database
// (slo-engine.bench.ts) or alone (search.bench.ts).
//
// Searches are limited to 30 a minute per person (lib/server/rate-limit.ts), so the clients
// search as many people, each staying under the limit: what is measured is what searches cost,
// not how cheaply a 429 is answered. Any 429 is counted and printed.
import http from "node:http";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { fmt, measure, medianRound, RATE, run, type Load, type Target } from "./gate";

const CLIENTS = Number(process.env.BENCH_SEARCH_CLIENTS ?? 4);
const TARGET_MB = Number(process.env.BENCH_SEARCH_MB ?? 50);
const SECONDS = Number(process.env.BENCH_SEARCH_SECONDS ?? 6);
/** The paced load: searches a second, open loop (20 people each at the limit of 30 a minute make 10). */
const PACED = Number(process.env.BENCH_SEARCH_PACED ?? 10);
const ROUNDS = 3;
/** People the clients search as; each searches at most PER_PERSON times in the phase (it lasts under a minute). */
const PEOPLE = Number(process.env.BENCH_SEARCH_PEOPLE ?? 200);
const PER_PERSON = 29;

/** Filler prose: common words of incident write-ups (stop words included, as in real text). */
const WORDS = (
  "the a of to and in on for with after before during while when we our team service request requests error errors latency " +
  "timeout timeouts retry retries traffic deploy deployed rollback rolled back alert alerts page paged engineer oncall " +
  "database primary replica query queries index slow spike spikes customer customers checkout payment payments api gateway " +
  "cluster node nodes pod pods region zone network packet loss upstream downstream queue queues worker workers backlog job " +
  "jobs cron schedule config flag feature release version canary stage staging production metric metrics dashboard graph " +
  "saturation cpu memory heap garbage collection pause thread threads lock locks contention throughput capacity limit limits " +
  "budget burn rate objective window minutes hours restart restarted mitigated resolved detected impact root cause trigger " +
  "fix fixed follow action item owner review runbook escalation incident commander scribe status update timeline"
).split(" ");
/** What people search for: each postmortem is about two of these, so each matches about 5 % of them. */
const TOPICS = [
  "connection pool", "config push", "certificate expiry", "dns resolution", "replica lag", "disk full", "memory leak",
  "rate limiter", "cache stampede", "deadlock", "thundering herd", "clock skew", "consumer lag", "tls handshake",
  "load balancer", "schema migration", "feature flag", "quota exhaustion", "kernel upgrade", "split brain",
  "noisy neighbour", "retry storm", "hot partition", "expired token", "bgp route", "cold start", "file descriptors",
  "stuck rollout", "vacuum freeze", "oom killer", "circuit breaker", "backpressure", "leader election", "packet storm",
  "cron overlap", "webhook flood", "index bloat", "queue poison", "time zone", "leap second",
];
const QUERIES = [
  ...TOPICS.slice(0, 30),
  '"config push"',
  "connection pool -staging",
  "replica lag primary",
  "certificate OR tls",
  "timeout", // a common word: most postmortems match, so ranking reads many vectors
];

/** Inserts published postmortems of team `teamId` until their texts reach `targetMb` MB: mostly ~20 KB each, and 10 at the size limit (~1 MB). */
export async function seedSearchCorpus(url: string, teamId: string, targetMb = TARGET_MB): Promise<{ postmortems: number; textMb: number; diskMb: number; seconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t = performance.now();
  try {
    // `sections` sections of `words` words per body, cut to 99,000 characters (under the 100,000
    // limit, 10 of them under the 1,000,000-byte document limit). Every 61st word is one of the
    // postmortem's two topics, every 13th a number (incident figures: distinct lexemes).
    const insert = (from: number, to: number, sections: number, words: number) =>
      client.query<{ bytes: number }>(
        `INSERT INTO postmortems (id, team_id, title, status, sections, published_at, updated_at)
         SELECT gen_random_uuid(), $1, 'Incident ' || g || ': ' || tp.a, 'published',
                (SELECT jsonb_agg(jsonb_build_object('key', 's' || k, 'title', 'Section ' || k, 'body', left(
                   (SELECT string_agg(CASE WHEN w % 122 = 0 THEN tp.a WHEN w % 61 = 0 THEN tp.b
                                           WHEN w % 13 = 0 THEN ((g * 131 + w * 7) % 50000)::text
                                           ELSE v.words[1 + (g * 7919 + k * 104729 + w * 31) % cardinality(v.words)] END, ' ')
                    FROM generate_series(1, $5) w), 99000)) ORDER BY k)
                 FROM generate_series(1, $4) k),
                now(), now() - g * interval '1 minute'
         FROM generate_series($6::int, $7::int) g
         CROSS JOIN (SELECT $2::text[] AS words, $3::text[] AS topics) v
         CROSS JOIN LATERAL (SELECT v.topics[1 + g % cardinality(v.topics)] AS a, v.topics[1 + (g * 7 + 3) % cardinality(v.topics)] AS b) tp
         RETURNING octet_length(title) + octet_length(sections::text) AS bytes`,
        [teamId, WORDS, TOPICS, sections, words, from, to],
      );
    let bytes = 0;
    const add = (r: { rows: { bytes: number }[] }) => (bytes += r.rows.reduce((a, x) => a + x.bytes, 0));
    add(await insert(1, 10, 10, 16_000));
    let n = 10;
    while (bytes < targetMb * 1e6) {
      add(await insert(n + 1, n + 250, 9, 330));
      n += 250;
    }
    await client.query("VACUUM ANALYZE postmortems");
    const disk = (await client.query<{ mb: number }>("SELECT (pg_total_relation_size('postmortems') / 1e6)::float8 AS mb")).rows[0]!.mb;
    return { postmortems: n, textMb: bytes / 1e6, diskMb: disk, seconds: (performance.now() - t) / 1000 };
  } finally {
    await client.end();
  }
}

/** `n` people with one password (hashed once), for the search clients to sign in as. */
async function seedPeople(url: string, n: number): Promise<{ emails: string[]; password: string }> {
  const { hashPassword } = await import("../server/auth/password");
  const password = "bench-search-password-1";
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ email: string }>(
      `INSERT INTO users (id, email, name, password_hash) SELECT gen_random_uuid(), 'searcher-' || g || '@example.test', 'Searcher ' || g, $2 FROM generate_series(1, $1::int) g RETURNING email`,
      [n, await hashPassword(password)],
    );
    return { emails: rows.map((r) => r.email), password };
  } finally {
    await client.end();
  }
}

/** Kept across rounds: a person's allowance is per minute, and the phase lasts about one. */
type People = { cookies: string[]; used: number[]; next: number; query: number };
type SearchStats = { searches: number; refused: number; failed: number; latencies: number[]; seconds: number };
const newStats = (): SearchStats => ({ searches: 0, refused: 0, failed: 0, latencies: [], seconds: 0 });

/** The next person with searches left in their allowance, or null when everyone has used theirs. */
function nextPerson(people: People): string | null {
  while (people.next < people.cookies.length && people.used[people.next]! >= PER_PERSON) people.next++;
  if (people.next >= people.cookies.length) return null;
  people.used[people.next]!++;
  return people.cookies[people.next]!;
}

/**
 * Searches until `stop()`: `mode.clients` closed loops (each sends its next search when the last
 * is answered), or one search every 1000 / `mode.perSecond` ms whatever the answers.
 */
async function searchLoad(url: string, people: People, mode: { clients: number } | { perSecond: number }, stop: () => boolean, stats: SearchStats) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const t0 = performance.now();
  const once = async () => {
    const cookie = nextPerson(people);
    if (!cookie) throw new Error(`all ${people.cookies.length} people have used their ${PER_PERSON} searches: raise BENCH_SEARCH_PEOPLE`);
    const q = QUERIES[people.query++ % QUERIES.length]!;
    const t = performance.now();
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(`${url}/api/v1/postmortems/search?q=${encodeURIComponent(q)}`, { headers: { cookie }, agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.setTimeout(30_000, () => req.destroy(new Error("no answer in 30 s")));
        req.on("error", reject);
        req.end();
      });
      stats.latencies.push(performance.now() - t);
      stats.searches++;
      if (status === 429) stats.refused++;
      else if (status !== 200) stats.failed++;
    } catch {
      stats.failed++;
    }
  };
  try {
    if ("clients" in mode) {
      await Promise.all(Array.from({ length: mode.clients }, async () => {
        while (!stop()) await once();
      }));
    } else {
      const pending: Promise<void>[] = [];
      for (let i = 0; !stop(); i++) {
        const wait = t0 + (i * 1000) / mode.perSecond - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (!stop()) pending.push(once());
      }
      await Promise.all(pending);
    }
  } finally {
    stats.seconds += (performance.now() - t0) / 1000;
    agent.destroy();
  }
}

const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const searchLine = (s: SearchStats) => {
  const sorted = [...s.latencies].sort((x, y) => x - y);
  return `${(s.searches / s.seconds).toFixed(1)} searches/s, p50 ${pct(sorted, 0.5).toFixed(1)} ms, p99 ${pct(sorted, 0.99).toFixed(1)} ms (${s.searches} searches, ${s.refused} refused with 429, ${s.failed} failed)`;
};

/**
 * The phase: seeds the corpus and the people into the database at `databaseUrl` (which has the
 * gate token's team and service), starts the app, and measures ROUNDS interleaved rounds of the
 * gate alone, beside CLIENTS clients searching in a loop, and beside PACED searches a second.
 */
export async function benchGateWithSearches(databaseUrl: string, gateToken: string, service: string) {
  const started = performance.now();
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const teamId = (await admin.query<{ id: string }>(`INSERT INTO teams (id, slug, name) VALUES (gen_random_uuid(), 'bench-search', 'Bench search') RETURNING id`)).rows[0]!.id;
  await admin.end();
  const corpus = await seedSearchCorpus(databaseUrl, teamId);
  const seeded = await seedPeople(databaseUrl, PEOPLE);
  const { startApp, signInViaApi } = await import("../server/testing/app-process");
  const app = await startApp({ DATABASE_URL: databaseUrl, AUTH_SECRET: process.env.AUTH_SECRET!, BURNRATE_JOBS: "0", LOG_LEVEL: "warn", TOKEN_RATE_LIMIT_PER_MINUTE: "1000000", SIGN_IN_RATE_LIMIT_PER_MINUTE: "0" });
  try {
    const cookies: string[] = [];
    for (let i = 0; i < seeded.emails.length; i += 8) cookies.push(...(await Promise.all(seeded.emails.slice(i, i + 8).map((e) => signInViaApi(app.url, e, seeded.password)))));
    const people: People = { cookies, used: cookies.map(() => 0), next: 0, query: 0 };
    const pid = app.proc.pid!;
    const body = JSON.stringify({ service, environment: "production", version: "bench", changeType: "feature", requester: "bench" });
    const gate: Target = { url: `${app.url}/api/v1/gate`, method: "POST", headers: { authorization: `Bearer ${gateToken}`, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }, body };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const modes = [
      { name: "alone", search: null },
      { name: `${CLIENTS} search clients`, search: { clients: CLIENTS } },
      { name: `${PACED} searches/s`, search: { perSecond: PACED } },
    ] as const;
    const rounds = modes.map(() => [] as Load[]);
    const searches = modes.map(newStats);
    try {
      await run(agent, gate, 3); // warm-up: JIT tiering, pool connections, caches
      for (let i = 0; i < ROUNDS; i++) {
        for (const [m, mode] of modes.entries()) {
          if (!mode.search) {
            rounds[m]!.push(await measure(pid, gate, SECONDS));
            continue;
          }
          let stopped = false;
          const load = searchLoad(app.url, people, mode.search, () => stopped, searches[m]!);
          await new Promise((r) => setTimeout(r, 500)); // the searches under way before the gate's round starts
          rounds[m]!.push(await measure(pid, gate, SECONDS));
          stopped = true;
          await load;
        }
      }
    } finally {
      agent.destroy();
    }
    const [alone, looped, paced] = rounds.map(medianRound) as [Load, Load, Load];
    console.log(
      `Deploy gate beside postmortem searches: ${corpus.postmortems.toLocaleString("en-US")} published postmortems, ${corpus.textMb.toFixed(1)} MB of text (${corpus.diskMb.toFixed(0)} MB on disk with vectors and index, seeded in ${corpus.seconds.toFixed(1)} s); gate at ${RATE} requests/s, ${ROUNDS} interleaved rounds of ${SECONDS} s each:`,
    );
    for (const [m, mode] of modes.entries()) console.log(`  gate p99 by round, ${mode.name}: ${rounds[m]!.map((r) => r.p99.toFixed(2)).join(", ")} ms`);
    console.log(`  ${fmt("gate alone", alone)}`);
    console.log(`  ${fmt(`gate, ${modes[1].name}`, looped)}`);
    console.log(`  ${fmt(`gate, ${modes[2].name}`, paced)}`);
    console.log(`  with / without, ${modes[1].name} in a loop: p50 ${(looped.p50 / alone.p50).toFixed(2)}x, p99 ${(looped.p99 / alone.p99).toFixed(2)}x; searches ${searchLine(searches[1]!)}`);
    console.log(`  with / without, ${modes[2].name} (${Math.ceil((PACED * 60) / 30)} people at their limit of 30 a minute): p50 ${(paced.p50 / alone.p50).toFixed(2)}x, p99 ${(paced.p99 / alone.p99).toFixed(2)}x; searches ${searchLine(searches[2]!)}`);
    console.log(`  ${people.next + 1} of ${cookies.length} people searched; phase ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const problems = rounds.flat().flatMap((r) => r.problems);
    const failedSearches = searches.reduce((a, x) => a + x.failed, 0);
    if (problems.length || failedSearches > 0) throw new Error(`the gate or the searches failed requests: gate ${problems.join(", ") || "none"}; searches ${failedSearches}`);
  } finally {
    await app.stop();
  }
}
