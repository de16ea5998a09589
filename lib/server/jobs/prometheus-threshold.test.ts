// A threshold SLI (OpenSLO thresholdMetric) pulled through a named data source: one event a minute,
// good when the sampled value meets the threshold; the data source's URL and Authorization header
// are used, not the SLI's. A stand-in answers Prometheus's query_range with a p99 latency series.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makePrometheusSlo } from "../testing/factories";
import { getSloStatus } from "../services/slo-status";
import { syncPrometheusSli } from "./prometheus-sync";

// The stand-in listens on loopback, which the outbound guard refuses unless allowed (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const MIN = 60_000;
const now = new Date(Math.floor(Date.UTC(2026, 5, 1, 12, 0) / MIN) * MIN);
/** p99 latency in seconds at step t: 0.1 s, except 0.5 s in the 30 minutes before `now`. */
const p99 = (t: number) => (t > now.getTime() - 30 * MIN ? 0.5 : 0.1);
let server: http.Server;
let url = "";
const headers: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const q = new URL(req.url ?? "", "http://x").searchParams;
    headers.push(String(req.headers.authorization));
    const [start, end, step] = ["start", "end", "step"].map((k) => Number(q.get(k)));
    const values: [number, string][] = [];
    for (let t = start!; t <= end!; t += step!) values.push([t, String(p99(t * 1000))]);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data: { resultType: "matrix", result: [{ metric: {}, values }] } }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => {
  server?.close();
});

describe("threshold SLIs", () => {
  it("stores each minute as one event, good when value < 0.3, pulled through the SLI's data source", async () => {
    // The SLI's own URL points nowhere: the data source's is used.
    const { team, members, sliId } = await makePrometheusSlo("http://127.0.0.1:1", { goodQuery: "unused", totalQuery: "unused" });
    const sli = await prisma().sli.findUniqueOrThrow({ where: { id: sliId }, include: { service: true } });
    const ds = await prisma().dataSource.create({ data: { teamId: sli.service.teamId, name: "prom", type: "Prometheus", url, authHeader: "Bearer from-data-source" } });
    await prisma().sli.update({
      where: { id: sliId },
      data: { dataSourceId: ds.id, promUrl: null, promGoodQuery: null, promTotalQuery: null, promThresholdQuery: "histogram_quantile(0.99, x)", thresholdOp: "lt", thresholdValue: 0.3 },
    });
    const r = await syncPrometheusSli(sliId, now);
    expect(r.error).toBeUndefined();
    expect(new Set(headers)).toEqual(new Set(["Bearer from-data-source"]));
    const day = await prisma().sliBucket.findMany({ where: { sliId, minute: { gte: new Date(now.getTime() - 1440 * MIN) } }, orderBy: { minute: "asc" } });
    expect(day).toHaveLength(1440);
    expect(day.slice(-30).every((b) => Number(b.good) === 0 && Number(b.total) === 1)).toBe(true);
    expect(day.slice(0, -30).every((b) => Number(b.good) === 1 && Number(b.total) === 1)).toBe(true);
    // The SLO (99 % over 1 day) sees the 1,440 minutes, 30 of them bad.
    const { status } = await getSloStatus(members.viewer, team.slug, "web", "main", now);
    expect([status.total, status.badEvents]).toEqual([1440, 30]);
  });
});
