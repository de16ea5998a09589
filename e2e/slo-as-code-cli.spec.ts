// The command-line client (lib/cli/burnrate.mjs, docs/cli.md) against the running app, as a
// pipeline runs it: a child process with BURNRATE_URL and a token of the spec's own team. The
// gate's exit code follows its decision; status prints the API's figures; push reads stdin in
// batches; the GitHub Action's script (lib/cli/github-action/action.yml) runs as the runner would
// run it; and apply plans, applies, changes and prunes an OpenSLO v1 file. Each test seeds its own team.
// Its teams deny deploys and so top the admin's overview: the file is named to run after the specs
// that read the demo's overview order (specs run one at a time, in name order).
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import { parse } from "yaml";
import { apiPost as post, seedTeamWithSlo, signInViaApi } from "./fixtures";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cliPath = path.join(root, "lib/cli/burnrate.mjs");
const actionDir = path.join(root, "lib/cli/github-action");
const stamp = Date.now().toString(36);

type Run = { code: number | null; stdout: string; stderr: string };

/** A process environment without the CI variables the client reads as defaults, so each run says what it means. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(BURNRATE_|GITHUB_|INPUT_)/.test(k)));
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

function run(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; input?: string; cwd?: string }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd ?? root, stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    if (child.stdin) {
      // A command that exits before reading its input (a usage error) closes the pipe first.
      child.stdin.on("error", () => {});
      child.stdin.end(opts.input);
    }
  });
}

/** `node lib/cli/burnrate.mjs ARGS` against the app, as the given token and team. */
const cliFor = (baseURL: string, token: string, team: string) => (args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}) =>
  run(process.execPath, [cliPath, ...args], { env: cleanEnv({ BURNRATE_URL: baseURL, BURNRATE_TOKEN: token, BURNRATE_TEAM: team, ...opts.env }), input: opts.input, cwd: opts.cwd });

async function tokenFor(page: Page, origin: string, team: string, scopes: string[]) {
  return (await post(page.request, origin, `/api/v1/teams/${team}/tokens`, { name: `cli-${scopes.join("-")}`, scopes })).secret as string;
}

const minuteAgo = (n: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - n * 60_000).toISOString();

test("gate exits by its decision; push reads stdin in batches; status prints the API's figures", async ({ page, baseURL }) => {
  // A few dozen runs of Node against the app: more than the default minute on a loaded machine.
  test.setTimeout(180_000);
  await signInViaApi(page);
  const team = `cli-${stamp}`;
  const { origin } = await seedTeamWithSlo(page, baseURL!, { team, teamName: "CLI E2E", service: "shop", serviceName: "Shop", sloName: "Shop availability", objective: "0.99" });
  const token = await tokenFor(page, origin, team, ["ingest", "gate", "read"]);
  const cli = cliFor(baseURL!, token, team);

  // Nothing pushed yet: the status says so, and the gate's default policy warns (exit 0, or 3 when warnings fail).
  const empty = await cli(["status"]);
  expect(empty.code, empty.stderr).toBe(0);
  expect(empty.stdout).toMatch(/shop\/availability\s+99%\s+no data\s/);
  const warned = await cli(["gate", "--service", "shop", "--environment", "production", "--version", "v1.0.0"]);
  expect(warned.code, warned.stderr).toBe(0);
  expect(warned.stdout).toMatch(/^WARN: Shop to production \(version v1\.0\.0, feature\); tier no_data/);
  expect(warned.stdout).toContain("Send data to the service's SLIs");
  expect((await cli(["gate", "--service", "shop", "--environment", "production", "--version", "v1.0.0", "--fail-on-warn"])).code).toBe(3);

  // NDJSON on stdin, two items a batch: 20,000 events with 190 bad at 99 % leave 5 % of the budget
  // (tier freeze, docs/domain.md); the third item is refused by the server, by index and line.
  const ndjson = [
    { sli: "shop/ok", minute: minuteAgo(2), good: 9_905, total: 10_000 },
    { sli: "shop/ok", minute: minuteAgo(1), good: 9_905, total: 10_000 },
    { sli: "shop/ok", minute: minuteAgo(3), good: 11, total: 10 },
  ]
    .map((i) => JSON.stringify(i))
    .join("\n");
  const pushed = await cli(["push", "-", "--batch-size", "2"], { input: `${ndjson}\n` });
  expect(pushed.code, pushed.stderr).toBe(1);
  expect(pushed.stdout).toContain("Accepted 2 of 3 items in 2 batches; rejected 1.");
  expect(pushed.stdout).toContain("item 2 (line 3): good: good must not exceed total");

  // The status table shows the API's numbers for the SLO, formatted, not recomputed.
  const api = (await (await page.request.get(`/api/v1/teams/${team}/status`, { headers: { authorization: `Bearer ${token}` } })).json()) as { slos: { slo: { slug: string }; status: { budget: { remaining: number }; tier: string; alerts: { state: string } } }[] };
  expect(api.slos[0]!.status.budget.remaining).toBeCloseTo(0.05, 10);
  const st = await cli(["status", "--service", "shop"]);
  expect(st.code, st.stderr).toBe(0);
  expect(st.stdout).toMatch(/^SLO\s+OBJECTIVE\s+BUDGET LEFT\s+BURN 1h\s+BURN 6h\s+BURN 1d\s+BURN 3d\s+ALERT\s+TIER\s+DATA$/m);
  expect(st.stdout).toMatch(new RegExp(`^shop/availability\\s+99%\\s+5%\\s+\\S+×\\s+\\S+×\\s+\\S+×\\s+\\S+×\\s+${api.slos[0]!.status.alerts.state}\\s+freeze\\s+fresh$`, "m"));
  const stJson = await cli(["status", "--json"]);
  expect(JSON.parse(stJson.stdout).slos.map((s: { slo: { slug: string } }) => s.slo.slug)).toEqual(["availability"]);
  const other = await cli(["status", "--service", "nope"]);
  expect(other.code).toBe(1);
  expect(other.stderr).toContain("no SLO of a service nope");

  // Freeze: a feature deploy is denied (exit 1) with what would let it through; a reliability fix passes (exit 0).
  const denied = await cli(["gate", "--service", "shop", "--environment", "production", "--version", "v2.0.0", "--requester", "ci-bot", "--link", "https://ci.example.com/runs/7"]);
  expect(denied.code, denied.stderr).toBe(1);
  expect(denied.stdout).toMatch(/^DENY: Shop to production \(version v2\.0\.0, feature\); tier freeze/);
  expect(denied.stdout).toContain("Shop availability has 5% of its error budget left: tier freeze");
  expect(denied.stdout).toContain("Denied because:");
  expect(denied.stdout).toContain("To get through:\n  1. Reliability fixes, P0 fixes and security fixes to production pass now.");
  expect(denied.stdout).toContain("Shop availability needs 5% of its budget back (5% left; 10% or more is tier caution)");
  expect(denied.stdout).toMatch(/can grant an override of at most 24 hours/);
  expect(denied.stdout).toContain(`/teams/${team}/services/shop/slos/availability`);
  const decisionUrl = /^Decision: (\S+)$/m.exec(denied.stdout)?.[1];
  expect(decisionUrl).toContain(`/teams/${team}/gate/`);
  // What the client sent is what the decision log holds.
  const logged = (await (await page.request.get(`/api/v1/teams/${team}/decisions/${decisionUrl!.split("/").pop()}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
  expect(logged).toMatchObject({ decision: "deny", requester: "ci-bot", link: "https://ci.example.com/runs/7", version: "v2.0.0", changeType: "feature", environment: "production" });

  const fix = await cli(["gate", "--service", "shop", "--environment", "production", "--commit", "9f3c2a1b7e4d", "--change-type", "reliability"]);
  expect(fix.code, fix.stderr).toBe(0);
  expect(fix.stdout).toMatch(/^ALLOW: Shop to production \(commit 9f3c2a1b7e4d, reliability\); tier freeze/);
  const asJson = await cli(["gate", "--service", "shop", "--environment", "production", "--version", "v2.0.1", "--json"]);
  expect(asJson.code).toBe(1);
  expect(JSON.parse(asJson.stdout)).toMatchObject({ decision: "deny", tier: "freeze", toGetThrough: { decision: "deny" } });

  // Usage errors are 64; what the API refuses, and a server that is not there, are 2, with the API's message and fields.
  const usage = await cli(["gate", "--environment", "production", "--version", "v1"]);
  expect(usage.code).toBe(64);
  expect(usage.stderr).toContain("give --service");
  expect((await cli(["gate", "--service", "shop", "--environment", "production", "--version", "v1", "--prune"])).code).toBe(64);
  const invalid = await cli(["gate", "--service", "shop", "--environment", "production", "--commit", "not-a-hash"]);
  expect(invalid.code).toBe(2);
  expect(invalid.stderr).toContain("HTTP 422: commit: must be a git commit hash (7 to 64 hex digits)");
  const wrongTeam = await cli(["gate", "--service", "shop", "--environment", "production", "--version", "v1"], { env: { BURNRATE_TEAM: "payments" } });
  expect(wrongTeam.code).toBe(2);
  expect(wrongTeam.stderr).toMatch(/^HTTP 404: /);
  const badToken = await cli(["status"], { env: { BURNRATE_TOKEN: "brt_not-a-token" } });
  expect(badToken.code).toBe(2);
  expect(badToken.stderr).toMatch(/^HTTP 401: /);
  const away = await cli(["status"], { env: { BURNRATE_URL: "http://127.0.0.1:9" } });
  expect(away.code).toBe(2);
  expect(away.stderr).toContain("cannot reach http://127.0.0.1:9");
});

test("the GitHub Action's gate step, run as the runner runs it, exits by the decision and writes the step summary", async ({ page, baseURL }) => {
  // A few dozen runs of Node against the app: more than the default minute on a loaded machine.
  test.setTimeout(180_000);
  await signInViaApi(page);
  const team = `cli-action-${stamp}`;
  const { origin, ingest } = await seedTeamWithSlo(page, baseURL!, { team, teamName: "CLI Action E2E", service: "shop", serviceName: "Shop", sloName: "Shop availability", objective: "0.99" });
  const gateToken = await tokenFor(page, origin, team, ["gate"]);
  await post(page.request, origin, "/api/v1/ingest", { items: [{ sli: "shop/ok", minute: minuteAgo(1), good: 9_905, total: 10_000 }] }, ingest);

  const action = parse(await readFile(path.join(actionDir, "action.yml"), "utf8")) as {
    inputs: Record<string, { required?: boolean; default?: string }>;
    runs: { using: string; steps: { id?: string; shell?: string; env?: Record<string, string>; run?: string }[] };
  };
  expect(action.runs.using).toBe("composite");
  const step = action.runs.steps.find((s) => s.run)!;
  expect(step.shell).toBe("bash");
  // Inputs reach the script through env only: the script's text holds no expression to inject into.
  expect(step.run).not.toContain("${{");

  const tmp = await mkdtemp(path.join(os.tmpdir(), "burnrate-action-"));
  try {
    let runs = 0;
    /** The step as GitHub runs it: `${{ inputs.x }}` in env resolved (or the input's default), bash -eo pipefail. */
    const runAction = async (inputs: Record<string, string>) => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(step.env ?? {})) {
        env[k] = v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => {
          expect(action.inputs[name], `input ${name} is declared`).toBeDefined();
          return inputs[name] ?? action.inputs[name]!.default ?? "";
        });
        expect(env[k]).not.toContain("${{");
      }
      runs++;
      const summary = path.join(tmp, `summary-${runs}.md`);
      const output = path.join(tmp, `output-${runs}.txt`);
      await writeFile(summary, "");
      await writeFile(output, "");
      const script = path.join(tmp, "step.sh");
      await writeFile(script, step.run!);
      const r = await run("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
        env: cleanEnv({
          ...env,
          GITHUB_ACTION_PATH: actionDir,
          GITHUB_STEP_SUMMARY: summary,
          GITHUB_OUTPUT: output,
          GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
          GITHUB_ACTOR: "octocat",
          GITHUB_SERVER_URL: "https://github.example.com",
          GITHUB_REPOSITORY: "acme/shop",
          GITHUB_RUN_ID: "4242",
        }),
        cwd: tmp,
      });
      return { ...r, summary: await readFile(summary, "utf8"), outputs: Object.fromEntries((await readFile(output, "utf8")).trim().split("\n").map((l) => l.split("=", 2) as [string, string])) };
    };

    const inputs = { command: "gate", url: baseURL!, token: gateToken, team, service: "shop", environment: "production" };
    const denied = await runAction(inputs);
    expect(denied.code, denied.stderr).toBe(1);
    expect(denied.stdout).toMatch(/^DENY: Shop to production \(commit 0123456789abcdef0123456789abcdef01234567, feature\); tier freeze/m);
    expect(denied.stdout).toContain("::error title=Burnrate deploy gate::The deploy gate denied this deploy");
    expect(denied.outputs).toEqual({ "exit-code": "1", decision: "deny" });
    expect(denied.summary).toContain("### ⛔ Burnrate deploy gate: deny");
    expect(denied.summary).toContain("**To get through**\n\n1. Reliability fixes, P0 fixes and security fixes to production pass now.");
    expect(denied.summary).toMatch(/\[The decision in Burnrate\]\(http:\/\/localhost:\d+\/teams\/[\w-]+\/gate\/[\w-]+\)/);
    // The decision names the run and the actor, from the runner's variables.
    const id = /\/gate\/([\w-]+)\)/.exec(denied.summary)![1];
    const read = await tokenFor(page, origin, team, ["read"]);
    const logged = (await (await page.request.get(`/api/v1/teams/${team}/decisions/${id}`, { headers: { authorization: `Bearer ${read}` } })).json()) as Record<string, unknown>;
    expect(logged).toMatchObject({ requester: "octocat", link: "https://github.example.com/acme/shop/actions/runs/4242", commit: "0123456789abcdef0123456789abcdef01234567" });

    const allowed = await runAction({ ...inputs, "change-type": "security", version: "v3.1.4" });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.outputs).toEqual({ "exit-code": "0", decision: "allow" });
    expect(allowed.summary).toContain("### ✅ Burnrate deploy gate: allow");
    expect(allowed.summary).not.toContain("To get through");

    const wrong = await runAction({ ...inputs, command: "deploy" });
    expect(wrong.code).toBe(64);
    expect(wrong.stdout).toContain("command must be gate, plan or apply");
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

// An OpenSLO v1 file as the spec writes it (github.com/OpenSLO/OpenSLO, v1): a Service, a
// Prometheus DataSource, and SLOs with inline ratio indicators.
const openSlo = (availabilityTarget: string, withLatency: boolean) => `apiVersion: openslo/v1
kind: Service
metadata:
  name: checkout
  displayName: Checkout
spec:
  description: Takes the orders
---
apiVersion: openslo/v1
kind: DataSource
metadata:
  name: cli-prometheus
spec:
  type: Prometheus
  connectionDetails:
    url: https://prometheus.example.com
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
spec:
  service: checkout
  indicator:
    metadata:
      name: checkout-requests
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            metricSourceRef: cli-prometheus
            type: Prometheus
            spec:
              query: sum(increase(http_requests_total{job="checkout",code!~"5.."}[1m]))
        total:
          metricSource:
            metricSourceRef: cli-prometheus
            type: Prometheus
            spec:
              query: sum(increase(http_requests_total{job="checkout"}[1m]))
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Checkout availability
      target: ${availabilityTarget}
${
  withLatency
    ? `---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-latency
  displayName: Checkout latency
spec:
  service: checkout
  indicator:
    metadata:
      name: checkout-fast
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            metricSourceRef: cli-prometheus
            type: Prometheus
            spec:
              query: sum(increase(http_request_duration_seconds_bucket{job="checkout",le="0.3"}[1m]))
        total:
          metricSource:
            metricSourceRef: cli-prometheus
            type: Prometheus
            spec:
              query: sum(increase(http_request_duration_seconds_count{job="checkout"}[1m]))
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Checkout latency
      target: 0.99
`
    : ""
}`;

// Needs the plan/apply API (POST /api/v1/teams/{team}/definitions/plan and …/apply), built to the contract in docs/cli.md.
test("apply plans, applies, plans nothing, plans a field change, and prunes a removed SLO from an OpenSLO v1 file", async ({ page, baseURL }) => {
  // A few dozen runs of Node against the app: more than the default minute on a loaded machine.
  test.setTimeout(180_000);
  await signInViaApi(page);
  const team = `cli-apply-${stamp}`;
  const origin = new URL(baseURL!).origin;
  await post(page.request, origin, "/api/v1/teams", { slug: team, name: "CLI apply E2E" });
  const token = await tokenFor(page, origin, team, ["definitions", "read"]);
  const cli = cliFor(baseURL!, token, team);
  const dir = await mkdtemp(path.join(os.tmpdir(), "burnrate-apply-"));
  const at = { cwd: dir };
  try {
    await mkdir(path.join(dir, "slos"));
    const file = path.join(dir, "slos", "checkout.yaml");
    await writeFile(file, openSlo("0.999", true));
    await writeFile(path.join(dir, "slos", "README.md"), "not a definition: apply reads *.yaml and *.yml only\n");
    const sloSlugs = async () => {
      const res = await cli(["status", "--json"]);
      expect(res.code, res.stderr).toBe(0);
      return (JSON.parse(res.stdout) as { slos: { service: { slug: string }; slo: { slug: string } }[] }).slos.map((s) => `${s.service.slug}/${s.slo.slug}`);
    };

    // A plan: everything is created; nothing changes yet; --detailed-exitcode says "changes" with 2.
    const first = await cli(["apply", "--plan", "--detailed-exitcode", "slos"], at);
    expect(first.code, first.stderr).toBe(2);
    expect(first.stdout).toMatch(/^\+ create service checkout$/m);
    expect(first.stdout).toMatch(/^\+ create slo checkout\/\S*availability\S*$/m);
    expect(first.stdout).toMatch(/^\+ create slo checkout\/\S*latency\S*$/m);
    expect(first.stdout).toMatch(/^Plan: \d+ to create, 0 to change, 0 to delete, 0 unchanged\.$/m);
    expect(first.stdout).toContain("Nothing was changed: run without --plan to apply.");
    expect(await sloSlugs()).toEqual([]);
    const asJson = JSON.parse((await cli(["apply", "--plan", "slos", "--json"], at)).stdout) as { applied: boolean; changes: { action: string; kind: string }[] };
    expect(asJson.applied).toBe(false);
    expect(asJson.changes.filter((c) => c.kind === "slo").map((c) => c.action)).toEqual(["create", "create"]);

    // Apply, with the commit as the source; then the same files plan nothing (exit 0).
    const applied = await cli(["apply", "--source", "abc1234", "slos"], at);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/^\+ create slo checkout\/\S*availability\S*$/m);
    expect(applied.stdout).toMatch(/^Applied: \d+ created, 0 changed, 0 deleted, 0 unchanged\.$/m);
    const slugs = await sloSlugs();
    expect(slugs).toHaveLength(2);
    const latency = slugs.find((s) => s.includes("latency"))!;
    const availability = slugs.find((s) => s.includes("availability"))!;
    expect(latency).toMatch(/^checkout\//);
    const again = await cli(["apply", "--plan", "--detailed-exitcode", "slos"], at);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^No changes\. \d+ unchanged\.$/m);

    // One field changed in the file: the plan names it, old and new.
    await writeFile(file, openSlo("0.9995", true));
    const changed = await cli(["apply", "--plan", "--detailed-exitcode", "slos"], at);
    expect(changed.code, changed.stderr).toBe(2);
    expect(changed.stdout).toContain(`~ change slo ${availability}: objective 0.999 → 0.9995`);
    expect(changed.stdout).toMatch(/^Plan: 0 to create, 1 to change, 0 to delete, \d+ unchanged\.$/m);

    // A broken file is refused, one problem a line (file: document: field: message), exit 1, nothing applied.
    await writeFile(path.join(dir, "slos", "broken.yml"), "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: broken\nspec:\n  service: checkout\n");
    const refused = await cli(["apply", "slos"], at);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("The definitions were refused; nothing was changed:");
    expect(refused.stderr).toMatch(/^slos\/broken\.yml: [^:\n]*broken[^:\n]*: \S*: .+$/m);
    await rm(path.join(dir, "slos", "broken.yml"));

    // The latency SLO leaves the file: without --prune it stays, with --prune it is deleted.
    await writeFile(file, openSlo("0.9995", false));
    const kept = await cli(["apply", "--plan", "slos"], at);
    expect(kept.stdout).not.toMatch(/^- delete /m);
    const pruned = await cli(["apply", "--prune", "slos"], at);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain(`~ change slo ${availability}: objective 0.999 → 0.9995`);
    expect(pruned.stdout).toContain(`- delete slo ${latency}`);
    expect(pruned.stdout).toMatch(/^Applied: 0 created, 1 changed, [1-9]\d* deleted, \d+ unchanged\.$/m);
    expect(await sloSlugs()).toEqual([availability]);
    const settled = await cli(["apply", "--plan", "--prune", "--detailed-exitcode", "slos"], at);
    expect(settled.code, settled.stdout + settled.stderr).toBe(0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
