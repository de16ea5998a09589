// Latency SLIs from a real Prometheus's classic histogram (docs/histograms.md): the buckets are
// read from the server, a threshold between buckets is refused naming them and nothing is
// stored, a threshold on a bucket gives the counts PromQL gives over the same data. A schema-3
// native histogram is checked against answers in the shape the HTTP API documents (a real one,
// scraped, is in histograms-native.test.ts), and the generated native queries are run against
// this server to show it accepts them. Threshold SLIs
// (OpenSLO thresholdMetric) are created through the API and imported from the OpenSLO spec's
// own example file, then pulled.
import http from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { AppError } from "../errors";
import { makeTeam } from "../testing/factories";
import { startPrometheusWith } from "../testing/prometheus-server";
import { syncPrometheusSli } from "../jobs/prometheus-sync";
import { queryRange } from "../sources/prometheus";
import { createService, createSli, createSlo, listSlis } from "./catalog";
import { applyDefinitionFiles } from "./definitions";
import { exportOpenSlo } from "./openslo";
import { checkHistogramBuckets } from "./histograms";
import { getSloStatus } from "./slo-status";
import { histogramQueries } from "../../domain/promql-histogram";
import { createSliSchema } from "../../schemas/catalog";

// Prometheus and the stand-in listen on loopback, which the outbound guard refuses unless allowed (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const MIN = 60_000;
const now = new Date(Math.floor(Date.now() / MIN) * MIN);
const start = new Date(now.getTime() - 6 * 60 * MIN);
/** The bounds as Go's client writes them, with a scientific one. */
const LE = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "1e+06", "+Inf"];
const M = "http_request_duration_seconds";

/**
 * Every 15 s, 25 requests of job="api": 20 take 0.08 s, 3 take 0.2 s, 2 take 0.4 s; in the last
 * hour 15, 2, 6 and 2 that take 0.8 s. Per minute: 100 requests, 92 within 0.25 s (68 in the
 * last hour). job="batch" requests all take 2 s (the matchers must keep them out).
 */
function histogramLines(): string[] {
  const lines = [`# TYPE ${M} histogram`];
  const times: number[] = [];
  for (let t = start.getTime(); t <= now.getTime() - 2 * MIN; t += 15_000) times.push(t);
  for (const job of ["api", "batch"] as const) {
    const counts = new Map<string, number>(LE.map((le) => [le, 0]));
    let count = 0;
    let sum = 0;
    for (const t of times) {
      const slow = t > now.getTime() - 60 * MIN;
      const batch: [number, number][] = job === "batch" ? [[2, 25]] : slow ? [[0.08, 15], [0.2, 2], [0.4, 6], [0.8, 2]] : [[0.08, 20], [0.2, 3], [0.4, 2]];
      for (const [seconds, n] of batch) {
        for (const le of LE) if (seconds <= Number(le === "+Inf" ? Infinity : le)) counts.set(le, counts.get(le)! + n);
        count += n;
        sum += seconds * n;
      }
      const ts = t / 1000;
      for (const le of LE) lines.push(`${M}_bucket{job="${job}",le="${le}"} ${counts.get(le)} ${ts}`);
      lines.push(`${M}_count{job="${job}"} ${count} ${ts}`, `${M}_sum{job="${job}"} ${sum.toFixed(3)} ${ts}`);
    }
  }
  return lines;
}

let prom: Awaited<ReturnType<typeof startPrometheusWith>>;
let standIn: http.Server;
let standInUrl = "";
/** What the stand-in answers to /api/v1/query: a native histogram of schema 3 (factor 2^(1/8) per bucket). */
const nativeAnswer = {
  status: "success",
  data: {
    resultType: "vector",
    result: [
      {
        metric: {},
        histogram: [
          now.getTime() / 1000,
          {
            count: "6000",
            sum: "900.5",
            buckets: [
              [3, "-0.001", "0.001", "12"],
              [0, String(2 ** (-17 / 8)), "0.25", "3000"],
              [0, "0.25", String(2 ** (-15 / 8)), "2000"],
              [0, String(2 ** (-1 / 8)), "1", "988"],
            ],
          },
        ],
      },
    ],
  },
};

beforeAll(async () => {
  prom = await startPrometheusWith(histogramLines());
  standIn = http.createServer((req, res) => {
    const path = new URL(req.url ?? "", "http://x").pathname;
    const body = path === "/api/v1/query" ? nativeAnswer : { status: "success", data: { resultType: "matrix", result: [] } };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => standIn.listen(0, "127.0.0.1", () => r()));
  standInUrl = `http://127.0.0.1:${(standIn.address() as { port: number }).port}`;
}, 60_000);

afterAll(async () => {
  await prom?.stop();
  standIn?.close();
});

async function teamWithService() {
  const { team, members } = await makeTeam(["editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "web", name: "Web", description: "" });
  return { team, members };
}

const histogramSli = (url: string, thresholdSeconds: number, type: "classic" | "native" = "classic") =>
  createSliSchema.parse({ slug: "latency", name: "Latency", kind: "latency", histogram: { url, type, metric: M, matchers: 'job="api"', thresholdSeconds } });

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("classic histograms on a real Prometheus", () => {
  it("check buckets: the bounds as the server writes them, and a threshold between two named", async () => {
    const { team, members } = await teamWithService();
    const input = { url: prom.url, type: "classic" as const, metric: M, matchers: 'job="api"', thresholdSeconds: 0.3 };
    const r = await checkHistogramBuckets(members.editor, team.slug, input, now);
    expect(r).toEqual({
      ok: true,
      type: "classic",
      bounds: LE,
      schema: null,
      threshold: { seconds: 0.3, matches: false, message: "0.3 s lies between the buckets 0.25 and 0.5; pick one of them", lower: "0.25", upper: "0.5", goodQuery: null, totalQuery: null },
    });
    const ok = await checkHistogramBuckets(members.editor, team.slug, { ...input, thresholdSeconds: 1e6 }, now);
    expect(ok.ok && ok.threshold).toMatchObject({ matches: true, goodQuery: `sum(increase(${M}_bucket{job="api",le="1e+06"}[1m]))` });
    // A viewer may not make the server call a URL.
    await expect(checkHistogramBuckets(members.viewer, team.slug, input, now)).rejects.toMatchObject({ status: 403 });
  });

  it("a metric the server does not have, and a native check of a classic histogram, say so", async () => {
    const { team, members } = await teamWithService();
    const missing = await checkHistogramBuckets(members.editor, team.slug, { url: prom.url, type: "classic", metric: "nope_seconds", matchers: "" }, now);
    expect(missing).toEqual({ ok: false, error: "no nope_seconds_bucket series with an le label in the last hour: check the metric name and the matchers, and that the histogram is classic" });
    const native = await checkHistogramBuckets(members.editor, team.slug, { url: prom.url, type: "native", metric: `${M}_count`, matchers: 'job="api"' }, now);
    expect(native).toEqual({ ok: false, error: `${M}_count holds float samples, not native histograms: pick the classic type` });
  });

  it("creating with a threshold between buckets is refused naming them, and stores nothing", async () => {
    const { team, members } = await teamWithService();
    const e = await refusal(createSli(members.editor, team.slug, "web", histogramSli(prom.url, 0.3)));
    expect(e.status).toBe(422);
    expect(e.fields).toEqual({ "histogram.thresholdSeconds": "0.3 s lies between the buckets 0.25 and 0.5; pick one of them" });
    const below = await refusal(createSli(members.editor, team.slug, "web", histogramSli(prom.url, 0.001)));
    expect(below.fields?.["histogram.thresholdSeconds"]).toBe("0.001 s lies below the smallest bucket 0.005; pick 0.005 or a larger bucket");
    expect(await listSlis(members.editor, team.slug, "web")).toEqual([]);
    expect(await prisma().auditLog.count({ where: { teamId: team.id, action: "sli.create" } })).toBe(0);
  });

  it("on a bucket: the counts agree with PromQL over the same data (docs/domain.md, Terms: latency SLI)", async () => {
    const { team, members } = await teamWithService();
    const sli = (await createSli(members.editor, team.slug, "web", histogramSli(prom.url, 0.25)))!;
    expect(sli.prometheus).toMatchObject({
      goodQuery: `sum(increase(${M}_bucket{job="api",le="0.25"}[1m]))`,
      totalQuery: `sum(increase(${M}_count{job="api"}[1m]))`,
      histogram: { type: "classic", metric: M, matchers: 'job="api"', thresholdSeconds: 0.25, le: "0.25" },
      threshold: null,
    });
    expect(sli.latencyThresholdMs).toBe(250);
    await createSlo(members.editor, team.slug, "web", { slug: "main", name: "Main", description: "", sli: "latency", objective: "0.9", window: { kind: "rolling", days: 1 }, minEvents: 0 });
    const r = await syncPrometheusSli(sli.id, now);
    expect(r.error).toBeUndefined();
    const { status } = await getSloStatus(members.viewer, team.slug, "web", "main", now);
    const promTotal = await prom.instant(`sum_over_time((sum(increase(${M}_count{job="api"}[1m])))[1d:1m])`, now);
    const promGood = await prom.instant(`sum_over_time((sum(increase(${M}_bucket{job="api",le="0.25"}[1m])))[1d:1m])`, now);
    expect(status.total).toBe(promTotal);
    expect(status.total - status.badEvents).toBe(promGood);
    // By construction: 100 requests a minute, 8 slower than 0.25 s, 32 in the last hour.
    expect(status.burnRates["30m"]).toBeCloseTo(0.32 / 0.1, 10);
  });

  it("a bucket that vanishes stops the sync with an error instead of counting every request bad", async () => {
    const { team, members } = await teamWithService();
    const sli = (await createSli(members.editor, team.slug, "web", histogramSli(prom.url, 0.25)))!;
    // As if the service had been redeployed with other buckets since: the stored bound (0.3 s then) selects nothing now.
    const q = histogramQueries({ type: "classic", metric: M, matchers: [{ name: "job", op: "=", value: "api" }], le: ["0.3"] });
    await prisma().sli.update({ where: { id: sli.id }, data: { histogramThreshold: 0.3, histogramLe: "0.3", promGoodQuery: q.goodQuery } });
    const r = await syncPrometheusSli(sli.id, now);
    expect(r.error).toMatch(/^the histogram's bucket for 0.3 s has no samples from .* while requests do: its buckets changed/);
    expect(await prisma().sliBucket.count({ where: { sliId: sli.id } })).toBe(0);
  });

  it("queries rewritten since (an SLO-as-code apply) make it an ordinary query SLI: no histogram shown or assumed", async () => {
    const { team, members } = await teamWithService();
    const sli = (await createSli(members.editor, team.slug, "web", histogramSli(prom.url, 0.25)))!;
    await prisma().sli.update({ where: { id: sli.id }, data: { promGoodQuery: `sum(increase(${M}_bucket{job="api",le="0.5"}[1m]))` } });
    const [view] = await listSlis(members.viewer, team.slug, "web");
    expect(view!.prometheus?.histogram).toBeNull();
  });

  it("the export writes the generated queries (OpenSLO ratioMetric)", async () => {
    const { team, members } = await teamWithService();
    await createSli(members.editor, team.slug, "web", histogramSli(prom.url, 0.25));
    await createSlo(members.editor, team.slug, "web", { slug: "fast", name: "Fast", description: "", sli: "latency", objective: "0.9", window: { kind: "rolling", days: 7 }, minEvents: 0 });
    const yaml = await exportOpenSlo(members.viewer, team.slug);
    expect(yaml).toContain(`sum(increase(${M}_bucket{job="api",le="0.25"}[1m]))`);
    expect(yaml).toContain(`sum(increase(${M}_count{job="api"}[1m]))`);
  });

  it("the native queries are PromQL this Prometheus accepts", async () => {
    const q = histogramQueries({ type: "native", metric: M, matchers: [{ name: "job", op: "=", value: "api" }], threshold: 0.25 });
    for (const query of [q.goodQuery, q.totalQuery]) {
      // A classic series has no native samples: an empty answer, not an error.
      expect((await queryRange({ url: prom.url }, query, new Date(now.getTime() - 10 * MIN), now)).size).toBe(0);
    }
  });
});

describe("native histograms (answers in the HTTP API's documented shape)", () => {
  it("the schema is read from the buckets; a threshold between two boundaries is refused naming them", async () => {
    const { team, members } = await teamWithService();
    const r = await checkHistogramBuckets(members.editor, team.slug, { url: standInUrl, type: "native", metric: M, matchers: 'job="api"', thresholdSeconds: 0.3 }, now);
    expect(r).toEqual({
      ok: true,
      type: "native",
      bounds: [],
      schema: 3,
      threshold: {
        seconds: 0.3,
        matches: false,
        message: "0.3 s lies between the buckets 0.29730177875068026 and 0.3242098886627524 of the native histogram (schema 3); pick one of them",
        lower: "0.29730177875068026",
        upper: "0.3242098886627524",
        goodQuery: null,
        totalQuery: null,
      },
    });
    const e = await refusal(createSli(members.editor, team.slug, "web", histogramSli(standInUrl, 0.3, "native")));
    expect(e.fields?.["histogram.thresholdSeconds"]).toContain("between the buckets 0.29730177875068026 and 0.3242098886627524");
  });

  it("on a boundary: created with histogram_fraction x histogram_count", async () => {
    const { team, members } = await teamWithService();
    const sli = (await createSli(members.editor, team.slug, "web", histogramSli(standInUrl, 0.25, "native")))!;
    expect(sli.prometheus).toMatchObject({
      goodQuery: `histogram_fraction(0, 0.25, sum(increase(${M}{job="api"}[1m]))) * histogram_count(sum(increase(${M}{job="api"}[1m])))`,
      totalQuery: `histogram_count(sum(increase(${M}{job="api"}[1m])))`,
      histogram: { type: "native", thresholdSeconds: 0.25, le: null },
    });
  });
});

describe("threshold SLIs (OpenSLO v1 thresholdMetric)", () => {
  /** p99 latency in ms per minute: under 500 before the last hour (0.4 s is the slowest), over it in the last hour (0.8 s requests). */
  const p99ms = `1000 * histogram_quantile(0.99, sum by (le) (rate(${M}_bucket{job="api"}[1m])))`;

  it("created through the API as a time-slice SLI and pulled: a minute is good when the value is below the threshold", async () => {
    const { team, members } = await teamWithService();
    const input = createSliSchema.parse({ slug: "p99", name: "p99", kind: "time_slice", sliceMinutes: 1, sliceTarget: "0.5", threshold: { url: prom.url, query: p99ms, op: "lt", value: 500 } });
    const sli = (await createSli(members.editor, team.slug, "web", input))!;
    expect(sli.prometheus).toMatchObject({ threshold: { query: p99ms, op: "lt", value: 500 }, histogram: null });
    await createSlo(members.editor, team.slug, "web", { slug: "main", name: "Main", description: "", sli: "p99", objective: "0.9", window: { kind: "rolling", days: 1 }, minEvents: 0 });
    expect((await syncPrometheusSli(sli.id, now)).error).toBeUndefined();
    const last2h = await prisma().sliBucket.findMany({ where: { sliId: sli.id, minute: { gte: new Date(now.getTime() - 120 * MIN) } }, orderBy: { minute: "asc" } });
    const bad = last2h.filter((b) => Number(b.good) === 0).length;
    // The minutes whose 1-minute rate window reaches into the slow hour (the data ends 2 minutes before now).
    expect(bad).toBeGreaterThanOrEqual(57);
    expect(bad).toBeLessThanOrEqual(61);
    expect(last2h.slice(0, 55).every((b) => Number(b.good) === 1 && Number(b.total) === 1)).toBe(true);
  });

  it("imported from the OpenSLO spec's thresholdMetric example (budgeting-method/occurences-slo.yaml), pointed at this Prometheus", async () => {
    const { team, members } = await makeTeam(["editor", "viewer"]);
    const example = readFileSync(join(__dirname, "testdata/openslo/spec/examples/budgeting-method/occurences-slo.yaml"), "utf8");
    // Its metric source is `type: Any` with `query: Any`: the two fields a team fills in.
    const content = example.replace("type: Any # Any service with needed metrics.", "type: Prometheus").replace("query: Any # 'query' is just an example field.", `query: '${p99ms}'\n            url: ${prom.url}`);
    expect(content).not.toBe(example);
    const plan = await applyDefinitionFiles(members.editor, team.slug, { files: [{ name: "occurences-slo.yaml", content }], prune: false });
    expect(plan.applied).toBe(true);
    const [sli] = await listSlis(members.viewer, team.slug, "web-shop");
    expect(sli!.prometheus).toMatchObject({ threshold: { query: p99ms, op: "lt", value: 500 } });
    expect((await syncPrometheusSli(sli!.id, now)).error).toBeUndefined();
    const { status } = await getSloStatus(members.viewer, team.slug, "web-shop", "search-slo", now);
    // Occurrences over 2 weeks: each minute with data is one event; the slow hour's minutes are bad.
    expect(status.badEvents).toBeGreaterThanOrEqual(57);
    expect(status.badEvents).toBeLessThanOrEqual(61);
  });
});
