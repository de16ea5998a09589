// A team editor points a Prometheus source (or a notification channel) at this machine: the
// embedded database's port, or another loopback service. With an OUTBOUND_ALLOW that does not
// cover loopback, the test query answers 422 on its url field, the sync stores a clear error
// that viewers see, a delivery fails naming the refusal, and nothing reaches the listener.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { outboundAllowSchema } from "../config";
import { prisma } from "../db/client";
import { makePrometheusSlo as makeSlo, makeTeam } from "../testing/factories";
import { createSli } from "../services/catalog";
import { DeliveryError, createChannel, deliver } from "../services/notifications";
import { testPrometheusSource } from "../services/prometheus-test";
import { getSloStatus } from "../services/slo-status";
import { syncPrometheusSli } from "./prometheus-sync";

// A deployment that allows its private network, not loopback (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "10.0.0.0/8,fd00::/8";

const queries = { badQuery: 'sum(increase(http_requests_total{code="500"}[1m]))', totalQuery: "sum(increase(http_requests_total[1m]))" };
let listener: http.Server;
let connections = 0;
let local = "";
/** The database this test runs on: the embedded PostgreSQL's own loopback port (or the external server's). */
const database = new URL(inject("databaseUrl"));
const dbUrl = `http://${database.hostname}:${database.port || 5432}`;

/**
 * A Prometheus SLO whose source is `url`, stored as it would be from before the operator narrowed
 * OUTBOUND_ALLOW (a literal loopback address is refused at save time: see the first test).
 */
async function makePrometheusSlo(url: string, q: typeof queries) {
  const made = await makeSlo("https://prometheus.example.test", q);
  await prisma().sli.update({ where: { id: made.sliId }, data: { promUrl: url } });
  return made;
}

beforeAll(async () => {
  listener = http.createServer((_q, r) => r.writeHead(200, { "content-type": "application/json" }).end('{"status":"success","data":{"resultType":"matrix","result":[]}}'));
  listener.on("connection", () => connections++);
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", () => r()));
  local = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => listener.close(r));
});

describe("a source or channel on this machine, not covered by OUTBOUND_ALLOW", () => {
  it("save: an SLI source, a channel or a GitHub API at a loopback address is refused naming the field, and nothing is stored", async () => {
    const { team, members } = await makeTeam(["admin", "editor"]);
    const { createService } = await import("../services/catalog");
    const { putGithub } = await import("../services/github");
    await createService(members.editor, team.slug, { slug: "web", name: "Web", description: "" });
    for (const url of [dbUrl, local, local.replace("127.0.0.1", "localhost"), local.replace("127.0.0.1", "[::1]")]) {
      const sli = createSli(members.editor, team.slug, "web", { slug: "a", name: "A", description: "", kind: "request_ratio", prometheus: { url, ...queries } });
      await expect(sli, url).rejects.toMatchObject({ status: 422, fields: { "prometheus.url": expect.stringMatching(/a loopback address; allow it with OUTBOUND_ALLOW/) } });
      await expect(createChannel(members.admin, team.slug, { name: "ops", kind: "slack", url: `${url}/hook` })).rejects.toMatchObject({ status: 422, fields: { url: expect.any(String) } });
      await expect(putGithub(members.admin, team.slug, { appId: "1", privateKey: "k", webhookSecret: "0123456789abcdef", apiUrl: url, defaultChangeType: "feature" })).rejects.toMatchObject({ status: 422, fields: { apiUrl: expect.any(String) } });
    }
    expect(await prisma().sli.count({ where: { service: { teamId: team.id } } })).toBe(0);
    expect(await prisma().notificationChannel.count({ where: { teamId: team.id } })).toBe(0);
    expect(await prisma().githubIntegration.count({ where: { teamId: team.id } })).toBe(0);
    expect(connections).toBe(0);
  });

  it("test query: 422 naming the address on the url field, for the database's port and any loopback port", async () => {
    const { team, members } = await makePrometheusSlo(local, queries);
    for (const url of [dbUrl, local, local.replace("127.0.0.1", "localhost"), local.replace("127.0.0.1", "[::ffff:127.0.0.1]")]) {
      const e = await testPrometheusSource(members.editor, team.slug, { url, ...queries }).then(() => null, (err: unknown) => err);
      expect(e, url).toMatchObject({ status: 422, fields: { url: expect.stringMatching(/a loopback address; allow it with OUTBOUND_ALLOW/) } });
    }
    expect(connections).toBe(0);
  });

  it("sync: stores the refusal as the SLI's last error, shown to viewers, and stores no data", async () => {
    for (const url of [dbUrl, local]) {
      const { team, members, sliId } = await makePrometheusSlo(url, queries);
      const r = await syncPrometheusSli(sliId);
      expect(r.error).toMatch(/127\.0\.0\.1 is a loopback address; allow it with OUTBOUND_ALLOW/);
      const row = await prisma().sli.findUniqueOrThrow({ where: { id: sliId } });
      expect(row.lastSyncError).toBe(r.error);
      expect(await prisma().sliBucket.count({ where: { sliId } })).toBe(0);
      const status = await getSloStatus(members.viewer, team.slug, "web", "main");
      expect(status.status.freshness.reason).toContain("a loopback address; allow it with OUTBOUND_ALLOW");
    }
    expect(connections).toBe(0);
  });

  it("notification delivery: fails (so the queue retries) naming the refusal, not the URL's secret path", async () => {
    const { team, members } = await makeTeam(["admin"]);
    // Stored when allowed; the operator has narrowed OUTBOUND_ALLOW since.
    const c = await createChannel(members.admin, team.slug, { name: "ops", kind: "slack", url: "https://hooks.example.test/services/T000/B000/secret-token" });
    await prisma().notificationChannel.update({ where: { id: c.id }, data: { url: `${local}/services/T000/B000/secret-token` } });
    const e = await deliver(c.id, { message: { text: "hello", blocks: [] } }).then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(DeliveryError);
    expect((e as Error).message).toBe('slack channel "ops" unreachable: 127.0.0.1 is a loopback address; allow it with OUTBOUND_ALLOW');
    expect(connections).toBe(0);
  });

  it("the same listener is reached once the operator allows it (so the refusals above are the guard's)", async () => {
    const { team, members } = await makePrometheusSlo(local, queries);
    const allowed = await testPrometheusSource(members.editor, team.slug, { url: local, ...queries }, new Date(), { allow: outboundAllowSchema.parse("127.0.0.1/32") });
    expect(allowed).toMatchObject({ ok: true, minutesWithData: 0 });
    expect(connections).toBeGreaterThan(0);
    const before = connections;
    await expect(testPrometheusSource(members.editor, team.slug, { url: local, ...queries }, new Date(), { allow: outboundAllowSchema.parse("") })).rejects.toMatchObject({ status: 422 });
    expect(connections).toBe(before);
  });
});
