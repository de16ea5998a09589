// Load for the fault experiments: closed-loop workers pushing unique minute buckets, calling the
// gate and loading a page, each answer recorded (when, how long, status, Retry-After), every
// acknowledged push remembered so a test can show none is lost.
import pg from "pg";
import { expect } from "vitest";
import { signInViaApi, type AppProcess } from "./app-process";

const json = { "content-type": "application/json" };
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
export const ITEMS_PER_PUSH = 10;

export type Answer = { kind: "push" | "gate" | "page"; at: number; ms: number; status: number; retryAfter: string | null; body: string };

export type World = { token: string; gateToken: string; cookie: string };

/** A team with one service, one pushed SLI and an SLO on it, and ingest and gate tokens. */
export async function setUpWorld(app: AppProcess, admin: { email: string; password: string }): Promise<World> {
  const cookie = await signInViaApi(app.url, admin.email, admin.password);
  const post = async (p: string, body: unknown) => {
    const r = await fetch(`${app.url}${p}`, { method: "POST", headers: { ...json, cookie, origin: app.url }, body: JSON.stringify(body) });
    expect(r.status, p).toBeLessThan(300);
    return (await r.json()) as Record<string, unknown>;
  };
  await post("/api/v1/teams", { slug: "alpha", name: "Alpha" });
  await post("/api/v1/teams/alpha/services", { slug: "api", name: "API" });
  await post("/api/v1/teams/alpha/services/api/slis", { slug: "avail", name: "Availability", kind: "request_ratio" });
  await post("/api/v1/teams/alpha/services/api/slos", { slug: "main", name: "Main", sli: "avail", objective: "99.9%", window: { kind: "rolling", days: 28 } });
  const token = (await post("/api/v1/teams/alpha/tokens", { name: "ingest", scopes: ["ingest"] })).secret as string;
  const gateToken = (await post("/api/v1/teams/alpha/tokens", { name: "gate", scopes: ["gate"] })).secret as string;
  return { token, gateToken, cookie };
}

/**
 * Runs workers until `stop()`: `pushers` pushing batches of 10 unique minutes, `gaters` calling
 * the gate, `pagers` loading the overview. Batch k covers minutes base + 10k .. base + 10k + 9,
 * from 91 days back: room for 12,960 batches inside the default retention, or, for experiments
 * in turn on one database, `region` r of 0 to 8 has its own 10 days (1,440 batches) from
 * base + r * 10 days, so one load's minutes never meet another's.
 */
export function faultLoad(app: AppProcess, w: World, opts: { pushers?: number; gaters?: number; pagers?: number; timeoutMs?: number; region?: number } = {}) {
  const acked = new Map<string, number>(); // minute ISO -> total
  const sent = new Map<number, string[]>(); // batch -> its minutes
  const answers: Answer[] = [];
  let running = true;
  let n = 0;
  const base = Math.floor(Date.now() / MIN) * MIN - 91 * DAY + (opts.region ?? 0) * 10 * DAY;
  const last = opts.region === undefined ? Infinity : base + 10 * DAY;
  const timeout = opts.timeoutMs ?? 60_000;
  const call = async (kind: Answer["kind"], url: string, init: RequestInit) => {
    const t = performance.now();
    const at = Date.now();
    try {
      const r = await fetch(url, { ...init, signal: AbortSignal.timeout(timeout) });
      const body = await r.text();
      answers.push({ kind, at, ms: performance.now() - t, status: r.status, retryAfter: r.headers.get("retry-after"), body: body.slice(0, 300) });
      return { status: r.status, body };
    } catch (e) {
      answers.push({ kind, at, ms: performance.now() - t, status: 0, retryAfter: null, body: String(e) });
      return { status: 0, body: "" };
    }
  };
  const pusher = async () => {
    while (running) {
      const k = n++;
      if (base + (k + 1) * ITEMS_PER_PUSH * MIN > last) throw new Error(`region ${opts.region} is full: ${k} batches`);
      const items = Array.from({ length: ITEMS_PER_PUSH }, (_, i) => ({ sli: "api/avail", minute: new Date(base + (k * ITEMS_PER_PUSH + i) * MIN).toISOString(), good: k, total: k + i + 1 }));
      sent.set(k, items.map((it) => it.minute));
      const r = await call("push", `${app.url}/api/v1/ingest`, { method: "POST", headers: { ...json, authorization: `Bearer ${w.token}` }, body: JSON.stringify({ items }) });
      if (r.status === 200 && r.body.includes('"rejected":[]')) for (const it of items) acked.set(it.minute, it.total);
    }
  };
  const gater = async () => {
    for (let i = 0; running; i++) {
      await call("gate", `${app.url}/api/v1/gate`, { method: "POST", headers: { ...json, authorization: `Bearer ${w.gateToken}` }, body: JSON.stringify({ service: "api", environment: "production", version: `v${i}`, requester: "faults" }) });
    }
  };
  const pager = async () => {
    while (running) {
      await call("page", `${app.url}/teams/alpha`, { headers: { cookie: w.cookie } });
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const done = Promise.all([
    ...Array.from({ length: opts.pushers ?? 4 }, pusher),
    ...Array.from({ length: opts.gaters ?? 0 }, gater),
    ...Array.from({ length: opts.pagers ?? 0 }, pager),
  ]);
  return {
    acked,
    sent,
    answers,
    /** Answers by status, e.g. { 200: 812, 503: 40 }. */
    statuses: (kind?: Answer["kind"]) => answers.filter((a) => !kind || a.kind === kind).reduce<Record<number, number>>((m, a) => ((m[a.status] = (m[a.status] ?? 0) + 1), m), {}),
    stop: async () => ((running = false), await done),
  };
}

/** The stored buckets of the world's SLI, minute ISO -> total, read straight from the database. */
export async function storedBuckets(url: string) {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ minute: Date; total: string }>("SELECT minute, total FROM sli_buckets");
    return new Map(rows.map((r) => [r.minute.toISOString(), Number(r.total)]));
  });
}

/** Acknowledged buckets that are missing or differ from what was sent. */
export const lostWrites = (acked: Map<string, number>, have: Map<string, number>) => [...acked].filter(([m, total]) => have.get(m) !== total);

/** Batches stored in part: a push is one transaction, so its ten minutes are all there or none are. */
export const partialBatches = (sent: Map<number, string[]>, have: Map<string, number>) =>
  [...sent].filter(([, minutes]) => {
    const present = minutes.filter((m) => have.has(m)).length;
    return present !== 0 && present !== minutes.length;
  }).map(([k]) => k);

/** Hours and days whose rollups differ from the sum of their minutes (hourly from minutes, daily from hourly). */
export async function rollupMismatches(url: string) {
  return withClient(url, async (c) => {
    const hours = await c.query(
      `SELECT coalesce(h.sli_id, m.sli_id) AS sli_id, coalesce(h.hour, m.hour) AS hour, h.good AS rolled_good, m.good, h.total AS rolled_total, m.total
       FROM sli_buckets_hourly h
       FULL JOIN (SELECT sli_id, date_trunc('hour', minute, 'UTC') AS hour, sum(good) AS good, sum(total) AS total FROM sli_buckets GROUP BY 1, 2) m
         ON m.sli_id = h.sli_id AND m.hour = h.hour
       WHERE h.good IS DISTINCT FROM m.good OR h.total IS DISTINCT FROM m.total`,
    );
    const days = await c.query(
      `SELECT coalesce(d.sli_id, h.sli_id) AS sli_id, coalesce(d.day, h.day) AS day
       FROM sli_buckets_daily d
       FULL JOIN (SELECT sli_id, date_trunc('day', hour, 'UTC') AS day, sum(good) AS good, sum(total) AS total FROM sli_buckets_hourly GROUP BY 1, 2) h
         ON h.sli_id = d.sli_id AND h.day = d.day
       WHERE d.good IS DISTINCT FROM h.good OR d.total IS DISTINCT FROM h.total`,
    );
    return [...hours.rows, ...days.rows];
  });
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Polls `test` every 100 ms until it holds or `ms` pass; the milliseconds it took, or Infinity. */
export async function timeUntil(test: () => Promise<boolean>, ms: number): Promise<number> {
  const t = performance.now();
  while (performance.now() - t < ms) {
    if (await test().catch(() => false)) return performance.now() - t;
    await new Promise((r) => setTimeout(r, 100));
  }
  return Infinity;
}
