// `burnrate analysis` (lib/cli/burnrate.mjs, docs/cli.md) against a stub of the API answering as
// docs/deploy-verification.md documents: what it sends, what it prints, and exit codes that follow the verdict.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const cli = path.resolve(import.meta.dirname, "burnrate.mjs");
vi.setConfig({ testTimeout: 30_000 });

type Seen = { method: string; url: string; auth: string | undefined; body: unknown };
let server: Server;
let base = "";
let seen: Seen[] = [];
let replies: { status: number; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: text ? (JSON.parse(text) as unknown) : undefined });
      const r = replies.length > 1 ? replies.shift()! : replies[0]!;
      res.writeHead(r.status, { "content-type": "application/json" });
      res.end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

function run(args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(BURNRATE_|GITHUB_)/.test(k)));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const childEnv: Record<string, string | undefined> = { ...env, BURNRATE_URL: base, BURNRATE_TOKEN: "brt_test", BURNRATE_TEAM: "payments" };
    const child = spawn(process.execPath, [cli, ...args], { env: childEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const ID = "0193a1b2-0000-7000-8000-000000000001";
const view = (verdict: string, extra: Record<string, unknown> = {}) => ({
  id: ID, service: { slug: "api", name: "API" }, version: "v2", canary: "canary", baseline: "baseline", verdict, score: verdict === "running" ? null : 100,
  reasons: [`verdict ${verdict}`], intervals: [], intervalsDone: 0, nextRunAt: null, config: { schedule: { count: 2 } }, url: `https://burnrate.example.test/teams/payments/analyses/${ID}`, ...extra,
});

describe("analysis start", () => {
  it("sends the service, cohorts, SLIs and schedule to the team's analyses and prints the id", async () => {
    replies = [{ status: 201, body: view("running") }];
    const r = await run(["analysis", "start", "--service", "api", "--canary", "canary", "--baseline", "baseline", "--version", "v2", "--sli", "availability", "--sli", "latency", "--count", "3", "--interval", "10", "--initial-delay", "5"]);
    expect(r.code).toBe(0);
    expect(seen).toEqual([
      {
        method: "POST",
        url: "/api/v1/teams/payments/analyses",
        auth: "Bearer brt_test",
        body: { service: "api", canary: "canary", baseline: "baseline", version: "v2", metrics: [{ sli: "availability" }, { sli: "latency" }], schedule: { count: 3, intervalMinutes: 10, initialDelayMinutes: 5, failureLimit: 0, inconclusiveLimit: 0 } },
      },
    ]);
    expect(r.stdout).toContain(`Analysis ${ID}: api v2, canary against baseline: running`);
  });

  it("refuses missing and malformed arguments with the usage exit code, sending nothing", async () => {
    for (const args of [["analysis", "start", "--service", "api", "--canary", "c"], ["analysis", "start", "--service", "api", "--canary", "c", "--baseline", "b", "--count", "x", "--interval", "1", "--initial-delay", "0"], ["analysis", "start", "--service", "api", "--canary", "c", "--baseline", "b", "--count", "2"], ["analysis", "stop"], ["analysis", "status"]]) {
      const r = await run(args);
      expect(r.code, args.join(" ")).toBe(64);
    }
    expect(seen).toEqual([]);
  });

  it("a refused request (422) exits 1 with the fields named", async () => {
    replies = [{ status: 422, body: { error: { code: "invalid", message: "baseline: must differ from canary", fields: { baseline: "must differ from canary" } } } }];
    const r = await run(["analysis", "start", "--service", "api", "--canary", "c", "--baseline", "c"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HTTP 422: baseline: must differ from canary");
  });
});

describe("analysis status", () => {
  it.each([
    ["pass", 0],
    ["fail", 1],
    ["inconclusive", 3],
    ["cancelled", 3],
    ["running", 5],
  ])("exits by the verdict: %s → %i", async (verdict, code) => {
    replies = [{ status: 200, body: view(verdict) }];
    const r = await run(["analysis", "status", ID]);
    expect(r.code).toBe(code);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([`GET /api/v1/analyses/${ID}`]);
    expect(r.stdout).toContain(`verdict ${verdict}`);
  });

  it("--wait polls until the analysis ends", async () => {
    replies = [{ status: 200, body: view("running") }, { status: 200, body: view("running") }, { status: 200, body: view("fail") }];
    const r = await run(["analysis", "status", ID, "--wait", "--poll", "1"]);
    expect(r.code).toBe(1);
    expect(seen).toHaveLength(3);
  });

  it("an analysis of another team (404) is an HTTP failure", async () => {
    replies = [{ status: 404, body: { error: { code: "not_found", message: "analysis not found" } } }];
    const r = await run(["analysis", "status", ID]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("analysis not found");
  });
});
