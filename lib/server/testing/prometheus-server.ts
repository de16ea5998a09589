// A real Prometheus for tests, started on 127.0.0.1 over a TSDB backfilled with
// `promtool tsdb create-blocks-from openmetrics` (Debian's prometheus package).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "./app-process";

export type Sample = { labels: Record<string, string>; value: number; at: Date };

/** Starts Prometheus with the given counter samples of one metric family already stored. */
export async function startPrometheus(family: string, samples: Sample[]) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "burnrate-promdata-"));
  const bySeries = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(",");
    bySeries.set(key, [...(bySeries.get(key) ?? []), s]);
  }
  const lines = [`# TYPE ${family} counter`];
  for (const [labels, list] of bySeries) {
    for (const s of list.sort((a, b) => a.at.getTime() - b.at.getTime())) lines.push(`${family}_total{${labels}} ${s.value} ${s.at.getTime() / 1000}`);
  }
  return startPrometheusWith(lines, dir);
}

/**
 * Starts Prometheus with OpenMetrics lines already stored (any metric type, e.g. a classic
 * histogram's _bucket, _count and _sum), "# EOF" added.
 */
export async function startPrometheusWith(lines: string[], tmp?: string) {
  const dir = tmp ?? (await fs.mkdtemp(path.join(os.tmpdir(), "burnrate-promdata-")));
  await fs.writeFile(path.join(dir, "data.om"), [...lines, "# EOF"].join("\n") + "\n");
  execFileSync("promtool", ["tsdb", "create-blocks-from", "openmetrics", path.join(dir, "data.om"), path.join(dir, "tsdb")], { stdio: "ignore" });
  await fs.writeFile(path.join(dir, "prometheus.yml"), "global: { scrape_interval: 1m }\n");
  const port = await freePort();
  const proc = spawn("prometheus", [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/tsdb`, `--web.listen-address=127.0.0.1:${port}`, "--storage.tsdb.retention.time=30d"], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await fetch(`${url}/-/ready`).then((r) => r.ok, () => false))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    /** An instant PromQL query's single scalar result. */
    instant: async (query: string, at: Date) => {
      const r = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query, time: String(at.getTime() / 1000) })}`);
      const body = (await r.json()) as { data: { result: { value: [number, string] }[] } };
      return Number(body.data.result[0]?.value[1] ?? NaN);
    },
    stop: async () => {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
