// Prometheus beside Burnrate (the scale part, scale.ts): the same per-minute series loaded into a
// real Prometheus as two counters per SLO, then (a) the same statuses by PromQL over the raw
// counters (remaining budget over 30 days and the burn rate of each lookback, for all SLOs at
// once, by the `slo` label) and (b) Sloth-style recording and alert rules (the shapes of Sloth's
// generated rules, github slok/sloth examples/_gen: slo:sli_error:ratio_rate<window> per window,
// the 30d ratio as sum_over_time/count_over_time of the 5m one, the metadata rules and the
// multiwindow page/ticket alerts), timed from Prometheus's own
// prometheus_rule_group_last_duration_seconds.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { lookbacks } from "../domain/burn-rate";

const MIN = 60_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const WINDOWS = { ...Object.fromEntries(Object.keys(lookbacks).map((k) => [k, k])), "30d": "30d" } as Record<string, string>;

export type BurnrateFigures = { remaining: number; burnRates: Record<string, number | null> };

/** Counters at every minute of `days` ending at `end`: value at T = sum of benchRows' buckets of minutes before T. */
export function writeOpenMetrics(file: string, slos: readonly string[], end: number, days: number) {
  const fd = fs.openSync(file, "w");
  const minutes = days * 1440;
  for (const [family, bad] of [["burnrate_requests", false], ["burnrate_errors", true]] as const) {
    fs.writeSync(fd, `# TYPE ${family} counter\n`);
    for (const slo of slos) {
      let buf = `${family}_total{slo="${slo}"} 0 ${(end - minutes * MIN) / 1000}\n`;
      let sum = 0;
      // i = minutes before `end` of the bucket, as in bench-database.ts benchRows.
      for (let i = minutes; i > 0; i--) {
        const total = 1000 + (i % 97);
        sum += bad ? (i % 7 === 0 ? 3 : 0) : total;
        buf += `${family}_total{slo="${slo}"} ${sum} ${(end - (i - 1) * MIN) / 1000}\n`;
        if (buf.length > 1 << 20) {
          fs.writeSync(fd, buf);
          buf = "";
        }
      }
      fs.writeSync(fd, buf);
    }
  }
  fs.writeSync(fd, "# EOF\n");
  fs.closeSync(fd);
}

/** Sloth's generated rule shapes for one SLO (objective 99.9 %, 30-day period). */
function slothRules(slo: string, objective: number) {
  const ids = `sloth_id="${slo}", sloth_service="${slo}", sloth_slo="${slo}"`;
  const labels = (extra: Record<string, string> = {}) => ({ sloth_id: slo, sloth_service: slo, sloth_slo: slo, ...extra });
  const budget = 1 - objective;
  const sli = Object.keys(WINDOWS).map((w) => ({
    record: `slo:sli_error:ratio_rate${w}`,
    expr: w === "30d"
      ? `sum_over_time(slo:sli_error:ratio_rate5m{${ids}}[30d]) / ignoring (sloth_window) count_over_time(slo:sli_error:ratio_rate5m{${ids}}[30d])`
      : `(sum(rate(burnrate_errors_total{slo="${slo}"}[${w}]))) / (sum(rate(burnrate_requests_total{slo="${slo}"}[${w}])))`,
    labels: labels({ sloth_window: w }),
  }));
  const on = "on (sloth_id, sloth_slo, sloth_service) group_left";
  const meta = [
    { record: "slo:objective:ratio", expr: `vector(${objective})`, labels: labels() },
    { record: "slo:error_budget:ratio", expr: `vector(1 - ${objective})`, labels: labels() },
    { record: "slo:time_period:days", expr: "vector(30)", labels: labels() },
    { record: "slo:current_burn_rate:ratio", expr: `slo:sli_error:ratio_rate5m{${ids}} / ${on} slo:error_budget:ratio{${ids}}`, labels: labels() },
    { record: "slo:period_burn_rate:ratio", expr: `slo:sli_error:ratio_rate30d{${ids}} / ${on} slo:error_budget:ratio{${ids}}`, labels: labels() },
    { record: "slo:period_error_budget_remaining:ratio", expr: `1 - slo:period_burn_rate:ratio{${ids}}`, labels: labels() },
    { record: "sloth_slo_info", expr: "vector(1)", labels: labels({ sloth_objective: String(objective * 100) }) },
  ];
  const pair = (f: number, long: string, short: string) =>
    `(max(slo:sli_error:ratio_rate${short}{${ids}} > (${f} * ${budget})) without (sloth_window) and max(slo:sli_error:ratio_rate${long}{${ids}} > (${f} * ${budget})) without (sloth_window))`;
  const alerts = [
    { alert: "BurnrateBenchPage", expr: `${pair(14.4, "1h", "5m")} or ${pair(6, "6h", "30m")}`, labels: { severity: "page" } },
    { alert: "BurnrateBenchTicket", expr: `${pair(3, "1d", "2h")} or ${pair(1, "3d", "6h")}`, labels: { severity: "ticket" } },
  ];
  return [
    { name: `sloth-slo-sli-recordings-${slo}`, rules: sli },
    { name: `sloth-slo-meta-recordings-${slo}`, rules: meta },
    { name: `sloth-slo-alerts-${slo}`, rules: alerts },
  ];
}

async function metrics(base: string) {
  return (await (await fetch(`${base}/metrics`)).text()).split("\n");
}

async function query(base: string, expr: string, at: number) {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}&time=${at / 1000}`);
  const body = (await res.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== "success") throw new Error(`PromQL ${expr}: ${body.error}`);
  return body.data.result;
}

/**
 * Loads `slos`' series into a new Prometheus, times (a) and (b), and checks (a)'s numbers
 * against Burnrate's `expected` (the same series, so the same for every SLO). `burnrateMs` is
 * Burnrate's median time for the statuses of the same SLOs.
 */
export async function benchPrometheus(opts: { slos: readonly string[]; objective: number; days: number; expected: BurnrateFigures; burnrateMs: number; burnrateAllMs: number; allSlos: number; port: number }) {
  const { slos, objective, days } = opts;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "burnrate-prom-"));
  let proc: ReturnType<typeof spawn> | null = null;
  try {
    // The series ends 10 minutes ahead of the wall clock, so that the rules, evaluated at the
    // wall clock, read whole windows; the statuses are queried at the series' end, where they
    // match Burnrate's at its own end (the same series relative to its end).
    const end = Math.floor(Date.now() / MIN) * MIN + 10 * MIN;
    let t = performance.now();
    writeOpenMetrics(path.join(dir, "data.om"), slos, end, days);
    const writeS = (performance.now() - t) / 1000;
    t = performance.now();
    const made = spawnSync("promtool", ["tsdb", "create-blocks-from", "openmetrics", "-q", path.join(dir, "data.om"), path.join(dir, "data")], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`promtool: ${made.stderr}`);
    const blocksS = (performance.now() - t) / 1000;
    fs.rmSync(path.join(dir, "data.om"));
    const samples = slos.length * 2 * (days * 1440 + 1);
    console.log(`Prometheus ${spawnSync("prometheus", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0]}: ${slos.length} SLOs x 2 counters x ${days} days of minutes = ${samples.toLocaleString("en-US")} samples (file written in ${writeS.toFixed(1)} s, blocks built by promtool in ${blocksS.toFixed(1)} s)`);

    const groups = slos.flatMap((s) => slothRules(s, objective));
    fs.writeFileSync(path.join(dir, "rules.yml"), JSON.stringify({ groups })); // JSON is YAML
    fs.writeFileSync(path.join(dir, "prometheus.yml"), JSON.stringify({ global: { evaluation_interval: "20s" }, rule_files: [path.join(dir, "rules.yml")] }));
    const base = `http://127.0.0.1:${opts.port}`;
    proc = spawn("prometheus", [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(dir, "data")}`, "--storage.tsdb.retention.time=400d", `--web.listen-address=127.0.0.1:${opts.port}`, "--log.level=warn"], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    proc.stderr?.on("data", (c: Buffer) => (log += c.toString()));
    for (let i = 0; ; i++) {
      if (await fetch(`${base}/-/ready`).then((r) => r.ok, () => false)) break;
      if (i > 300 || proc.exitCode !== null) throw new Error(`Prometheus did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Let start-up compaction of the imported blocks settle before timing (at most 3 minutes).
    let last = "";
    for (let quiet = 0, i = 0; quiet < 5 && i < 90; i++) {
      const now = (await metrics(base)).filter((l) => l.startsWith("prometheus_tsdb_blocks_loaded") || l.startsWith("prometheus_tsdb_compactions_total")).join();
      quiet = now === last ? quiet + 1 : 0;
      last = now;
      await new Promise((r) => setTimeout(r, 2000));
    }

    // (a) The statuses by PromQL over the raw counters, every SLO by its label.
    const ratio = (w: string) => `(sum by (slo) (increase(burnrate_errors_total[${w}])) / sum by (slo) (increase(burnrate_requests_total[${w}])))`;
    const queries: [string, string][] = [["remaining", `1 - ${ratio("30d")} / ${1 - objective}`], ...Object.keys(lookbacks).map((w) => [w, `${ratio(w)} / ${1 - objective}`] as [string, string])];
    const runs: number[] = [];
    let answers: Map<string, Map<string, number>> = new Map();
    for (let i = 0; i < 6; i++) {
      t = performance.now();
      const results = await Promise.all(queries.map(async ([name, q]) => [name, await query(base, q, end)] as const));
      runs.push(performance.now() - t);
      answers = new Map(results.map(([name, r]) => [name, new Map(r.map((x) => [x.metric.slo!, Number(x.value[1])]))]));
    }
    const promA = median(runs.slice(1));
    // Agreement: the remaining budget and each burn rate of a few SLOs, to 1e-9.
    const tolerance = 1e-9;
    const checked = slos.slice(0, 3);
    const diffs: string[] = [];
    for (const slo of checked) {
      const got = answers.get("remaining")!.get(slo);
      if (got === undefined || Math.abs(got - opts.expected.remaining) > tolerance) diffs.push(`${slo} remaining ${got} vs ${opts.expected.remaining}`);
      for (const w of Object.keys(lookbacks)) {
        const g = answers.get(w)!.get(slo);
        const want = opts.expected.burnRates[w];
        if (want === null || want === undefined || g === undefined || Math.abs(g - want) > tolerance * Math.max(1, want)) diffs.push(`${slo} burn ${w} ${g} vs ${want}`);
      }
    }
    console.log(`  (a) PromQL over the raw counters, ${queries.length} queries (remaining budget over 30d, burn rate per lookback 5m..3d) by slo for ${slos.length} SLOs, issued together: first ${runs[0]!.toFixed(0)} ms, median ${promA.toFixed(0)} ms over 5 more runs`);
    console.log(`      agreement with Burnrate for ${checked.join(", ")}: ${diffs.length === 0 ? `remaining budget ${opts.expected.remaining.toFixed(6)} and all 7 burn rates equal to ${tolerance}` : `DIFFERENT: ${diffs.join("; ")}`}`);
    console.log(`      Burnrate / Prometheus for the same ${slos.length} SLOs: ${opts.burnrateMs.toFixed(0)} ms / ${promA.toFixed(0)} ms = ${(opts.burnrateMs / promA).toFixed(2)}x; per SLO at ${opts.allSlos.toLocaleString("en-US")} SLOs: ${(opts.burnrateAllMs / opts.allSlos).toFixed(3)} ms vs ${(promA / slos.length).toFixed(3)} ms = ${(opts.burnrateAllMs / opts.allSlos / (promA / slos.length)).toFixed(3)}x`);

    // (b) The Sloth-style rules: wait until every group has run at least twice, then read the
    // groups' last evaluation durations a few times (one evaluation cycle's cost is their sum).
    const sums: number[] = [];
    const deadline = performance.now() + 240_000;
    while (performance.now() < deadline && sums.length < 3) {
      await new Promise((r) => setTimeout(r, 10_000));
      const lines = await metrics(base);
      const durations = lines.filter((l) => l.startsWith("prometheus_rule_group_last_duration_seconds{")).map((l) => Number(l.split(" ").at(-1)));
      const iterations = lines.filter((l) => l.startsWith("prometheus_rule_group_iterations_total{")).map((l) => Number(l.split(" ").at(-1)));
      if (durations.length === groups.length && iterations.every((n) => n >= 2)) sums.push(durations.reduce((a, b) => a + b, 0) * 1000);
    }
    if (sums.length === 0) throw new Error("Prometheus's rule groups did not all evaluate twice in 4 minutes");
    const promB = median(sums);
    const firing = await query(base, "ALERTS", Date.now());
    const rulesCount = groups.reduce((a, g) => a + g.rules.length, 0);
    console.log(`  (b) Sloth-style rules: ${groups.length} groups, ${rulesCount} rules (8 SLI windows, 7 metadata, 2 multiwindow alerts per SLO); one evaluation cycle (sum of prometheus_rule_group_last_duration_seconds over the groups, median of ${sums.length} reads) ${promB.toFixed(0)} ms; alerts firing: ${firing.length} (Burnrate: none)`);
    console.log(`      Burnrate / Prometheus rules per SLO: ${(opts.burnrateAllMs / opts.allSlos).toFixed(3)} ms vs ${(promB / slos.length).toFixed(3)} ms = ${(opts.burnrateAllMs / opts.allSlos / (promB / slos.length)).toFixed(3)}x (the rules' 30d ratio reads only the 5m ratios recorded since Prometheus started, as Sloth's does after a restart)`);
    return { promA, promB, agree: diffs.length === 0 };
  } finally {
    if (proc && proc.exitCode === null) {
      proc.kill("SIGTERM");
      await new Promise((r) => proc!.once("exit", r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
