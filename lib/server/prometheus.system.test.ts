// Burnrate as a Prometheus target: /metrics passes promtool's linter, the generated alerting
// rules pass `promtool check rules`, and a real Prometheus scraping Burnrate fires the page alert.
// As a Prometheus client it runs without OUTBOUND_ALLOW: a source on this machine is refused.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedDatabase, freePort, signInViaApi, startApp, type AppProcess, tempDataDir } from "./testing/app-process";

let app: AppProcess;
let dir: string;
let readToken: string;
let cookie: string;
const stops: (() => Promise<void>)[] = [];

async function api(method: string, p: string, body: unknown, auth: { cookie?: string; token?: string }) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth.cookie) Object.assign(headers, { cookie: auth.cookie, origin: app.url });
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const r = await fetch(`${app.url}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
  return r.headers.get("content-type")?.includes("json") ? ((await r.json()) as Record<string, unknown>) : await r.text();
}

beforeAll(async () => {
  dir = await tempDataDir("burnrate-prom-");
  // OUTBOUND_ALLOW unset (app-process allows loopback by default): the guard as a deployment has it.
  app = await startApp({ DATA_DIR: path.join(dir, "data"), BURNRATE_ADMIN_EMAIL: "a@example.test", BURNRATE_ADMIN_PASSWORD: "prometheus-test-pass", OUTBOUND_ALLOW: "" });
  stops.push(app.stop);
  cookie = await signInViaApi(app.url, "a@example.test", "prometheus-test-pass");
  await api("POST", "/api/v1/teams", { slug: "shop", name: "Shop" }, { cookie });
  await api("POST", "/api/v1/teams/shop/services", { slug: "checkout", name: "Checkout" }, { cookie });
  await api("POST", "/api/v1/teams/shop/services/checkout/slis", { slug: "ok", name: "OK", kind: "request_ratio" }, { cookie });
  await api("POST", "/api/v1/teams/shop/services/checkout/slos", { slug: "avail", name: "Avail", sli: "ok", objective: "0.999", window: { kind: "rolling", days: 30 } }, { cookie });
  const ingest = (await api("POST", "/api/v1/teams/shop/tokens", { name: "push", scopes: ["ingest"] }, { cookie })) as { secret: string };
  readToken = ((await api("POST", "/api/v1/teams/shop/tokens", { name: "scrape", scopes: ["read"] }, { cookie })) as { secret: string }).secret;
  // The last hour fails at 5 %: a burn rate of 50, far above the 14.4 page factor.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const items = Array.from({ length: 60 }, (_, i) => ({ sli: "checkout/ok", minute: new Date(now - (i + 1) * 60_000).toISOString(), good: 950, total: 1000 }));
  await api("POST", "/api/v1/ingest", { items }, { token: ingest.secret });
});

afterAll(async () => {
  for (const s of stops.reverse()) await s().catch(() => {});
  await fs.rm(dir, { recursive: true, force: true });
});

describe("Prometheus integration", () => {
  it("serves /metrics that promtool accepts, and refuses it without a token", async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${readToken}` } });
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await res.text();
    expect(text).toContain('burnrate_slo_burn_rate{team="shop",service="checkout",slo="avail",window="1h"} 50\n');
    execFileSync("promtool", ["check", "metrics"], { input: text });
  });

  it("generates alerting rules that promtool accepts", async () => {
    const yaml = (await (await fetch(`${app.url}/api/v1/teams/shop/services/checkout/slos/avail/alert-rules`, { headers: { authorization: `Bearer ${readToken}` } })).text());
    const file = path.join(dir, "rules.yaml");
    await fs.writeFile(file, yaml);
    const out = execFileSync("promtool", ["check", "rules", file]).toString();
    expect(out).toContain("SUCCESS: 4 rules found");
  });

  it("a real Prometheus scraping Burnrate fires the page alert through those rules", async () => {
    const yaml = await (await fetch(`${app.url}/api/v1/teams/shop/services/checkout/slos/avail/alert-rules`, { headers: { authorization: `Bearer ${readToken}` } })).text();
    await fs.writeFile(path.join(dir, "rules.yaml"), yaml);
    await fs.writeFile(path.join(dir, "token"), readToken);
    const target = new URL(app.url).host;
    await fs.writeFile(
      path.join(dir, "prometheus.yml"),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }\nrule_files: ["${dir}/rules.yaml"]\nscrape_configs:\n  - job_name: burnrate\n    bearer_token_file: ${dir}/token\n    static_configs: [{ targets: ["${target}"] }]\n`,
    );
    const port = await freePort();
    const prom = spawn("prometheus", [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/tsdb`, `--web.listen-address=127.0.0.1:${port}`], { stdio: "ignore" });
    stops.push(async () => {
      prom.kill("SIGTERM");
      await new Promise((r) => prom.once("exit", r));
    });
    const deadline = Date.now() + 60_000;
    let alerts: { labels: Record<string, string>; state: string }[] = [];
    while (Date.now() < deadline) {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/alerts`).catch(() => null);
      if (r?.ok) alerts = ((await r.json()) as { data: { alerts: typeof alerts } }).data.alerts;
      if (alerts.some((a) => a.labels.severity === "page" && a.state === "firing")) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const page = alerts.filter((a) => a.labels.severity === "page" && a.state === "firing").map((a) => a.labels.long_window).sort();
    expect(page).toEqual(["1h", "6h"]);
  });

  it("refuses a team's Prometheus source on this machine: the database's port or a loopback listener", async () => {
    let connections = 0;
    const listener = http.createServer((_q, r) => r.writeHead(200, { "content-type": "application/json" }).end('{"status":"success","data":{"resultType":"matrix","result":[]}}'));
    listener.on("connection", () => connections++);
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", () => r()));
    stops.push(() => new Promise((r) => listener.close(() => r())));
    const local = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    const db = new URL((await embeddedDatabase(path.join(dir, "data"))).url);
    const queries = { badQuery: 'sum(rate(http_requests_total{code="500"}[1m]))', totalQuery: "sum(rate(http_requests_total[1m]))" };
    const post = (p: string, body: unknown) => fetch(`${app.url}${p}`, { method: "POST", headers: { "content-type": "application/json", cookie, origin: app.url }, body: JSON.stringify(body) });

    // Test query: a 422 on the url field, naming the address and the way to allow it.
    for (const url of [`http://127.0.0.1:${db.port}`, local, local.replace("127.0.0.1", "localhost"), local.replace("127.0.0.1", "[::ffff:7f00:1]"), local.replace("127.0.0.1", "2130706433")]) {
      const r = await post("/api/v1/teams/shop/prometheus-test", { url, ...queries });
      expect(r.status, url).toBe(422);
      const body = (await r.json()) as { error: { fields: Record<string, string> } };
      expect(body.error.fields.url, url).toMatch(/a loopback address; allow it with OUTBOUND_ALLOW/);
    }

    // Saving such a source is refused the same way, naming the field, and nothing is stored. (A
    // source stored before OUTBOUND_ALLOW was narrowed, or a name that resolves inward, is refused
    // by every sync instead, with the error viewers read: lib/server/jobs/outbound-refused.test.ts.)
    for (const [slug, url] of [["pulled-db", `http://127.0.0.1:${db.port}`], ["pulled-local", local]] as const) {
      const r = await post("/api/v1/teams/shop/services/checkout/slis", { slug, name: slug, kind: "request_ratio", prometheus: { url, ...queries } });
      expect(r.status, url).toBe(422);
      expect(((await r.json()) as { error: { fields: Record<string, string> } }).error.fields["prometheus.url"]).toMatch(/^127\.0\.0\.1 is a loopback address; allow it with OUTBOUND_ALLOW$/);
    }
    const slis = (await (await fetch(`${app.url}/api/v1/teams/shop/services/checkout/slis`, { headers: { authorization: `Bearer ${readToken}` } })).json()) as { slug: string }[];
    expect(slis.filter((s) => s.slug.startsWith("pulled-"))).toEqual([]);
    expect(connections).toBe(0);
  });
});
