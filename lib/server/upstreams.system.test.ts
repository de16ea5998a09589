// Upstreams that fail the way real ones do, as local stand-ins reached through the guarded
// outbound client (loopback allowed, as for every system test):
//  - Prometheus sources that do not resolve, present a self-signed or an expired certificate,
//    drip-feed their answer, or answer 10 GB. Hypothesis: each is a named error on that SLI
//    alone, within the source timeout and the answer-size cap; a healthy source beside them keeps
//    syncing; the app neither hangs nor grows.
//  - A Slack receiver that answers 429 with Retry-After, and a PagerDuty receiver whose first
//    attempt gets no answer. Hypothesis: every message stays queued in PostgreSQL until it is
//    delivered, once; Retry-After is honoured (no attempt before it).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInViaApi, skewedClock, startApp, tempDataDir, type AppProcess } from "./testing/app-process";
import { cleanupsAfterAll } from "./testing/cleanups";

const cleanups = cleanupsAfterAll();
const json = { "content-type": "application/json" };
const MIN = 60_000;
/** The Prometheus client's bounds (lib/server/sources/prometheus.ts): 10 s per query, 20 MiB per answer. */
const PROM_TIMEOUT_S = 10;
const PROM_MAX_BYTES = 20 * 1024 * 1024;

type Hit = { at: number; body: string; answered: number };

async function listen(server: http.Server | https.Server) {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.add(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return (server.address() as { port: number }).port;
}

/** A receiver that answers its requests in turn with `answers` (a status, or "hang" for none), then 200. */
async function receiver(answers: (number | "hang")[], headers: Record<string, string> = {}) {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const answer = answers[hits.length] ?? 200;
      hits.push({ at: Date.now(), body, answered: answer === "hang" ? 0 : answer });
      if (answer === "hang") return; // never answers; the client gives up
      res.writeHead(answer, answer === 200 || answer === 202 ? {} : headers).end(answer === 429 ? "slow down, secret-upstream-text" : "ok");
    });
  });
  return { url: `http://127.0.0.1:${await listen(server)}/hook`, hits };
}

/** A fake Prometheus answering every range query with 100 per step (a healthy source). */
async function healthyPrometheus() {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    const start = Number(u.searchParams.get("start"));
    const end = Number(u.searchParams.get("end"));
    const step = Number(u.searchParams.get("step") || 60);
    const values: [number, string][] = [];
    for (let t = Math.ceil(start / step) * step; t <= end; t += step) values.push([t, "100"]);
    res.writeHead(200, json).end(JSON.stringify({ status: "success", data: { resultType: "matrix", result: values.length ? [{ metric: {}, values }] : [] } }));
  });
  return `http://127.0.0.1:${await listen(server)}`;
}

/** Answers with its headers, then one byte a second, for as long as the client stays. */
async function drippingPrometheus() {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, json);
    res.write('{"status":"success","data":');
    const t = setInterval(() => res.write(" "), 1_000);
    res.on("close", () => clearInterval(t));
  });
  return `http://127.0.0.1:${await listen(server)}`;
}

/** Announces 10 GB and streams it as fast as the client reads. */
let hugeBytesSent = 0;
async function hugePrometheus() {
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { ...json, "content-length": String(10 * 1024 ** 3) });
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) hugeBytesSent += chunk.length;
      if (!res.destroyed) res.once("drain", pump);
    };
    pump();
  });
  return `http://127.0.0.1:${await listen(server)}`;
}

/**
 * Certificates made with openssl: a CA the app trusts (NODE_EXTRA_CA_CERTS), a leaf it signed
 * that expired yesterday (openssl run with its clock three days back, libfaketime), and a
 * self-signed leaf no one trusts. Both name 127.0.0.1, so only the trust or the dates fail.
 */
async function certificates() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "burnrate-certs-"));
  cleanups.add(() => fs.rmSync(dir, { recursive: true, force: true }));
  const ssl = (args: string[], env: Record<string, string> = {}) => execFileSync("openssl", args, { cwd: dir, env: { ...process.env, ...env }, stdio: "ignore" });
  const san = "subjectAltName=IP:127.0.0.1";
  fs.writeFileSync(path.join(dir, "san.ext"), `${san}\n`);
  ssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=Burnrate test CA"]);
  ssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "expired.key", "-out", "expired.csr", "-subj", "/CN=127.0.0.1"]);
  ssl(["x509", "-req", "-in", "expired.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "expired.pem", "-days", "2", "-extfile", "san.ext"], await skewedClock("-3d"));
  ssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "self.key", "-out", "self.pem", "-days", "30", "-subj", "/CN=127.0.0.1", "-addext", san]);
  const read = (f: string) => fs.readFileSync(path.join(dir, f));
  return { caFile: path.join(dir, "ca.pem"), expired: { key: read("expired.key"), cert: read("expired.pem") }, self: { key: read("self.key"), cert: read("self.pem") } };
}

async function tlsPrometheus(pair: { key: Buffer; cert: Buffer }) {
  const server = https.createServer(pair, (_req, res) => res.writeHead(200, json).end('{"status":"success","data":{"resultType":"matrix","result":[]}}'));
  return `https://127.0.0.1:${await listen(server)}`;
}

let app: AppProcess;
let cookie: string;
let slack: Awaited<ReturnType<typeof receiver>>;
let pagerduty: Awaited<ReturnType<typeof receiver>>;
const post = async (p: string, body: unknown, token?: string) => {
  const headers = token ? { ...json, authorization: `Bearer ${token}` } : { ...json, cookie, origin: app.url };
  const r = await fetch(`${app.url}${p}`, { method: "POST", headers, body: JSON.stringify(body) });
  expect(r.status, `${p}: ${await r.clone().text()}`).toBeLessThan(300);
  return (await r.json()) as Record<string, unknown>;
};
const rssMb = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${app.proc.pid}/status`, "utf8"))![1]) / 1024;

beforeAll(async () => {
  const certs = await certificates();
  const dataDir = await tempDataDir("burnrate-upstreams-");
  cleanups.add(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  app = await startApp({ DATA_DIR: dataDir, BURNRATE_ADMIN_EMAIL: "root@example.test", BURNRATE_ADMIN_PASSWORD: "upstreams-password-1", LOG_LEVEL: "warn", NODE_EXTRA_CA_CERTS: certs.caFile });
  cleanups.add(app.stop);
  cookie = await signInViaApi(app.url, "root@example.test", "upstreams-password-1");
  await post("/api/v1/teams", { slug: "alpha", name: "Alpha" });
  await post("/api/v1/teams/alpha/services", { slug: "api", name: "API" });

  // The receivers first, then an outage on a pushed SLI: the next evaluation pages through both.
  slack = await receiver([429, 429], { "retry-after": "3" });
  pagerduty = await receiver(["hang"]);
  await post("/api/v1/teams/alpha/notification-channels", { name: "chat", kind: "slack", url: slack.url });
  await post("/api/v1/teams/alpha/notification-channels", { name: "pager", kind: "pagerduty", url: pagerduty.url, routingKey: "R0UT1NGKEY" });
  await post("/api/v1/teams/alpha/services/api/slis", { slug: "pushed", name: "Pushed", kind: "request_ratio" });
  await post("/api/v1/teams/alpha/services/api/slos", { slug: "pushed", name: "Pushed SLO", sli: "pushed", objective: "99.9%", window: { kind: "rolling", days: 28 } });
  const ingest = (await post("/api/v1/teams/alpha/tokens", { name: "ingest", scopes: ["ingest"] })).secret as string;
  const now = Math.floor(Date.now() / MIN) * MIN;
  await post("/api/v1/ingest", { items: Array.from({ length: 60 }, (_, m) => ({ sli: "api/pushed", minute: new Date(now - (m + 1) * MIN).toISOString(), good: 500, total: 1000 })) }, ingest);

  // The Prometheus sources, each on its own SLI.
  const sources: Record<string, string> = {
    healthy: await healthyPrometheus(),
    unresolvable: "http://prometheus.invalid:9090",
    selfsigned: await tlsPrometheus(certs.self),
    expired: await tlsPrometheus(certs.expired),
    dripping: await drippingPrometheus(),
    huge: await hugePrometheus(),
  };
  for (const [slug, url] of Object.entries(sources)) {
    await post("/api/v1/teams/alpha/services/api/slis", { slug, name: slug, kind: "request_ratio", prometheus: { url, goodQuery: "sum(rate(ok[1m]))*60", totalQuery: "sum(rate(all[1m]))*60" } });
  }
}, 120_000);

afterAll(() => expect(app.proc.exitCode).toBeNull());

type SliView = { slug: string; prometheus: { sync: { lastError: string | null; syncedUntil: string | null } } | null };
const slis = async () => (await (await fetch(`${app.url}/api/v1/teams/alpha/services/api/slis`, { headers: { cookie } })).json()) as SliView[];

describe("upstreams", () => {
  it("a Prometheus that does not resolve, shows a self-signed or expired certificate, drips or answers 10 GB: a named error on that SLI alone, within its time and size caps", async () => {
    const startRss = rssMb();
    const want: Record<string, RegExp> = {
      unresolvable: /could not resolve prometheus\.invalid \(ENOTFOUND\)/,
      selfsigned: /TLS failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/,
      expired: /TLS failed \(CERT_HAS_EXPIRED\)/,
      dripping: new RegExp(`no answer within ${PROM_TIMEOUT_S} s`),
      huge: new RegExp(`larger than ${PROM_MAX_BYTES} bytes`),
    };
    // Each source is tried when its SLI is made (a backfill): within twice the query timeout, every
    // bad one has its error and the healthy one its data.
    const started = Date.now();
    const deadline = started + 4 * PROM_TIMEOUT_S * 1000;
    let list = await slis();
    const settled = () => Object.keys(want).every((k) => list.find((s) => s.slug === k)?.prometheus?.sync.lastError) && list.find((s) => s.slug === "healthy")?.prometheus?.sync.syncedUntil;
    while (!settled() && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      list = await slis();
    }
    const errors = Object.fromEntries(list.filter((s) => s.prometheus).map((s) => [s.slug, s.prometheus!.sync.lastError]));
    console.log(`upstreams settled in ${Date.now() - started} ms (after set-up); ${hugeBytesSent} bytes of the 10 GB sent; errors: ${JSON.stringify(errors)}`);
    for (const [slug, re] of Object.entries(want)) expect(errors[slug], slug).toMatch(re);
    // In our words: nothing the upstreams sent is repeated.
    expect(Object.values(errors).join(" ")).not.toMatch(/status|success|secret/);
    const healthy = list.find((s) => s.slug === "healthy")!.prometheus!.sync;
    expect(healthy.lastError).toBeNull();
    expect(healthy.syncedUntil).not.toBeNull();
    // The 10 GB answer was cut off near the cap, and the app did not grow by it.
    expect(hugeBytesSent).toBeLessThan(PROM_MAX_BYTES * 4);
    expect(rssMb() - startRss).toBeLessThan(200);
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  }, 120_000);

  it("Slack answering 429 with Retry-After and PagerDuty not answering: every message is delivered once, and never before the receiver asked", async () => {
    // The override's chat message goes to Slack only; the page alert to both.
    await post("/api/v1/teams/alpha/overrides", { service: "api", environment: "production", reason: "hotfix", approvedBy: "sre lead", escalatedTo: "head of engineering", expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    const delivered = (r: { hits: Hit[] }) => r.hits.filter((h) => h.answered >= 200 && h.answered < 300);
    // A service's tier is recorded silently the first time the evaluator sees it. On a slow machine
    // a pass can fall between the SLO's creation and its data, and the move from no data to halted
    // is then announced to chat ("Deploy gate tightened"), once: a message of its own, not a duplicate.
    const kinds = (r: { hits: Hit[] }) =>
      delivered(r).map((h) => (/Deploy gate (tightened|eased)/.test(h.body) ? "tier" : h.body.includes("Pushed SLO") ? "alert" : h.body.toLowerCase().includes("override") ? "override" : h.body.slice(0, 80)));
    const deadline = Date.now() + 150_000;
    const done = () => kinds(slack).includes("alert") && kinds(slack).includes("override") && delivered(pagerduty).length >= 1;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    // Settle: a duplicate would arrive within the queue's next polls.
    await new Promise((r) => setTimeout(r, 5_000));

    const bodies = (r: { hits: Hit[] }) => JSON.stringify(delivered(r).map((h) => h.body.slice(0, 400)));
    expect(kinds(slack).filter((k) => k !== "tier").sort(), bodies(slack)).toEqual(["alert", "override"]);
    expect(kinds(slack).filter((k) => k === "tier").length, bodies(slack)).toBeLessThanOrEqual(1);
    expect(kinds(pagerduty)).toEqual(["alert"]);
    // Slack said "come back in 3 s" twice: each next attempt came no sooner.
    const refused = slack.hits.filter((h) => h.answered === 429);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      const next = slack.hits.find((h) => h.at > r.at && h.body === r.body);
      expect(next, "a retry of the refused message").toBeDefined();
      expect(next!.at - r.at).toBeGreaterThanOrEqual(2_900);
    }
    // PagerDuty's first attempt got no answer, and the same event came again and was taken.
    expect(pagerduty.hits[0]!.answered).toBe(0);
    expect(pagerduty.hits.at(-1)!.body).toBe(pagerduty.hits[0]!.body);
  }, 180_000);
});
