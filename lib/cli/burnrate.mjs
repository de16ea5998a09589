#!/usr/bin/env node
// Burnrate's command-line client (docs/cli.md): apply SLO definitions with a plan, ask the deploy
// gate, read a team's status and push SLI data, over the HTTP API with a token. Plain ESM for
// Node 20 or newer with no dependencies, so a pipeline runs it from a checkout without installing
// anything. It formats what the API answers and never recomputes a number (docs/architecture.md
// rule 1): budgets, burn rates, tiers and decisions all come from the server.
import { readFile, readdir, stat } from "node:fs/promises";
import { appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const VERSION = "0.1.0";

/** Exit codes (docs/cli.md "Exit codes"). */
const EXIT = {
  ok: 0,
  /** A deny, definitions refused (422), or pushed items rejected. */
  failed: 1,
  /** The API answered an error, or could not be reached; also `apply --plan --detailed-exitcode` with changes. */
  http: 2,
  /** `gate --fail-on-warn` and the gate warned; an analysis ended inconclusive or was cancelled. */
  warned: 3,
  /** `analysis status` without --wait while the analysis still runs. */
  running: 5,
  /** Wrong or missing arguments (BSD sysexits EX_USAGE). */
  usage: 64,
};

/** The ingest endpoint's limits (lib/schemas/ingest.ts MAX_INGEST_ITEMS, MAX_INGEST_BYTES); a batch stays under both. */
const MAX_PUSH_ITEMS = 10_000;
const MAX_PUSH_BYTES = 2 * 1024 * 1024 - 64 * 1024;

const common = {
  url: { type: "string" },
  token: { type: "string" },
  team: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** Each command's own options; anything else is a usage error naming the command. */
const commands = {
  apply: {
    summary: "plan or apply SLO definitions from YAML files",
    options: { plan: { type: "boolean" }, prune: { type: "boolean" }, "detailed-exitcode": { type: "boolean" }, source: { type: "string" }, summary: { type: "string" } },
    usage: "burnrate apply [--plan [--detailed-exitcode]] [--prune] [--source REF] [--summary FILE] PATH...",
    about: [
      "Sends SLO definitions (OpenSLO or Sloth YAML) to the team and prints the plan: what is",
      "created (+), changed field by field (~) and, with --prune, deleted (-). A directory means",
      "every *.yaml and *.yml file under it. --plan changes nothing; --detailed-exitcode then",
      "exits 2 when there are changes. --source (default $GITHUB_SHA) is recorded in the audit.",
      "--summary appends the plan as Markdown to FILE (e.g. $GITHUB_STEP_SUMMARY).",
    ],
  },
  gate: {
    summary: "ask the deploy gate; the exit code follows the decision",
    options: {
      service: { type: "string" },
      environment: { type: "string" },
      version: { type: "string" },
      commit: { type: "string" },
      "change-type": { type: "string" },
      requester: { type: "string" },
      link: { type: "string" },
      "fail-on-warn": { type: "boolean" },
      summary: { type: "string" },
    },
    usage: "burnrate gate --service S --environment E (--version V | --commit C) [--change-type T] [--requester R] [--link URL] [--fail-on-warn] [--summary FILE]",
    about: [
      "Asks the deploy gate whether this deploy may go ahead and prints the decision, its",
      "reasons and what would let it through. Exit code: allow 0, warn 0 (3 with --fail-on-warn),",
      "deny 1. --change-type: feature (default), reliability, p0-fix, security, config, rollback.",
      "--requester defaults to $GITHUB_ACTOR or your user name.",
    ],
  },
  status: {
    summary: "every SLO of the team: budget, burn rates, alert state, tier",
    options: { service: { type: "string" }, at: { type: "string" } },
    usage: "burnrate status [--service S] [--at ISO-8601]",
    about: ["Prints every SLO of the team (or of one service): objective, remaining budget, burn", "rates, alert state, tier and data freshness, as the API computed them."],
  },
  push: {
    summary: "push SLI buckets from a file or stdin",
    options: { "batch-size": { type: "string" } },
    usage: "burnrate push [FILE|-] [--batch-size N]",
    about: [
      "Pushes SLI buckets ({sli, minute, good|bad, total}) from FILE or stdin: JSON {\"items\": [...]},",
      `a JSON array, or NDJSON (one item per line). Sent in batches of at most ${MAX_PUSH_ITEMS.toLocaleString("en-US")} items;`,
      "prints what was accepted and each rejected item with its reason (exit 1 if any was rejected).",
    ],
  },
  // Deploy records (docs/deploys.md).
  deployed: {
    summary: "record a deploy that went out (linked to its gate decision)",
    options: { service: { type: "string" }, environment: { type: "string" }, version: { type: "string" }, commit: { type: "string" }, link: { type: "string" }, at: { type: "string" }, decision: { type: "string" } },
    usage: "burnrate deployed --service S --environment E --version V [--commit C] [--link URL] [--at ISO-8601] [--decision ID]",
    about: [
      "Records that a release went out (default: now; --at for an earlier time, at most 90 days",
      "back). It links to the gate decision that allowed it: --decision, or else the latest allow or",
      "warn for the same service, environment and version of the last 24 hours. Running it again",
      "for the same release answers with the record already made. Needs a token with the gate scope.",
    ],
  },
  deploys: {
    summary: "a service's deploys and the budget each spent",
    options: { service: { type: "string" }, environment: { type: "string" }, limit: { type: "string" } },
    usage: "burnrate deploys --service S [--environment E] [--limit N]",
    about: ["Prints a service's deploys, newest first, with the gate's decision and what each SLO's", "budget lost from the deploy until the next one (or now), as the API computed it."],
  },
  analysis: {
    summary: "start a canary analysis, or read one; the exit code follows the verdict",
    options: {
      service: { type: "string" },
      environment: { type: "string" },
      version: { type: "string" },
      canary: { type: "string" },
      baseline: { type: "string" },
      sli: { type: "string", multiple: true },
      count: { type: "string" },
      interval: { type: "string" },
      "initial-delay": { type: "string" },
      wait: { type: "boolean" },
      poll: { type: "string" },
    },
    usage: "burnrate analysis start --service S --canary C --baseline B [--environment E] [--version V] [--sli SLI]... [--count N --interval MIN --initial-delay MIN] [--wait]\n       burnrate analysis status ID [--wait] [--poll SECONDS]",
    about: [
      "start: compares the canary cohort with the baseline cohort over the service's SLIs (every",
      "live one unless --sli names them) every interval; prints the analysis id (BURNRATE_TEAM needed).",
      "status: prints the verdict, the score and each interval's outcome. --wait polls (every",
      "--poll seconds, default 30) until it ends. Exit code: pass 0, fail 1, inconclusive or",
      "cancelled 3, still running (without --wait) 5.",
    ],
  },
  help: { summary: "this help, or one command's", options: {}, usage: "burnrate help [COMMAND]", about: ["Prints this help, or one command's."] },
};

const allOptions = Object.assign({}, common, ...Object.values(commands).map((c) => c.options));

class UsageError extends Error {}
/** Ends the command with this exit code after its message was printed. */
class Exit extends Error {
  constructor(code) {
    super(`exit ${code}`);
    this.code = code;
  }
}

const out = (line = "") => process.stdout.write(`${line}\n`);
const err = (line = "") => process.stderr.write(`${line}\n`);

function helpText(name) {
  if (name && commands[name] && name !== "help") {
    const c = commands[name];
    return [`Usage: ${c.usage}`, "", ...c.about, "", ...connectionHelp].join("\n");
  }
  return [
    "Usage: burnrate COMMAND [OPTIONS]",
    "",
    "Commands:",
    ...Object.entries(commands).map(([n, c]) => `  ${n.padEnd(9)} ${c.summary}`),
    "",
    ...connectionHelp,
    "",
    "Run `burnrate help COMMAND` for a command's options. Documentation: docs/cli.md.",
  ].join("\n");
}

const connectionHelp = [
  "Connection (flags win over environment variables):",
  "  --url URL       BURNRATE_URL     the Burnrate server, e.g. https://burnrate.example.com",
  "  --token TOKEN   BURNRATE_TOKEN   an API token (brt_…) with the scope the command needs",
  "  --team SLUG     BURNRATE_TEAM    the team (needed by apply and status)",
  "  --json          print the API's answer as it came, instead of the text",
];

// ---------------------------------------------------------------------------------------------
// HTTP

/** One API call. Answers {status, body, text}; an unreachable server or a non-JSON answer is an ApiError. */
async function call(cfg, method, apiPath, { body, query, timeoutMs = 60_000, retry = false } = {}) {
  const url = new URL(cfg.url + apiPath);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  const headers = { authorization: `Bearer ${cfg.token}`, accept: "application/json", "user-agent": `burnrate-cli/${VERSION} node/${process.versions.node}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  for (let attempt = 0; ; attempt++) {
    let res;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    } catch (e) {
      throw new ApiError(`cannot reach ${url.origin}: ${transportReason(e, timeoutMs)}`);
    }
    const text = await res.text();
    // Over a rate limit, or while the database is away, the server says when to come back; the
    // calls retried here are safe to repeat (a push's last value wins, a plan or a read changes nothing).
    if (retry && (res.status === 429 || res.status === 503) && attempt < 3) {
      const wait = Math.min(30, Math.max(1, Number(res.headers.get("retry-after")) || 2 ** attempt));
      err(`HTTP ${res.status}: retrying in ${wait} s`);
      await new Promise((r) => setTimeout(r, wait * 1000));
      continue;
    }
    let parsed;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      const why =
        res.status === 404
          ? `the server has no such API (a Burnrate older than this client, or not Burnrate at ${cfg.url})`
          : `the answer is not JSON (${res.headers.get("content-type") ?? "no content type"}); is ${cfg.url} a Burnrate server?`;
      throw new ApiError(`HTTP ${res.status} from ${method} ${url.pathname}: ${why}`);
    }
    return { status: res.status, body: parsed, text };
  }
}

class ApiError extends Error {
  /** @param {string} message @param {{status?: number, body?: unknown, text?: string}} [res] */
  constructor(message, res) {
    super(message);
    this.res = res;
  }
}

function transportReason(e, timeoutMs) {
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = e?.cause;
  return cause?.code ? `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : ""}` : (cause?.message ?? e?.message ?? String(e));
}

/** The API's one error shape, {error: {code, message, fields}}, as lines for a person. */
function errorLines(res) {
  const e = res.body?.error;
  if (!e) return [`HTTP ${res.status}${res.text ? `: ${res.text.slice(0, 500)}` : ""}`];
  const lines = [`HTTP ${res.status}: ${e.message ?? e.code ?? "error"}`];
  for (const [field, message] of Object.entries(e.fields ?? {})) if (`${field}: ${message}` !== e.message) lines.push(`  ${field}: ${message}`);
  return lines;
}

/** A failed answer: printed (raw with --json) and turned into the HTTP exit code. */
function failHttp(cfg, res, code = EXIT.http) {
  if (cfg.json) out(res.text);
  else for (const l of errorLines(res)) err(l);
  throw new Exit(code);
}

// ---------------------------------------------------------------------------------------------
// Configuration

function configOf(values, { needTeam }) {
  const url = (values.url ?? process.env.BURNRATE_URL ?? "").trim().replace(/\/+$/, "");
  const token = (values.token ?? process.env.BURNRATE_TOKEN ?? "").trim();
  const team = (values.team ?? process.env.BURNRATE_TEAM ?? "").trim();
  if (!url) throw new UsageError("give the server with --url or BURNRATE_URL");
  if (!/^https?:\/\/[^/]/i.test(url)) throw new UsageError(`the server URL must start with http:// or https:// (got ${JSON.stringify(url)})`);
  if (!token) throw new UsageError("give an API token with --token or BURNRATE_TOKEN");
  if (needTeam && !team) throw new UsageError("give the team with --team or BURNRATE_TEAM");
  return { url, token, team: team || undefined, json: Boolean(values.json) };
}

// ---------------------------------------------------------------------------------------------
// apply

/** Every YAML file a path names: the file itself, or under a directory every *.yaml/*.yml, sorted. */
async function yamlFiles(p) {
  let info;
  try {
    info = await stat(p);
  } catch {
    throw new UsageError(`${p}: no such file or directory`);
  }
  if (!info.isDirectory()) return [p];
  const found = [];
  const walk = async (dir) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith(".")) await walk(full);
      } else if (/\.ya?ml$/i.test(e.name)) found.push(full);
    }
  };
  await walk(p);
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** How a file is named to the API, and so in its problems: relative to here, with forward slashes. */
function fileName(p) {
  const rel = path.relative(process.cwd(), path.resolve(p));
  return (rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p).split(path.sep).join("/");
}

const show = (v) => {
  if (v === null || v === undefined) return "(none)";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s === "" || /[\s"]/.test(s) ? JSON.stringify(s) : s;
};

const verbs = { create: "+ create", change: "~ change", delete: "- delete" };

function planLines(plan) {
  const lines = [];
  for (const c of plan.changes ?? []) {
    const head = `${verbs[c.action] ?? `? ${c.action}`} ${c.kind} ${c.name}`;
    const fields = c.action === "change" ? (c.fields ?? []) : [];
    if (fields.length === 0) lines.push(head);
    for (const f of fields) lines.push(`${head}: ${f.field} ${show(f.old)} → ${show(f.new)}`);
  }
  return lines;
}

function planCounts(plan) {
  const n = { create: 0, change: 0, delete: 0 };
  for (const c of plan.changes ?? []) if (c.action in n) n[c.action]++;
  return n;
}

function planSummary(plan, planOnly) {
  const n = planCounts(plan);
  const unchanged = plan.unchanged ?? 0;
  if (n.create + n.change + n.delete === 0) return `No changes. ${unchanged} unchanged.`;
  return planOnly || !plan.applied
    ? `Plan: ${n.create} to create, ${n.change} to change, ${n.delete} to delete, ${unchanged} unchanged.`
    : `Applied: ${n.create} created, ${n.change} changed, ${n.delete} deleted, ${unchanged} unchanged.`;
}

const warningLine = (w) => [w.file, w.document, w.message].filter((x) => x !== undefined && x !== "").join(": ");

function planMarkdown(plan, planOnly, team) {
  const md = [`### Burnrate ${planOnly ? "plan" : "apply"} for team ${team}`, "", planSummary(plan, planOnly), ""];
  const lines = planLines(plan);
  if (lines.length) md.push("```diff", ...lines, "```", "");
  if (plan.kept?.length) md.push("**Kept as set in Burnrate**", "", ...plan.kept.map((k) => `- ${mdText(k.message)}`), "");
  if (plan.warnings?.length) md.push("**Warnings**", "", ...plan.warnings.map((w) => `- ${mdText(warningLine(w))}`), "");
  return md.join("\n");
}

function problemsMarkdown(lines, team) {
  return [`### Burnrate: the definitions for team ${team} were refused`, "", "Nothing was changed.", "", ...lines.map((l) => `- ${mdText(l)}`), ""].join("\n");
}

const mdText = (s) => String(s).replace(/([\\`*_[\]<>|])/g, "\\$1");

function appendSummary(file, markdown) {
  if (!file) return;
  try {
    appendFileSync(file, `${markdown}\n`);
  } catch (e) {
    err(`could not write the summary to ${file}: ${e.message}`);
  }
}

async function apply(values, files) {
  const cfg = configOf(values, { needTeam: true });
  if (files.length === 0) throw new UsageError("give at least one YAML file or directory");
  if (values["detailed-exitcode"] && !values.plan) throw new UsageError("--detailed-exitcode goes with --plan");
  const paths = [];
  for (const p of files) paths.push(...(await yamlFiles(p)));
  if (paths.length === 0) throw new UsageError(`no *.yaml or *.yml files under ${files.join(", ")}`);
  const payload = { files: [], prune: Boolean(values.prune) };
  for (const p of paths) payload.files.push({ name: fileName(p), content: await readFile(p, "utf8") });
  const planOnly = Boolean(values.plan);
  const source = values.source ?? process.env.GITHUB_SHA;
  if (!planOnly && source) payload.source = source;

  const route = `/api/v1/teams/${encodeURIComponent(cfg.team)}/definitions/${planOnly ? "plan" : "apply"}`;
  // With --detailed-exitcode, 2 means "changes" only (as terraform's); every error is then 1.
  const errorCode = values["detailed-exitcode"] ? EXIT.failed : EXIT.http;
  let res;
  try {
    res = await call(cfg, "POST", route, { body: payload, timeoutMs: 300_000, retry: planOnly });
  } catch (e) {
    if (e instanceof ApiError) {
      err(e.message);
      throw new Exit(errorCode);
    }
    throw e;
  }
  if (res.status === 422 && res.body?.error) {
    const fields = Object.entries(res.body.error.fields ?? {});
    const lines = fields.length ? fields.map(([k, v]) => `${k}: ${v}`) : [res.body.error.message];
    if (cfg.json) out(res.text);
    else {
      err(`The definitions were refused; nothing was ${planOnly ? "planned" : "changed"}:`);
      for (const l of lines) err(l);
    }
    appendSummary(values.summary, problemsMarkdown(lines, cfg.team));
    throw new Exit(EXIT.failed);
  }
  if (res.status < 200 || res.status >= 300 || !res.body || !Array.isArray(res.body.changes)) failHttp(cfg, res, errorCode);

  const plan = res.body;
  appendSummary(values.summary, planMarkdown(plan, planOnly, cfg.team));
  if (cfg.json) out(res.text);
  else {
    for (const l of planLines(plan)) out(l);
    for (const k of plan.kept ?? []) out(`= kept: ${k.message}`);
    for (const w of plan.warnings ?? []) out(`! warning: ${warningLine(w)}`);
    if ((plan.changes ?? []).length || plan.kept?.length || plan.warnings?.length) out();
    out(planSummary(plan, planOnly));
    if (planOnly && plan.changes?.length) out("Nothing was changed: run without --plan to apply.");
  }
  const changed = (plan.changes ?? []).length > 0;
  return planOnly && values["detailed-exitcode"] && changed ? EXIT.http : EXIT.ok;
}

// ---------------------------------------------------------------------------------------------
// gate

function defaultRequester() {
  if (process.env.GITHUB_ACTOR) return process.env.GITHUB_ACTOR;
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? "burnrate-cli";
  }
}

/** "reliability fixes to production pass now" as the pages show it: a sentence. */
const sentence = (t) => {
  const s = String(t ?? "").trim();
  if (!s) return s;
  const first = s[0].toUpperCase() + s.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
};

/** A page of the app that a way through names, for the person reading the log. */
function wayLink(base, team, service, item) {
  if (!base || !team) return null;
  const t = encodeURIComponent(team);
  if (item.kind === "budget" && item.slo?.slug && service) return `${base}/teams/${t}/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(item.slo.slug)}`;
  if (item.kind === "postmortem" && (item.incidentId ?? item.incident?.incidentId)) return `${base}/teams/${t}/incidents/${encodeURIComponent(item.incidentId ?? item.incident.incidentId)}`;
  if (item.kind === "override" && service) return `${base}/teams/${t}/services/${encodeURIComponent(service)}#overrides`;
  if ((item.kind === "freeze" || item.kind === "freeze_ends") && service) return `${base}/teams/${t}/gate`;
  return null;
}

function gateLines(a) {
  const base = (() => {
    try {
      return a.url ? new URL(a.url).origin : null;
    } catch {
      return null;
    }
  })();
  const service = a.service?.slug ?? null;
  const what = [a.version && a.version !== a.commit ? `version ${a.version}` : null, a.commit ? `commit ${a.commit}` : null, a.changeType].filter(Boolean).join(", ");
  const lines = [`${String(a.decision).toUpperCase()}: ${a.service?.name ?? a.serviceName} to ${a.environment} (${what}); tier ${a.tier}`];
  const policy = a.policy ? `policy: ${a.policy.scope}${a.policy.version ? ` version ${a.policy.version}` : ""}` : null;
  const deciding = a.numbers?.decidingSlo;
  const facts = [policy, deciding && typeof deciding.remainingBudget === "number" ? `worst SLO: ${deciding.name} (${formatPercent(deciding.remainingBudget, 1)} of its budget left)` : null];
  if (a.numbers?.override) facts.push(`override in use${a.numbers.override.approvedBy ? `, approved by ${a.numbers.override.approvedBy}` : ""}`);
  if (facts.some(Boolean)) lines.push(facts.filter(Boolean).join("; "));
  if (a.reasons?.length) lines.push("", "Reasons:", ...a.reasons.map((r) => `  - ${r}`));
  const way = a.toGetThrough;
  if (way) {
    lines.push("", way.decision === "warn" ? "Warned because:" : "Denied because:");
    for (const b of way.because ?? []) {
      lines.push(`  - ${sentence(b.text)}`);
      const link = wayLink(base, a.team, service, b);
      if (link) lines.push(`    ${link}`);
    }
    lines.push("", way.decision === "warn" ? "For a clean allow:" : "To get through:");
    (way.steps ?? []).forEach((s, i) => {
      lines.push(`  ${i + 1}. ${sentence(s.text)}`);
      const link = wayLink(base, a.team, service, s);
      if (link) lines.push(`     ${link}`);
    });
  }
  if (a.url) lines.push("", `Decision: ${a.url}`);
  return lines;
}

function gateMarkdown(a) {
  const icon = { allow: "✅", warn: "⚠️", deny: "⛔" }[a.decision] ?? "";
  const md = [`### ${icon} Burnrate deploy gate: ${a.decision}`, "", `**${mdText(a.service?.name ?? a.serviceName)}** to **${mdText(a.environment)}**, ${mdText(a.changeType)} change, tier **${mdText(a.tier)}**.`, ""];
  if (a.reasons?.length) md.push("**Reasons**", "", ...a.reasons.map((r) => `- ${mdText(r)}`), "");
  if (a.toGetThrough) {
    md.push(`**${a.toGetThrough.decision === "warn" ? "Warned because" : "Denied because"}**`, "", ...(a.toGetThrough.because ?? []).map((b) => `- ${mdText(sentence(b.text))}`), "");
    md.push(`**${a.toGetThrough.decision === "warn" ? "For a clean allow" : "To get through"}**`, "", ...(a.toGetThrough.steps ?? []).map((s, i) => `${i + 1}. ${mdText(sentence(s.text))}`), "");
  }
  if (a.url) md.push(`[The decision in Burnrate](${a.url})`, "");
  return md.join("\n");
}

async function gate(values, positionals) {
  if (positionals.length) throw new UsageError(`gate takes no arguments (got ${positionals.join(" ")})`);
  for (const f of ["service", "environment"]) if (!values[f]) throw new UsageError(`give --${f}`);
  if (!values.version && !values.commit) throw new UsageError("give --version or --commit");
  const cfg = configOf(values, { needTeam: false });
  const body = {
    service: values.service,
    environment: values.environment,
    ...(values.version ? { version: values.version } : {}),
    ...(values.commit ? { commit: values.commit } : {}),
    changeType: values["change-type"] ?? "feature",
    requester: values.requester ?? defaultRequester(),
    ...(values.link ? { link: values.link } : {}),
    ...(cfg.team ? { team: cfg.team } : {}),
  };
  // The default mode answers every decision with 200 and the decision in the body.
  const res = await call(cfg, "POST", "/api/v1/gate", { body, timeoutMs: 30_000 });
  if (res.status !== 200 || !res.body || typeof res.body.decision !== "string") failHttp(cfg, res);
  const a = res.body;
  appendSummary(values.summary, gateMarkdown(a));
  if (cfg.json) out(res.text);
  else for (const l of gateLines(a)) out(l);
  if (a.decision === "allow") return EXIT.ok;
  if (a.decision === "warn") return values["fail-on-warn"] ? EXIT.warned : EXIT.ok;
  return EXIT.failed;
}

// ---------------------------------------------------------------------------------------------
// analysis

const wholeMinutes = (values, name) => {
  const v = values[name];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number (got ${JSON.stringify(v)})`);
  return Number(v);
};

function analysisLines(a) {
  const release = a.version ? ` ${a.version}` : "";
  const lines = [`Analysis ${a.id}: ${a.service.slug}${release}, ${a.canary} against ${a.baseline}: ${a.verdict}${a.score === null ? "" : ` (score ${a.score})`}`];
  for (const r of a.reasons ?? []) lines.push(`  ${r}`);
  for (const i of a.intervals ?? []) lines.push(`  interval ${i.index + 1}: ${i.outcome}${i.score === null ? "" : `, score ${i.score}`} (${i.from} to ${i.to})`);
  lines.push(`  ${a.url}`);
  return lines;
}

const verdictExit = { pass: EXIT.ok, fail: EXIT.failed, inconclusive: EXIT.warned, cancelled: EXIT.warned, running: EXIT.running };

async function analysis(values, positionals) {
  const [sub, ...args] = positionals;
  if (sub === "start") {
    if (args.length) throw new UsageError(`analysis start takes no arguments (got ${args.join(" ")})`);
    for (const f of ["service", "canary", "baseline"]) if (!values[f]) throw new UsageError(`give --${f}`);
    const cfg = configOf(values, { needTeam: true });
    const schedule = ["count", "interval", "initial-delay"].map((n) => wholeMinutes(values, n));
    if (schedule.some((v) => v !== undefined) && schedule.some((v) => v === undefined)) throw new UsageError("give --count, --interval and --initial-delay together");
    const body = {
      service: values.service,
      canary: values.canary,
      baseline: values.baseline,
      ...(values.environment ? { environment: values.environment } : {}),
      ...(values.version ? { version: values.version } : {}),
      ...(values.sli?.length ? { metrics: values.sli.map((sli) => ({ sli })) } : {}),
      ...(schedule[0] !== undefined ? { schedule: { count: schedule[0], intervalMinutes: schedule[1], initialDelayMinutes: schedule[2], failureLimit: 0, inconclusiveLimit: 0 } } : {}),
    };
    const res = await call(cfg, "POST", `/api/v1/teams/${encodeURIComponent(cfg.team)}/analyses`, { body });
    if (res.status !== 201) failHttp(cfg, res, res.status === 422 ? EXIT.failed : EXIT.http);
    if (cfg.json) out(res.text);
    else for (const l of analysisLines(res.body)) out(l);
    return values.wait ? await waitFor(cfg, values, res.body.id) : EXIT.ok;
  }
  if (sub === "status") {
    if (args.length !== 1) throw new UsageError("give the analysis id: burnrate analysis status ID");
    return await waitFor(configOf(values, { needTeam: false }), values, args[0]);
  }
  throw new UsageError(sub ? `unknown analysis command ${JSON.stringify(sub)}: start or status` : "give start or status");
}

/** Reads the analysis by id (a gate token's view); with --wait, again every --poll seconds until it ends. */
async function waitFor(cfg, values, id) {
  const poll = values.poll === undefined ? 30 : Number(values.poll);
  if (!(poll >= 1 && poll <= 3600)) throw new UsageError("--poll must be between 1 and 3600 seconds");
  for (;;) {
    const res = await call(cfg, "GET", `/api/v1/analyses/${encodeURIComponent(id)}`, { retry: true });
    if (res.status !== 200 || !res.body || typeof res.body.verdict !== "string") failHttp(cfg, res);
    const a = res.body;
    if (a.verdict !== "running" || !values.wait) {
      if (cfg.json) out(res.text);
      else for (const l of analysisLines(a)) out(l);
      return verdictExit[a.verdict] ?? EXIT.http;
    }
    err(`${a.verdict}: ${a.intervalsDone} of ${a.config?.schedule?.count ?? "?"} intervals done; next at ${a.nextRunAt ?? "soon"}`);
    await new Promise((r) => setTimeout(r, poll * 1000));
  }
}

// ---------------------------------------------------------------------------------------------
// status

/** As lib/domain/format.ts formatPercent: trailing zeros dropped, "—" for no number. */
function formatPercent(fraction, digits = 2) {
  if (typeof fraction !== "number" || !Number.isFinite(fraction)) return "—";
  const fixed = (fraction * 100).toFixed(digits);
  const trimmed = fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
  return `${trimmed === "-0" ? "0" : trimmed}%`;
}

/** As lib/domain/format.ts formatObjective: "0.999" as "99.9%", by moving the decimal point (no float). */
function formatObjective(objective) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(objective));
  if (!m) return String(objective);
  const digits = `${m[1]}${(m[2] ?? "").padEnd(2, "0")}`;
  const whole = digits.slice(0, m[1].length + 2).replace(/^0+(?=\d)/, "");
  const frac = digits.slice(m[1].length + 2).replace(/0+$/, "");
  return `${whole}${frac ? `.${frac}` : ""}%`;
}

/** As lib/domain/format.ts formatBurnRate: "14.4×", "0.25×", "—". */
function formatBurnRate(rate) {
  if (typeof rate !== "number" || !Number.isFinite(rate)) return "—";
  const fixed = rate.toFixed(rate >= 100 ? 0 : rate >= 10 ? 1 : 2);
  return `${fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed}×`;
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

const BURN_COLUMNS = ["1h", "6h", "1d", "3d"];

async function status(values, positionals) {
  if (positionals.length) throw new UsageError(`status takes no arguments (got ${positionals.join(" ")}); use --service`);
  const cfg = configOf(values, { needTeam: true });
  const res = await call(cfg, "GET", `/api/v1/teams/${encodeURIComponent(cfg.team)}/status`, { query: { at: values.at }, retry: true });
  if (res.status !== 200 || !Array.isArray(res.body?.slos)) failHttp(cfg, res);
  const wanted = values.service;
  const slos = res.body.slos.filter((s) => !wanted || s.service.slug === wanted || s.service.id === wanted);
  if (cfg.json) {
    out(wanted ? JSON.stringify({ ...res.body, slos }) : res.text);
    return EXIT.ok;
  }
  if (wanted && slos.length === 0) {
    err(`team ${res.body.team} has no SLO of a service ${wanted}`);
    return EXIT.failed;
  }
  out(`Team ${res.body.team} at ${res.body.at}`);
  if (slos.length === 0) {
    out("No SLOs yet.");
    return EXIT.ok;
  }
  const rows = slos.map(({ service, slo, status: s }) => [
    `${service.slug}/${slo.slug}`,
    formatObjective(slo.objective),
    s.budget?.state === "ok" ? formatPercent(s.budget.remaining, 1) : "no data",
    ...BURN_COLUMNS.map((k) => formatBurnRate(s.burnRates?.[k])),
    s.alerts?.state ?? "—",
    s.tier ?? "—",
    s.error ? `error: ${s.error}` : s.freshness?.state === "fresh" ? "fresh" : `${s.freshness?.state ?? "—"}${s.freshness?.reason ? ` (${s.freshness.reason})` : ""}`,
  ]);
  for (const l of table(["SLO", "OBJECTIVE", "BUDGET LEFT", ...BURN_COLUMNS.map((k) => `BURN ${k}`), "ALERT", "TIER", "DATA"], rows)) out(l);
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------
// push

async function readInput(file) {
  if (!file || file === "-") {
    if (process.stdin.isTTY) throw new UsageError("give a FILE, or pipe the buckets to stdin");
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    return { text: Buffer.concat(chunks).toString("utf8"), name: "stdin" };
  }
  try {
    return { text: await readFile(file, "utf8"), name: file };
  } catch (e) {
    throw new UsageError(`${file}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
  }
}

/** Items from {items: [...]}, a JSON array, or NDJSON; each with its line for NDJSON. */
function parseBuckets(text, name) {
  const trimmed = text.trim();
  if (!trimmed) throw new UsageError(`${name} holds no buckets`);
  let whole;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    whole = undefined;
  }
  if (Array.isArray(whole)) return whole.map((item) => ({ item }));
  if (whole && typeof whole === "object" && Array.isArray(whole.items)) return whole.items.map((item) => ({ item }));
  if (whole && typeof whole === "object") return [{ item: whole }];
  const items = [];
  text.split("\n").forEach((raw, i) => {
    const l = raw.trim();
    if (!l) return;
    try {
      items.push({ item: JSON.parse(l), line: i + 1 });
    } catch (e) {
      throw new UsageError(`${name}, line ${i + 1}: not JSON (${e.message}); give {"items": [...]}, a JSON array, or one JSON object per line`);
    }
  });
  return items;
}

/** Consecutive batches under both of the server's limits (items and bytes). */
function batchesOf(items, size) {
  const batches = [];
  let cur = [];
  let bytes = 16;
  for (const it of items) {
    const b = Buffer.byteLength(JSON.stringify(it.item)) + 1;
    if (cur.length && (cur.length >= size || bytes + b > MAX_PUSH_BYTES)) {
      batches.push(cur);
      cur = [];
      bytes = 16;
    }
    cur.push(it);
    bytes += b;
  }
  if (cur.length) batches.push(cur);
  return batches;
}

async function push(values, positionals) {
  if (positionals.length > 1) throw new UsageError("push reads one FILE (or - for stdin)");
  const size = values["batch-size"] === undefined ? MAX_PUSH_ITEMS : Number(values["batch-size"]);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PUSH_ITEMS) throw new UsageError(`--batch-size must be a whole number from 1 to ${MAX_PUSH_ITEMS}`);
  const cfg = configOf(values, { needTeam: false });
  const { text, name } = await readInput(positionals[0]);
  const items = parseBuckets(text, name);
  if (items.length === 0) throw new UsageError(`${name} holds no buckets`);
  let accepted = 0;
  const rejected = [];
  let offset = 0;
  const batches = batchesOf(items, size);
  for (const [n, batch] of batches.entries()) {
    let res;
    try {
      res = await call(cfg, "POST", "/api/v1/ingest", { body: { items: batch.map((b) => b.item) }, retry: true });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      err(e.message);
      if (n > 0) err(`${n} of ${batches.length} batches were sent (${accepted} items accepted); pushing again is safe: the last value sent for a minute wins.`);
      throw new Exit(EXIT.http);
    }
    // 200: some stored; 422 with `rejected`: none of this batch was (the rest may still be).
    const result = res.body && Array.isArray(res.body.rejected) ? res.body : null;
    if (!result || (res.status !== 200 && res.status !== 422)) {
      if (n > 0) err(`${n} of ${batches.length} batches were sent (${accepted} items accepted) before this error:`);
      failHttp(cfg, res);
    }
    if (cfg.json) out(res.text);
    accepted += result.accepted ?? 0;
    for (const r of result.rejected) rejected.push({ ...r, index: offset + r.index, line: batch[r.index]?.line });
    offset += batch.length;
  }
  if (!cfg.json) {
    out(`Accepted ${accepted} of ${items.length} item${items.length === 1 ? "" : "s"}${batches.length > 1 ? ` in ${batches.length} batches` : ""}; rejected ${rejected.length}.`);
    for (const r of rejected) out(`  item ${r.index}${r.line ? ` (line ${r.line})` : ""}: ${r.field ? `${r.field}: ` : ""}${r.reason}`);
  }
  return rejected.length ? EXIT.failed : EXIT.ok;
}

// ---------------------------------------------------------------------------------------------
// deployed, deploys (docs/deploys.md)

async function deployed(values, positionals) {
  if (positionals.length) throw new UsageError(`deployed takes no arguments (got ${positionals.join(" ")})`);
  for (const f of ["service", "environment", "version"]) if (!values[f]) throw new UsageError(`give --${f}`);
  const cfg = configOf(values, { needTeam: false });
  const body = {
    service: values.service,
    environment: values.environment,
    version: values.version,
    ...(values.commit ? { commit: values.commit } : {}),
    ...(values.link ? { link: values.link } : {}),
    ...(values.at ? { deployedAt: values.at } : {}),
    ...(values.decision ? { decisionId: values.decision } : {}),
    ...(cfg.team ? { team: cfg.team } : {}),
  };
  // A retry is safe: the server answers a repeated report with the record it already made.
  const res = await call(cfg, "POST", "/api/v1/deploys", { body, timeoutMs: 30_000, retry: true });
  if ((res.status !== 201 && res.status !== 200) || typeof res.body?.id !== "string") failHttp(cfg, res);
  const d = res.body;
  if (cfg.json) out(res.text);
  else {
    out(`${res.status === 201 ? "Recorded" : "Already recorded"}: ${d.service.name} ${d.version} to ${d.environment} at ${d.deployedAt}`);
    out(d.decision ? `Gate decision: ${d.decision.decision} ${d.decision.url}` : "No gate decision linked (none allowed this release in the 24 hours before it).");
  }
  return EXIT.ok;
}

async function deploys(values, positionals) {
  if (positionals.length) throw new UsageError(`deploys takes no arguments (got ${positionals.join(" ")}); use --service`);
  if (!values.service) throw new UsageError("give --service");
  if (values.limit !== undefined && !/^\d{1,3}$/.test(values.limit)) throw new UsageError("--limit must be a whole number from 1 to 100");
  const cfg = configOf(values, { needTeam: true });
  const res = await call(cfg, "GET", `/api/v1/teams/${encodeURIComponent(cfg.team)}/services/${encodeURIComponent(values.service)}/deploys`, {
    query: { environment: values.environment, limit: values.limit },
    retry: true,
  });
  if (res.status !== 200 || !Array.isArray(res.body?.deploys)) failHttp(cfg, res);
  if (cfg.json) {
    out(res.text);
    return EXIT.ok;
  }
  if (res.body.deploys.length === 0) {
    out(`No deploys of ${values.service} recorded yet.`);
    return EXIT.ok;
  }
  for (const d of res.body.deploys) {
    out(`${d.deployedAt}  ${d.environment}  ${d.version}${d.current ? " (current)" : ""}  gate: ${d.decision ? d.decision.decision : "none"}`);
    for (const s of d.spend) out(`  ${s.slo.slug}: ${s.summary}${s.worst ? " (most spent)" : ""}`);
  }
  if (res.body.next) out(`More: older deploys exist (the API's next page starts after ${res.body.next}).`);
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------

async function main(argv) {
  const [major] = process.versions.node.split(".").map(Number);
  if (major < 20) {
    err(`burnrate needs Node.js 20 or newer (this is ${process.versions.node})`);
    return EXIT.usage;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: allOptions, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    err(`burnrate: ${e.message}`);
    err("Run `burnrate help` for the commands and their options.");
    return EXIT.usage;
  }
  const { values, positionals, tokens } = parsed;
  const [name, ...rest] = positionals;
  if (!name || name === "help") {
    if (!name && !values.help) {
      err(helpText());
      return EXIT.usage;
    }
    const topic = name === "help" ? rest[0] : undefined;
    if (topic && !commands[topic]) {
      err(`burnrate: unknown command ${JSON.stringify(topic)}`);
      return EXIT.usage;
    }
    out(helpText(topic));
    return EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    err(`burnrate: unknown command ${JSON.stringify(name)}\n\n${helpText()}`);
    return EXIT.usage;
  }
  if (values.help) {
    out(helpText(name));
    return EXIT.ok;
  }
  const foreign = tokens.filter((t) => t.kind === "option" && !(t.name in common) && !(t.name in command.options)).map((t) => `--${t.name}`);
  if (foreign.length) {
    err(`burnrate ${name}: ${[...new Set(foreign)].join(", ")} ${foreign.length === 1 ? "is not an option" : "are not options"} of ${name}`);
    err(`Usage: ${command.usage}`);
    return EXIT.usage;
  }
  try {
    if (name === "apply") return await apply(values, rest);
    if (name === "gate") return await gate(values, rest);
    if (name === "status") return await status(values, rest);
    if (name === "deployed") return await deployed(values, rest);
    if (name === "deploys") return await deploys(values, rest);
    if (name === "analysis") return await analysis(values, rest);
    return await push(values, rest);
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof UsageError) {
      err(`burnrate ${name}: ${e.message}`);
      err(`Usage: ${command.usage}`);
      return EXIT.usage;
    }
    if (e instanceof ApiError) {
      err(e.message);
      return EXIT.http;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
