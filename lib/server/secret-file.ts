import fs from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";

/**
 * Reads a secret kept in a 0600 file, creating it (and its folder, 0700) with `bytes` random bytes
 * on first use. The folder may not exist yet: with an external DATABASE_URL nothing else makes it.
 */
export async function readOrCreateSecret(file: string, bytes = 32): Promise<string> {
  const existing = await fs.readFile(file, "utf8").catch(() => "");
  if (existing.trim()) return existing.trim();
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(bytes).toString("base64url");
  // "wx" fails with EEXIST if another process created it meanwhile; then read theirs.
  await fs.writeFile(file, secret, { mode: 0o600, flag: "wx" }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== "EEXIST") throw e;
  });
  return (await fs.readFile(file, "utf8")).trim();
}
