// Native histograms on a real Prometheus (docs/histograms.md, "Native histograms"): Debian's
// Prometheus 2.42 with --enable-feature=native-histograms scrapes a stand-in exporter that
// answers in the protobuf exposition format (the only way 2.42 takes native histograms). The
// schema is read from the server's own answer, a threshold between boundaries is refused naming
// them, and on a boundary the generated good / total is the exact share of the buckets.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../testing/app-process";
import { makeTeam } from "../testing/factories";
import { queryInstant } from "../sources/prometheus";
import { createService, createSli } from "./catalog";
import { checkHistogramBuckets } from "./histograms";
import { createSliSchema } from "../../schemas/catalog";

process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";

// --- the protobuf exposition format (io.prometheus.client.MetricFamily, length-delimited) ---
const varint = (v: bigint | number): number[] => {
  let n = BigInt(v);
  if (n < 0n) n += 1n << 64n;
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const zigzag = (n: number) => (BigInt(n) << 1n) ^ (BigInt(n) >> 63n);
const tag = (field: number, wire: number) => varint((field << 3) | wire);
const message = (field: number, body: number[]) => [...tag(field, 2), ...varint(body.length), ...body];
const string = (field: number, s: string) => message(field, [...Buffer.from(s, "utf8")]);
const double = (field: number, v: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [...tag(field, 1), ...b];
};
const uint = (field: number, v: number | bigint) => [...tag(field, 0), ...varint(v)];

/**
 * A schema-0 native histogram of rpc_seconds{service="api"} after `n` scrapes: 30 observations a
 * scrape in (0.125, 0.25] (bucket index -2) and 10 in (0.25, 0.5] (index -1), so 3/4 are within 0.25 s.
 */
function exposition(n: number): Buffer {
  const fast = 30 * n;
  const slow = 10 * n;
  const span = [...uint(1, zigzag(-2)), ...uint(2, 2)]; // offset -2 (sint32), length 2
  const histogram = [
    ...uint(1, fast + slow), // sample_count
    ...double(2, fast * 0.2 + slow * 0.4), // sample_sum
    ...uint(5, zigzag(0)), // schema (sint32)
    ...double(6, 1e-128), // zero_threshold
    ...uint(7, 0), // zero_count
    ...message(12, span), // positive_span
    ...uint(13, zigzag(fast)), // positive_delta: the first count, then differences (sint64)
    ...uint(13, zigzag(slow - fast)),
  ];
  const metric = [...message(1, [...string(1, "service"), ...string(2, "api")]), ...message(7, histogram)];
  const family = [...string(1, "rpc_seconds"), ...string(2, "RPC latency."), ...uint(3, 4 /* HISTOGRAM */), ...message(4, metric)];
  return Buffer.from([...varint(family.length), ...family]);
}

let exporter: http.Server;
let proc: ChildProcess;
let dir = "";
let url = "";

beforeAll(async () => {
  let scrapes = 0;
  exporter = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited" }).end(exposition(++scrapes));
  });
  await new Promise<void>((r) => exporter.listen(0, "127.0.0.1", () => r()));
  const target = `127.0.0.1:${(exporter.address() as { port: number }).port}`;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "burnrate-native-"));
  await fs.writeFile(path.join(dir, "prometheus.yml"), `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: exporter\n    static_configs: [{ targets: ["${target}"] }]\n`);
  const port = await freePort();
  proc = spawn("prometheus", [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/tsdb`, `--web.listen-address=127.0.0.1:${port}`, "--enable-feature=native-histograms"], { stdio: "ignore" });
  url = `http://127.0.0.1:${port}`;
  // Until two scrapes are stored, so increase() has a histogram to answer.
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const r = await queryInstant({ url }, 'sum(increase(rpc_seconds{service="api"}[1h]))', new Date()).catch(() => []);
    if (r[0]?.histogram) break;
    await new Promise((r) => setTimeout(r, 250));
  }
}, 60_000);

afterAll(async () => {
  proc?.kill("SIGTERM");
  if (proc) await new Promise((r) => proc.once("exit", r));
  exporter?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function editorWithService() {
  const { team, members } = await makeTeam(["editor"]);
  await createService(members.editor, team.slug, { slug: "rpc", name: "RPC", description: "" });
  return { team, editor: members.editor };
}

describe("native histograms scraped by a real Prometheus", () => {
  const input = { url: "", type: "native" as const, metric: "rpc_seconds", matchers: 'service="api"' };

  it("the schema comes from the server's answer; 0.3 s is refused naming 0.25 and 0.5", async () => {
    const { team, editor } = await editorWithService();
    const r = await checkHistogramBuckets(editor, team.slug, { ...input, url, thresholdSeconds: 0.3 }, new Date());
    expect(r).toMatchObject({
      ok: true,
      schema: 0,
      threshold: { matches: false, message: "0.3 s lies between the buckets 0.25 and 0.5 of the native histogram (schema 0); pick one of them", lower: "0.25", upper: "0.5" },
    });
    // A classic check of a native-only histogram finds no le buckets, and says so.
    expect(await checkHistogramBuckets(editor, team.slug, { ...input, url, type: "classic" }, new Date())).toMatchObject({ ok: false, error: expect.stringContaining("no rpc_seconds_bucket series") });
  });

  it("on a boundary the generated queries count exactly: good / total = 3/4", async () => {
    const { team, editor } = await editorWithService();
    const sli = (await createSli(editor, team.slug, "rpc", createSliSchema.parse({ slug: "fast", name: "Fast", kind: "latency", histogram: { ...input, url, thresholdSeconds: 0.25 } })))!;
    const { goodQuery, totalQuery } = sli.prometheus!;
    // One instant query, so both sides see the same extrapolation of increase().
    const [ratio] = await queryInstant({ url }, `(${goodQuery}) / (${totalQuery})`, new Date());
    expect(Number(ratio!.value![1])).toBeCloseTo(0.75, 12);
  });
});
