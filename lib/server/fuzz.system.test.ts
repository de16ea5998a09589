// Property-based fuzzing of every JSON endpoint (fast-check) against the built app on
// PostgreSQL, as the most privileged caller so that no request stops at authorisation:
// - every write gets bodies that cannot be valid: a valid body with one unknown field added
//   (every body schema is strict) and its other fields mutated at random, a valid body with a
//   NUL character in a text field, or JSON that is not an object at all; each must be refused with a 4xx naming a field (or 413 when too large);
// - every path parameter gets hostile segments (traversal, SQL, markup, huge, unicode) and
//   every query string random parameters: never a 5xx;
// - every URL a team can make the server call (channels, the Prometheus test query, the GitHub
//   API) gets internal addresses in generated spellings (decimal, hex, octal, short, IPv4-mapped,
//   NAT64, unique-local, link-local): each is refused naming its field, and a listener on this
//   machine sees no connection (the app runs with OUTBOUND_ALLOW unset);
// - no request may hang (15 s), and the database is byte-for-byte what it was before (sessions'
//   last-seen time aside, which every signed-in request may move).
// FUZZ_CASES sets the total (default 100,000).
import http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mapLimit } from "./concurrency";
import { operations } from "./openapi";
import { concretePath, isRaw, sampleBodies, seedWorld, type WorldIds } from "./testing/api-world";
import { signInViaApi, startApp, type AppProcess } from "./testing/app-process";
import { createScratchDatabase, defaultExternalUrl } from "./testing/global-setup";

const TOTAL = Number(process.env.FUZZ_CASES ?? 100_000);
let app: AppProcess;
let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let cookie: string;
let ids: WorldIds;
/** A listener on this machine that no generated URL may reach. */
let bait: http.Server;
let baitConnections = 0;

beforeAll(async () => {
  bait = http.createServer((_q, r) => r.end("{}"));
  bait.on("connection", () => baitConnections++);
  await new Promise<void>((r) => bait.listen(0, "127.0.0.1", () => r()));
  db = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
  app = await startApp({ DATABASE_URL: db.url, AUTH_SECRET: "fuzz-secret-fuzz-secret-fuzz-secret-0123", BURNRATE_ADMIN_EMAIL: "root@example.test", BURNRATE_ADMIN_PASSWORD: "fuzz-test-password-1", BURNRATE_JOBS: "0", LOG_LEVEL: "warn", OUTBOUND_ALLOW: "" });
  cookie = await signInViaApi(app.url, "root@example.test", "fuzz-test-password-1");
  const send = async (method: string, p: string, body?: unknown) => {
    const r = await fetch(`${app.url}${p}`, { method, headers: { "content-type": "application/json", cookie, origin: app.url }, body: JSON.stringify(body) });
    expect(r.status, `${method} ${p}`).toBeLessThan(300);
    return (await r.json()) as Record<string, unknown>;
  };
  await send("POST", "/api/v1/teams", { slug: "alpha", name: "Alpha" });
  ids = await seedWorld(send);
}, 180_000);
afterAll(async () => {
  await app?.stop();
  await db?.drop();
  await new Promise((r) => bait?.close(r));
});

/** Every table's rows (ours and the partitions'), as one checksum per table. */
async function snapshot() {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows: tables } = await c.query<{ name: string }>(
      "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname IN ('public', 'burnrate_partitions') ORDER BY 1",
    );
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      // A session's last-seen time moves with the requests it makes (at most once a minute); the rest of its row may not.
      const row = name === "public.sessions" ? "(t.id, t.user_id, t.method, t.created_at, t.expires_at)" : "t";
      const { rows } = await c.query<{ sum: string }>(`SELECT md5(coalesce(string_agg(${row}::text, '|' ORDER BY ${row}::text), '')) AS sum FROM ${name} t`);
      out[name] = rows[0]!.sum;
    }
    return out;
  } finally {
    await c.end();
  }
}

const hostileText = fc.constantFrom(
  "'; DROP TABLE teams;--",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "../../../../etc/passwd",
  "..%2f..%2fetc%2fpasswd",
  "%00",
  "\u0000",
  "${jndi:ldap://x}",
  "{{7*7}}",
  "\u202e\u0645\ud83d\udca5",
  "x".repeat(70_000),
);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileText, fc.constantFrom(-1, 0, 1e308, -0, 2 ** 53, "", null, true, [], {}));
/** A valid body with one unknown field and its other fields changed at random: never valid. */
const invalidBody = (valid: Record<string, unknown>) =>
  fc
    .tuple(
      fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in valid) && k !== "__proto__"),
      anyValue,
      // A body whose fields are all optional (e.g. {}) has none to change: only the unknown one is added.
      Object.keys(valid).length > 0 ? fc.dictionary(fc.constantFrom(...Object.keys(valid)), anyValue, { maxKeys: 3 }) : fc.constant({}),
    )
    .map(([key, value, changes]) => ({ ...valid, ...changes, [key]: value }));
/** A valid body with a NUL character in one of its text fields: PostgreSQL cannot store it. */
const withNul = (valid: Record<string, unknown>) => {
  const texts = Object.keys(valid).filter((k) => typeof valid[k] === "string");
  return texts.length === 0
    ? fc.constant(null)
    : fc.tuple(fc.constantFrom(...texts), fc.string({ maxLength: 10 })).map(([k, v]) => ({ ...valid, [k]: `${v}\u0000${v}` }));
};
const notAnObject = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }), fc.string(), fc.double(), fc.boolean(), fc.constant(null));
const pathSegment = fc.oneof(hostileText, fc.string({ maxLength: 40 }), fc.uuid(), fc.constantFrom("..", ".", "%2e%2e", "%252e%252e%252f", "a/b", "%00"));

type Case = { method: string; path: string; body?: string; type?: string; expect: "refused" | "no-5xx"; why: string };

function writeCases(n: number): Case[] {
  const sample = (op: (typeof operations)[number]) => sampleBodies[`${op.method} ${op.path}`];
  const writes = operations.filter((op) => op.body && op.auth !== "none" && op.auth !== "github-signature" && sample(op) !== undefined && !isRaw(sample(op)));
  const per = Math.ceil(n / writes.length);
  return writes.flatMap((op) => {
    const valid = sample(op) as Record<string, unknown>;
    const path = concretePath(op, ids);
    const bodies = fc.sample(fc.oneof({ weight: 4, arbitrary: invalidBody(valid) }, { weight: 1, arbitrary: withNul(valid) }, { weight: 1, arbitrary: notAnObject }), { numRuns: per, seed: 7 });
    // Flagger's webhook payload is another project's: its unknown fields are ignored (a newer Flagger
    // may send more), so an extra field is not a refusal there; still no 5xx and nothing changes.
    const lenient = op.path.startsWith("/api/v1/flagger/");
    return bodies.map((b) => ({ method: op.method.toUpperCase(), path, body: JSON.stringify(b), expect: lenient ? ("no-5xx" as const) : ("refused" as const), why: "an invalid body" }));
  });
}

/** An internal IPv4 address: loopback, private, CGNAT, link-local, "this network". */
const internalV4 = fc.oneof(
  fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })),
  fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(0), fc.nat(255), fc.nat(255), fc.nat(255)),
);
const hex = (n: number) => n.toString(16);
/** The same address in the spellings a URL parser accepts (WHATWG: decimal, hex, octal, short forms) and IPv6 forms that carry it. */
const spelled = internalV4.chain(([a, b, c, d]) =>
  fc.constantFrom(
    `${a}.${b}.${c}.${d}`,
    String(((a << 24) >>> 0) + (b << 16) + (c << 8) + d),
    `0x${hex(a)}.0x${hex(b)}.0x${hex(c)}.0x${hex(d)}`,
    `0${a.toString(8)}.0${b.toString(8)}.0${c.toString(8)}.0${d.toString(8)}`,
    `${a}.${(b << 16) + (c << 8) + d}`,
    `[::ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:${hex((a << 8) + b)}:${hex((c << 8) + d)}]`,
    `[64:ff9b::${a}.${b}.${c}.${d}]`,
    `[2002:${hex((a << 8) + b)}:${hex((c << 8) + d)}::1]`,
  ),
);
const internalHost = fc.oneof({ weight: 6, arbitrary: spelled }, { weight: 1, arbitrary: fc.constantFrom("[::1]", "[0:0::1]", "[fd00::1]", "[fe80::1]", "[ff02::1]", "[::]", "localhost", "LOCALHOST.", "api.localhost") });

/** Valid bodies of the operations that make the server call a URL, with that URL pointed inward. */
function outboundCases(n: number): Case[] {
  const fields: [string, string][] = [
    ["post /api/v1/teams/{team}/notification-channels", "url"],
    ["post /api/v1/teams/{team}/prometheus-test", "url"],
    ["post /api/v1/teams/{team}/prometheus-histogram-buckets", "url"],
    ["put /api/v1/teams/{team}/github", "apiUrl"],
    ["post /api/v1/teams/{team}/ticket-integrations", "baseUrl"],
  ];
  const port = (bait.address() as AddressInfo).port;
  const per = Math.ceil(n / fields.length);
  return fields.flatMap(([key, field]) => {
    const op = operations.find((o) => `${o.method} ${o.path}` === key)!;
    const valid = sampleBodies[key] as Record<string, unknown>;
    return fc.sample(internalHost, { numRuns: per, seed: 13 }).map((host) => ({
      method: op.method.toUpperCase(),
      path: concretePath(op, ids),
      body: JSON.stringify({ ...valid, [field]: `http://${host}:${port}/hook` }),
      expect: "refused" as const,
      why: `${field} on an internal address`,
    }));
  });
}

function readCases(n: number): Case[] {
  const reads = operations.filter((op) => op.method === "get" && op.auth !== "none");
  const per = Math.ceil(n / reads.length);
  return reads.flatMap((op) => {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const arb = fc.tuple(fc.dictionary(fc.oneof(fc.constantFrom("at", "from", "to", "q", "limit", "before", "service", "decision", "range"), fc.string({ maxLength: 8 })), anyValue.map((v) => (typeof v === "string" ? v : JSON.stringify(v))), { maxKeys: 4 }), fc.array(pathSegment, { minLength: params.length, maxLength: params.length }));
    return fc.sample(arb, { numRuns: per, seed: 11 }).map(([query, segments]) => {
      let path = concretePath(op, ids).split("?")[0]!;
      // Replace one path parameter (if any) with a hostile segment, keep the others real.
      if (params.length && segments.length) {
        const real = concretePath(op, ids).split("?")[0]!.split("/");
        const template = op.path.split("/");
        const at = template.findIndex((s) => s === `{${params[0]}}`);
        real[at] = encodeURIComponent(segments[0]!);
        path = real.join("/");
      }
      return { method: "GET", path: `${path}?${new URLSearchParams(query)}`, expect: "no-5xx" as const, why: "hostile path or query" };
    });
  });
}

describe("fuzzing every JSON endpoint", () => {
  it(`${TOTAL.toLocaleString("en-US")} generated requests: invalid bodies refused with a 4xx, no 5xx, no hang, nothing stored changes`, async () => {
    // Cases first: generating 100,000 of them blocks the event loop for seconds, and a keep-alive
    // socket the client could not retire meanwhile (the server closes idle ones after 5 s) would
    // fail the first requests with "other side closed". The snapshot's awaits let it retire them.
    const cases = [...writeCases(Math.round(TOTAL * 0.68)), ...outboundCases(Math.round(TOTAL * 0.02)), ...readCases(Math.round(TOTAL * 0.3))];
    const before = await snapshot();
    expect(cases.length).toBeGreaterThanOrEqual(TOTAL);
    const wrong: string[] = [];
    let refused = 0;
    await mapLimit(cases, 16, async (c) => {
      let status: number;
      let text = "";
      try {
        const res = await fetch(`${app.url}${c.path}`, {
          method: c.method,
          headers: { cookie, origin: app.url, ...(c.body ? { "content-type": "application/json" } : {}) },
          body: c.body,
          signal: AbortSignal.timeout(15_000),
        });
        status = res.status;
        text = await res.text();
      } catch (e) {
        wrong.push(`${c.method} ${c.path.slice(0, 120)}: ${String(e)} (${c.why})`);
        return;
      }
      if (status >= 500 || (c.expect === "refused" && !(status === 413 || (status >= 400 && status < 500 && text.includes('"fields"'))))) {
        if (wrong.length < 20) wrong.push(`${c.method} ${c.path.slice(0, 120)} ${c.body?.slice(0, 200) ?? ""}: ${status} ${text.slice(0, 200)} (${c.why})`);
        else wrong.push("…");
      } else if (c.expect === "refused") refused++;
    });
    expect(wrong.slice(0, 21)).toEqual([]);
    expect(refused).toBeGreaterThan(TOTAL * 0.6);
    expect(await snapshot()).toEqual(before);
    expect(baitConnections).toBe(0);
    // Still healthy afterwards.
    expect((await fetch(`${app.url}/api/ready`)).status).toBe(200);
  }, 1_800_000);
});
