// Deploy records against a real database: recording and linking to gate decisions, retries,
// team scoping, and each deploy's spend recomputed by hand from the buckets pushed
// (docs/deploys.md; the rule is docs/domain.md "Budget spent by an interval").
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { POST as postDeploy } from "@/app/api/v1/deploys/route";
import { GET as getTeamDeploys } from "@/app/api/v1/teams/[team]/deploys/route";
import { GET as getServiceDeploys } from "@/app/api/v1/teams/[team]/services/[service]/deploys/route";
import { clockNow } from "../clock";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import type { Actor } from "./actor";
import { createExclusion, createService, createSli, createSlo } from "./catalog";
import { deploysBetween, listDeploys, listServiceDeploys, recordDeploy } from "./deploys";
import { askGate } from "./gate";
import { ingestBatch } from "./ingest";
import { getBudgetSpent } from "./slo-status";
import { createToken } from "./tokens";

const MIN = 60_000;
const HOUR = 60 * MIN;
const q = { limit: 20 };

/** A team with service "api" (SLI "ok", request-based) and tokens; no SLOs yet. */
async function world() {
  const t = await makeTeam(["admin", "editor", "viewer"]);
  await createService(t.members.editor, t.team.slug, { slug: "api", name: "API", description: "" });
  await createSli(t.members.editor, t.team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  const gate = await makeTokenActor(t.team.slug, t.members.admin, ["gate"]);
  const ingest = await makeTokenActor(t.team.slug, t.members.admin, ["ingest", "read"]);
  return { ...t, gate, ingest };
}

/** A decision row as the gate stores it, with the given verdict (for deny and other-service cases). */
async function storedDecision(teamId: string, serviceId: string | null, decision: "allow" | "warn" | "deny", version: string, createdAt = clockNow()) {
  return prisma().gateDecision.create({
    data: { teamId, serviceId, serviceName: "api", environment: "production", version, changeType: "feature", requester: "ci", source: "api", decision, tier: "normal", reasons: [], numbers: {}, policyScope: "team", policyVersion: 1, createdAt },
  });
}

describe("recording deploys", () => {
  it("links a deploy to the latest allowing decision of the same release, audits it, and answers a retry with the first record", async () => {
    const w = await world();
    const asked = await askGate(w.gate, { service: "api", environment: "production", version: "v1.2.0", changeType: "feature", requester: "ci" });
    expect(["allow", "warn"]).toContain(asked.decision);
    const first = await recordDeploy(w.gate, { service: "api", environment: "production", version: "v1.2.0", commit: "abc1234" });
    expect(first.created).toBe(true);
    expect(first.deploy).toMatchObject({ service: { slug: "api" }, environment: "production", version: "v1.2.0", commit: "abc1234", source: "api", decision: { id: asked.decisionId, decision: asked.decision } });
    // The same report again (a pipeline retry): the same record, no second row.
    const retry = await recordDeploy(w.gate, { service: "api", environment: "production", version: "v1.2.0" });
    expect(retry).toEqual({ created: false, deploy: first.deploy });
    expect(await prisma().deploy.count({ where: { teamId: w.team.id } })).toBe(1);
    const audit = await prisma().auditLog.findMany({ where: { teamId: w.team.id, action: "deploy.record" } });
    expect(audit.map((a) => [a.targetId, a.actorToken])).toEqual([[first.deploy.id, (w.gate as Actor & { kind: "token" }).tokenId]]);
  });

  it("the same deployedAt is the same report; another version or time is another deploy; no decision in reach links none", async () => {
    const w = await world();
    const at = new Date(clockNow().getTime() - 2 * HOUR);
    const a = await recordDeploy(w.members.editor, { team: w.team.slug, service: "api", environment: "production", version: "v1", deployedAt: at });
    expect(a.deploy.decision).toBeNull();
    expect((await recordDeploy(w.members.editor, { team: w.team.slug, service: "api", environment: "production", version: "v1", deployedAt: at })).created).toBe(false);
    expect((await recordDeploy(w.members.editor, { team: w.team.slug, service: "api", environment: "production", version: "v1", deployedAt: new Date(at.getTime() + HOUR) })).created).toBe(true);
    expect((await recordDeploy(w.members.editor, { team: w.team.slug, service: "api", environment: "production", version: "v2", deployedAt: at })).created).toBe(true);
    expect((await recordDeploy(w.members.editor, { team: w.team.slug, service: "api", environment: "staging", version: "v1", deployedAt: at })).created).toBe(true);
    // A decision older than 24 hours before the deploy is not linked.
    const svc = await prisma().service.findFirstOrThrow({ where: { teamId: w.team.id, slug: "api" } });
    await storedDecision(w.team.id, svc.id, "allow", "v3", new Date(at.getTime() - 25 * HOUR));
    expect((await recordDeploy(w.gate, { service: "api", environment: "production", version: "v3", deployedAt: at })).deploy.decision).toBeNull();
    // Two retries at once find each other (one writer per release at a time).
    const both = await Promise.all([1, 2].map(() => recordDeploy(w.gate, { service: "api", environment: "production", version: "v4", deployedAt: at })));
    expect(both.map((b) => b.created).sort()).toEqual([false, true]);
    expect(both[0]!.deploy.id).toBe(both[1]!.deploy.id);
  });

  it("a named decision must be the team's, about this service, and not a deny (422 naming decisionId)", async () => {
    const w = await world();
    const other = await world();
    const svc = await prisma().service.findFirstOrThrow({ where: { teamId: w.team.id, slug: "api" } });
    const web = await createService(w.members.editor, w.team.slug, { slug: "web", name: "Web", description: "" });
    const deny = await storedDecision(w.team.id, svc.id, "deny", "v1");
    const elsewhere = await storedDecision(w.team.id, web.id, "allow", "v1");
    const foreign = await storedDecision(other.team.id, (await prisma().service.findFirstOrThrow({ where: { teamId: other.team.id } })).id, "allow", "v1");
    const input = { service: "api", environment: "production", version: "v1" };
    for (const [d, problem] of [
      [deny.id, "is a deny: a deploy links to the decision that allowed it"],
      [elsewhere.id, "is a decision about another service"],
      [foreign.id, "is not a gate decision of this team"],
    ] as const) {
      await expect(recordDeploy(w.gate, { ...input, decisionId: d })).rejects.toMatchObject({ status: 422, fields: { decisionId: problem } });
    }
    const warn = await storedDecision(w.team.id, svc.id, "warn", "v1");
    expect((await recordDeploy(w.gate, { ...input, decisionId: warn.id })).deploy.decision).toMatchObject({ id: warn.id, decision: "warn" });
    // Retried with the same decision (and a later deployedAt): the same record.
    expect((await recordDeploy(w.gate, { ...input, decisionId: warn.id, deployedAt: new Date(clockNow().getTime() - MIN) })).created).toBe(false);
  });

  it("refuses times out of range, unknown or archived services, viewers, tokens without the gate scope and other teams", async () => {
    const w = await world();
    const other = await world();
    const now = clockNow();
    const input = { service: "api", environment: "production", version: "v1" };
    await expect(recordDeploy(w.gate, { ...input, deployedAt: new Date(now.getTime() + 6 * MIN) })).rejects.toMatchObject({ status: 422, fields: { deployedAt: "is more than 5 minutes in the future" } });
    await expect(recordDeploy(w.gate, { ...input, deployedAt: new Date(now.getTime() - 91 * 24 * HOUR) })).rejects.toMatchObject({ status: 422, fields: { deployedAt: "is more than 90 days ago" } });
    await expect(recordDeploy(w.gate, { ...input, service: "nope" })).rejects.toMatchObject({ status: 422, fields: { service: expect.stringContaining("is not a service of team") } });
    await prisma().service.updateMany({ where: { teamId: other.team.id }, data: { archivedAt: now } });
    await expect(recordDeploy(other.gate, input)).rejects.toMatchObject({ status: 422, fields: { service: "is archived: restore it to record deploys" } });
    await expect(recordDeploy(w.members.viewer, { ...input, team: w.team.slug })).rejects.toMatchObject({ status: 403 });
    await expect(recordDeploy(w.members.editor, input)).rejects.toMatchObject({ status: 422, fields: { team: expect.any(String) } });
    await expect(recordDeploy(w.ingest, input)).rejects.toMatchObject({ status: 403 });
    await expect(recordDeploy(w.gate, { ...input, team: other.team.slug })).rejects.toMatchObject({ status: 404 });
    await expect(recordDeploy(other.members.editor, { ...input, team: w.team.slug })).rejects.toMatchObject({ status: 404 });
    expect(await prisma().deploy.count({ where: { teamId: { in: [w.team.id, other.team.id] } } })).toBe(0);
  });
});

describe("what each deploy spent, recomputed from pushed buckets", () => {
  /**
   * 20 hours of data from `base` (a whole UTC hour), 100 events a minute; in hour 6 ([6 h, 7 h))
   * 10 of each 100 fail: 600 bad. Deploys at 0:30, 5:45 and 12:10 in production and at 6:30 in
   * staging, so periods start and end inside hours (minute edges) and span whole hours.
   */
  async function seeded() {
    const w = await world();
    const base = Math.floor(clockNow().getTime() / HOUR) * HOUR - 30 * HOUR;
    await createSli(w.members.editor, w.team.slug, "api", { slug: "slices", name: "Slices", description: "", kind: "time_slice", sliceMinutes: 5, sliceTarget: "0.99" });
    const items = Array.from({ length: 1200 }, (_, i) => ({ minute: new Date(base + i * MIN).toISOString(), good: i >= 360 && i < 420 ? 90 : 100, total: 100 }));
    for (const sli of ["api/ok", "api/slices"]) await ingestBatch(w.ingest, { items: items.map((x) => ({ ...x, sli })) });
    await createSlo(w.members.editor, w.team.slug, "api", { slug: "avail", name: "Availability", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 28 }, minEvents: 0 });
    await createSlo(w.members.editor, w.team.slug, "api", { slug: "sliced", name: "Sliced", description: "", sli: "slices", objective: "0.99", window: { kind: "rolling", days: 14 }, minEvents: 0 });
    const at = (h: number, m: number) => new Date(base + h * HOUR + m * MIN);
    for (const [version, environment, when] of [["v1", "production", at(0, 30)], ["v2", "production", at(5, 45)], ["s1", "staging", at(6, 30)], ["v3", "production", at(12, 10)]] as const) {
      await recordDeploy(w.gate, { service: "api", environment, version, deployedAt: when });
    }
    return { ...w, at };
  }

  it("charges each deploy the bad events of its period against the window ending with it (docs/domain.md, Budget spent by an interval)", async () => {
    const w = await seeded();
    const page = await listServiceDeploys(w.members.viewer, w.team.slug, "api", q);
    expect(page.deploys.map((d) => d.version)).toEqual(["v3", "s1", "v2", "v1"]);
    const by = Object.fromEntries(page.deploys.map((d) => [d.version, d]));
    const avail = (v: string) => by[v]!.spend.find((s) => s.slo.slug === "avail")!;
    const sliced = (v: string) => by[v]!.spend.find((s) => s.slo.slug === "sliced")!;

    // v1: [0:30, 5:45) = 315 minutes x 100, nothing bad.
    expect(avail("v1")).toMatchObject({ badEvents: 0, totalEvents: 31_500, share: 0, budgetMinutes: 0, summary: "burned no budget", worst: false });
    expect(by.v1!.periodEnd).toBe(w.at(5, 45).toISOString());
    // v2: [5:45, 12:10) = 385 minutes, the 600 bad of hour 6. Its window (28 days ending 12:10)
    // holds 730 minutes = 73,000 events: 1 % = 730 allowed; 600 / 730 = 82.19 %; x 403.2 min
    // (1 % of 28 days) = 331.4 min = 5 h 31 min.
    expect(avail("v2")).toMatchObject({ badEvents: 600, totalEvents: 38_500, summary: "burned 5 h 31 min (82% of the window)" });
    expect(avail("v2").share).toBeCloseTo(600 / 730, 12);
    expect(avail("v2").budgetMinutes).toBeCloseTo((600 / 730) * 403.2, 9);
    expect(avail("v2").sentence).toBe("This deploy burned 5 h 31 min of budget (82% of the 28-day window).");
    // The same share as the budget-spent figure incidents use, over the same interval.
    const spent = await getBudgetSpent(w.members.viewer, w.team.slug, "api", "avail", w.at(5, 45), w.at(12, 10));
    expect(avail("v2").share).toBeCloseTo(spent.budgetSpent!, 12);
    // Time slices of 5 minutes: hour 6 is 12 bad slices = 60 minutes of budget time; the window
    // holds 146 slices, 1 % = 1.46 allowed, so 12 / 1.46 of the budget. The worst SLO of v2.
    expect(sliced("v2")).toMatchObject({ badEvents: 12, totalEvents: 77, budgetMinutes: 60, worst: true });
    expect(sliced("v2").share).toBeCloseTo(12 / 1.46, 9);
    // s1 (staging) is not cut by v3 (production): [6:30, now) holds 30 bad minutes = 300 bad of
    // 81,000; its window has all 120,000 events, 1,200 allowed: 25 %, 100.8 minutes.
    expect(by.s1!.current).toBe(true);
    expect(avail("s1")).toMatchObject({ badEvents: 300, totalEvents: 81_000, share: 0.25, summary: "burned 1 h 40 min (25% of the window)" });
    expect(avail("s1").budgetMinutes).toBeCloseTo(100.8, 9);
    // v3: [12:10, now) = 470 minutes, clean.
    expect(avail("v3")).toMatchObject({ badEvents: 0, totalEvents: 47_000, share: 0 });
    expect(by.v3!.current).toBe(true);
    expect(by.v2!.current).toBe(false);
  });

  it("leaves excluded minutes out, as SLO status does", async () => {
    const w = await seeded();
    await createExclusion(w.members.editor, w.team.slug, "api", { sli: null, kind: "maintenance", reason: "planned failover", startsAt: w.at(6, 0), endsAt: w.at(7, 0) });
    const v2 = (await listServiceDeploys(w.members.viewer, w.team.slug, "api", q)).deploys.find((d) => d.version === "v2")!;
    expect(v2.spend.find((s) => s.slo.slug === "avail")).toMatchObject({ badEvents: 0, totalEvents: 32_500, share: 0 });
    expect(v2.spend.find((s) => s.slo.slug === "sliced")).toMatchObject({ badEvents: 0, share: 0 });
  });

  it("pages the team's list and filters it; the incident window lists its deploys oldest first; other teams see nothing", async () => {
    const w = await seeded();
    const first = await listDeploys(w.ingest, w.team.slug, { limit: 2 });
    expect(first.deploys.map((d) => d.version)).toEqual(["v3", "s1"]);
    const second = await listDeploys(w.ingest, w.team.slug, { limit: 2, before: first.next! });
    expect(second.deploys.map((d) => d.version)).toEqual(["v2", "v1"]);
    expect(second.next).toBeNull();
    expect((await listDeploys(w.members.viewer, w.team.slug, { ...q, environment: "staging" })).deploys.map((d) => d.version)).toEqual(["s1"]);
    expect((await listDeploys(w.members.viewer, w.team.slug, { ...q, service: "api" })).deploys).toHaveLength(4);
    expect((await deploysBetween(w.members.viewer, w.team.slug, ["api"], w.at(5, 0), w.at(7, 0))).map((d) => d.version)).toEqual(["v2", "s1"]);

    const other = await world();
    expect((await listDeploys(other.members.viewer, other.team.slug, q)).deploys).toEqual([]);
    await expect(listDeploys(other.members.viewer, w.team.slug, q)).rejects.toMatchObject({ status: 404 });
    await expect(listServiceDeploys(other.ingest, w.team.slug, "api", q)).rejects.toMatchObject({ status: 404 });
    // The same service slug in another team reads that team's deploys only.
    expect(await deploysBetween(other.members.viewer, other.team.slug, ["api"], w.at(0, 0), w.at(20, 0))).toEqual([]);
    await expect(listDeploys(w.members.viewer, w.team.slug, { ...q, before: (await listDeploys(other.members.viewer, other.team.slug, q)).next ?? "00000000-0000-7000-8000-000000000000" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("the routes: malformed, oversized, hostile and unauthorised requests", () => {
  const url = "http://localhost/api/v1/deploys";
  const post = (headers: Record<string, string>, body: string) => postDeploy(new NextRequest(url, { method: "POST", headers, body }), undefined);
  const get = (path: string, headers: Record<string, string>) => new NextRequest(`http://localhost${path}`, { headers });
  const answer = async (r: Response) => ({ status: r.status, body: (await r.json()) as { error?: { code: string; message: string; fields?: Record<string, string> } } & Record<string, unknown> });

  async function secrets() {
    const w = await world();
    const other = await world();
    const token = async (team: typeof w, scopes: ("gate" | "read" | "ingest")[]) => (await createToken(team.members.admin, team.team.slug, { name: `t-${Math.random()}`, scopes, expiresAt: null })).secret;
    return { w, other, gate: await token(w, ["gate"]), read: await token(w, ["read"]), otherGate: await token(other, ["gate", "read"]) };
  }
  const json = (secret: string) => ({ authorization: `Bearer ${secret}`, "content-type": "application/json" });

  it("POST /api/v1/deploys", async () => {
    const s = await secrets();
    const body = { service: "api", environment: "production", version: "v1" };
    expect((await answer(await post({ "content-type": "application/json" }, JSON.stringify(body)))).status).toBe(401);
    expect((await answer(await post(json(s.read), JSON.stringify(body)))).body.error).toMatchObject({ code: "forbidden", message: 'this token lacks the "gate" scope' });
    expect((await answer(await post(json(s.otherGate), JSON.stringify({ ...body, team: s.w.team.slug })))).status).toBe(404);
    expect((await answer(await post(json(s.gate), "{not json"))).body.error).toMatchObject({ code: "bad_request", fields: { body: "is not valid JSON" } });
    expect((await answer(await post({ authorization: `Bearer ${s.gate}`, "content-type": "text/plain" }, JSON.stringify(body)))).status).toBe(415);
    expect((await answer(await post(json(s.gate), JSON.stringify({ ...body, version: "x".repeat(9000) })))).status).toBe(413);
    expect((await answer(await post(json(s.gate), JSON.stringify({ ...body, version: "x".repeat(201) })))).body.error).toMatchObject({ code: "invalid", fields: { version: "must be at most 200 characters" } });
    const bad = await answer(await post(json(s.gate), JSON.stringify({ ...body, link: "javascript:alert(1)", commit: "zzz", deployedAt: "yesterday" })));
    expect(bad.status).toBe(422);
    expect(bad.body.error!.fields).toMatchObject({ link: expect.any(String), commit: "must be a git commit hash (7 to 64 hex digits)", deployedAt: expect.stringContaining("ISO 8601") });
    expect((await answer(await post(json(s.gate), JSON.stringify({ ...body, version: "v\u0000" })))).status).toBe(422);
    // Markup in the version is kept as text: stored and answered verbatim, never interpreted.
    const hostile = '<img src=x onerror="alert(1)">';
    const made = await answer(await post(json(s.gate), JSON.stringify({ ...body, version: hostile })));
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ version: hostile, service: { slug: "api" }, decision: null });
    const again = await answer(await post(json(s.gate), JSON.stringify({ ...body, version: hostile })));
    expect(again).toMatchObject({ status: 200, body: { id: made.body.id } });
  });

  it("GET the team's and a service's deploys", async () => {
    const s = await secrets();
    await post(json(s.gate), JSON.stringify({ service: "api", environment: "production", version: "v1" }));
    const team = s.w.team.slug;
    const ctx = (p: Record<string, string>) => ({ params: Promise.resolve(p) });
    const list = async (path: string, headers: Record<string, string>, p: Record<string, string>) =>
      answer(await (p.service ? getServiceDeploys(get(path, headers), ctx(p) as never) : getTeamDeploys(get(path, headers), ctx(p) as never)));
    const read = { authorization: `Bearer ${s.read}` };
    const ok = await list(`/api/v1/teams/${team}/deploys`, read, { team });
    expect(ok.status).toBe(200);
    expect((ok.body.deploys as { version: string }[]).map((d) => d.version)).toEqual(["v1"]);
    expect((await list(`/api/v1/teams/${team}/services/api/deploys`, read, { team, service: "api" })).body.deploys).toHaveLength(1);
    expect((await list(`/api/v1/teams/${team}/deploys`, {}, { team })).status).toBe(401);
    expect((await list(`/api/v1/teams/${team}/deploys`, { authorization: `Bearer ${s.gate}` }, { team })).status).toBe(403);
    expect((await list(`/api/v1/teams/${team}/deploys`, { authorization: `Bearer ${s.otherGate}` }, { team })).status).toBe(404);
    expect((await list(`/api/v1/teams/${team}/services/api/deploys`, { authorization: `Bearer ${s.otherGate}` }, { team, service: "api" })).status).toBe(404);
    expect((await list(`/api/v1/teams/${team}/deploys?limit=1000`, read, { team })).body.error).toMatchObject({ code: "bad_request", fields: { limit: "must be at most 100" } });
    expect((await list(`/api/v1/teams/${team}/deploys?before=%3Cscript%3E`, read, { team })).body.error).toMatchObject({ code: "bad_request", fields: { before: "must be a deploy id" } });
    expect((await list(`/api/v1/teams/${team}/services/nope/deploys`, read, { team, service: "nope" })).status).toBe(404);
  });
});
