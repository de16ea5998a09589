// Every endpoint with unauthorised, malformed, oversized, hostile and cross-site requests,
// against the built app: clear 4xx answers naming the problem, and nothing stored changes.
import fs from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { defaultPolicy } from "../domain/policy";
import { signInViaApi, startApp, type AppProcess, tempDataDir } from "./testing/app-process";

let app: AppProcess;
let dataDir: string;
let admin: string; // site admin's cookie
const json = { "content-type": "application/json" };

beforeAll(async () => {
  dataDir = await tempDataDir("burnrate-api-");
  app = await startApp({ DATA_DIR: dataDir, BURNRATE_ADMIN_EMAIL: "root@example.test", BURNRATE_ADMIN_PASSWORD: "api-test-password-1" });
  admin = await signInViaApi(app.url, "root@example.test", "api-test-password-1");
  for (const slug of ["alpha", "beta"]) {
    const r = await call("POST", "/api/v1/teams", { cookie: admin, body: { slug, name: slug } });
    expect(r.status).toBe(201);
  }
  const setup: [string, unknown][] = [
    ["/api/v1/teams/alpha/services", { slug: "svc", name: "Service" }],
    ["/api/v1/teams/alpha/services/svc/slis", { slug: "avail", name: "Availability", kind: "request_ratio" }],
    ["/api/v1/teams/alpha/services/svc/slos", { slug: "main", name: "Main", sli: "avail", objective: "99.9%", window: { kind: "rolling", days: 28 } }],
  ];
  for (const [p, body] of setup) expect((await call("POST", p, { cookie: admin, body })).status).toBe(201);
});
afterAll(async () => {
  await app?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function call(method: string, p: string, o: { cookie?: string; token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(o.body !== undefined || o.raw !== undefined ? json : {}), ...o.headers };
  if (o.cookie) {
    headers.cookie = o.cookie;
    headers.origin ??= app.url;
  }
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const res = await fetch(`${app.url}${p}`, { method, headers, body: o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body)) });
  const text = await res.text();
  return { status: res.status, connection: res.headers.get("connection"), body: text ? (JSON.parse(text) as { error?: { code: string; message: string; fields?: Record<string, string> } } & Record<string, unknown>) : null };
}

async function token(team: string, scopes: string[]) {
  const r = await call("POST", `/api/v1/teams/${team}/tokens`, { cookie: admin, body: { name: `t-${scopes.join("-")}`, scopes } });
  expect(r.status).toBe(201);
  return r.body!.secret as string;
}

const endpoints: [string, string, unknown?][] = [
  ["GET", "/api/v1/me"],
  ["GET", "/api/v1/overview"],
  ["GET", "/api/v1/users"],
  ["POST", "/api/v1/users", { name: "x", email: "x@example.test", password: "0123456789ab" }],
  ["GET", "/api/v1/teams"],
  ["POST", "/api/v1/teams", { slug: "gamma", name: "g" }],
  ["GET", "/api/v1/teams/alpha"],
  ["GET", "/api/v1/teams/alpha/members"],
  ["POST", "/api/v1/teams/alpha/members", { email: "root@example.test", role: "viewer" }],
  ["PATCH", "/api/v1/teams/alpha/members/00000000-0000-0000-0000-000000000000", { role: "viewer" }],
  ["DELETE", "/api/v1/teams/alpha/members/00000000-0000-0000-0000-000000000000"],
  ["GET", "/api/v1/teams/alpha/tokens"],
  ["POST", "/api/v1/teams/alpha/tokens", { name: "x", scopes: ["read"] }],
  ["DELETE", "/api/v1/teams/alpha/tokens/00000000-0000-0000-0000-000000000000"],
  ["GET", "/api/v1/teams/alpha/status"],
  ["GET", "/api/v1/teams/alpha/openslo"],
  ["POST", "/api/v1/teams/alpha/openslo"],
  ["GET", "/api/v1/teams/alpha/services"],
  ["POST", "/api/v1/teams/alpha/services", { slug: "svc2", name: "S" }],
  ["GET", "/api/v1/teams/alpha/services/svc"],
  ["PATCH", "/api/v1/teams/alpha/services/svc", { name: "Renamed" }],
  ["DELETE", "/api/v1/teams/alpha/services/svc"],
  ["GET", "/api/v1/teams/alpha/services/svc/slis"],
  ["POST", "/api/v1/teams/alpha/services/svc/slis", { slug: "lat", name: "L", kind: "latency", latencyThresholdMs: 300 }],
  ["DELETE", "/api/v1/teams/alpha/services/svc/slis/avail"],
  ["GET", "/api/v1/teams/alpha/services/svc/slos"],
  ["POST", "/api/v1/teams/alpha/services/svc/slos", { slug: "x", name: "X", sli: "avail", objective: "0.99", window: { kind: "rolling", days: 7 } }],
  ["GET", "/api/v1/teams/alpha/services/svc/slos/main"],
  ["PATCH", "/api/v1/teams/alpha/services/svc/slos/main", { objective: "0.995" }],
  ["DELETE", "/api/v1/teams/alpha/services/svc/slos/main"],
  ["GET", "/api/v1/teams/alpha/services/svc/slos/main/status"],
  ["GET", "/api/v1/teams/alpha/services/svc/slos/main/series"],
  ["POST", "/api/v1/teams/alpha/prometheus-test", { url: "http://127.0.0.1:9", badQuery: "vector(0)", totalQuery: "vector(1)" }],
  ["GET", "/api/v1/teams/alpha/services/svc/exclusions"],
  ["POST", "/api/v1/teams/alpha/services/svc/exclusions", { kind: "maintenance", reason: "db upgrade", startsAt: "2026-01-01T00:00:00Z", endsAt: "2026-01-01T01:00:00Z" }],
  ["DELETE", "/api/v1/teams/alpha/services/svc/exclusions/00000000-0000-0000-0000-000000000000"],
  ["POST", "/api/v1/ingest", { items: [{ sli: "svc/avail", minute: "2026-01-01T00:00:00Z", good: 1, total: 1 }] }],
  ["POST", "/api/v1/gate", { service: "svc", environment: "production", version: "1", requester: "ci" }],
  ["GET", "/api/v1/teams/alpha/decisions"],
  ["GET", "/api/v1/teams/alpha/decisions/00000000-0000-0000-0000-000000000000"],
  ["GET", "/api/v1/teams/alpha/policy"],
  ["PUT", "/api/v1/teams/alpha/policy", { policy: defaultPolicy }],
  ["GET", "/api/v1/teams/alpha/policy/history"],
  ["GET", "/api/v1/teams/alpha/services/svc/policy"],
  ["PUT", "/api/v1/teams/alpha/services/svc/policy", { policy: defaultPolicy }],
  ["DELETE", "/api/v1/teams/alpha/services/svc/policy"],
  ["GET", "/api/v1/teams/alpha/overrides"],
  ["POST", "/api/v1/teams/alpha/overrides", { service: "svc", reason: "launch", approvedBy: "Dana", expiresAt: "2099-01-01T00:00:00Z" }],
  ["DELETE", "/api/v1/teams/alpha/overrides/00000000-0000-0000-0000-000000000000"],
  ["GET", "/api/v1/teams/alpha/freezes"],
  ["POST", "/api/v1/teams/alpha/freezes", { reason: "holidays", startsAt: "2026-12-24T00:00:00Z", endsAt: "2026-12-27T00:00:00Z" }],
  ["DELETE", "/api/v1/teams/alpha/freezes/00000000-0000-0000-0000-000000000000"],
  ["GET", "/api/v1/teams/alpha/github"],
  ["PUT", "/api/v1/teams/alpha/github", { appId: "1", privateKey: "x", webhookSecret: "0123456789abcdef" }],
  ["DELETE", "/api/v1/teams/alpha/github"],
  ["GET", "/api/v1/teams/alpha/incidents"],
  ["POST", "/api/v1/teams/alpha/incidents", { title: "Outage", severity: "SEV2", startedAt: "2026-11-01T10:00:00Z", slos: ["svc/main"] }],
  ["GET", "/api/v1/teams/alpha/incidents/00000000-0000-0000-0000-000000000000"],
  ["PATCH", "/api/v1/teams/alpha/incidents/00000000-0000-0000-0000-000000000000", { status: "resolved" }],
  ["POST", "/api/v1/teams/alpha/incidents/00000000-0000-0000-0000-000000000000/timeline", { at: "2026-11-01T10:05:00Z", kind: "alert", text: "paged" }],
  ["DELETE", "/api/v1/teams/alpha/incidents/00000000-0000-0000-0000-000000000000/timeline/00000000-0000-0000-0000-000000000000"],
  ["GET", "/api/v1/teams/alpha/postmortems"],
  ["POST", "/api/v1/teams/alpha/postmortems", { title: "Outage review" }],
  ["GET", "/api/v1/postmortems/search?q=outage"],
  ["GET", "/api/v1/postmortems/00000000-0000-0000-0000-000000000000"],
  ["PATCH", "/api/v1/postmortems/00000000-0000-0000-0000-000000000000", { revision: 1, title: "x" }],
  ["POST", "/api/v1/postmortems/00000000-0000-0000-0000-000000000000/transitions", { action: "submit" }],
  ["GET", "/api/v1/postmortems/00000000-0000-0000-0000-000000000000/export"],
  ["POST", "/api/v1/postmortems/00000000-0000-0000-0000-000000000000/action-items", { title: "Fix", type: "prevent", priority: "P0" }],
  ["PATCH", "/api/v1/action-items/00000000-0000-0000-0000-000000000000", { status: "done" }],
  ["GET", "/api/v1/teams/alpha/action-items"],
  ["GET", "/api/v1/me/action-items"],
  ["GET", "/api/v1/teams/alpha/postmortem-templates"],
  ["PUT", "/api/v1/teams/alpha/postmortem-templates", { name: "Short", sections: [{ key: "what", title: "What", prompt: "" }] }],
  ["DELETE", "/api/v1/teams/alpha/postmortem-templates/00000000-0000-0000-0000-000000000000"],
];

describe("unauthorised requests", () => {
  it.each(endpoints)("%s %s without credentials -> 401", async (method, p, body) => {
    const r = await call(method, p, { body });
    expect(r.status).toBe(401);
    expect(r.body?.error?.code).toBe("unauthenticated");
  });

  it.each(endpoints)("%s %s with a made-up token -> 401", async (method, p, body) => {
    const r = await call(method, p, { body, token: "brt_" + "A".repeat(43) });
    expect(r.status).toBe(401);
    expect(r.body?.error?.message).toBe("the API token is unknown, revoked or expired");
  });

  it("a malformed Authorization header -> 401 saying how it should look", async () => {
    const r = await call("GET", "/api/v1/me", { headers: { authorization: "Basic abc" } });
    expect(r.status).toBe(401);
    expect(r.body?.error?.message).toContain("Bearer");
  });

  it("a forged session cookie -> 401", async () => {
    const r = await call("GET", "/api/v1/teams", { cookie: "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.forged.forged.forged.forged" });
    expect(r.status).toBe(401);
  });

  it("another team's token cannot read or manage this team", async () => {
    const betaReader = await token("beta", ["read", "gate", "ingest"]);
    expect((await call("GET", "/api/v1/teams/alpha", { token: betaReader })).status).toBe(404);
    expect((await call("GET", "/api/v1/teams/alpha/members", { token: betaReader })).status).toBe(404);
    expect((await call("POST", "/api/v1/teams/alpha/tokens", { token: betaReader, body: { name: "x", scopes: ["read"] } })).status).toBe(403);
    expect((await call("GET", "/api/v1/teams/beta", { token: betaReader })).status).toBe(200);
  });

  it("a token without the read scope cannot read", async () => {
    const gateOnly = await token("alpha", ["gate"]);
    const r = await call("GET", "/api/v1/teams/alpha", { token: gateOnly });
    expect(r.status).toBe(403);
    expect(r.body?.error?.message).toBe('this token lacks the "read" scope');
  });

  it("a revoked token stops working at once", async () => {
    const list = async () => (await call("GET", "/api/v1/teams/alpha/tokens", { cookie: admin })).body as unknown as { id: string; name: string }[];
    const secret = await token("alpha", ["read"]);
    expect((await call("GET", "/api/v1/me", { token: secret })).status).toBe(200);
    const id = (await list()).find((t) => t.name === "t-read")!.id;
    expect((await call("DELETE", `/api/v1/teams/alpha/tokens/${id}`, { cookie: admin })).status).toBe(200);
    expect((await call("GET", "/api/v1/me", { token: secret })).status).toBe(401);
  });

  it("a revoked gate token stops working at once, though the gate remembers tokens it has seen", async () => {
    const list = async () => (await call("GET", "/api/v1/teams/alpha/tokens", { cookie: admin })).body as unknown as { id: string; name: string }[];
    const secret = await token("alpha", ["gate"]);
    const ask = () => call("POST", "/api/v1/gate", { token: secret, body: { service: "svc", environment: "production", version: "v1", changeType: "feature", requester: "ci" } });
    expect((await ask()).status).toBe(200);
    const id = (await list()).find((t) => t.name === "t-gate")!.id;
    expect((await call("DELETE", `/api/v1/teams/alpha/tokens/${id}`, { cookie: admin })).status).toBe(200);
    const refused = await ask();
    expect(refused.status).toBe(401);
    expect(refused.body?.error?.message).toBe("the API token is unknown, revoked or expired");
  });
});

describe("SLO engine endpoints", () => {
  it("serves the OpenAPI document without authentication", async () => {
    const r = await call("GET", "/api/v1/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ openapi: "3.1.0", info: { title: "Burnrate API" } });
  });

  it("ingests with an ingest token, reports rejected items by index, and serves the status", async () => {
    const ingest = await token("alpha", ["ingest", "read"]);
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
    const r = await call("POST", "/api/v1/ingest", {
      token: ingest,
      body: { items: [{ sli: "svc/avail", minute, good: 990, total: 1000 }, { sli: "svc/avail", minute, good: 2, total: 1 }] },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ accepted: 1, rejected: [{ index: 1, field: "good", reason: "good must not exceed total" }] });
    const none = await call("POST", "/api/v1/ingest", { token: ingest, body: { items: [{ sli: "svc/nope", minute, good: 1, total: 1 }] } });
    expect(none.status).toBe(422);
    const status = await call("GET", "/api/v1/teams/alpha/services/svc/slos/main/status", { token: ingest });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ status: { good: 990, total: 1000, budget: { state: "ok", remaining: -9 } } });
    const bad = await call("GET", "/api/v1/teams/alpha/services/svc/slos/main/status?at=yesterday", { token: ingest });
    expect(bad.status).toBe(400);
    expect(bad.body?.error?.fields).toEqual({ at: "must be an ISO 8601 date-time" });
  });

  it("exports OpenSLO YAML and imports it into another team; refuses wrong media types and oversized files", async () => {
    const yaml = await (await fetch(`${app.url}/api/v1/teams/alpha/openslo`, { headers: { cookie: admin } })).text();
    expect(yaml).toContain("kind: SLO");
    const post = (body: string, type: string) =>
      fetch(`${app.url}/api/v1/teams/beta/openslo`, { method: "POST", headers: { cookie: admin, origin: app.url, "content-type": type }, body });
    const r = await post(yaml, "application/yaml");
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ dataSources: 0, services: 1, slis: 1, slos: 1 });
    expect((await post(yaml, "application/json")).status).toBe(415);
    expect((await post("x".repeat(1024 * 1024 + 1), "application/yaml")).status).toBe(413);
    expect((await post("kind: [", "application/yaml")).status).toBe(422);
  });

  it("serves an SLO's chart series and names each bad bound", async () => {
    const ok = await call("GET", "/api/v1/teams/alpha/services/svc/slos/main/series?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", { cookie: admin });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ stepMinutes: 5, from: "2026-01-01T00:00:00.000Z" });
    expect((ok.body!.points as unknown[]).length).toBe(288);
    const reversed = await call("GET", "/api/v1/teams/alpha/services/svc/slos/main/series?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", { cookie: admin });
    expect(reversed.status).toBe(400);
    expect(reversed.body?.error?.fields).toEqual({ to: "must be after from" });
    const half = await call("GET", "/api/v1/teams/alpha/services/svc/slos/main/series?from=2026-01-01T00:00:00Z", { cookie: admin });
    expect(half.body?.error?.fields).toEqual({ from: "give both from and to, or neither" });
    const long = await call("GET", "/api/v1/teams/alpha/services/svc/slos/main/series?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", { cookie: admin });
    expect(long.body?.error?.fields).toEqual({ to: "a chart covers at most 400 days" });
    const hostile = await call("GET", `/api/v1/teams/alpha/services/svc/slos/main/series?from=${encodeURIComponent("'; DROP TABLE slos;--")}&to=x`, { cookie: admin });
    expect(hostile.status).toBe(400); // a malformed query string, named field by field
    expect(hostile.body?.error?.fields).toMatchObject({ from: "must be an ISO 8601 date-time", to: "must be an ISO 8601 date-time" });
    // Another team's token sees no such SLO.
    const betaToken = await token("beta", ["read"]);
    expect((await call("GET", "/api/v1/teams/alpha/services/svc/slos/main/series", { token: betaToken })).status).toBe(404);
  });

  it("tests a Prometheus source for editors: an unreachable one is a result, a bad one names its fields", async () => {
    const down = await call("POST", "/api/v1/teams/alpha/prometheus-test", { cookie: admin, body: { url: "http://127.0.0.1:9", badQuery: "vector(0)", totalQuery: "vector(1)" } });
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ ok: false, error: expect.stringContaining("could not reach") });
    const bad = await call("POST", "/api/v1/teams/alpha/prometheus-test", { cookie: admin, body: { url: "file:///etc/passwd", totalQuery: "" } });
    expect(bad.status).toBe(422);
    expect(bad.body?.error?.fields).toMatchObject({ url: expect.stringContaining("http(s) URL"), totalQuery: "Give the query for total events" });
    // A token cannot make the server call out, whatever its scopes.
    const t = await token("alpha", ["read", "ingest", "gate"]);
    expect((await call("POST", "/api/v1/teams/alpha/prometheus-test", { token: t, body: { url: "http://127.0.0.1:9", badQuery: "vector(0)", totalQuery: "vector(1)" } })).status).toBe(403);
  });

  it("names each bad field of an SLO", async () => {
    const r = await call("POST", "/api/v1/teams/alpha/services/svc/slos", {
      cookie: admin,
      body: { slug: "Bad Slug", name: "x", sli: "avail", objective: "1.5", window: { kind: "calendar", unit: "fortnight", timeZone: "Mars/Base" } },
    });
    expect(r.status).toBe(422);
    expect(r.body?.error?.fields).toMatchObject({
      slug: expect.stringContaining("lowercase"),
      objective: expect.stringContaining("between 0 and 1"),
      "window.unit": "Pick the period: week, month, quarter",
      "window.timeZone": "Give an IANA time zone such as Europe/Berlin",
    });
  });
});

describe("cross-site requests (CSRF)", () => {
  it("a state change with the session cookie from another origin is refused and changes nothing", async () => {
    const r = await call("POST", "/api/v1/teams", { cookie: admin, body: { slug: "evil", name: "evil" }, headers: { origin: "https://evil.example" } });
    expect(r.status).toBe(403);
    expect(r.body?.error?.message).toContain("cross-site request refused");
    const noOrigin = await fetch(`${app.url}/api/v1/teams`, { method: "POST", headers: { ...json, cookie: admin }, body: JSON.stringify({ slug: "evil", name: "e" }) });
    expect(noOrigin.status).toBe(403);
    const teams = (await call("GET", "/api/v1/teams", { cookie: admin })).body as unknown as { slug: string }[];
    expect(teams.map((t) => t.slug)).not.toContain("evil");
  });
});

describe("malformed, oversized and hostile bodies", () => {
  const writes = endpoints.filter(([m, , body]) => m !== "GET" && body !== undefined) as [string, string, unknown][];

  it.each(writes)("%s %s: invalid JSON -> 400", async (method, p) => {
    const r = await call(method, p, { cookie: admin, raw: '{"slug": ' });
    expect(r.status).toBe(400);
    expect(r.body?.error?.fields).toEqual({ body: "is not valid JSON" });
  });

  it.each(writes)("%s %s: not JSON -> 415", async (method, p, body) => {
    const r = await call(method, p, { cookie: admin, raw: JSON.stringify(body), headers: { "content-type": "text/plain" } });
    expect(r.status).toBe(415);
  });

  it.each(writes)("%s %s: 3 MB body -> 413, and the unread connection is closed, not reused", async (method, p) => {
    const r = await call(method, p, { cookie: admin, raw: JSON.stringify({ name: "x".repeat(3_000_000) }) });
    expect(r.status).toBe(413);
    expect(r.connection).toBe("close");
  });

  it.each(writes)("%s %s: wrong shapes -> 422", async (method, p) => {
    const r = await call(method, p, { cookie: admin, body: [1, 2, 3] });
    expect(r.status).toBe(422);
    expect(r.body?.error?.code).toBe("invalid");
  });

  it("names each bad field", async () => {
    const r = await call("POST", "/api/v1/teams/alpha/tokens", { cookie: admin, body: { name: "", scopes: ["root"], expiresAt: "tomorrow" } });
    expect(r.status).toBe(422);
    expect(r.body?.error?.fields).toEqual({
      name: "Give the token a name",
      "scopes.0": "Pick a scope: ingest, gate, read, definitions",
      expiresAt: "Pick the day it expires, or leave it empty",
    });
  });

  it("unknown fields are refused rather than silently dropped", async () => {
    const r = await call("POST", "/api/v1/teams", { cookie: admin, body: { slug: "delta", name: "d", isSiteAdmin: true } });
    expect(r.status).toBe(422);
    expect(Object.keys(r.body?.error?.fields ?? {})).toEqual(["body"]);
  });

  it("hostile strings are refused where they cannot be valid and stored verbatim where they can", async () => {
    const sqlSlug = await call("POST", "/api/v1/teams", { cookie: admin, body: { slug: "x'; DROP TABLE teams;--", name: "n" } });
    expect(sqlSlug.status).toBe(422);
    expect(sqlSlug.body?.error?.fields?.slug).toContain("lowercase letters");
    const name = `<script>alert(1)</script>' OR 1=1; DROP TABLE teams;--`;
    const ok = await call("POST", "/api/v1/teams", { cookie: admin, body: { slug: "hostile", name } });
    expect(ok.status).toBe(201);
    const team = await call("GET", "/api/v1/teams/hostile", { cookie: admin });
    expect(team.body?.name).toBe(name);
    // The page escapes it: the text is shown, no script element is created from it.
    const html = await (await fetch(`${app.url}/teams/hostile`, { headers: { cookie: admin } })).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("a malformed id in the path -> 400 naming it", async () => {
    const r = await call("DELETE", "/api/v1/teams/alpha/tokens/not-a-uuid", { cookie: admin });
    expect(r.status).toBe(400);
    expect(r.body?.error?.fields).toEqual({ tokenId: "must be an id" });
  });

  it("deeply nested JSON is refused without harm", async () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const r = await call("POST", "/api/v1/teams", { cookie: admin, raw: deep });
    expect(r.status).toBe(422);
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  });
});

describe("the deploy gate over HTTP", () => {
  const ask = (tok: string | undefined, body: unknown, query = "", cookie?: string) => call("POST", `/api/v1/gate${query}`, { token: tok, body, cookie });
  const request = { service: "svc", environment: "production", version: "v42", changeType: "feature", requester: "ci-bot" };
  const decisions = async () => ((await call("GET", "/api/v1/teams/alpha/decisions", { cookie: admin })).body as unknown as { decisions: unknown[] }).decisions.length;

  it("answers 200 with the decision; strict mode turns a deny into 423 Locked with the same body", async () => {
    const gate = await token("alpha", ["gate"]);
    const ingest = await token("alpha", ["ingest"]);
    // 95 bad of 100,000 at 99.9 %: 5 % of the budget left, tier freeze (docs/domain.md). The ten
    // minutes before are sent empty: an earlier test's minute (a minute boundary may fall between
    // the two tests) must not add its bad events.
    const last = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    const minute = new Date(last).toISOString();
    const empty = Array.from({ length: 10 }, (_, i) => ({ sli: "svc/avail", minute: new Date(last - (i + 1) * 60_000).toISOString(), good: 0, total: 0 }));
    expect((await call("POST", "/api/v1/ingest", { token: ingest, body: { items: [...empty, { sli: "svc/avail", minute, good: 99_905, total: 100_000 }] } })).status).toBe(200);
    const json = await ask(gate, request);
    expect(json.status).toBe(200);
    const raw = await fetch(`${app.url}/api/v1/gate`, { method: "POST", headers: { authorization: `Bearer ${gate}`, "content-type": "application/json" }, body: JSON.stringify(request) });
    expect(raw.headers.get("x-content-type-options")).toBe("nosniff"); // the fast path sets the same headers as Next's routes
    expect(raw.headers.get("cache-control")).toBe("no-store");
    expect(json.body).toMatchObject({ decision: "deny", tier: "freeze", service: { slug: "svc" }, policy: { scope: "default", version: 0 } });
    const strict = await ask(gate, request, "?mode=strict");
    expect(strict.status).toBe(423);
    expect(strict.body).toMatchObject({ decision: "deny", reasons: json.body!.reasons as string[] });
    const fix = await ask(gate, { ...request, changeType: "security" }, "?mode=strict");
    expect(fix.status).toBe(200);
    expect(fix.body?.decision).toBe("allow");
  });

  it("refuses the wrong callers and malformed requests with a clear 4xx, stores nothing and logs the refusal", async () => {
    const before = await decisions();
    const gate = await token("alpha", ["gate"]);
    const betaGate = await token("beta", ["gate"]);
    const readOnly = await token("alpha", ["read"]);
    expect((await ask(readOnly, request)).body?.error?.message).toBe('this token lacks the "gate" scope');
    expect((await ask(undefined, request, "", admin)).status).toBe(403);
    const cross = await ask(betaGate, { ...request, team: "alpha" });
    expect(cross.status).toBe(404);
    expect((await ask(gate, request, "?mode=loud")).body?.error?.fields).toEqual({ mode: "must be json or strict" });
    const bad = await ask(gate, { service: "", environment: "prod<script>", changeType: "yolo", link: "javascript:alert(1)" });
    expect(bad.status).toBe(422);
    expect(bad.body?.error?.fields).toEqual({
      service: "is required",
      environment: "may hold letters, digits, spaces and . - _ / only",
      changeType: "must be one of feature, reliability, p0-fix, security, config, rollback",
      requester: "is required",
      link: "must be an http or https URL",
    });
    expect((await ask(gate, { ...request, version: undefined })).body?.error?.fields).toEqual({ version: "give a version or a commit" });
    expect((await call("POST", "/api/v1/gate", { token: gate, raw: JSON.stringify({ ...request, requester: "x".repeat(9000) }) })).status).toBe(413);
    // The fast path reads a body of declared length itself; the rest take the general reader, with its errors.
    const chunked = (text: string, type = "application/json") =>
      fetch(`${app.url}/api/v1/gate`, { method: "POST", headers: { authorization: `Bearer ${gate}`, "content-type": type }, body: new Blob([text]).stream(), duplex: "half" } as RequestInit);
    expect((await chunked(JSON.stringify({ ...request, requester: "x".repeat(9000) }))).status).toBe(413);
    expect((await chunked("{not json")).status).toBe(400);
    expect((await call("POST", "/api/v1/gate", { token: gate, raw: "{not json" })).body?.error).toEqual({ code: "bad_request", message: "the body is not valid JSON", fields: { body: "is not valid JSON" } });
    expect((await call("POST", "/api/v1/gate", { token: gate, raw: JSON.stringify(request), headers: { "content-type": "text/plain" } })).status).toBe(415);
    expect((await call("POST", "/api/v1/gate", { token: gate, raw: '{"service":"svc\\u0000"}' })).body?.error?.fields).toEqual({ body: "must not contain NUL characters" });
    expect(await decisions()).toBe(before);
    const streamed = await chunked(JSON.stringify(request));
    expect(streamed.status).toBe(200);
    expect(((await streamed.json()) as { decision: string }).decision).toBe((await ask(gate, request)).body?.decision);
    expect(app.output()).toMatch(/"route":"\/api\/v1\/gate","http_status":404/);
  });

  it("takes GitHub's webhook only with a valid signature", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const secret = "gh-webhook-secret-0123456789";
    expect((await call("PUT", "/api/v1/teams/alpha/github", { cookie: admin, body: { appId: "99", privateKey, webhookSecret: secret, apiUrl: "http://127.0.0.1:9" } })).status).toBe(200);
    const got = await call("GET", "/api/v1/teams/alpha/github", { cookie: admin });
    expect(JSON.stringify(got.body)).not.toContain(secret);
    const body = JSON.stringify({ action: "requested", environment: "production" });
    const hook = (headers: Record<string, string>, raw = body, team = "alpha") =>
      call("POST", `/api/v1/github/webhook/${team}`, { raw, headers: { "x-github-event": "ping", "x-github-delivery": "d-1", ...headers } });
    const sig = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
    expect((await hook({})).status).toBe(401);
    expect((await hook({ "x-hub-signature-256": sig.replace(/.$/, "0") })).status).toBe(401);
    expect((await hook({ "x-hub-signature-256": sig }, body.replace("production", "staging"))).status).toBe(401);
    expect((await hook({ "x-hub-signature-256": sig })).body).toEqual({ ok: true, message: "pong" });
    expect((await hook({ "x-hub-signature-256": sig, "content-type": "text/plain" })).status).toBe(415);
    expect((await hook({ "x-hub-signature-256": sig }, body, "beta")).status).toBe(404); // beta has no integration
    expect(app.output()).toContain("GitHub webhook refused: the X-Hub-Signature-256 signature is missing or does not match");
    expect(app.output()).not.toContain(secret);
  });
});

describe("incidents and postmortems over HTTP", () => {
  it("records an incident, writes a postmortem with sanitised Markdown, refuses a stale save and other teams", async () => {
    const inc = await call("POST", "/api/v1/teams/alpha/incidents", { cookie: admin, body: { title: "Checkout down", severity: "SEV1", startedAt: "2026-11-01T10:00:00Z", resolvedAt: "2026-11-01T11:00:00Z", slos: ["svc/main"] } });
    expect(inc.status).toBe(201);
    expect(inc.body).toMatchObject({ severity: "SEV1", impact: [{ slo: { slug: "main" }, budgetSpent: null }], postmortemRequired: false });
    const bad = await call("POST", "/api/v1/teams/alpha/incidents", { cookie: admin, body: { title: "", severity: "SEV9", startedAt: "2026-11-01T10:00:00Z" } });
    expect(bad.status).toBe(422);
    expect(bad.body?.error?.fields).toEqual({ title: "Give the incident a title", severity: "Pick a severity: SEV1, SEV2, SEV3, SEV4" });
    const order = await call("POST", "/api/v1/teams/alpha/incidents", { cookie: admin, body: { title: "x", severity: "SEV3", startedAt: "2026-11-01T10:00:00Z", detectedAt: "2026-11-01T09:00:00Z" } });
    expect(order.body?.error?.fields).toEqual({ detectedAt: "It cannot be detected before it started" });
    const other = await call("POST", "/api/v1/teams/alpha/incidents", { cookie: admin, body: { title: "x", severity: "SEV3", startedAt: "2026-11-01T10:00:00Z", slos: ["svc/none"] } });
    expect(other.body?.error?.fields).toEqual({ "slos.0": 'no SLO "svc/none" in this team' });

    const pm = await call("POST", "/api/v1/teams/alpha/postmortems", { cookie: admin, body: { incident: inc.body!.id } });
    expect(pm.status).toBe(201);
    const id = pm.body!.id as string;
    const sections = [{ key: "summary", title: "Summary", body: "<img src=x onerror=alert(1)> [x](javascript:alert(1)) **ok**" }];
    const saved = await call("PATCH", `/api/v1/postmortems/${id}`, { cookie: admin, body: { revision: 1, sections } });
    expect(saved.status).toBe(200);
    const stale = await call("PATCH", `/api/v1/postmortems/${id}`, { cookie: admin, body: { revision: 1, sections: [{ key: "summary", title: "Summary", body: "overwrite" }] } });
    expect(stale.status).toBe(409);
    expect((await call("GET", `/api/v1/postmortems/${id}`, { cookie: admin })).body).toMatchObject({ revision: 2, sections });
    // The page renders the Markdown through the sanitiser: no handler, no javascript: link.
    const html = await (await fetch(`${app.url}/postmortems/${id}`, { headers: { cookie: admin } })).text();
    expect(html).toContain("<strong>ok</strong>");
    expect(html).not.toMatch(/<img[^>]*onerror|href="javascript:/i);
    const md = await fetch(`${app.url}/api/v1/postmortems/${id}/export`, { headers: { cookie: admin } });
    expect(md.headers.get("content-type")).toContain("text/markdown");
    expect(await md.text()).toContain("# Checkout down");

    const betaReader = await token("beta", ["read"]);
    expect((await call("GET", `/api/v1/postmortems/${id}`, { token: betaReader })).status).toBe(404); // a draft: its team only
    expect((await call("GET", `/api/v1/teams/alpha/incidents/${inc.body!.id as string}`, { token: betaReader })).status).toBe(404);
    expect((await call("POST", `/api/v1/postmortems/${id}/transitions`, { cookie: admin, body: { action: "approve" } })).status).toBe(409);
    expect((await call("GET", "/api/v1/postmortems/search?q=x", { cookie: admin })).body?.error?.fields).toEqual({ q: "Type at least 2 characters" });
  });
});

describe("every error in one shape: { error: { code, message, fields? } }", () => {
  const raw = async (method: string, p: string, headers: Record<string, string> = {}, body?: string) => {
    const res = await fetch(`${app.url}${p}`, { method, headers, body });
    return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
  };
  const errorOf = (text: string) => (JSON.parse(text) as { error: { code: string; message: string; fields?: Record<string, string> } }).error;

  it("a path no route answers is a JSON 404 naming it, at any depth and for any method", async () => {
    for (const [method, p] of [["GET", "/api/v1/nothing-here"], ["POST", "/api/v1/teams/alpha/no-such-thing"], ["DELETE", "/api/nope"], ["GET", "/api/v1/teams/alpha/services/svc/slos/main/nope/deeper"]] as const) {
      const r = await raw(method, p, { cookie: admin, origin: app.url });
      expect(r.status, p).toBe(404);
      expect(r.type).toMatch(/^application\/json/);
      expect(errorOf(r.text)).toEqual({ code: "not_found", message: `no API operation answers ${method} ${p}; the operations are listed in /api/v1/openapi.json` });
    }
    // Pages keep their HTML 404.
    const page = await raw("GET", "/no-such-page");
    expect(page.status).toBe(404);
    expect(page.type).toMatch(/^text\/html/);
  });

  it("a method a route does not have is a JSON 405 naming the method and the path", async () => {
    for (const [method, p] of [["PUT", "/api/v1/teams"], ["DELETE", "/api/v1/overview"], ["PATCH", "/api/v1/gate"], ["POST", "/metrics"]] as const) {
      const r = await raw(method, p, { cookie: admin, origin: app.url });
      expect(r.status, `${method} ${p}`).toBe(405);
      expect(r.type).toMatch(/^application\/json/);
      const e = errorOf(r.text);
      expect(e.code).toBe("method_not_allowed");
      expect(e.message).toContain(`${method} is not allowed on ${p}`);
    }
  });

  it("a cross-site state change, a body too large and a body that is not JSON are refused in the same shape, naming the problem", async () => {
    const csrf = await raw("POST", "/api/v1/teams", { cookie: admin, origin: "https://evil.example", ...json }, JSON.stringify({ slug: "evil", name: "e" }));
    expect(csrf.status).toBe(403);
    expect(errorOf(csrf.text)).toMatchObject({ code: "forbidden" });
    const big = await raw("POST", "/api/v1/teams", { cookie: admin, origin: app.url, ...json }, JSON.stringify({ slug: "big", name: "x".repeat(40_000) }));
    expect(big.status).toBe(413);
    expect(errorOf(big.text)).toMatchObject({ code: "payload_too_large", message: expect.stringContaining("bytes") });
    const yaml = await raw("POST", "/api/v1/teams", { cookie: admin, origin: app.url, "content-type": "text/plain" }, "slug: x");
    expect(yaml.status).toBe(415);
    expect(errorOf(yaml.text)).toMatchObject({ code: "unsupported_media_type" });
    const invalid = await raw("POST", "/api/v1/teams", { cookie: admin, origin: app.url, ...json }, JSON.stringify({ slug: "Not A Slug" }));
    expect(invalid.status).toBe(422);
    expect(errorOf(invalid.text).fields).toMatchObject({ slug: expect.stringMatching(/slug/), name: expect.any(String) });
  });
});

