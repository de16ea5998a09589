// Where a pull SLI's URL comes from: its own, or the team's named data source (SLO as code), and
// what a sync does with neither. A stand-in answers query_range with 100 requests a minute.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makePrometheusSlo } from "../testing/factories";
import { syncPrometheusSli } from "./prometheus-sync";

// The stand-in listens on loopback, which the outbound guard refuses unless allowed (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";
const MIN = 60_000;
const now = new Date(Math.floor(Date.now() / MIN) * MIN);
const seen: (string | undefined)[] = [];
let server: http.Server;
let url = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    const q = new URL(req.url ?? "/", "http://x").searchParams;
    const values: [number, string][] = [];
    for (let t = Number(q.get("start")); t <= Number(q.get("end")); t += Number(q.get("step"))) values.push([t, q.get("query")!.includes("500") ? "0" : "100"]);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ status: "success", data: { resultType: "matrix", result: [{ metric: {}, values }] } }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("Prometheus pull: the source of the URL", () => {
  it("takes the URL and header from the SLI's data source; with neither URL nor data source it records why it pulls nothing", async () => {
    const { team, sliId } = await makePrometheusSlo("http://127.0.0.1:9", { authHeader: "Bearer own", badQuery: 'sum(increase(x{code="500"}[1m]))', totalQuery: "sum(increase(x[1m]))" });
    const ds = await prisma().dataSource.create({ data: { teamId: team.id, name: "prom-main", type: "Prometheus", url, authHeader: "Bearer from-data-source" } });
    await prisma().sli.update({ where: { id: sliId }, data: { dataSourceId: ds.id, promUrl: null } });
    const r = await syncPrometheusSli(sliId, now);
    expect(r.error).toBeUndefined();
    expect(r.buckets).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(["Bearer from-data-source"]));

    await prisma().sli.update({ where: { id: sliId }, data: { dataSourceId: null } });
    const none = await syncPrometheusSli(sliId, now);
    expect(none).toMatchObject({ buckets: 0, error: "no URL or data source is set: this SLI pulls nothing until one is" });
    expect((await prisma().sli.findUniqueOrThrow({ where: { id: sliId } })).lastSyncError).toBe(none.error);
  });
});
