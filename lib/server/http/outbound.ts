// The one HTTP client for requests to addresses that people typed in: Prometheus sources, the
// "Test query", notification channels and the GitHub API (email goes through outbound-mail.ts,
// which uses the same address check). Editors choose those URLs, so without
// a guard they could make the server call its own database port, a cloud metadata endpoint or
// anything else on its private network, and read the answer back through an error message.
//
// - Every connection's address is checked after DNS resolution, in the connector itself: a name
//   that resolves (or re-resolves: DNS rebinding) to a private address is refused, and an IP
//   literal in any spelling (127.1, 0x7f.1, 2130706433, [::ffff:7f00:1]) arrives here already
//   normalised by the WHATWG URL parser and classified by ipaddr.js.
// - Only public unicast addresses are reached unless OUTBOUND_ALLOW names the host or a CIDR.
// - No redirect is followed: a 3xx is an error naming its status.
// - Every request has a timeout and a cap on the response size.
// - Errors say what failed in our words, never with the upstream's body or error text (which
//   would let a caller read a private service through them).
import dns from "node:dns";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { getConfig, type OutboundAllow } from "../config";
import { AppError } from "../errors";
import { processGlobal } from "../process-global";
import { clockNow } from "../clock";
import { readCapped } from "./read-capped";

export type OutboundErrorKind = "bad_url" | "refused" | "dns" | "timeout" | "connection" | "tls" | "redirect" | "status" | "too_large";

export class OutboundError extends Error {
  /**
   * @param reason what failed, without the URL (e.g. "no answer within 10 s"); `message` adds the origin.
   */
  constructor(
    readonly kind: OutboundErrorKind,
    readonly reason: string,
    origin?: string,
    /** The HTTP status, for kind "status" and "redirect". */
    readonly status?: number,
    /** For a 429 or 503 answer with Retry-After: when the peer asked us to come back, in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(!origin ? reason : kind === "status" || kind === "redirect" ? `${origin} ${reason}` : kind === "too_large" ? `${origin}: ${reason}` : `could not reach ${origin}: ${reason}`);
    this.name = "OutboundError";
  }
}

export type LookupAddress = { address: string; family: number };
/** Resolves a host name to its addresses (dns.lookup by default; tests inject their own). */
export type Lookup = (hostname: string) => Promise<LookupAddress[]>;

export type OutboundPolicy = {
  /** What may be reached although not public; default: OUTBOUND_ALLOW from the configuration. */
  allow?: OutboundAllow;
  lookup?: Lookup;
};

export type OutboundRequest = OutboundPolicy & {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** The most of the answer's body that is read; past it, an OutboundError "too_large". 0: the body is not read at all. */
  maxBytes: number;
  /** Return 4xx and 5xx answers with their body (for a caller that reads a typed error out of it) instead of throwing. */
  errorAnswers?: boolean;
  signal?: AbortSignal;
};

export type OutboundResponse = { status: number; ok: boolean; headers: Headers; text: string };

// IPv4 first: one address is tried per connection, and many hosts have no IPv6 route.
const systemLookup: Lookup = async (hostname) => (await dns.promises.lookup(hostname, { all: true, verbatim: true })).sort((a, b) => a.family - b.family);

const labels: Record<string, string> = {
  unspecified: "an unspecified address",
  broadcast: "the broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address",
  loopback: "a loopback address",
  carrierGradeNat: "a shared (CGNAT, 100.64.0.0/10) address",
  private: "a private (RFC 1918) address",
  uniqueLocal: "a unique-local (fc00::/7) address",
};
const labelOf = (range: string) => labels[range] ?? `a reserved address (${range})`;

/** Why `address` must not be reached by default, or null for a public unicast address. */
export function refusalOf(address: string): string | null {
  if (!ipaddr.isValid(address)) return "not an IP address";
  const ip = ipaddr.parse(address);
  if (ip.kind() === "ipv4") {
    const range = (ip as ipaddr.IPv4).range();
    return range === "unicast" ? null : labelOf(range);
  }
  const v6 = ip as ipaddr.IPv6;
  // Forms that carry an IPv4 address reach that address (mapped, translated, NAT64, 6to4): judge it.
  const embedded = embeddedIPv4(v6);
  if (embedded) {
    const why = refusalOf(embedded.address.toString()) ?? (embedded.form === "IPv4-compatible" ? "a deprecated form (::/96)" : null);
    return why && `the ${embedded.form} form of ${embedded.address.toString()}, ${why}`;
  }
  const range = v6.range();
  // Public IPv6 is 2000::/3 (IANA's global unicast); ipaddr.js calls the rest of ::/0 "unicast" too.
  if (range === "unicast" && (v6.parts[0]! & 0xe000) === 0x2000) return null;
  return labelOf(range === "unicast" ? "not global unicast" : range);
}

function embeddedIPv4(v6: ipaddr.IPv6): { form: string; address: ipaddr.IPv4 } | null {
  const p = v6.parts;
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  switch (v6.range()) {
    case "ipv4Mapped":
      return { form: "IPv4-mapped", address: v6.toIPv4Address() };
    case "rfc6145":
      return { form: "IPv4-translated", address: v4(p[6]!, p[7]!) };
    case "rfc6052":
      // 64:ff9b::/96 embeds the address in its last 32 bits; the local-use 64:ff9b:1::/48 may put it elsewhere.
      return p[1] === 0xff9b && p[2] === 0 ? { form: "NAT64", address: v4(p[6]!, p[7]!) } : null;
    case "6to4":
      return { form: "6to4", address: v4(p[1]!, p[2]!) };
    default:
      // IPv4-compatible ::a.b.c.d (deprecated, RFC 4291): some stacks still route it as IPv4; never reached.
      return p.slice(0, 6).every((x) => x === 0) && (p[6]! | p[7]!) !== 0 && !(p[6] === 0 && p[7] === 1) ? { form: "IPv4-compatible", address: v4(p[6]!, p[7]!) } : null;
  }
}

function inRanges(address: string, allow: OutboundAllow): boolean {
  const ip = ipaddr.process(address); // IPv4-mapped IPv6 becomes IPv4, so 127.0.0.1/32 covers ::ffff:127.0.0.1
  return allow.ranges.some(([net, bits]) => {
    if (ip.kind() === net.kind()) return ip.match(net, bits);
    return ip.kind() === "ipv4" && (ip as ipaddr.IPv4).toIPv4MappedAddress().match(net, bits);
  });
}

const hint = "; allow it with OUTBOUND_ALLOW";

/** The address to connect to for `hostname`, or an OutboundError saying why none may be used. */
export async function resolveAllowed(hostname: string, policy: Required<OutboundPolicy>): Promise<string> {
  const host = hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const byName = !net.isIP(host);
  const hostAllowed = byName && policy.allow.hosts.includes(host.replace(/\.$/, ""));
  let found: LookupAddress[];
  if (!byName) found = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      found = await policy.lookup(host);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new OutboundError("dns", `could not resolve ${host}${code ? ` (${code})` : ""}`);
    }
    if (!found.length) throw new OutboundError("dns", `could not resolve ${host} (no addresses)`);
  }
  if (hostAllowed) return found[0]!.address;
  // Any allowed address will do; the first refusal explains when none is.
  const usable = found.find((a) => refusalOf(a.address) === null || inRanges(a.address, policy.allow));
  if (usable) return usable.address;
  const first = found[0]!.address;
  const why = refusalOf(first)!;
  throw new OutboundError("refused", byName ? `${host} resolves to ${first}, ${why}${hint}` : `${first} is ${why}${hint}`);
}

const noAllow: OutboundAllow = { hosts: [], ranges: [] };

/**
 * At save time: why a URL whose host is an address literal (or `localhost`) would be refused, or
 * null. Other names are judged when they are called, on what they resolve to then; this only
 * lets an editor hear at once, naming the field, what every call would answer later.
 */
export function literalRefusal(target: string, allow: OutboundAllow = getConfig().OUTBOUND_ALLOW ?? noAllow): string | null {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return null; // the schema names a malformed URL
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase().replace(/\.$/, "");
  if (allow.hosts.includes(host)) return null;
  const isLocalhost = host === "localhost" || host.endsWith(".localhost"); // RFC 6761: always loopback
  const address = isLocalhost ? "127.0.0.1" : host;
  if (!net.isIP(address)) return null;
  const why = refusalOf(address);
  if (why === null || inRanges(address, allow)) return null;
  return `${isLocalhost ? host : address} is ${why}${hint}`;
}

/** A 422 naming `field` when the URL's literal address would be refused (literalRefusal). */
export function assertCallable(target: string, field: string, allow?: OutboundAllow): void {
  const why = literalRefusal(target, allow);
  if (why) throw new AppError("invalid", `${field}: ${why}`, { [field]: why });
}

function guardedAgent(policy: Required<OutboundPolicy>): Agent {
  const connect = buildConnector({});
  return new Agent({
    connect: (opts, callback) => {
      // `hostname` is where the socket goes; `host` (unchanged) still gives TLS its server name.
      resolveAllowed(opts.hostname, policy).then(
        (address) => connect({ ...opts, hostname: address }, callback),
        (err: Error) => callback(err, null),
      );
    },
  });
}

// One agent (and so one connection pool) per process for the configured policy; rebuilt if it changes.
const shared = processGlobal("outboundAgent", () => ({ key: "", agent: null as Agent | null }));

/** The policy with its defaults: OUTBOUND_ALLOW from the configuration, the system's resolver. */
export function fullPolicy(p: OutboundPolicy): Required<OutboundPolicy> {
  return { allow: p.allow ?? getConfig().OUTBOUND_ALLOW ?? noAllow, lookup: p.lookup ?? systemLookup };
}

function agentFor(p: OutboundPolicy): { agent: Agent; own: boolean } {
  if (p.allow || p.lookup) return { agent: guardedAgent(fullPolicy(p)), own: true };
  const allow = getConfig().OUTBOUND_ALLOW ?? noAllow;
  const key = JSON.stringify([allow.hosts, allow.ranges.map(([a, b]) => `${a.toString()}/${b}`)]);
  if (!shared.agent || shared.key !== key) {
    void shared.agent?.close();
    shared.agent = guardedAgent({ allow, lookup: systemLookup });
    shared.key = key;
  }
  return { agent: shared.agent, own: false };
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/** Our words for a failed fetch: the cause's code, never its message (TLS and socket messages can carry the peer's text). */
function describeFailure(e: unknown, origin: string, timeoutMs: number): OutboundError {
  const fail = (kind: OutboundErrorKind, reason: string) => new OutboundError(kind, reason, origin);
  // The pooled agent is shared by the process, so its connector's error may come from another
  // bundle's copy of this module (another OutboundError class): recognise it by name, rebuild it here.
  if (e instanceof Error && e.name === "OutboundError") {
    const o = e as OutboundError;
    return o.kind === "refused" || o.kind === "dns" ? fail(o.kind, o.reason) : new OutboundError(o.kind, o.reason, origin, o.status);
  }
  const err = e as { name?: string; code?: string; cause?: unknown; message?: string };
  if (err?.name === "TimeoutError" || err?.code === "UND_ERR_CONNECT_TIMEOUT" || err?.code === "UND_ERR_HEADERS_TIMEOUT" || err?.code === "UND_ERR_BODY_TIMEOUT") {
    return fail("timeout", `no answer within ${timeoutMs / 1000} s`);
  }
  if (err?.name === "AbortError") return fail("timeout", "the request was cancelled");
  if (err?.cause && err.cause !== e) return describeFailure(err.cause, origin, timeoutMs);
  const code = err?.code ?? "";
  // undici's own words for the ports the Fetch standard blocks (SMTP, IRC, discard...), not the peer's.
  if (err?.message === "bad port") return fail("connection", `fetch never uses port ${new URL(origin).port}`);
  if (code === "ECONNREFUSED") return fail("connection", "the connection was refused");
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") return fail("connection", "the connection was closed before an answer");
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EADDRNOTAVAIL") return fail("connection", `the host is unreachable (${code})`);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_FAIL") return fail("dns", `could not resolve ${new URL(origin).hostname} (${code})`);
  if (TLS_CODE.test(code)) return fail("tls", `TLS failed (${code})`);
  return fail("connection", code ? `the connection failed (${code})` : "the connection failed");
}

/**
 * Sends one request through the guard and reads its answer (at most `maxBytes`).
 * Throws OutboundError on a refused address, DNS, connection or TLS failure, timeout, redirect,
 * oversized answer and (unless `errorAnswers`) a non-2xx status.
 */
export async function outboundRequest(target: string | URL, req: OutboundRequest): Promise<OutboundResponse> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new OutboundError("bad_url", "not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new OutboundError("bad_url", `${url.protocol} URLs are not supported; use http(s)`);
  if (url.username || url.password) throw new OutboundError("bad_url", "URLs with a user name or password are not supported; use the authorization header");
  const origin = url.origin;
  const { agent, own } = agentFor(req);
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
  try {
    let res: Awaited<ReturnType<typeof undiciFetch>>;
    try {
      res = await undiciFetch(url, { method: req.method ?? "GET", headers: req.headers, body: req.body, signal, redirect: "manual", dispatcher: agent });
    } catch (e) {
      throw describeFailure(e, origin, req.timeoutMs);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => {});
      throw new OutboundError("redirect", `answered HTTP ${res.status} (a redirect); redirects are not followed, use the final URL`, origin, res.status);
    }
    if (!res.ok && !req.errorAnswers) {
      await res.body?.cancel().catch(() => {});
      const later = res.status === 429 || res.status === 503 ? retryAfterOf(res.headers.get("retry-after")) : undefined;
      throw new OutboundError("status", `answered HTTP ${res.status}${later !== undefined ? ` (retry after ${later} s)` : ""}`, origin, res.status, later);
    }
    let text = "";
    if (req.maxBytes === 0) {
      await res.body?.cancel().catch(() => {});
    } else {
      try {
        text = await readCapped(res.body as ReadableStream<Uint8Array> | null, req.maxBytes, () => new OutboundError("too_large", `the answer is larger than ${req.maxBytes} bytes`, origin));
      } catch (e) {
        throw describeFailure(e, origin, req.timeoutMs);
      }
    }
    const headers = new Headers();
    res.headers.forEach((v, k) => headers.append(k, v));
    return { status: res.status, ok: res.ok, headers, text };
  } finally {
    if (own) void agent.close();
  }
}

/** A Retry-After header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) in whole seconds from now, or undefined when absent or unreadable. */
export function retryAfterOf(header: string | null, now = clockNow().getTime()): number | undefined {
  if (!header) return undefined;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * A `fetch` for libraries that take one (@octokit/request): the same guard, timeout and size cap,
 * and 4xx/5xx answers passed through for the library to interpret.
 */
export function outboundFetch(opts: OutboundPolicy & { timeoutMs: number; maxBytes: number }): typeof fetch {
  return async (input, init) => {
    const target = input instanceof Request ? input.url : input;
    const method = (init?.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "POST") throw new OutboundError("bad_url", `${method} requests are not supported here`);
    if (init?.body !== undefined && init.body !== null && typeof init.body !== "string") throw new TypeError("outboundFetch sends string bodies only");
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const r = await outboundRequest(target, { ...opts, method, headers, body: init?.body ?? undefined, signal: init?.signal ?? undefined, errorAnswers: true });
    return new Response([204, 205, 304].includes(r.status) ? null : r.text, { status: r.status, headers: r.headers });
  };
}
