// API tokens: 256 random bits, so a plain SHA-256 digest is a safe way to store them (no
// brute force is possible) and lets us look a token up by its digest in one indexed query.
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "brt_";

export function generateApiToken(): { secret: string; prefix: string; hash: string } {
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { secret, prefix: secret.slice(0, 12), hash: hashApiToken(secret) };
}

export function hashApiToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && value.length === TOKEN_PREFIX.length + 43;
}
