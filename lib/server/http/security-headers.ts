// Headers every response carries, set in one place: the HTTP server (server.ts), which sees both
// what Next.js answers and what its fast path (the gate) answers itself. The Content-Security-
// Policy depends on the request (a nonce per page) and HSTS on the deployment (TLS or not).
import { randomBytes } from "node:crypto";

export const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** API answers are data, never documents: nothing may load from them, nor frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The policy of a page: scripts only with this response's nonce (Next.js stamps it on its own
 * scripts when the request carries the policy) and what they load ('strict-dynamic'); no
 * plugins, no <base>, forms post only here, and no framing (clickjacking). Inline style
 * attributes stay allowed: React and the charts set them, and they cannot run code.
 */
export function pageCsp(nonce: string, opts: { dev: boolean; tls: boolean }) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${opts.dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.tls ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export const newNonce = () => randomBytes(16).toString("base64");

/** HSTS, only when the public URL is https (behind TLS): a year, subdomains included. */
export const HSTS = "max-age=31536000; includeSubDomains";
