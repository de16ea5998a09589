// The README's shell examples run as written. Every ```sh block of the README's "Using it"
// section is run with bash, in the README's order and in one working folder (so the cookie jar
// the sign-in example writes is there for the next ones), against a started app, with only the
// variables the README documents set: BURNRATE_URL, BURNRATE_EMAIL, BURNRATE_PASSWORD, TOKEN.
// Each block must exit 0 (or with the status a "# exit status N" line names), and print, in
// order, what its "# …" lines say it prints ("…" stands for anything).
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInViaApi, startApp, tempDataDir, type AppProcess } from "./testing/app-process";

const readme = await fs.readFile(path.resolve(import.meta.dirname, "../../README.md"), "utf8");

type Example = { code: string; expected: string[]; exit: number };

/** The ```sh blocks of a Markdown section, each with the output lines and exit status it promises. */
function shellExamples(markdown: string, section: string): Example[] {
  const start = markdown.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`no section "${section}"`);
  const end = markdown.indexOf("\n## ", start + 1);
  const text = markdown.slice(start, end < 0 ? undefined : end);
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => {
    const lines = m[1]!.split("\n");
    const exitLine = lines.map((l) => /^# exit status (\d+)$/.exec(l)).find(Boolean);
    return { code: m[1]!, expected: lines.filter((l) => l.startsWith("# ") && !/^# exit status \d+$/.test(l)).map((l) => l.slice(2)), exit: exitLine ? Number(exitLine[1]) : 0 };
  });
}

/** A promised output line as a pattern: literal text, "…" matching anything. */
const pattern = (line: string) => new RegExp(`^${line.split("…").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);

/** Whether `output` holds lines matching each of `expected`, in that order. */
function printsInOrder(output: string, expected: string[]): string | null {
  const lines = output.split("\n");
  let at = 0;
  for (const e of expected) {
    const re = pattern(e);
    const found = lines.findIndex((l, i) => i >= at && re.test(l.trim()));
    if (found < 0) return e;
    at = found + 1;
  }
  return null;
}

const email = "readme@example.test";
const password = "readme-example-password-1";
let app: AppProcess;
let dataDir: string;
let workDir: string;
let token: string;

beforeAll(async () => {
  dataDir = await tempDataDir("burnrate-readme-");
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), "burnrate-readme-work-"));
  app = await startApp({ DATA_DIR: dataDir, BURNRATE_ADMIN_EMAIL: email, BURNRATE_ADMIN_PASSWORD: password });
  // The world the README's examples act on: what a person sets up on the pages first.
  const cookie = await signInViaApi(app.url, email, password);
  const post = async (p: string, body: unknown) => {
    const res = await fetch(`${app.url}${p}`, { method: "POST", headers: { cookie, origin: app.url, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status, `${p}: ${await res.clone().text()}`).toBe(201);
    return (await res.json()) as Record<string, unknown>;
  };
  await post("/api/v1/teams", { slug: "payments", name: "Payments" });
  await post("/api/v1/teams/payments/services", { slug: "payments-api", name: "Payments API" });
  await post("/api/v1/teams/payments/services/payments-api/slis", { slug: "availability", name: "Availability", kind: "request_ratio" });
  await post("/api/v1/teams/payments/services", { slug: "legacy-api", name: "Legacy API" });
  token = (await post("/api/v1/teams/payments/tokens", { name: "readme", scopes: ["ingest", "gate", "read", "definitions"] })).secret as string;
});
afterAll(async () => {
  await app?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.rm(workDir, { recursive: true, force: true });
});

describe("the README's examples", () => {
  const examples = shellExamples(readme, "Using it");

  it("hold the output to its promised lines, in order, '…' matching anything", () => {
    expect(printsInOrder('{"a":1}\n{"b":2}', ['{"a":…}', '{"b":2}'])).toBeNull();
    expect(printsInOrder('{"b":2}\n{"a":1}', ['{"a":…}', '{"b":2}'])).toBe('{"b":2}');
    expect(printsInOrder('{"decision":"allow"}', ['{"decision":"deny"…}'])).toBe('{"decision":"deny"…}');
  });

  it("are found: signing in, tokens, definitions, archive and delete, push, the gate", () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    const all = examples.map((e) => e.code).join("\n");
    for (const used of ["/api/auth/csrf", "/api/auth/callback/credentials", "/tokens", "/slos", "/archive", "/api/v1/ingest", "/api/v1/gate"]) expect(all).toContain(used);
    // Only the documented variables (and ones the examples set themselves) are used.
    const vars = new Set([...all.matchAll(/\$\{?(\w+)/g)].map((m) => m[1]));
    expect([...vars].sort()).toEqual(["BURNRATE_EMAIL", "BURNRATE_PASSWORD", "BURNRATE_URL", "CSRF", "MINUTE", "TOKEN"]);
  });

  it("run as written and print what the README says", () => {
    for (const [i, ex] of examples.entries()) {
      const r = spawnSync("bash", ["-e", "-o", "pipefail", "-c", ex.code], {
        cwd: workDir,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: workDir, BURNRATE_URL: app.url, BURNRATE_EMAIL: email, BURNRATE_PASSWORD: password, TOKEN: token } as unknown as NodeJS.ProcessEnv,
        encoding: "utf8",
        timeout: 30_000,
      });
      const output = `${r.stdout}\n${r.stderr}`;
      const where = `example ${i + 1}:\n${ex.code}\nprinted:\n${output}`;
      expect(r.status, where).toBe(ex.exit);
      expect(printsInOrder(output, ex.expected), `${where}\nmissing the line above`).toBeNull();
    }
  });
});
