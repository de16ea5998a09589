// Webhook signatures of the trackers, checked on the raw body before anything is parsed:
// - Jira Cloud admin webhooks registered with a secret: `X-Hub-Signature: sha256=<hex>`, the
//   HMAC-SHA256 of the body (developer.atlassian.com/cloud/jira/platform/webhooks, "Secure admin webhooks").
// - Linear: `Linear-Signature: <hex>`, the HMAC-SHA256 of the body with the webhook's signing
//   secret (linear.app/developers/webhooks, "Securing webhooks").
// Compared in constant time, so a forger learns nothing from how long a refusal takes.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const hmacHex = (secret: string, raw: string) => createHmac("sha256", secret).update(raw, "utf8").digest("hex");

function sameHex(expected: string, given: string): boolean {
  if (!/^[0-9a-f]+$/i.test(given)) return false;
  const a = Buffer.from(expected, "hex");
  const b = Buffer.from(given.toLowerCase(), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Jira's `X-Hub-Signature` (`sha256=<hex>`; WebSub's method=signature form). Missing or another method: false. */
export function verifyJiraSignature(secret: string, raw: string, header: string | null): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "");
  return Boolean(m?.[1]) && sameHex(hmacHex(secret, raw), m![1]!);
}

/** Linear's `Linear-Signature` (bare hex). Missing: false. */
export function verifyLinearSignature(secret: string, raw: string, header: string | null): boolean {
  const given = header?.trim() ?? "";
  return given.length === 64 && sameHex(hmacHex(secret, raw), given);
}

/** A webhook secret we make: 32 random bytes, base64url (43 characters). */
export const newWebhookSecret = () => randomBytes(32).toString("base64url");
