import { statSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readOrCreateSecret } from "./secret-file";

const made: string[] = [];
afterEach(async () => {
  for (const d of made.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

describe("readOrCreateSecret", () => {
  it("creates a data folder that does not exist yet (npm run demo with DATABASE_URL and a new DATA_DIR)", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "burnrate-secret-"));
    made.push(root);
    const file = path.join(root, "not", "yet", "demo-admin-password");
    const secret = await readOrCreateSecret(file, 12);
    expect(secret).toMatch(/^[\w-]{16}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    // A second call (another process, a restart) reads the same secret.
    expect(await readOrCreateSecret(file, 12)).toBe(secret);
  });

  it("two callers at once agree on one secret", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "burnrate-secret-"));
    made.push(root);
    const file = path.join(root, "auth-secret");
    const all = await Promise.all(Array.from({ length: 8 }, () => readOrCreateSecret(file)));
    expect(new Set(all).size).toBe(1);
  });

  it("says why when the folder cannot be written, instead of a missing file", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "burnrate-secret-"));
    made.push(root);
    const blocker = path.join(root, "a-file");
    await fs.writeFile(blocker, "x");
    await expect(readOrCreateSecret(path.join(blocker, "secret"))).rejects.toMatchObject({ code: expect.stringMatching(/ENOTDIR|EEXIST/) });
  });
});
