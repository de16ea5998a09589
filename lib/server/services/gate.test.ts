// The deploy gate against a real database: docs/domain.md's policy table (normal > 50 %, caution
// 10-50 %, freeze < 10 %, halted <= 0) decides allow / warn / deny for a pipeline's token, the
// worst SLO decides, overrides and manual freezes change the answer, and every answer is stored.
import { describe, expect, it } from "vitest";
import { defaultPolicy } from "../../domain/policy";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { ingestBatch } from "./ingest";
import { listTeamStatus } from "./team-status";
import { askGate, decideDeploy, getDecision, listDecisions } from "./gate";
import { grantOverride, listOverrides, revokeOverride } from "./overrides";
import { cancelFreeze, createFreeze, listFreezes } from "./freezes";
import { getServicePolicy, getTeamPolicy, policyHistory, putServicePolicy, putTeamPolicy } from "./policy";

const minuteAgo = () => new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);

/** A team with service "api" and a 99 % / 30-day SLO per name; returns helpers to set each SLO's remaining budget. */
async function setup(slos = ["availability"]) {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  for (const s of slos) {
    await createSli(members.editor, team.slug, "api", { slug: s, name: s, description: "", kind: "request_ratio" });
    await createSlo(members.editor, team.slug, "api", { slug: s, name: s, description: "", sli: s, objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
  }
  const ingest = await makeTokenActor(team.slug, members.admin, ["ingest"]);
  const gate = await makeTokenActor(team.slug, members.admin, ["gate"]);
  const minute = minuteAgo().toISOString();
  /** One bucket of 10,000 events, `bad` of them bad: remaining = 1 - bad/100 at 99 % (docs/domain.md: 1 - bad / allowed bad). */
  const setRemaining = async (slo: string, remaining: number) => {
    const bad = Math.round((1 - remaining) * 100);
    await ingestBatch(ingest, { items: [{ sli: `api/${slo}`, minute, good: 10_000 - bad, total: 10_000 }] });
  };
  const ask = (over: Partial<Parameters<typeof askGate>[1]> = {}) =>
    askGate(gate, { service: "api", environment: "production", version: "v1.2.3", changeType: "feature", requester: "ci-bot", ...over });
  return { team, members, gate, ingest, setRemaining, ask };
}

describe("the gate answers by tier (docs/domain.md policy table)", () => {
  it("allow, warn and deny as the budget moves through normal, caution, freeze and halted", async () => {
    const { ask, setRemaining } = await setup();
    const seen: [string, string, number | null][] = [];
    for (const remaining of [0.8, 0.3, 0.05, -0.2]) {
      await setRemaining("availability", remaining);
      const d = await ask();
      seen.push([d.tier, d.decision, d.numbers.decidingSlo!.remainingBudget]);
    }
    expect(seen).toEqual([
      ["normal", "allow", 0.8],
      ["caution", "warn", 0.3],
      ["freeze", "deny", 0.05],
      ["halted", "deny", -0.2],
    ]);
  });

  it("freeze lets reliability, P0 and security fixes through; halted only P0 and security", async () => {
    const { ask, setRemaining } = await setup();
    await setRemaining("availability", 0.05);
    expect((await ask({ changeType: "reliability" })).decision).toBe("allow");
    expect((await ask({ changeType: "config" })).decision).toBe("deny");
    await setRemaining("availability", -0.01);
    expect((await ask({ changeType: "reliability" })).decision).toBe("deny");
    expect((await ask({ changeType: "p0-fix" })).decision).toBe("allow");
    expect((await ask({ changeType: "security" })).decision).toBe("allow");
  });

  it("answers with reasons, the numbers, the policy version, and stores the decision", async () => {
    const { team, members, ask, setRemaining } = await setup(["availability", "latency"]);
    await setRemaining("availability", 0.9);
    await setRemaining("latency", 0.07);
    const d = await ask({ commit: "0123abcd", link: "https://ci.example/run/7" });
    expect(d).toMatchObject({
      decision: "deny",
      tier: "freeze",
      team: team.slug,
      service: { slug: "api", name: "API" },
      environment: "production",
      version: "v1.2.3",
      commit: "0123abcd",
      changeType: "feature",
      requester: "ci-bot",
      link: "https://ci.example/run/7",
      source: "api",
      policy: { scope: "default", version: 0 },
    });
    // The worst SLO decides and is named (docs/domain.md: a service is gated by its worst SLO).
    expect(d.reasons[0]).toBe("latency has 7% of its error budget left: tier freeze");
    expect(d.numbers.decidingSlo).toMatchObject({ slug: "latency", objective: "0.99", remainingBudget: 0.07 });
    // docs/domain.md: burn rate = (bad / total over the lookback) / (1 - objective) = (93 / 10,000) / 0.01.
    expect(d.numbers.decidingSlo!.burnRates["1h"]).toBeCloseTo(0.93, 10);
    expect(d.numbers.slos.map((s) => [s.slug, s.tier])).toEqual([["availability", "normal"], ["latency", "freeze"]]);
    expect(d.url).toMatch(new RegExp(`/teams/${team.slug}/gate/${d.decisionId}$`));
    expect(await getDecision(members.viewer, team.slug, d.decisionId)).toEqual(d);
  });
});

describe("what the gate cannot judge is decided by the policy, never an error", () => {
  it("unknown service, unknown environment, no SLO and no data: allow with a warning, saying why", async () => {
    const { members, team, ask } = await setup();
    await createService(members.editor, team.slug, { slug: "bare", name: "Bare", description: "" });
    expect(await ask({ service: "nope" })).toMatchObject({ decision: "warn", service: null, serviceName: "nope", reasons: ["this service is not known to Burnrate; the policy says warn"] });
    expect(await ask({ service: "bare" })).toMatchObject({ decision: "warn", reasons: ["this service has no SLO; the policy says warn"] });
    expect(await ask()).toMatchObject({ decision: "warn", tier: "no_data", reasons: ["no data in any SLO of this service yet; the policy says warn"] });
    const env = await ask({ environment: "qa-7" });
    expect(env.reasons.at(-1)).toBe('environment "qa-7" is not in the policy (gated: production); the policy says warn');
  });
});

describe("which service the gate judges", () => {
  it("is named by its slug, its id or its linked GitHub repository in any case; another team's or an unlinked name is unknown", async () => {
    const { team, ask, setRemaining } = await setup();
    await setRemaining("availability", 0.05);
    const api = await prisma().service.findFirstOrThrow({ where: { teamId: team.id, slug: "api" } });
    await prisma().service.update({ where: { id: api.id }, data: { githubRepository: "Acme/API" } });
    const github = (repo: string) =>
      decideDeploy({ teamId: team.id, teamSlug: team.slug, tokenId: null, source: "github", service: { githubRepository: repo }, environment: "production", version: "abc", commit: "abc", changeType: "feature", requester: "octocat", link: null });
    for (const d of [await ask(), await ask({ service: api.id }), await github("acme/api"), await github("ACME/Api")]) {
      expect([d.service?.slug, d.tier, d.decision]).toEqual(["api", "freeze", "deny"]);
    }
    expect((await github("acme/other")).service).toBeNull();
    const other = await makeTeam(["editor"]);
    await createService(other.members.editor, other.team.slug, { slug: "web", name: "Web", description: "", githubRepository: "acme/web" });
    expect((await github("acme/web")).service).toBeNull();
    expect((await ask({ service: "web" })).service).toBeNull();
  });
});

describe("who may ask", () => {
  it("only a gate token of the team itself", async () => {
    const a = await setup();
    const b = await setup();
    // A token of team B naming team A is refused as if A did not exist; nothing is stored.
    await expect(askGate(b.gate, { team: a.team.slug, service: "api", environment: "production", version: "1", changeType: "feature", requester: "x" })).rejects.toMatchObject({ status: 404 });
    await expect(askGate(a.ingest, { service: "api", environment: "production", version: "1", changeType: "feature", requester: "x" })).rejects.toMatchObject({ status: 403, message: 'this token lacks the "gate" scope' });
    await expect(askGate(a.members.admin, { service: "api", environment: "production", version: "1", changeType: "feature", requester: "x" })).rejects.toMatchObject({ status: 403 });
    expect(await prisma().gateDecision.count({ where: { teamId: a.team.id } })).toBe(0);
    // Team B's own "api" is judged by B's data, not A's.
    await a.setRemaining("availability", -0.5);
    expect((await b.ask()).tier).toBe("no_data");
  });
});

describe("overrides", () => {
  it("turn a deny into an allow until they expire or are revoked; the gate names the override", async () => {
    const { team, members, ask, setRemaining } = await setup();
    await setRemaining("availability", 0.05);
    expect((await ask()).decision).toBe("deny");
    const o = await grantOverride(members.admin, team.slug, { service: "api", environment: "production", reason: "launch agreed with the VP", approvedBy: "Dana (VP Eng)", escalatedTo: null, expiresAt: new Date(Date.now() + 3_600_000) });
    const allowed = await ask();
    expect(allowed).toMatchObject({ decision: "allow", numbers: { override: { id: o.id, approvedBy: "Dana (VP Eng)" } } });
    expect(allowed.reasons.at(-1)).toMatch(/^override approved by Dana \(VP Eng\) until .*: launch agreed with the VP$/);
    // Scoped to production: staging is ungated anyway, and another environment name is not covered.
    expect((await ask({ environment: "Production" })).decision).toBe("allow");
    await revokeOverride(members.admin, team.slug, o.id);
    expect((await ask()).decision).toBe("deny");
    expect((await listOverrides(members.viewer, team.slug)).map((x) => [x.id, x.active])).toEqual([[o.id, false]]);
    const audit = await prisma().auditLog.findMany({ where: { teamId: team.id, targetType: "gate_override" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["override.grant", "override.revoke"]);
  });

  it("end on their own at their expiry", async () => {
    const { team, members, ask, setRemaining } = await setup();
    await setRemaining("availability", 0.05);
    await grantOverride(members.admin, team.slug, { service: "api", environment: null, reason: "short window", approvedBy: "Dana", escalatedTo: null, expiresAt: new Date(Date.now() + 1500) });
    expect((await ask()).decision).toBe("allow");
    await new Promise((r) => setTimeout(r, 1600));
    expect((await ask()).decision).toBe("deny");
  });

  it("lift a halt only when escalated (docs/domain.md)", async () => {
    const { team, members, ask, setRemaining } = await setup();
    await setRemaining("availability", -0.1);
    const base = { service: "api", environment: null, reason: "hotfix", approvedBy: "Dana", expiresAt: new Date(Date.now() + 3_600_000) };
    await grantOverride(members.admin, team.slug, { ...base, escalatedTo: null });
    expect((await ask()).decision).toBe("deny");
    await grantOverride(members.admin, team.slug, { ...base, escalatedTo: "the CTO" });
    expect((await ask()).decision).toBe("allow");
  });

  it("are granted by team admins only, with an expiry within the policy's maximum", async () => {
    const { team, members } = await setup();
    const input = { service: "api", environment: null, reason: "why not", approvedBy: "Dana", escalatedTo: null, expiresAt: new Date(Date.now() + 3_600_000) };
    await expect(grantOverride(members.editor, team.slug, input)).rejects.toMatchObject({ status: 403 });
    await expect(grantOverride(members.admin, team.slug, { ...input, expiresAt: new Date(Date.now() + 25 * 3_600_000) })).rejects.toMatchObject({
      status: 422,
      fields: { expiresAt: "must be at most 24 hours from now (the policy's maximum)" },
    });
    await expect(grantOverride(members.admin, team.slug, { ...input, expiresAt: new Date(Date.now() - 1000) })).rejects.toMatchObject({ status: 422, fields: { expiresAt: "must be in the future" } });
    await expect(grantOverride(members.admin, team.slug, { ...input, service: "missing" })).rejects.toMatchObject({ status: 404 });
    const other = await setup();
    await expect(grantOverride(other.members.admin, team.slug, input)).rejects.toMatchObject({ status: 404 });
    expect(await prisma().gateOverride.count({ where: { teamId: team.id } })).toBe(0);
  });
});

describe("manual freezes", () => {
  it("act like a budget freeze for their services and environments while they last", async () => {
    const { team, members, ask, setRemaining } = await setup();
    await setRemaining("availability", 0.9);
    const now = Date.now();
    const holiday = await createFreeze(members.admin, team.slug, { service: null, environment: null, reason: "holiday freeze", startsAt: new Date(now - 1000), endsAt: new Date(now + 86_400_000) });
    const d = await ask();
    expect(d).toMatchObject({ decision: "deny", tier: "freeze", numbers: { freeze: { id: holiday.id, reason: "holiday freeze" } } });
    expect((await ask({ changeType: "security" })).decision).toBe("allow");
    // A freeze that starts tomorrow does nothing yet; cancelling the current one lifts it.
    await createFreeze(members.admin, team.slug, { service: "api", environment: "production", reason: "launch week", startsAt: new Date(now + 86_400_000), endsAt: new Date(now + 2 * 86_400_000) });
    await cancelFreeze(members.admin, team.slug, holiday.id);
    expect((await ask()).decision).toBe("allow");
    expect((await listFreezes(members.viewer, team.slug)).map((f) => [f.reason, f.active])).toEqual([["launch week", false], ["holiday freeze", false]]);
    await expect(createFreeze(members.editor, team.slug, { service: null, environment: null, reason: "nope", startsAt: new Date(now), endsAt: new Date(now + 1000) })).rejects.toMatchObject({ status: 403 });
  });
});

describe("policies", () => {
  it("are versioned per team and per service, audited before and after, and named by each decision", async () => {
    const { team, members, ask, setRemaining } = await setup();
    await setRemaining("availability", 0.3);
    expect((await ask()).decision).toBe("warn");

    // The team makes caution deny feature deploys.
    const v1 = await putTeamPolicy(members.admin, team.slug, { ...defaultPolicy, cautionFeatures: "deny" });
    expect(v1).toMatchObject({ scope: "team", version: 1, inherited: false });
    expect(await ask()).toMatchObject({ decision: "deny", policy: { scope: "team", version: 1 } });

    // The service gets its own thresholds: 30 % is normal under caution = 25 %.
    const own = await putServicePolicy(members.admin, team.slug, "api", { ...defaultPolicy, thresholds: { caution: 0.25, freeze: 0.05 } });
    expect(own).toMatchObject({ scope: "service", version: 1, inherited: false });
    expect(await ask()).toMatchObject({ decision: "allow", tier: "normal", policy: { scope: "service", version: 1 } });
    // The dashboard's tier follows the same policy: one tier for a service everywhere.
    expect((await listTeamStatus(members.viewer, team.slug)).slos[0]!.status.tier).toBe("normal");

    // Back to the team's policy: a new service version with no body.
    expect(await putServicePolicy(members.admin, team.slug, "api", null)).toMatchObject({ scope: "team", version: 1, inherited: true });
    expect(await ask()).toMatchObject({ decision: "deny", policy: { scope: "team", version: 1 } });
    expect((await getServicePolicy(members.viewer, team.slug, "api")).inherited).toBe(true);
    expect((await listTeamStatus(members.viewer, team.slug)).slos[0]!.status.tier).toBe("caution");

    const history = await policyHistory(members.viewer, team.slug);
    expect(history.map((h) => [h.scope, h.version, h.policy === null])).toEqual([["service", 2, true], ["service", 1, false], ["team", 1, false]]);
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { teamId: team.id, action: "policy.update", targetType: "team_policy" } });
    expect(audit.before).toMatchObject({ scope: "default", version: 0, policy: { cautionFeatures: "warn" } });
    expect(audit.after).toMatchObject({ scope: "team", version: 1, policy: { cautionFeatures: "deny" } });
  });

  it("are changed by team admins only", async () => {
    const { team, members } = await setup();
    await expect(putTeamPolicy(members.editor, team.slug, defaultPolicy)).rejects.toMatchObject({ status: 403 });
    const other = await setup();
    await expect(putTeamPolicy(other.members.admin, team.slug, defaultPolicy)).rejects.toMatchObject({ status: 404 });
    expect((await getTeamPolicy(members.viewer, team.slug)).version).toBe(0);
  });
});

describe("the decision log", () => {
  it("lists a team's decisions newest first, filtered and paged, to its members only", async () => {
    const { team, members, ask, setRemaining } = await setup();
    await setRemaining("availability", 0.05);
    await ask({ version: "a" });
    await ask({ version: "b", changeType: "security" });
    await ask({ version: "c", environment: "staging" });
    await ask({ version: "d", service: "unknown-svc" });
    const all = await listDecisions(members.viewer, team.slug, { limit: 50 });
    expect(all.decisions.map((d) => d.version)).toEqual(["d", "c", "b", "a"]);
    const q = (over: object) => listDecisions(members.viewer, team.slug, { limit: 50, ...over }).then((r) => r.decisions.map((d) => d.version));
    expect(await q({ decision: "deny" })).toEqual(["a"]);
    expect(await q({ changeType: "security" })).toEqual(["b"]);
    expect(await q({ environment: "STAGING" })).toEqual(["c"]);
    expect(await q({ service: "api" })).toEqual(["c", "b", "a"]);
    expect(await q({ service: "unknown-svc" })).toEqual(["d"]);
    const page1 = await listDecisions(members.viewer, team.slug, { limit: 3 });
    expect(page1.decisions).toHaveLength(3);
    const page2 = await listDecisions(members.viewer, team.slug, { limit: 3, before: page1.next! });
    expect(page2).toMatchObject({ decisions: [{ version: "a" }], next: null });
    const outsider = (await makeTeam(["admin"])).members.admin;
    await expect(listDecisions(outsider, team.slug, { limit: 50 })).rejects.toMatchObject({ status: 404 });
    await expect(getDecision(outsider, team.slug, all.decisions[0]!.decisionId)).rejects.toMatchObject({ status: 404 });
  });
});

describe("what would let a denied deploy through (toGetThrough)", () => {
  it("the gate's JSON names why and every way through, computed with the same context as the decision", async () => {
    const { team, members, ask, setRemaining } = await setup(["availability", "latency"]);
    await setRemaining("availability", 0.9);
    await setRemaining("latency", 0.07);
    const admin = await prisma().user.findUniqueOrThrow({ where: { id: members.admin.userId } });
    const d = await ask();
    expect(d.decision).toBe("deny");
    expect(d.toGetThrough!.because).toEqual([
      expect.objectContaining({ kind: "budget", decision: "deny", tier: "freeze", slo: expect.objectContaining({ slug: "latency", name: "latency" }) }),
    ]);
    const steps = d.toGetThrough!.steps;
    // docs/domain.md: freeze allows reliability fixes, P0 bug fixes and security fixes.
    expect(steps.find((s) => s.kind === "change_types")).toMatchObject({ changeTypes: ["reliability", "p0-fix", "security"] });
    // 7 % left, 10 % is caution: 3 % must come back. The last hour burned 0.93x, above the 0.9x that
    // would still leave 10 %, so at this rate it does not come back.
    const budget = steps.find((s) => s.kind === "budget") as { needed: number; target: number; etaMinutes: number | null; text: string };
    expect(budget.target).toBe(0.1);
    expect(budget.needed).toBeCloseTo(0.03, 10);
    expect(budget.etaMinutes).toBeNull();
    expect(budget.text).toContain("the burn rate must fall below 0.9× first");
    expect(steps.find((s) => s.kind === "override")).toMatchObject({ admins: [admin.name], maxHours: 24, escalation: false });
    // Stored with the decision, and read back the same.
    expect((await getDecision(members.viewer, team.slug, d.decisionId)).toGetThrough).toEqual(d.toGetThrough);
    // No ISO instants in what CI prints.
    expect(JSON.stringify(d.reasons)).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  it("a freeze is named with when it ends, in words, and an allowed change has nothing to get through", async () => {
    const { team, members, ask, setRemaining } = await setup();
    await setRemaining("availability", 0.9);
    const endsAt = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 3 * 3_600_000);
    await createFreeze(members.admin, team.slug, { service: null, environment: null, reason: "year-end change freeze", startsAt: new Date(Date.now() - 60_000), endsAt });
    const d = await ask();
    expect(d.toGetThrough!.because.map((b) => b.kind)).toEqual(["freeze"]);
    expect(d.toGetThrough!.steps.find((s) => s.kind === "freeze_ends")).toMatchObject({ endsAt: endsAt.toISOString() });
    expect(d.reasons.at(-1)).toMatch(/^manual freeze until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d UTC: year-end change freeze$/);
    // An allowed deploy has nothing to get through.
    expect((await ask({ changeType: "reliability" })).toGetThrough).toBeNull();
  });

  it("the decision page's 'now' follows the budget as it is now", async () => {
    const { team, members, ask, setRemaining } = await setup();
    await setRemaining("availability", 0.05);
    const d = await ask();
    expect(d.decision).toBe("deny");
    const { wayThroughNow } = await import("./gate");
    expect((await wayThroughNow(members.viewer, team.slug, d)).decision).toBe("deny");
    await setRemaining("availability", 0.8);
    expect(await wayThroughNow(members.viewer, team.slug, d)).toEqual({ decision: "allow", toGetThrough: null });
    // Another team's member learns nothing.
    const other = await makeTeam(["viewer"]);
    await expect(wayThroughNow(other.members.viewer, team.slug, d)).rejects.toMatchObject({ status: 404 });
  });
});
