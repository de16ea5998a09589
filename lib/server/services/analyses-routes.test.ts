// The analyses' routes as a caller meets them (the route handlers themselves, with real tokens):
// malformed, oversized, hostile and unauthorised requests, and the answers Argo Rollouts' web
// metric and Flagger's webhooks read (docs/deploy-verification.md).
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { makeTeam } from "../testing/factories";
import { createService, createSli } from "./catalog";
import { createToken } from "./tokens";
import * as teamAnalyses from "@/app/api/v1/teams/[team]/analyses/route";
import * as oneAnalysis from "@/app/api/v1/teams/[team]/analyses/[analysis]/route";
import * as cancel from "@/app/api/v1/teams/[team]/analyses/[analysis]/cancel/route";
import * as byId from "@/app/api/v1/analyses/[analysis]/route";
import * as confirmPromotion from "@/app/api/v1/flagger/[team]/confirm-promotion/route";
import * as rollback from "@/app/api/v1/flagger/[team]/rollback/route";

const ZERO = "00000000-0000-0000-0000-000000000000";

async function setup() {
  const { team, members } = await makeTeam(["admin", "editor"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  await createSli(members.editor, team.slug, "api", { slug: "availability", name: "Availability", description: "", kind: "request_ratio" });
  const token = async (scopes: ("gate" | "read" | "ingest")[]) => (await createToken(members.admin, team.slug, { name: `t-${scopes.join("-")}-${Math.random()}`, scopes, expiresAt: null })).secret;
  return { team, gate: await token(["gate"]), read: await token(["read"]), ingest: await token(["ingest"]) };
}

function request(method: string, path: string, opts: { token?: string; body?: string; type?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = opts.type ?? "application/json";
  return new NextRequest(`http://localhost${path}`, { method, headers, body: opts.body });
}
const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });
const start = (team: string, token: string | undefined, body: unknown, raw?: string) =>
  teamAnalyses.POST(request("POST", `/api/v1/teams/${team}/analyses`, { token, body: raw ?? JSON.stringify(body) }), params({ team }));
const valid = { service: "api", canary: "canary", baseline: "baseline" };

async function json(r: Response) {
  return { status: r.status, body: (await r.json()) as Record<string, unknown> & { error?: { code: string; message: string; fields?: Record<string, string> } } };
}

describe("analyses routes", () => {
  it("start answers 201 with the view; Argo reads the verdict by id with its gate token", async () => {
    const { team, gate } = await setup();
    const created = await json(await start(team.slug, gate, valid));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "running", verdict: "running", canary: "canary", baseline: "baseline", service: { slug: "api" } });
    const id = created.body.id as string;
    const argo = await json(await byId.GET(request("GET", `/api/v1/analyses/${id}`, { token: gate }), params({ analysis: id })));
    expect(argo).toMatchObject({ status: 200, body: { id, verdict: "running", score: null } });
    const list = await json(await teamAnalyses.GET(request("GET", `/api/v1/teams/${team.slug}/analyses?status=running`, { token: gate }), params({ team: team.slug })));
    expect((list.body.analyses as { id: string }[]).map((a) => a.id)).toEqual([id]);
    const cancelled = await json(await cancel.POST(request("POST", `/api/v1/teams/${team.slug}/analyses/${id}/cancel`, { token: gate }), params({ team: team.slug, analysis: id })));
    expect(cancelled).toMatchObject({ status: 200, body: { verdict: "cancelled" } });
  });

  it.each([
    ["not JSON", undefined, "{", 400, "body"],
    ["a list", [], undefined, 422, ""],
    ["an unknown field", { ...valid, admin: true }, undefined, 422, ""],
    ["a hostile cohort", { ...valid, canary: '"}or{version=~".*' }, undefined, 422, "canary"],
    ["a NUL in text", { ...valid, version: "v\u0000" }, undefined, 422, "body"],
    ["a negative interval", { ...valid, schedule: { count: 1, intervalMinutes: -1, initialDelayMinutes: 0, failureLimit: 0, inconclusiveLimit: 0 } }, undefined, 422, "schedule.intervalMinutes"],
    ["a threshold over 100", { ...valid, thresholds: { marginal: 50, pass: 101 } }, undefined, 422, "thresholds.pass"],
  ])("refuses %s, naming the field", async (_what, body, raw, status, field) => {
    const { team, gate } = await setup();
    const r = await json(await start(team.slug, gate, body, raw));
    expect(r.status).toBe(status);
    expect(r.body.error?.message).toBeTruthy();
    if (field) expect(Object.keys(r.body.error?.fields ?? {})).toContain(field);
  });

  it("refuses an oversized body with 413 and a body that is not JSON with 415", async () => {
    const { team, gate } = await setup();
    expect((await start(team.slug, gate, { ...valid, version: "v".repeat(40 * 1024) })).status).toBe(413);
    const r = await teamAnalyses.POST(request("POST", `/api/v1/teams/${team.slug}/analyses`, { token: gate, body: "service=api", type: "application/x-www-form-urlencoded" }), params({ team: team.slug }));
    expect(r.status).toBe(415);
  });

  it("refuses callers without credentials, another team's token, a missing scope and foreign ids", async () => {
    const a = await setup();
    const b = await setup();
    const id = (await json(await start(a.team.slug, a.gate, valid))).body.id as string;
    expect((await start(a.team.slug, undefined, valid)).status).toBe(401);
    expect((await start(a.team.slug, "not-a-token", valid)).status).toBe(401);
    expect((await start(a.team.slug, a.ingest, valid)).status).toBe(403);
    expect((await start(a.team.slug, a.read, valid)).status).toBe(403);
    expect((await start(a.team.slug, b.gate, valid)).status).toBe(404);
    const foreign = await oneAnalysis.GET(request("GET", `/api/v1/teams/${b.team.slug}/analyses/${id}`, { token: b.gate }), params({ team: b.team.slug, analysis: id }));
    expect(foreign.status).toBe(404);
    expect((await byId.GET(request("GET", `/api/v1/analyses/${id}`, { token: b.gate }), params({ analysis: id }))).status).toBe(404);
    expect((await byId.GET(request("GET", `/api/v1/analyses/${id}`, { token: a.read }), params({ analysis: id }))).status).toBe(403);
    expect((await byId.GET(request("GET", `/api/v1/analyses/${ZERO}`, { token: a.gate }), params({ analysis: ZERO }))).status).toBe(404);
    expect((await byId.GET(request("GET", "/api/v1/analyses/x%00", { token: a.gate }), params({ analysis: "x\u0000" }))).status).toBe(400);
    expect((await cancel.POST(request("POST", `/api/v1/teams/${b.team.slug}/analyses/${id}/cancel`, { token: b.gate }), params({ team: b.team.slug, analysis: id }))).status).toBe(404);
    const hook = (token: string | undefined, team: string, body: unknown) => confirmPromotion.POST(request("POST", `/api/v1/flagger/${team}/confirm-promotion`, { token, body: JSON.stringify(body) }), params({ team }));
    expect((await hook(undefined, a.team.slug, { name: "api", namespace: "prod" })).status).toBe(401);
    expect((await hook(a.ingest, a.team.slug, { name: "api", namespace: "prod" })).status).toBe(403);
    expect((await hook(b.gate, b.team.slug, { name: "api", namespace: "prod", metadata: { analysis: id } })).status).toBe(404);
    expect((await hook(a.gate, a.team.slug, { namespace: "prod" })).status).toBe(422);
  });

  it("Flagger: confirm-promotion holds a running analysis with 409 and its reasons; rollback answers 409 (go on) until it failed, 404 without an analysis", async () => {
    const { team, gate } = await setup();
    const id = (await json(await start(team.slug, gate, valid))).body.id as string;
    const payload = { name: "api", namespace: "prod", phase: "Promoting", checksum: "abc", metadata: { analysis: id } };
    const promote = await json(await confirmPromotion.POST(request("POST", `/api/v1/flagger/${team.slug}/confirm-promotion`, { token: gate, body: JSON.stringify(payload) }), params({ team: team.slug })));
    expect(promote).toMatchObject({ status: 409, body: { analysis: id, verdict: "running", error: { code: "conflict" } } });
    expect((promote.body.reasons as string[]).length).toBeGreaterThan(0);
    const back = await rollback.POST(request("POST", `/api/v1/flagger/${team.slug}/rollback`, { token: gate, body: JSON.stringify({ ...payload, phase: "Progressing" }) }), params({ team: team.slug }));
    expect(back.status).toBe(409);
    const none = await rollback.POST(request("POST", `/api/v1/flagger/${team.slug}/rollback`, { token: gate, body: JSON.stringify({ name: "unknown-service", namespace: "prod" }) }), params({ team: team.slug }));
    expect(none.status).toBe(404);
  });
});
