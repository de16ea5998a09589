// The command-line client (lib/cli/burnrate.mjs) against a stub of the API that answers exactly
// as the contract in docs/cli.md says: what it sends (files, names, prune, source, batches,
// the gate's body) and how it prints and exits on each answer. The end-to-end spec
// (e2e/slo-as-code-cli.spec.ts) runs it against the real app.
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const cli = path.resolve(import.meta.dirname, "burnrate.mjs");
// Each check starts Node a few times (about 0.3 s each, more on a loaded machine).
vi.setConfig({ testTimeout: 30_000 });

type Seen = { method: string; url: string; auth: string | undefined; body: unknown };
type Reply = { status: number; body: unknown; type?: string };
let server: Server;
let base = "";
let seen: Seen[] = [];
let answer: (req: Seen) => Reply = () => ({ status: 500, body: {} });

const bodyOf = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? (JSON.parse(text) as unknown) : undefined;
};

beforeAll(async () => {
  server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      const s: Seen = { method: req.method!, url: req.url!, auth: req.headers.authorization, body };
      seen.push(s);
      const r = answer(s);
      res.writeHead(r.status, { "content-type": r.type ?? "application/json" });
      res.end(typeof r.body === "string" ? r.body : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

function run(args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string } = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(BURNRATE_|GITHUB_)/.test(k)));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const childEnv: Record<string, string | undefined> = { ...env, BURNRATE_URL: base, BURNRATE_TOKEN: "brt_test", BURNRATE_TEAM: "payments", ...opts.env };
    const child = spawn(process.execPath, [cli, ...args], { env: childEnv as NodeJS.ProcessEnv, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    // A command that exits before reading its input (a usage error) closes the pipe first.
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

describe("apply", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "burnrate-cli-"));
    await mkdir(path.join(dir, "slos", "team"), { recursive: true });
    await mkdir(path.join(dir, "slos", ".hidden"));
    await writeFile(path.join(dir, "slos", "b.yaml"), "b: 1\n");
    await writeFile(path.join(dir, "slos", "a.yml"), "a: 1\n");
    await writeFile(path.join(dir, "slos", "team", "c.yaml"), "c: 1\n");
    await writeFile(path.join(dir, "slos", "notes.md"), "not yaml\n");
    await writeFile(path.join(dir, "slos", ".hidden", "d.yaml"), "d: 1\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const plan = {
    changes: [
      { action: "create", kind: "service", name: "checkout", fields: [] },
      { action: "change", kind: "slo", name: "payments/availability", fields: [{ field: "objective", old: "0.999", new: "0.9995" }, { field: "name", old: "Availability", new: "Availability 99.95%" }, { field: "description", old: null, new: "" }] },
      { action: "delete", kind: "sli", name: "legacy/ok", fields: [] },
    ],
    unchanged: 3,
    kept: [{ kind: "slo", name: "payments/latency", settings: ["tuning"], message: "SLO payments/latency keeps its alert tuning as set in Burnrate: the files do not state it." }],
    warnings: [{ file: "slos/a.yml", document: "SLO availability", message: 'channel "pager" is not a channel of the team' }],
    applied: false,
  };

  it("plans: sends every YAML file under a directory, sorted and named from here, and prints the plan field by field", async () => {
    answer = () => ({ status: 200, body: plan });
    const summary = path.join(dir, "summary.md");
    const r = await run(["apply", "--plan", "--detailed-exitcode", "--summary", summary, "slos"], { cwd: dir, env: { GITHUB_SHA: "abc1234" } });
    expect(r.code, r.stderr).toBe(2);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/api/v1/teams/payments/definitions/plan", auth: "Bearer brt_test" });
    // The plan carries no source: only an apply records one.
    expect(seen[0]!.body).toEqual({
      files: [
        { name: "slos/a.yml", content: "a: 1\n" },
        { name: "slos/b.yaml", content: "b: 1\n" },
        { name: "slos/team/c.yaml", content: "c: 1\n" },
      ],
      prune: false,
    });
    expect(r.stdout).toBe(
      [
        "+ create service checkout",
        "~ change slo payments/availability: objective 0.999 → 0.9995",
        '~ change slo payments/availability: name Availability → "Availability 99.95%"',
        '~ change slo payments/availability: description (none) → ""',
        "- delete sli legacy/ok",
        "= kept: SLO payments/latency keeps its alert tuning as set in Burnrate: the files do not state it.",
        '! warning: slos/a.yml: SLO availability: channel "pager" is not a channel of the team',
        "",
        "Plan: 1 to create, 1 to change, 1 to delete, 3 unchanged.",
        "Nothing was changed: run without --plan to apply.",
        "",
      ].join("\n"),
    );
    const md = await readFile(summary, "utf8");
    expect(md).toContain("### Burnrate plan for team payments");
    expect(md).toContain("```diff\n+ create service checkout\n");
    expect(md).toContain("**Kept as set in Burnrate**\n\n- SLO payments/latency keeps its alert tuning as set in Burnrate: the files do not state it.\n");
  });

  it("applies with the commit as the source and --prune; exit 0", async () => {
    answer = () => ({ status: 200, body: { ...plan, applied: true, warnings: [] } });
    const r = await run(["apply", "--prune", "slos/a.yml"], { cwd: dir, env: { GITHUB_SHA: "abc1234" } });
    expect(r.code, r.stderr).toBe(0);
    expect(seen[0]).toMatchObject({ url: "/api/v1/teams/payments/definitions/apply", body: { files: [{ name: "slos/a.yml" }], prune: true, source: "abc1234" } });
    expect(r.stdout).toMatch(/^Applied: 1 created, 1 changed, 1 deleted, 3 unchanged\.$/m);
    await run(["apply", "--source", "v1.2", "slos/a.yml"], { cwd: dir, env: { GITHUB_SHA: "abc1234" } });
    expect(seen[1]!.body).toMatchObject({ prune: false, source: "v1.2" });
  });

  it("no changes: exit 0 even with --detailed-exitcode", async () => {
    answer = () => ({ status: 200, body: { changes: [], unchanged: 7, warnings: [], applied: false } });
    const r = await run(["apply", "--plan", "--detailed-exitcode", "slos"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("No changes. 7 unchanged.\n");
  });

  it("refused definitions (422): one problem a line, file: document: field: message, exit 1", async () => {
    const refusal = { error: { code: "invalid", message: "2 problems", fields: { "slos/a.yml: SLO availability: spec.objectives[0].target": "must be between 0 and 1, e.g. 0.999", "slos/b.yaml: document 1: apiVersion": "is not one Burnrate reads" } } };
    answer = () => ({ status: 422, body: refusal });
    const r = await run(["apply", "slos"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        "The definitions were refused; nothing was changed:",
        "slos/a.yml: SLO availability: spec.objectives[0].target: must be between 0 and 1, e.g. 0.999",
        "slos/b.yaml: document 1: apiVersion: is not one Burnrate reads",
        "",
      ].join("\n"),
    );
    const raw = await run(["apply", "--plan", "slos", "--json"], { cwd: dir });
    expect(raw.code).toBe(1);
    expect(JSON.parse(raw.stdout)).toEqual(refusal);
  });

  it("other errors are 2, or 1 with --detailed-exitcode (where 2 means changes)", async () => {
    answer = () => ({ status: 404, body: "<html>not found</html>", type: "text/html" });
    const r = await run(["apply", "slos"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("HTTP 404 from POST /api/v1/teams/payments/definitions/apply: the server has no such API");
    expect((await run(["apply", "--plan", "--detailed-exitcode", "slos"], { cwd: dir })).code).toBe(1);
    answer = () => ({ status: 403, body: { error: { code: "forbidden", message: "this token lacks the definitions scope" } } });
    const denied = await run(["apply", "slos"], { cwd: dir });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toBe("HTTP 403: this token lacks the definitions scope\n");
  });

  it("usage errors are 64", async () => {
    expect((await run(["apply", "--detailed-exitcode", "slos"], { cwd: dir })).code).toBe(64);
    expect((await run(["apply", "missing-folder"], { cwd: dir })).code).toBe(64);
    expect((await run(["apply", "slos"], { cwd: dir, env: { BURNRATE_TEAM: "" } })).stderr).toContain("give the team with --team or BURNRATE_TEAM");
    expect(seen).toHaveLength(0);
  });
});

describe("push", () => {
  const item = (i: number) => ({ sli: "shop/ok", minute: `2026-11-22T10:${String(i).padStart(2, "0")}:00Z`, good: 9, total: 10 });

  it("sends batches of at most --batch-size, in order, and numbers rejections by their place in the input", async () => {
    answer = (s) => {
      const items = (s.body as { items: unknown[] }).items;
      // The second batch: its first item rejected; the third: every item (422, as the API does).
      if (seen.length === 2) return { status: 200, body: { accepted: items.length - 1, rejected: [{ index: 0, field: "good", reason: "good must not exceed total" }] } };
      if (seen.length === 3) return { status: 422, body: { error: { code: "invalid", message: "every item was rejected" }, accepted: 0, rejected: [{ index: 0, field: "sli", reason: "unknown SLI" }] } };
      return { status: 200, body: { accepted: items.length, rejected: [] } };
    };
    const ndjson = [0, 1, 2, 3, 4].map((i) => JSON.stringify(item(i))).join("\n\n");
    const r = await run(["push", "--batch-size", "2"], { input: ndjson });
    expect(r.code).toBe(1);
    expect(seen.map((s) => (s.body as { items: { minute: string }[] }).items.map((i) => i.minute.slice(14, 16)))).toEqual([["00", "01"], ["02", "03"], ["04"]]);
    expect(seen.every((s) => s.url === "/api/v1/ingest")).toBe(true);
    expect(r.stdout).toBe("Accepted 3 of 5 items in 3 batches; rejected 2.\n  item 2 (line 5): good: good must not exceed total\n  item 4 (line 9): sli: unknown SLI\n");
  });

  it('reads {"items": [...]} and arrays; a batch also stays under the 2 MB body limit', async () => {
    answer = (s) => ({ status: 200, body: { accepted: (s.body as { items: unknown[] }).items.length, rejected: [] } });
    const big = Array.from({ length: 40 }, (_, i) => ({ ...item(i), sli: `shop/${"x".repeat(100_000)}` }));
    const r = await run(["push", "-"], { input: JSON.stringify({ items: big }) });
    expect(r.code, r.stderr).toBe(0);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.reduce((n, s) => n + (s.body as { items: unknown[] }).items.length, 0)).toBe(40);
    for (const s of seen) expect(Buffer.byteLength(JSON.stringify(s.body))).toBeLessThan(2 * 1024 * 1024);
    seen = [];
    const arr = await run(["push"], { input: JSON.stringify([item(1), item(2)]) });
    expect(arr.stdout).toBe("Accepted 2 of 2 items; rejected 0.\n");
    expect(seen).toHaveLength(1);
  });

  it("stops at an error and says how far it got", async () => {
    answer = () => (seen.length === 1 ? { status: 200, body: { accepted: 1, rejected: [] } } : { status: 413, body: { error: { code: "too_large", message: "the body is over 2 MB" } } });
    const r = await run(["push", "--batch-size", "1"], { input: [item(1), item(2), item(3)].map((i) => JSON.stringify(i)).join("\n") });
    expect(r.code).toBe(2);
    expect(seen).toHaveLength(2);
    expect(r.stderr).toContain("1 of 3 batches were sent (1 items accepted) before this error:\nHTTP 413: the body is over 2 MB");
  });
});

describe("gate", () => {
  const decision = (d: string) => ({ decision: d, tier: "caution", reasons: ["r"], team: "payments", service: { slug: "shop", name: "Shop" }, serviceName: "shop", environment: "production", version: "v1", commit: null, changeType: "feature", policy: { scope: "team", version: 2 }, numbers: {}, url: "https://burnrate.example.com/teams/payments/gate/1", toGetThrough: null });

  it("sends what it was given, with the requester from $GITHUB_ACTOR and the team; warn fails only with --fail-on-warn", async () => {
    answer = () => ({ status: 200, body: decision("warn") });
    const r = await run(["gate", "--service", "shop", "--environment", "production", "--version", "v1"], { env: { GITHUB_ACTOR: "octocat" } });
    expect(r.code).toBe(0);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/api/v1/gate", body: { service: "shop", environment: "production", version: "v1", changeType: "feature", requester: "octocat", team: "payments" } });
    expect(r.stdout.split("\n")[0]).toBe("WARN: Shop to production (version v1, feature); tier caution");
    expect((await run(["gate", "--service", "shop", "--environment", "production", "--version", "v1", "--fail-on-warn"])).code).toBe(3);
    answer = () => ({ status: 200, body: decision("deny") });
    expect((await run(["gate", "--service", "shop", "--environment", "production", "--commit", "abcdef1"])).code).toBe(1);
    expect(seen[2]!.body).toMatchObject({ commit: "abcdef1" });
  });

  it("usage errors are 64 and send nothing", async () => {
    for (const args of [["gate", "--service", "shop", "--environment", "production"], ["gate", "--environment", "production", "--version", "1"], ["gate", "--service", "s", "--environment", "e", "--version", "1", "--plan"], ["frobnicate"], []]) {
      expect((await run(args)).code, args.join(" ")).toBe(64);
    }
    expect((await run(["gate", "--service", "s", "--environment", "e", "--version", "1"], { env: { BURNRATE_URL: "" } })).stderr).toContain("give the server with --url or BURNRATE_URL");
    expect(seen).toHaveLength(0);
    expect((await run(["help"])).code).toBe(0);
    expect((await run(["help", "gate"])).stdout).toMatch(/^Usage: burnrate gate --service S/);
  });
});

describe("the GitHub Action's plan and apply", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "burnrate-action-"));
    await mkdir(path.join(dir, "slos"));
    await mkdir(path.join(dir, "more"));
    await writeFile(path.join(dir, "slos", "a.yaml"), "a: 1\n");
    await writeFile(path.join(dir, "more", "b.yaml"), "b: 1\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The action's step as the runner runs it: env resolved from the inputs (or their defaults), bash -eo pipefail. */
  async function runAction(inputs: Record<string, string>) {
    const actionDir = path.resolve(import.meta.dirname, "github-action");
    const action = parse(await readFile(path.join(actionDir, "action.yml"), "utf8")) as { inputs: Record<string, { default?: string }>; runs: { steps: { env: Record<string, string>; run: string }[] } };
    const step = action.runs.steps[0]!;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env)) env[k] = v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, n: string) => inputs[n] ?? action.inputs[n]?.default ?? "");
    const summary = path.join(dir, "summary.md");
    const output = path.join(dir, "output.txt");
    await writeFile(summary, "");
    await writeFile(output, "");
    await writeFile(path.join(dir, "step.sh"), step.run);
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(BURNRATE_|GITHUB_|INPUT_)/.test(k)));
    const childEnv: Record<string, string | undefined> = { ...clean, ...env, GITHUB_ACTION_PATH: actionDir, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, GITHUB_SHA: "abc1234" };
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", path.join(dir, "step.sh")], { env: childEnv as NodeJS.ProcessEnv, cwd: dir, stdio: ["ignore", "pipe", "inherit"] });
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout }));
    });
    return { ...r, summary: await readFile(summary, "utf8"), outputs: (await readFile(output, "utf8")).trim().split("\n") };
  }
  const inputs = () => ({ command: "plan", url: base, token: "brt_test", team: "payments", paths: "slos\nmore" });

  it("plan: a plan with changes passes, says so in an output and in the step summary", async () => {
    answer = () => ({ status: 200, body: { changes: [{ action: "create", kind: "slo", name: "payments/availability", fields: [] }], unchanged: 0, warnings: [], applied: false } });
    const r = await runAction(inputs());
    expect(r.code).toBe(0);
    expect(seen[0]).toMatchObject({ url: "/api/v1/teams/payments/definitions/plan", body: { files: [{ name: "slos/a.yaml" }, { name: "more/b.yaml" }], prune: false } });
    expect(r.outputs).toEqual(["exit-code=2", "changes=true"]);
    expect(r.summary).toContain("### Burnrate plan for team payments\n\nPlan: 1 to create, 0 to change, 0 to delete, 0 unchanged.");
    expect(r.summary).toContain("+ create slo payments/availability");
  });

  it("plan: refused files fail the step, with the problems in the summary", async () => {
    answer = () => ({ status: 422, body: { error: { code: "invalid", message: "1 problem", fields: { "slos/a.yaml: SLO x: spec.service": "names no service of the files" } } } });
    const r = await runAction(inputs());
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual(["exit-code=1"]);
    expect(r.summary).toContain("- slos/a.yaml: SLO x: spec.service: names no service of the files");
  });

  it("apply: prunes when asked and records the commit", async () => {
    answer = () => ({ status: 200, body: { changes: [], unchanged: 4, warnings: [], applied: true } });
    const r = await runAction({ ...inputs(), command: "apply", prune: "true", paths: "slos" });
    expect(r.code).toBe(0);
    expect(seen[0]).toMatchObject({ url: "/api/v1/teams/payments/definitions/apply", body: { files: [{ name: "slos/a.yaml" }], prune: true, source: "abc1234" } });
    expect(r.outputs).toEqual(["exit-code=0", "changes=false"]);
  });
});

describe("deployed and deploys (docs/deploys.md)", () => {
  const view = { id: "d1", team: "payments", service: { slug: "shop", name: "Shop" }, environment: "production", version: "v1", commit: null, link: null, deployedAt: "2026-12-04T10:00:00.000Z", source: "cli", decision: { id: "g1", decision: "allow", url: "https://burnrate.example.com/teams/payments/gate/g1" }, recordedAt: "2026-12-04T10:00:01.000Z" };

  it("deployed sends the release with the team, and says whether it was new or already recorded", async () => {
    answer = () => ({ status: 201, body: view });
    const r = await run(["deployed", "--service", "shop", "--environment", "production", "--version", "v1", "--commit", "abcdef1", "--link", "https://ci.example.com/1", "--at", "2026-12-04T10:00:00Z"]);
    expect(r.code, r.stderr).toBe(0);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/api/v1/deploys", auth: "Bearer brt_test", body: { service: "shop", environment: "production", version: "v1", commit: "abcdef1", link: "https://ci.example.com/1", deployedAt: "2026-12-04T10:00:00Z", team: "payments" } });
    expect(r.stdout).toBe("Recorded: Shop v1 to production at 2026-12-04T10:00:00.000Z\nGate decision: allow https://burnrate.example.com/teams/payments/gate/g1\n");
    answer = () => ({ status: 200, body: { ...view, decision: null } });
    const again = await run(["deployed", "--service", "shop", "--environment", "production", "--version", "v1"]);
    expect(again.stdout).toContain("Already recorded: Shop v1 to production");
    expect(again.stdout).toContain("No gate decision linked");
    answer = () => ({ status: 422, body: { error: { code: "invalid", message: "decisionId: is a deny: a deploy links to the decision that allowed it", fields: { decisionId: "is a deny: a deploy links to the decision that allowed it" } } } });
    const refused = await run(["deployed", "--service", "shop", "--environment", "production", "--version", "v1", "--decision", "g2"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe("HTTP 422: decisionId: is a deny: a deploy links to the decision that allowed it\n");
  });

  it("deploys prints each deploy with what each SLO spent, as the API said it", async () => {
    const spend = (slug: string, summary: string, worst: boolean) => ({ slo: { slug, name: slug }, objective: "0.999", window: "the 30-day window", badEvents: 1, totalEvents: 10, share: 0.1, budgetMinutes: 4.32, summary, sentence: "", worst, error: null });
    answer = () => ({ status: 200, body: { deploys: [{ ...view, periodEnd: "2026-12-04T12:00:00.000Z", current: true, spend: [spend("avail", "burned 8 h 12 min (19% of the window)", true), spend("latency", "burned no budget", false)] }], next: null } });
    const r = await run(["deploys", "--service", "shop", "--environment", "production", "--limit", "5"]);
    expect(r.code, r.stderr).toBe(0);
    expect(seen[0]).toMatchObject({ method: "GET", url: "/api/v1/teams/payments/services/shop/deploys?environment=production&limit=5" });
    expect(r.stdout).toBe("2026-12-04T10:00:00.000Z  production  v1 (current)  gate: allow\n  avail: burned 8 h 12 min (19% of the window) (most spent)\n  latency: burned no budget\n");
  });

  it("usage errors are 64 and send nothing", async () => {
    for (const args of [["deployed", "--service", "shop", "--environment", "production"], ["deployed", "--service", "s", "--environment", "e", "--version", "1", "--plan"], ["deploys"], ["deploys", "--service", "s", "--limit", "many"]]) {
      expect((await run(args)).code, args.join(" ")).toBe(64);
    }
    expect((await run(["deploys", "--service", "shop"], { env: { BURNRATE_TEAM: "" } })).code).toBe(64);
    expect(seen).toEqual([]);
  });
});
