import fs from "node:fs/promises";
import { randomBytes } from "node:crypto";

/** Reads a secret kept in a 0600 file, creating it with `bytes` random bytes on first use. */
export async function readOrCreateSecret(file: string, bytes = 32): Promise<string> {
  const existing = await fs.readFile(file, "utf8").catch(() => "");
  if (existing.trim()) return existing.trim();
  const secret = randomBytes(bytes).toString("base64url");
  // "wx" fails if another process created it meanwhile; then read theirs.
  await fs.writeFile(file, secret, { mode: 0o600, flag: "wx" }).catch(async () => undefined);
  return (await fs.readFile(file, "utf8")).trim();
}
