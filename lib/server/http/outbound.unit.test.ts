// The outbound guard against local listeners: what it refuses never reaches them (each listener
// counts its connections), what OUTBOUND_ALLOW names does, no redirect is followed, and no error
// repeats what the upstream said.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, outboundAllowSchema, parseConfig } from "../config";
import { PromQueryError, queryRange } from "../sources/prometheus";
import { literalRefusal, OutboundError, outboundFetch, outboundRequest, refusalOf, type Lookup } from "./outbound";

// The default policy comes from the configuration: this file tests it without an allow-list.
delete process.env.OUTBOUND_ALLOW;

const MARKER = "UPSTREAM-SECRET-7f3a9c";
const none = outboundAllowSchema.parse("");
const loopback = outboundAllowSchema.parse("127.0.0.1/32,::1/128");

type Listener = { server: http.Server; port: number; connections: number; host: string };

async function listen(host: string, handler: http.RequestListener): Promise<Listener> {
  const server = http.createServer(handler);
  const l: Listener = { server, port: 0, connections: 0, host };
  server.on("connection", () => l.connections++);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  l.port = (server.address() as AddressInfo).port;
  return l;
}

let v4: Listener; // answers 200 "hello"
let v6: Listener | null; // the same on ::1, where the machine has IPv6
let other: Listener; // a second loopback service that redirects must not reach
let redirector: Listener; // 302 to `other`
let failing: Listener; // 500 with the marker in its body
let hanging: Listener; // never answers
let big: Listener; // 200 with 4 KiB
let prometheus: Listener; // a Prometheus error envelope whose `error` text is the marker
const all = () => [v4, v6, other, redirector, failing, hanging, big, prometheus].filter((l): l is Listener => l !== null);

beforeAll(async () => {
  const hello: http.RequestListener = (_q, r) => r.writeHead(200, { "content-type": "text/plain" }).end("hello");
  v4 = await listen("127.0.0.1", hello);
  v6 = await listen("::1", hello).catch(() => null);
  other = await listen("127.0.0.1", hello);
  redirector = await listen("127.0.0.1", (_q, r) => r.writeHead(302, { location: `http://127.0.0.1:${other.port}/${MARKER}` }).end(MARKER));
  failing = await listen("127.0.0.1", (_q, r) => r.writeHead(500, { "content-type": "text/html" }).end(`<html>${MARKER}</html>`));
  hanging = await listen("127.0.0.1", () => {});
  big = await listen("127.0.0.1", (_q, r) => r.writeHead(200).end("x".repeat(4096)));
  prometheus = await listen("127.0.0.1", (q, r) => {
    const body = q.url?.includes("garbage") ? `not json ${MARKER}` : JSON.stringify({ status: "error", errorType: "bad_data", error: `parse error: ${MARKER}` });
    r.writeHead(q.url?.includes("garbage") ? 502 : 400, { "content-type": "application/json" }).end(body);
  });
});
afterAll(async () => {
  for (const l of all()) {
    l.server.closeAllConnections();
    await new Promise((r) => l.server.close(r));
  }
});
beforeEach(() => {
  for (const l of all()) l.connections = 0;
});

const get = (url: string, opts: Partial<Parameters<typeof outboundRequest>[1]> = {}) => outboundRequest(url, { timeoutMs: 2_000, maxBytes: 1_000, ...opts });
async function failure(p: Promise<unknown>): Promise<OutboundError> {
  const e = await p.then(() => new Error("expected the request to fail"), (err: unknown) => err);
  expect(e).toBeInstanceOf(OutboundError);
  return e as OutboundError;
}

describe("refused by default", () => {
  it("refuses 127.0.0.1 (and ::1) without connecting, naming the address and the way to allow it", async () => {
    const e = await failure(get(`http://127.0.0.1:${v4.port}/`));
    expect(e.kind).toBe("refused");
    expect(e.message).toContain("127.0.0.1 is a loopback address; allow it with OUTBOUND_ALLOW");
    if (v6) {
      const e6 = await failure(get(`http://[::1]:${v6.port}/`));
      expect(e6.message).toContain("::1 is a loopback address");
    }
    expect(v4.connections).toBe(0);
    expect(v6?.connections ?? 0).toBe(0);
  });

  // Every spelling of a loopback or otherwise internal address; the WHATWG URL parser normalises
  // the IPv4 shorthands, the guard classifies what is left on the resolved address.
  const tricky: [string, RegExp][] = [
    ["127.1", /127\.0\.0\.1 is a loopback/],
    ["0x7f.1", /127\.0\.0\.1 is a loopback/],
    ["2130706433", /127\.0\.0\.1 is a loopback/],
    ["0177.0.0.1", /127\.0\.0\.1 is a loopback/],
    ["127.255.255.254", /loopback/],
    ["[::1]", /::1 is a loopback/],
    ["[0:0::1]", /::1 is a loopback/],
    ["[0:0:0:0:0:0:0:1]", /::1 is a loopback/],
    ["[::ffff:127.0.0.1]", /IPv4-mapped form of 127\.0\.0\.1, a loopback/],
    ["[::ffff:7f00:1]", /IPv4-mapped form of 127\.0\.0\.1, a loopback/],
    ["[0:0:0:0:0:ffff:127.0.0.1]", /IPv4-mapped form of 127\.0\.0\.1/],
    ["[::127.0.0.1]", /IPv4-compatible form of 127\.0\.0\.1/],
    ["[64:ff9b::7f00:1]", /NAT64 form of 127\.0\.0\.1/],
    ["[64:ff9b::a9fe:a9fe]", /NAT64 form of 169\.254\.169\.254, a link-local/],
    ["[2002:7f00:1::]", /6to4 form of 127\.0\.0\.1/],
    ["[::ffff:0:7f00:1]", /IPv4-translated form of 127\.0\.0\.1/],
    ["0.0.0.0", /unspecified/],
    ["0", /unspecified/],
    ["[::]", /unspecified/],
    ["169.254.169.254", /link-local/],
    ["[fe80::1]", /link-local/],
    ["10.0.0.1", /private \(RFC 1918\)/],
    ["172.16.5.4", /private/],
    ["192.168.1.1", /private/],
    ["100.64.0.1", /CGNAT/],
    ["[fc00::1]", /unique-local/],
    ["[fd12:3456::1]", /unique-local/],
    ["224.0.0.1", /multicast/],
    ["[ff02::1]", /multicast/],
    ["255.255.255.255", /broadcast/],
    ["240.0.0.1", /reserved/],
    ["192.0.2.1", /reserved/],
    ["[2001:db8::1]", /reserved/],
  ];
  it.each(tricky)("refuses %s", async (host, why) => {
    const e = await failure(get(`http://${host}:${v4.port}/`));
    expect(e.kind).toBe("refused");
    expect(e.message).toMatch(why);
    expect(e.message).toContain("OUTBOUND_ALLOW");
    expect(v4.connections + (v6?.connections ?? 0)).toBe(0);
  });

  it("classifies public addresses (and their NAT64 and mapped forms) as reachable", () => {
    for (const a of ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "2606:4700::1111", "64:ff9b::808:808", "::ffff:8.8.8.8"]) expect(refusalOf(a)).toBeNull();
  });

  it("checks the resolved address: localhost and a name whose DNS answers 127.0.0.1 (rebinding) are refused", async () => {
    const e = await failure(get(`http://localhost:${v4.port}/`));
    expect(e.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address; allow it with OUTBOUND_ALLOW/);
    const rebinding: Lookup = async () => [{ address: "127.0.0.1", family: 4 }];
    const r = await failure(get(`http://metrics.example.test:${v4.port}/`, { lookup: rebinding, allow: none }));
    expect(r).toMatchObject({ kind: "refused", message: expect.stringContaining("metrics.example.test resolves to 127.0.0.1, a loopback address") });
    // A mix of private answers: every one is refused, the first one is named.
    const mixed: Lookup = async () => [{ address: "10.1.2.3", family: 4 }, { address: "::1", family: 6 }];
    expect((await failure(get(`http://metrics.example.test:${v4.port}/`, { lookup: mixed, allow: none }))).message).toContain("resolves to 10.1.2.3, a private (RFC 1918) address");
    expect(v4.connections).toBe(0);
  });

  it("a DNS failure is named as one", async () => {
    const nx: Lookup = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    expect(await failure(get("http://nowhere.example.test/", { lookup: nx }))).toMatchObject({ kind: "dns", message: expect.stringContaining("could not resolve nowhere.example.test (ENOTFOUND)") });
  });

  it("refuses other schemes and URLs with credentials", async () => {
    expect((await failure(get("file:///etc/passwd"))).kind).toBe("bad_url");
    expect((await failure(get(`http://u:p@127.0.0.1:${v4.port}/`, { allow: loopback }))).kind).toBe("bad_url");
    expect(v4.connections).toBe(0);
  });
});

describe("at save time", () => {
  it("an address literal (or localhost) that every call would refuse is named before it is stored", () => {
    const none = outboundAllowSchema.parse("");
    expect(literalRefusal("http://127.0.0.1:5432/", none)).toBe("127.0.0.1 is a loopback address; allow it with OUTBOUND_ALLOW");
    expect(literalRefusal("http://127.1:9090", none)).toContain("127.0.0.1 is a loopback address");
    expect(literalRefusal("http://[::ffff:a9fe:a9fe]/latest/meta-data", none)).toContain("169.254.169.254");
    expect(literalRefusal("http://localhost:9090", none)).toBe("localhost is a loopback address; allow it with OUTBOUND_ALLOW");
    expect(literalRefusal("http://10.1.2.3:9090", none)).toContain("a private (RFC 1918) address");
    // Allowed, public, or a name (judged when called, on what it resolves to then): nothing to say.
    expect(literalRefusal("http://10.1.2.3:9090", outboundAllowSchema.parse("10.0.0.0/8"))).toBeNull();
    expect(literalRefusal("http://localhost:9090", outboundAllowSchema.parse("localhost"))).toBeNull();
    expect(literalRefusal("https://8.8.8.8/", none)).toBeNull();
    expect(literalRefusal("https://prometheus.example.com/", none)).toBeNull();
  });
});

describe("OUTBOUND_ALLOW", () => {
  it("a CIDR reaches the listener, IPv4 and IPv6; one that does not cover it still refuses", async () => {
    expect((await get(`http://127.0.0.1:${v4.port}/`, { allow: outboundAllowSchema.parse("127.0.0.0/8") })).text).toBe("hello");
    expect((await get(`http://127.0.0.1:${v4.port}/`, { allow: outboundAllowSchema.parse("127.0.0.1") })).text).toBe("hello");
    // 127.0.0.1/32 covers its IPv4-mapped spelling too (it is the same address).
    expect((await get(`http://[::ffff:127.0.0.1]:${v4.port}/`, { allow: outboundAllowSchema.parse("127.0.0.1/32") })).text).toBe("hello");
    expect(v4.connections).toBe(3);
    expect((await failure(get(`http://127.0.0.1:${v4.port}/`, { allow: outboundAllowSchema.parse("10.0.0.0/8,::1/128") }))).kind).toBe("refused");
    expect(v4.connections).toBe(3);
    if (v6) {
      expect((await get(`http://[::1]:${v6.port}/`, { allow: outboundAllowSchema.parse("::1/128") })).text).toBe("hello");
      expect((await get(`http://[::1]:${v6.port}/`, { allow: outboundAllowSchema.parse("[::1]") })).text).toBe("hello");
      expect((await failure(get(`http://[::1]:${v6.port}/`, { allow: outboundAllowSchema.parse("127.0.0.0/8") }))).kind).toBe("refused");
      expect(v6.connections).toBe(2);
    }
  });

  it("a host name reaches whatever it resolves to; another name or a lookalike does not", async () => {
    const dns: Lookup = async () => [{ address: "127.0.0.1", family: 4 }];
    const allow = outboundAllowSchema.parse("prometheus.internal, localhost");
    expect((await get(`http://prometheus.internal:${v4.port}/`, { allow, lookup: dns })).text).toBe("hello");
    expect((await get(`http://PROMETHEUS.internal.:${v4.port}/`, { allow, lookup: dns })).text).toBe("hello");
    expect((await get(`http://localhost:${v4.port}/`, { allow })).text).toBe("hello");
    expect(v4.connections).toBe(3);
    for (const name of ["evil.prometheus.internal", "prometheus.internal.evil.test"]) expect((await failure(get(`http://${name}:${v4.port}/`, { allow, lookup: dns }))).kind).toBe("refused");
    // A host entry does not open the address it resolves to for other names or literals.
    expect((await failure(get(`http://127.0.0.1:${v4.port}/`, { allow }))).kind).toBe("refused");
    expect(v4.connections).toBe(3);
  });

  it("is validated at start-up: a bad entry fails with the variable's name", () => {
    const env = (OUTBOUND_ALLOW?: string): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...(OUTBOUND_ALLOW === undefined ? {} : { OUTBOUND_ALLOW }) });
    const good = parseConfig(env("prometheus.internal,10.0.0.0/8,127.0.0.1/32,fd00::/8,[::1]")).OUTBOUND_ALLOW;
    expect(good?.hosts).toEqual(["prometheus.internal"]);
    expect(good?.ranges.map(([a, bits]) => `${a.toString()}/${bits}`)).toEqual(["10.0.0.0/8", "127.0.0.1/32", "fd00::/8", "::1/128"]);
    for (const bad of ["10.0.0.0/33", "fd00::/129", "10.0.0.256", "127.1", "10.0.0.0/8/1", "http://prom:9090", "a b"]) {
      expect(() => parseConfig(env(bad)), bad).toThrow(ConfigError);
      expect(() => parseConfig(env(bad)), bad).toThrow(/OUTBOUND_ALLOW: .*is neither a host name nor an address or CIDR/);
    }
    expect(parseConfig(env()).OUTBOUND_ALLOW).toBeUndefined();
    expect(parseConfig(env("")).OUTBOUND_ALLOW).toBeUndefined();
  });
});

describe("answers", () => {
  it("follows no redirect, even to an allowed address, and names the status", async () => {
    const e = await failure(get(`http://127.0.0.1:${redirector.port}/`, { allow: loopback }));
    expect(e).toMatchObject({ kind: "redirect", status: 302 });
    expect(e.message).toContain("answered HTTP 302 (a redirect); redirects are not followed");
    expect(e.message).not.toContain(MARKER);
    expect(redirector.connections).toBe(1);
    expect(other.connections).toBe(0);
  });

  it("names an error status without the body (which the listener did send)", async () => {
    const e = await failure(get(`http://127.0.0.1:${failing.port}/`, { allow: loopback }));
    expect(e).toMatchObject({ kind: "status", status: 500, message: `http://127.0.0.1:${failing.port} answered HTTP 500` });
    expect(JSON.stringify({ ...e, message: e.message, stack: e.stack })).not.toContain(MARKER);
    // The marker was on the wire: a caller that asks for error bodies gets it, so its absence above is the guard's doing.
    expect((await get(`http://127.0.0.1:${failing.port}/`, { allow: loopback, errorAnswers: true })).text).toContain(MARKER);
  });

  it("times out, caps the answer's size and names a refused connection", async () => {
    expect(await failure(get(`http://127.0.0.1:${hanging.port}/`, { allow: loopback, timeoutMs: 300 }))).toMatchObject({ kind: "timeout", message: expect.stringContaining("no answer within 0.3 s") });
    expect(await failure(get(`http://127.0.0.1:${big.port}/`, { allow: loopback, maxBytes: 1_000 }))).toMatchObject({ kind: "too_large", message: expect.stringContaining("larger than 1000 bytes") });
    const closed = await listen("127.0.0.1", () => {});
    await new Promise((r) => closed.server.close(r));
    expect(await failure(get(`http://127.0.0.1:${closed.port}/`, { allow: loopback }))).toMatchObject({ kind: "connection", message: expect.stringContaining("the connection was refused") });
    expect(await failure(get(`https://127.0.0.1:${v4.port}/`, { allow: loopback }))).toMatchObject({ kind: "tls", message: expect.stringMatching(/TLS failed \([A-Z_]+\)/) });
  });

  it("the Prometheus client names the failure in its own words, never the upstream's error text", async () => {
    const t = new Date("2026-01-01T00:00:00Z");
    const q = (url: string, allow = loopback) => queryRange({ url }, "up", t, t, 60, 2_000, { allow }).then(() => new Error("expected a failure"), (e: unknown) => e as Error);
    const typed = await q(`http://127.0.0.1:${prometheus.port}`);
    expect(typed).toBeInstanceOf(PromQueryError);
    expect(typed.message).toBe("query failed (HTTP 400): Prometheus rejected the query or its parameters (bad_data); check the PromQL");
    const garbage = await q(`http://127.0.0.1:${prometheus.port}/garbage`);
    expect(garbage.message).toContain("answered HTTP 502 with something that is not Prometheus JSON");
    const html = await q(`http://127.0.0.1:${failing.port}`);
    expect(html.message).toContain("answered HTTP 500");
    const moved = await q(`http://127.0.0.1:${redirector.port}`);
    expect(moved.message).toContain("HTTP 302");
    for (const e of [typed, garbage, html, moved]) expect(e.message).not.toContain(MARKER);
    expect(prometheus.connections).toBe(2);
    // Refused: flagged so the test-query endpoint answers 422, and the listener saw nothing.
    const refused = await q(`http://127.0.0.1:${prometheus.port}`, none);
    expect(refused).toMatchObject({ refused: true, message: expect.stringContaining("127.0.0.1 is a loopback address; allow it with OUTBOUND_ALLOW") });
    expect(prometheus.connections).toBe(2);
  });

  it("the fetch handed to @octokit/request has the same guard and passes error answers through", async () => {
    const f = outboundFetch({ timeoutMs: 2_000, maxBytes: 1_000 });
    await expect(f(`http://127.0.0.1:${v4.port}/`)).rejects.toMatchObject({ kind: "refused" });
    expect(v4.connections).toBe(0);
    const allowed = outboundFetch({ timeoutMs: 2_000, maxBytes: 1_000, allow: loopback });
    const res = await allowed(`http://127.0.0.1:${failing.port}/`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(500);
    await expect(allowed(`http://127.0.0.1:${redirector.port}/`)).rejects.toMatchObject({ kind: "redirect" });
    expect(other.connections).toBe(0);
  });
});
