// Rate limits, sign-in lockout, security headers and cookies, against the built app with small
// limits (the defaults: 6,000 token requests and 20 sign-in attempts a minute, lockout after 10).
import fs from "node:fs/promises";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInViaApi, startApp, type AppProcess, tempDataDir } from "./testing/app-process";

let app: AppProcess;
let dataDir: string;
let admin: string;
const json = { "content-type": "application/json" };

beforeAll(async () => {
  dataDir = await tempDataDir("burnrate-security-");
  app = await startApp({
    DATA_DIR: dataDir,
    BURNRATE_ADMIN_EMAIL: "root@example.test",
    BURNRATE_ADMIN_PASSWORD: "security-test-password-1",
    TOKEN_RATE_LIMIT_PER_MINUTE: "5",
    SIGN_IN_RATE_LIMIT_PER_MINUTE: "8",
    SIGN_IN_LOCKOUT_ATTEMPTS: "3",
  });
  admin = await signInViaApi(app.url, "root@example.test", "security-test-password-1"); // attempt 1 of 8
  expect((await post("/api/v1/teams", { slug: "alpha", name: "Alpha" })).status).toBe(201);
});
afterAll(async () => {
  await app?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const post = (p: string, body: unknown) => fetch(`${app.url}${p}`, { method: "POST", headers: { ...json, cookie: admin, origin: app.url }, body: JSON.stringify(body) });

async function newToken(scopes: string[]) {
  const r = await post("/api/v1/teams/alpha/tokens", { name: `t-${Math.random()}`, scopes });
  expect(r.status).toBe(201);
  return ((await r.json()) as { secret: string }).secret;
}

/** One password sign-in through next-auth's API: the HTTP status and next-auth's error code. */
async function attempt(email: string, password: string) {
  const csrf = await fetch(`${app.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${app.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const body = (await res.json()) as { url?: string };
  const signedIn = res.headers.getSetCookie().some((c) => c.startsWith("next-auth.session-token="));
  return { status: res.status, error: body.url ? new URL(body.url).searchParams.get("error") : null, signedIn, retryAfter: res.headers.get("retry-after") };
}

describe("rate limits (429 with Retry-After)", () => {
  it("an API token over its limit gets 429 with Retry-After; another token is not affected", async () => {
    const a = await newToken(["read"]);
    const b = await newToken(["read"]);
    for (let i = 0; i < 5; i++) expect((await fetch(`${app.url}/api/v1/me`, { headers: { authorization: `Bearer ${a}` } })).status).toBe(200);
    const over = await fetch(`${app.url}/api/v1/me`, { headers: { authorization: `Bearer ${a}` } });
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await over.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: "too_many_requests",
      message: expect.stringContaining("too many requests with this API token (5 a minute)"),
    });
    expect((await fetch(`${app.url}/api/v1/me`, { headers: { authorization: `Bearer ${b}` } })).status).toBe(200);
  });

  it("the deploy gate's fast path counts too", async () => {
    const gate = await newToken(["gate"]);
    const call = () =>
      fetch(`${app.url}/api/v1/gate`, { method: "POST", headers: { ...json, authorization: `Bearer ${gate}` }, body: JSON.stringify({ service: "nope", environment: "production", version: "1", requester: "ci" }) });
    for (let i = 0; i < 5; i++) expect((await call()).status).toBe(200);
    const over = await call();
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});

describe("sign-in: lockout and a per-address limit", () => {
  it("three failures lock the account, even to the right password, and the answer is a wrong password's; then the address is limited", async () => {
    const email = "locked@example.test";
    const password = "the-right-password-1";
    expect((await post("/api/v1/users", { name: "Locked", email, password })).status).toBe(201);
    for (let i = 0; i < 3; i++) expect(await attempt(email, "a-wrong-password")).toMatchObject({ error: "CredentialsSignin", signedIn: false }); // attempts 2-4
    // Locked (5), a wrong password (6) and an unknown email (7) answer alike: nobody learns which accounts exist or are locked.
    const locked = await attempt(email, password);
    const wrong = await attempt("root@example.test", "a-wrong-password");
    const unknown = await attempt("nobody@example.test", password);
    expect(locked).toEqual(wrong);
    expect(unknown).toEqual(wrong);
    expect(wrong).toMatchObject({ status: 401, error: "CredentialsSignin", signedIn: false });
    // Attempt 8 is still answered; the 9th within the minute is refused before any check.
    expect((await attempt("root@example.test", "a-wrong-password")).status).not.toBe(429);
    const limited = await attempt("root@example.test", "security-test-password-1");
    expect(limited).toMatchObject({ status: 429, error: "RateLimited", signedIn: false });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
  });
});

describe("security headers and cookies", () => {
  it("pages carry a nonce-based CSP that Next.js's own scripts follow, and refuse framing", async () => {
    const res = await fetch(`${app.url}/signin`);
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // A fresh nonce for every response.
    const again = (await fetch(`${app.url}/signin`)).headers.get("content-security-policy");
    expect(again).not.toBe(csp);
    // No HSTS over plain http.
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("API answers forbid loading anything from them", async () => {
    const res = await fetch(`${app.url}/api/health`);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("every HTML answer carries the page policy, whatever the raw path looked like", async () => {
    // Raw request targets (node's fetch would normalise them): sent over a plain socket.
    const raw = (target: string) =>
      new Promise<string>((resolve, reject) => {
        const { port } = new URL(app.url);
        const s = net.connect(Number(port), "127.0.0.1", () => s.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
        let out = "";
        s.on("data", (c: Buffer) => (out += c.toString("latin1")));
        s.on("end", () => resolve(out));
        s.on("error", reject);
      });
    let html = 0;
    for (const target of ["/_next/static/../../signin", "/_next/static/nope", "/_next/static/%2e%2e/%2e%2e/signin", "//signin", "/API/health", "/api/../signin", "/signin/", "/SIGNIN", "/nope%00"]) {
      const answer = await raw(target);
      const head = answer.split("\r\n\r\n")[0]!.toLowerCase();
      if (!/content-type: text\/html/.test(head)) continue;
      html++;
      expect(head, target).toMatch(/content-security-policy: [^\r\n]*(script-src 'self' 'nonce-|default-src 'none')/);
      expect(head, target).toContain("frame-ancestors 'none'");
    }
    expect(html).toBeGreaterThanOrEqual(5); // most of these are HTML pages (sign-in, 404s): the check above ran
  });

  it("the session cookie is HttpOnly and SameSite=Lax", async () => {
    const csrf = await fetch(`${app.url}/api/auth/csrf`);
    const cookies = csrf.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) expect(c).toMatch(/HttpOnly/i);
    for (const c of cookies) expect(c).toMatch(/SameSite=Lax/i);
  });

  it("behind TLS (an https PUBLIC_URL): HSTS, Secure cookies and upgrade-insecure-requests", async () => {
    const dir = await tempDataDir("burnrate-tls-");
    const tls = await startApp({ DATA_DIR: dir, PUBLIC_URL: "https://burnrate.example.test" });
    try {
      const res = await fetch(`${tls.url}/api/auth/csrf`);
      expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
      for (const c of res.headers.getSetCookie()) expect(c).toMatch(/; Secure/i);
      expect((await fetch(`${tls.url}/signin`)).headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    } finally {
      await tls.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("hostile clients", () => {
  it("a client that sends its headers slowly is cut off (408) instead of holding a connection", async () => {
    const { port } = new URL(app.url);
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => socket.write("GET /api/health HTTP/1.1\r\nHost: x\r\n"));
      let data = "";
      // One header line every 2 s, never the blank line that ends them.
      const drip = setInterval(() => socket.write(`X-Slow-${Date.now()}: 1\r\n`), 2_000);
      socket.on("data", (c: Buffer) => (data += c.toString()));
      socket.on("close", () => {
        clearInterval(drip);
        resolve(data);
      });
      socket.on("error", (e) => {
        clearInterval(drip);
        reject(e);
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(25_000); // headersTimeout 15 s, checked every 2 s
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  }, 40_000);

  it("an OpenSLO file naming paths or markup is refused by field, and nothing is created", async () => {
    const yaml = ["apiVersion: openslo/v1", "kind: Service", "metadata:", '  name: "../../etc/passwd"', "spec:", '  description: "<script>alert(1)</script>"', ""].join("\n");
    const r = await fetch(`${app.url}/api/v1/teams/alpha/openslo`, { method: "POST", headers: { "content-type": "application/yaml", cookie: admin, origin: app.url }, body: yaml });
    expect(r.status).toBe(422);
    expect(JSON.stringify(await r.json())).toMatch(/metadata\.name|name/);
    const services = (await (await fetch(`${app.url}/api/v1/teams/alpha/services`, { headers: { cookie: admin } })).json()) as unknown[];
    expect(services).toEqual([]);
  });

  it("markup typed into any rendered text field is shown as text on every page, never run", async () => {
    const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>`;
    const send = async (method: string, p: string, body: unknown) => {
      const r = await fetch(`${app.url}${p}`, { method, headers: { ...json, cookie: admin, origin: app.url }, body: JSON.stringify(body) });
      expect(r.status, `${p}: ${r.status}`).toBeLessThan(300);
      return (await r.json()) as Record<string, unknown>;
    };
    await send("POST", "/api/v1/teams/alpha/services", { slug: "web", name: `Web ${evil}`, description: evil });
    await send("POST", "/api/v1/teams/alpha/services/web/slis", { slug: "avail", name: `SLI ${evil}`, kind: "request_ratio" });
    await send("POST", "/api/v1/teams/alpha/services/web/slos", { slug: "main", name: `SLO ${evil}`, sli: "avail", objective: "99.9%", window: { kind: "rolling", days: 28 } });
    const incident = await send("POST", "/api/v1/teams/alpha/incidents", { title: `Incident ${evil}`, severity: "SEV2", startedAt: "2026-11-01T10:00:00Z", slos: ["web/main"] });
    await send("POST", `/api/v1/teams/alpha/incidents/${String(incident.id)}/timeline`, { at: "2026-11-01T10:05:00Z", kind: "note", text: `Entry ${evil}` });
    const pm = await send("POST", "/api/v1/teams/alpha/postmortems", { title: `Review ${evil}` });
    await send("PATCH", `/api/v1/postmortems/${String(pm.id)}`, { revision: pm.revision, sections: [{ key: "summary", title: `Summary ${evil}`, body: `Body ${evil} [x](javascript:alert(3))` }] });
    const pages = ["/teams/alpha", "/teams/alpha/services/web", "/teams/alpha/services/web/slos/main", "/teams/alpha/incidents", `/teams/alpha/incidents/${String(incident.id)}`, "/postmortems", `/postmortems/${String(pm.id)}`, "/"];
    for (const p of pages) {
      const res = await fetch(`${app.url}${p}`, { headers: { cookie: admin } });
      expect(res.status, p).toBe(200);
      const html = await res.text();
      expect(html, p).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html, p).not.toContain("<script>alert(1)");
      expect(html, p).not.toMatch(/<img[^>]*onerror/i);
      expect(html, p).not.toContain('href="javascript:');
    }
  });
});
