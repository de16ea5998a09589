// Regression of a release against earlier releases, on a real database (docs/regression.md).
// Deploy rows are made with Prisma here: recording deploys belongs to lib/server/services/deploys.ts.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/teams/[team]/deploys/[deploy]/regression/route";
import { MAX_REGRESSION_BODY_BYTES } from "../../schemas/regression";
import { clockNow } from "../clock";
import { prisma } from "../db/client";
import { upsertBuckets } from "../sli-data";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { compareRelease } from "./regression";

const MIN = 60_000;

/**
 * A team with service "web", SLI "availability" under a 99% SLO and SLI "checkout" without one,
 * and deploys of web to production `hoursAgo` with `bad` failed requests of 1,000 per minute in
 * their first 30 minutes (availability; checkout always 1 of 500).
 */
async function world(releases: { version: string; minutesAgo: number; bad: number | null }[]) {
  const t = await makeTeam(["admin", "viewer"]);
  const svc = await prisma().service.create({ data: { teamId: t.team.id, slug: "web", name: "Web" } });
  const availability = await prisma().sli.create({ data: { serviceId: svc.id, slug: "availability", name: "Availability", kind: "request_ratio" } });
  const checkout = await prisma().sli.create({ data: { serviceId: svc.id, slug: "checkout", name: "Checkout", kind: "request_ratio" } });
  await prisma().slo.create({ data: { serviceId: svc.id, sliId: availability.id, slug: "main", name: "Main", objective: "0.99", windowKind: "rolling", windowDays: 28 } });
  const now = Math.floor(clockNow().getTime() / MIN) * MIN;
  const deploys: Record<string, string> = {};
  for (const r of releases) {
    const at = now - r.minutesAgo * MIN;
    const d = await prisma().deploy.create({ data: { teamId: t.team.id, serviceId: svc.id, environment: "production", version: r.version, deployedAt: new Date(at) } });
    deploys[r.version] = d.id;
    if (r.bad === null) continue;
    const minutes = Array.from({ length: Math.min(30, r.minutesAgo) }, (_, i) => new Date(at + i * MIN));
    await upsertBuckets([
      ...minutes.map((minute) => ({ sliId: availability.id, minute, good: 1000 - r.bad!, total: 1000 })),
      ...minutes.map((minute) => ({ sliId: checkout.id, minute, good: 499, total: 500 })),
    ]);
  }
  return { ...t, svc, deploys };
}

/** v1-v3 good (0.2% errors), v4 over the SLO (5%), then the release under test, v5, an hour ago. */
const history = (bad: number | null, minutesAgo = 60) => [
  { version: "v1", minutesAgo: 300, bad: 2 },
  { version: "v2", minutesAgo: 240, bad: 2 },
  { version: "v3", minutesAgo: 180, bad: 2 },
  { version: "v4", minutesAgo: 120, bad: 50 },
  { version: "v5", minutesAgo, bad },
];

describe("compareRelease with the default criteria", () => {
  it("passes a healthy release against the last 3 good releases, skipping the one over its SLO", async () => {
    const w = await world(history(2));
    const r = await compareRelease(w.members.viewer, w.team.slug, w.deploys.v5!, {});
    expect(r).toMatchObject({ status: "evaluated", result: "pass", score: 100, firstMinutes: 30, criteria: { source: "default" } });
    expect(r.releases.map((e) => [e.version, e.result, e.compared])).toEqual([
      ["v4", "fail", false],
      ["v3", "pass", true],
      ["v2", "pass", true],
      ["v1", "pass", true],
    ]);
    const a = r.objectives.find((o) => o.sli === "availability")!;
    expect(a).toMatchObject({ keySli: true, value: 0.002, aggregate: 0.002, comparedValues: [0.002, 0.002, 0.002], status: "pass" });
    expect(r.sentence).toBe("Release v5 passes with a score of 100% against 3 earlier releases (v3, v2, v1): the score of 100% reaches the pass target of 90%.");
  });

  it("fails a release whose error ratio tripled, on the key SLI, although it is still inside the SLO", async () => {
    const w = await world(history(6));
    const r = await compareRelease(w.members.viewer, w.team.slug, w.deploys.v5!, { firstMinutes: 20 });
    expect(r).toMatchObject({ status: "evaluated", result: "fail", score: 50, firstMinutes: 20 });
    const a = r.objectives.find((o) => o.sli === "availability")!;
    expect(a).toMatchObject({ value: 0.006, status: "fail", violated: ["<=+10%"] });
    expect(r.reasons[0]).toBe('key SLI "Availability" failed, which fails the whole evaluation');
  });

  it("answers 'not yet' inside the first minutes and 'no data' without events: never a pass", async () => {
    const w = await world(history(2, 10));
    const early = await compareRelease(w.members.viewer, w.team.slug, w.deploys.v5!, {});
    expect(early).toMatchObject({ status: "not_yet", result: null, score: null, window: { complete: false } });
    expect(early.sentence).toMatch(/^Release v5 is not judged yet: its first 30 minutes end at .* UTC; ask again then\.$/);
    const quiet = await world(history(null));
    expect(await compareRelease(quiet.members.viewer, quiet.team.slug, quiet.deploys.v5!, {})).toMatchObject({ status: "no_data", result: null });
  });

  it("measures an earlier release only until the next deploy began", async () => {
    const w = await world([
      { version: "v1", minutesAgo: 200, bad: 2 },
      { version: "v2", minutesAgo: 190, bad: 40 },
      { version: "v3", minutesAgo: 60, bad: 2 },
    ]);
    // v1's first 30 minutes run into v2's (4% errors); cut at v2, v1 stays at 0.2%.
    const r = await compareRelease(w.members.viewer, w.team.slug, w.deploys.v3!, {});
    expect(r.releases.map((e) => [e.version, e.result, e.compared])).toEqual([
      ["v2", "fail", false],
      ["v1", "pass", true],
    ]);
    expect(r.objectives.find((o) => o.sli === "availability")!.comparedValues).toEqual([0.002]);
  });
});

describe("compareRelease with the caller's criteria", () => {
  it("judges with the caller's Keptn criteria: include_result_with_score all, two earlier results, a relative criterion", async () => {
    const w = await world(history(3));
    const slo = {
      specVersion: "1.0",
      comparison: { compareWith: "several_results" as const, includeResultWithScore: "all" as const, numberOfComparisonResults: 2, aggregateFunction: "avg" as const },
      objectives: [{ sli: "availability", displayName: "", keySli: false, pass: [{ criteria: ["<=+100%"] }], warning: [], weight: 1 }],
      totalScore: { pass: 90, warning: 75 },
    };
    // "all" takes v4 (5%) and v3 (0.2%): average 2.6%, so 0.3% is far below +100%.
    const r = await compareRelease(w.members.viewer, w.team.slug, w.deploys.v5!, { criteria: slo });
    expect(r).toMatchObject({ result: "pass", criteria: { source: "json" } });
    expect(r.objectives[0]!.aggregate).toBeCloseTo(0.026, 12);
    expect(r.releases.map((e) => e.version)).toEqual(["v4", "v3"]);
  });

  it("refuses criteria naming an SLI the service does not have, naming the objective", async () => {
    const w = await world(history(2));
    const slo = {
      specVersion: "1.0",
      comparison: { compareWith: "single_result" as const, includeResultWithScore: "all" as const, numberOfComparisonResults: 1, aggregateFunction: "avg" as const },
      objectives: [
        { sli: "availability", displayName: "", keySli: false, pass: [{ criteria: ["<1"] }], warning: [], weight: 1 },
        { sli: "latency", displayName: "", keySli: false, pass: [{ criteria: ["<1"] }], warning: [], weight: 1 },
      ],
      totalScore: { pass: 90, warning: null },
    };
    await expect(compareRelease(w.members.viewer, w.team.slug, w.deploys.v5!, { sloYaml: slo })).rejects.toMatchObject({
      status: 422,
      fields: { "sloYaml.objectives.1.sli": 'service "web" has no SLI "latency"' },
    });
  });
});

describe("who may ask", () => {
  it("gate and read tokens of the team, people of the team; not other scopes, other teams or unknown deploys", async () => {
    const w = await world(history(2));
    const other = await world(history(2));
    const gate = await makeTokenActor(w.team.slug, w.members.admin, ["gate"]);
    const read = await makeTokenActor(w.team.slug, w.members.admin, ["read"]);
    const ingest = await makeTokenActor(w.team.slug, w.members.admin, ["ingest"]);
    const otherGate = await makeTokenActor(other.team.slug, other.members.admin, ["gate"]);
    expect((await compareRelease(gate, w.team.slug, w.deploys.v5!, {})).result).toBe("pass");
    expect((await compareRelease(read, w.team.slug, w.deploys.v5!, {})).result).toBe("pass");
    await expect(compareRelease(ingest, w.team.slug, w.deploys.v5!, {})).rejects.toMatchObject({ status: 403, message: 'this token lacks the "gate" or "read" scope' });
    await expect(compareRelease(otherGate, w.team.slug, w.deploys.v5!, {})).rejects.toMatchObject({ status: 404 });
    await expect(compareRelease(other.members.viewer, w.team.slug, w.deploys.v5!, {})).rejects.toMatchObject({ status: 404 });
    // Another team's deploy through our team: not found, as for an unknown id.
    await expect(compareRelease(w.members.viewer, w.team.slug, other.deploys.v5!, {})).rejects.toMatchObject({ status: 404, message: `deploy "${other.deploys.v5}" not found` });
    await expect(compareRelease(w.members.viewer, w.team.slug, "not-a-uuid", {})).rejects.toMatchObject({ status: 404 });
  });
});

describe("POST /api/v1/teams/{team}/deploys/{deploy}/regression", () => {
  const call = (team: string, deploy: string, init: { token?: string; body?: string; type?: string; origin?: string }) => {
    const url = `http://localhost/api/v1/teams/${team}/deploys/${deploy}/regression`;
    const headers: Record<string, string> = { "content-type": init.type ?? "application/json" };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    return POST(new NextRequest(url, { method: "POST", headers, body: init.body ?? "{}" }), { params: Promise.resolve({ team, deploy }) });
  };
  async function tokenOf(team: string, admin: Parameters<typeof makeTokenActor>[1], scopes: ("gate" | "read" | "ingest")[]) {
    const { createToken } = await import("./tokens");
    return (await createToken(admin, team, { name: `t-${scopes.join("-")}`, scopes, expiresAt: null })).secret;
  }

  it("answers a gate token with the evaluation, and refuses malformed, oversized, hostile and unauthorised requests", async () => {
    const w = await world(history(2));
    const token = await tokenOf(w.team.slug, w.members.admin, ["gate"]);
    const ok = await call(w.team.slug, w.deploys.v5!, { token, body: JSON.stringify({ firstMinutes: 30 }) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "evaluated", result: "pass", deploy: { version: "v5", service: "web", environment: "production" } });

    const bad = async (init: Parameters<typeof call>[2], status: number, deploy = w.deploys.v5!) => {
      const res = await call(w.team.slug, deploy, { token, ...init });
      expect(res.status).toBe(status);
      return ((await res.json()) as { error: { code: string; message: string; fields?: Record<string, string> } }).error;
    };
    // Malformed: a bad criteria string is named by its objective index and field.
    const criteria = { objectives: [{ sli: "availability", pass: [{ criteria: ["<=+10%", "below 5"] }] }], total_score: { pass: "90%" } };
    expect((await bad({ body: JSON.stringify({ criteria }) }, 422)).fields).toEqual({ "criteria.objectives.0.pass.0.criteria.1": expect.stringMatching(/"below 5" must start with one of/) });
    expect((await bad({ body: "{not json" }, 400)).fields).toEqual({ body: "is not valid JSON" });
    expect((await bad({ body: "firstMinutes: 3", type: "text/plain" }, 415)).code).toBe("unsupported_media_type");
    expect((await bad({ body: JSON.stringify({ sloYaml: "objectives: [" }) }, 422)).fields?.sloYaml).toMatch(/not valid YAML/);
    // Oversized: the body, and YAML text over 64 KB inside a body that fits.
    expect((await bad({ body: JSON.stringify({ sloYaml: "#".repeat(MAX_REGRESSION_BODY_BYTES + 1) }) }, 413)).code).toBe("payload_too_large");
    expect((await bad({ body: JSON.stringify({ sloYaml: `# ${"x".repeat(70_000)}` }) }, 422)).fields?.sloYaml).toMatch(/within 64 KB/);
    // Hostile: an alias bomb, NUL characters, a prototype key, an injection-shaped deploy id.
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`)].join("\n");
    expect((await bad({ body: JSON.stringify({ sloYaml: bomb }) }, 422)).fields?.sloYaml).toMatch(/alias/i);
    expect((await bad({ body: JSON.stringify({ sloYaml: "objectives: \u0000" }) }, 422)).fields).toEqual({ body: "must not contain NUL characters" });
    expect((await bad({ body: '{"__proto__": {"firstMinutes": 5}}' }, 422)).fields?.body).toMatch(/Use only firstMinutes/);
    expect((await bad({}, 404, "' OR 1=1 --")).code).toBe("not_found");
    // Unauthorised: no token, a token without gate or read, another team's token.
    const none = await call(w.team.slug, w.deploys.v5!, {});
    expect(none.status).toBe(401);
    expect((await bad({ token: await tokenOf(w.team.slug, w.members.admin, ["ingest"]) }, 403)).message).toBe('this token lacks the "gate" or "read" scope');
    const other = await world(history(2));
    expect((await bad({ token: await tokenOf(other.team.slug, other.members.admin, ["gate"]) }, 404)).code).toBe("not_found");
    expect((await bad({}, 404, other.deploys.v5!)).message).toBe(`deploy "${other.deploys.v5}" not found`);
  });
});
