// The deploy gate against docs/domain.md's policy table: tier by remaining budget (> 50 % normal,
// 10-50 % caution, < 10 % freeze, <= 0 halted), what each tier lets through, worst SLO decides.
import { describe, expect, it } from "vitest";
import { daysOverdue, decideGate, defaultPolicy, describePolicyChanges, freezeApplies, githubComment, overrideApplies, overrideExpiryProblem, worstSlo, type ChangeType, type GateInput, type GateSlo } from "./policy";
import { serviceStanding } from "./standing";

const slo = (name: string, remaining: number | null): GateSlo => ({
  id: name,
  name,
  budget: remaining === null ? { state: "no_data" } : { state: "ok", remaining, sli: 0.999 },
});
const now = new Date("2026-11-22T12:00:00Z");
const gate = (remaining: number | null, changeType: ChangeType, extra: Partial<GateInput> = {}) =>
  decideGate({ policy: defaultPolicy, changeType, slos: [slo("availability", remaining)], environment: "production", overrides: [], freezes: [], missingPostmortem: null, now, ...extra });

describe("the gate by tier (docs/domain.md table)", () => {
  it.each([
    // remaining, change, decision, tier
    [0.8, "feature", "allow", "normal"],
    [0.5001, "feature", "allow", "normal"],
    [0.5, "feature", "warn", "caution"], // exactly 50 %: caution
    [0.1, "feature", "warn", "caution"], // exactly 10 %: caution
    [0.0999, "feature", "deny", "freeze"],
    [0.05, "reliability", "allow", "freeze"],
    [0.05, "p0-fix", "allow", "freeze"],
    [0.05, "security", "allow", "freeze"],
    [0.05, "config", "deny", "freeze"],
    [0.05, "rollback", "deny", "freeze"],
    [0, "feature", "deny", "halted"], // exhausted
    [-0.3, "reliability", "deny", "halted"], // halted: only P0 and security
    [-0.3, "p0-fix", "allow", "halted"],
    [-0.3, "security", "allow", "halted"],
  ] as const)("%s left, %s change: %s (%s)", (remaining, change, decision, tier) => {
    const r = gate(remaining, change);
    expect(r.decision).toBe(decision);
    expect(r.tier).toBe(tier);
    expect(r.reasons[0]).toContain("availability has");
  });

  it("says why in plain words", () => {
    expect(gate(0.05, "feature").reasons).toEqual([
      "availability has 5% of its error budget left: tier freeze",
      "freeze allows only reliability, p0-fix, security changes, not feature",
    ]);
  });

  it("no SLO or no data: allow with a warning by default, and say why", () => {
    expect(decideGate({ policy: defaultPolicy, changeType: "feature", slos: [], environment: "production", overrides: [], freezes: [], missingPostmortem: null, now })).toMatchObject({
      decision: "warn",
      tier: "no_data",
      reasons: ["this service has no SLO; the policy says warn"],
    });
    expect(gate(null, "feature")).toMatchObject({ decision: "warn", reasons: ["no data in any SLO of this service yet; the policy says warn"] });
  });
});

describe("a service is judged by its worst SLO", () => {
  it("names the SLO with the least budget left; SLOs without data do not hide it", () => {
    const slos = [slo("latency", 0.7), slo("new", null), slo("availability", 0.04)];
    expect(worstSlo(slos)!.name).toBe("availability");
    const r = decideGate({ policy: defaultPolicy, changeType: "feature", slos, environment: "production", overrides: [], freezes: [], missingPostmortem: null, now });
    expect(r).toMatchObject({ decision: "deny", tier: "freeze", decidingSlo: { name: "availability" } });
  });
});

describe("overrides, freezes and postmortems", () => {
  const until = new Date("2026-11-23T00:00:00Z");
  it("an override turns a deny into an allow and is named", () => {
    const r = gate(0.05, "feature", { overrides: [{ id: "o1", approvedBy: "amara", escalatedTo: null, reason: "launch agreed with the CTO", expiresAt: until }] });
    expect(r.decision).toBe("allow");
    expect(r.override?.id).toBe("o1");
    expect(r.reasons.at(-1)).toBe("override approved by amara until Nov 23, 2026, 00:00 UTC: launch agreed with the CTO");
  });
  it("an override is not used when nothing is denied", () => {
    expect(gate(0.8, "feature", { overrides: [{ id: "o1", approvedBy: "a", escalatedTo: null, reason: "r", expiresAt: until }] }).override).toBeNull();
  });
  it("a manual freeze has the gate effect of a budget freeze", () => {
    const freezes = [{ id: "f1", reason: "holiday freeze", endsAt: until, environment: null }];
    expect(gate(0.9, "feature", { freezes })).toMatchObject({ decision: "deny", tier: "freeze" });
    expect(gate(0.9, "security", { freezes })).toMatchObject({ decision: "allow", tier: "freeze" });
    expect(gate(-0.1, "reliability", { freezes })).toMatchObject({ decision: "deny", tier: "halted" }); // the budget is worse
  });
  it("a required postmortem not yet published blocks feature deploys only", () => {
    const missingPostmortem = { incidentTitle: "Card authorisations failing" };
    expect(gate(0.9, "feature", { missingPostmortem })).toMatchObject({ decision: "deny" });
    expect(gate(0.9, "config", { missingPostmortem })).toMatchObject({ decision: "allow" });
    expect(decideGate({ policy: { ...defaultPolicy, missingPostmortemBlocksFeatures: false }, changeType: "feature", slos: [slo("a", 0.9)], environment: "production", overrides: [], freezes: [], missingPostmortem, now }).decision).toBe("allow");
  });
});

describe("what the gate cannot judge: the policy decides, never an error", () => {
  const base = { policy: defaultPolicy, changeType: "feature" as const, overrides: [], freezes: [], missingPostmortem: null, now };
  it("an unknown service is allowed with a warning by default, and a stricter policy can deny it", () => {
    expect(decideGate({ ...base, slos: null, environment: "production" })).toMatchObject({ decision: "warn", tier: "no_data", reasons: ["this service is not known to Burnrate; the policy says warn"] });
    expect(decideGate({ ...base, policy: { ...defaultPolicy, unknownService: "deny" }, slos: null, environment: "production" }).decision).toBe("deny");
  });
  it("an unknown environment follows the policy and names the gated ones; names match case-insensitively", () => {
    const r = decideGate({ ...base, slos: [slo("a", 0.05)], environment: "prod" });
    expect(r.decision).toBe("warn");
    expect(r.reasons.at(-1)).toBe('environment "prod" is not in the policy (gated: production); the policy says warn');
    expect(decideGate({ ...base, slos: [slo("a", 0.05)], environment: "Production" }).decision).toBe("deny");
  });
  it("an ungated environment is allowed whatever the budget, and the tier is still reported", () => {
    expect(decideGate({ ...base, slos: [slo("a", -0.5)], environment: "staging" })).toMatchObject({ decision: "allow", tier: "halted" });
  });
});

describe("overrides in a halt (docs/domain.md: escalation required to override)", () => {
  const until = new Date("2026-11-23T00:00:00Z");
  const plain = { id: "o1", approvedBy: "amara", escalatedTo: null, reason: "hotfix", expiresAt: until };
  it("an ordinary override does not lift a halt; an escalated one does", () => {
    const r = gate(-0.2, "feature", { overrides: [plain] });
    expect(r.decision).toBe("deny");
    expect(r.override).toBeNull();
    const e = gate(-0.2, "feature", { overrides: [plain, { ...plain, id: "o2", escalatedTo: "the CTO" }] });
    expect(e).toMatchObject({ decision: "allow", override: { id: "o2" } });
    expect(e.reasons.at(-1)).toBe("override approved by amara, escalated to the CTO, until Nov 23, 2026, 00:00 UTC: hotfix");
  });
  it("an override also lifts a manual freeze", () => {
    expect(gate(0.9, "feature", { freezes: [{ id: "f", reason: "holidays", endsAt: until, environment: null }], overrides: [plain] })).toMatchObject({ decision: "allow", freeze: { id: "f" } });
  });
});

describe("override expiry and the GitHub comment", () => {
  const now = new Date("2026-11-22T12:00:00Z");
  it.each([
    ["2026-11-22T11:59:59Z", "must be in the future"],
    ["2026-11-23T12:00:00Z", null], // exactly the 24 h default maximum
    ["2026-11-23T12:00:01Z", "must be at most 24 hours from now (the policy's maximum)"],
  ])("expiry %s: %s", (at, problem) => {
    expect(overrideExpiryProblem(new Date(at), now, defaultPolicy)).toBe(problem);
  });
  it("keeps GitHub's comment within 1,024 characters (docs/domain.md), ending with the decision's address", () => {
    const reasons = Array.from({ length: 40 }, (_, i) => `reason number ${i} with some words to make it long`);
    const c = githubComment({ decision: "deny", tier: "freeze", reasons }, "https://burnrate.example/d/1");
    expect(c.length).toBeLessThanOrEqual(1024);
    expect(c.startsWith("Burnrate: deny (tier freeze).")).toBe(true);
    expect(c.endsWith("\nDecision: https://burnrate.example/d/1")).toBe(true);
    expect(githubComment({ decision: "allow", tier: "normal", reasons: ["ok"] }, "u")).toBe("Burnrate: allow (tier normal).\n- ok\nDecision: u");
  });

  it("lists what would let a rejected deployment through", () => {
    const c = githubComment({ decision: "deny", tier: "freeze", reasons: ["a is low"], toGetThrough: { steps: [{ text: "reliability changes to production pass now" }, { text: "A team admin can grant an override" }] } }, "u");
    expect(c).toBe("Burnrate: deny (tier freeze).\n- a is low\nTo get through:\n- reliability changes to production pass now\n- A team admin can grant an override\nDecision: u");
  });
});

describe("describePolicyChanges", () => {
  it("names each changed setting with its old and new value, and nothing else", async () => {
    const { describePolicyChanges } = await import("./policy");
    expect(describePolicyChanges(defaultPolicy, defaultPolicy)).toEqual([]);
    expect(
      describePolicyChanges(defaultPolicy, { ...defaultPolicy, thresholds: { caution: 0.25, freeze: 0.1 }, allowed: { freeze: ["security"], halted: [] }, maxOverrideHours: 72 }),
    ).toEqual(["caution below: 50% → 25%", "freeze allows: reliability, p0-fix, security → security", "halted allows: p0-fix, security → none", "longest override: 24 h → 72 h"]);
  });
});

describe("ungated environments stay free", () => {
  const until = new Date("2026-11-23T00:00:00Z");
  const base = { policy: defaultPolicy, changeType: "feature" as const, slos: [slo("a", 0.9)], overrides: [], missingPostmortem: null, now };
  it("a freeze without an environment covers the gated ones; one naming staging covers staging", () => {
    const all = [{ id: "f", reason: "holidays", endsAt: until, environment: null }];
    expect(decideGate({ ...base, environment: "production", freezes: all }).decision).toBe("deny");
    expect(decideGate({ ...base, environment: "staging", freezes: all }).decision).toBe("allow");
    expect(decideGate({ ...base, environment: "Staging", freezes: [{ ...all[0]!, environment: "staging" }] }).decision).toBe("deny");
  });
  it("a missing postmortem holds feature deploys to gated environments only", () => {
    const missingPostmortem = { incidentTitle: "Outage" };
    expect(decideGate({ ...base, environment: "production", freezes: [], missingPostmortem, now }).decision).toBe("deny");
    expect(decideGate({ ...base, environment: "staging", freezes: [], missingPostmortem, now }).decision).toBe("allow");
  });
});

describe("which overrides and freezes apply (one rule, also held against its SQL prefilter)", () => {
  const at = new Date("2026-11-22T12:00:00Z");
  const o = { id: "o", approvedBy: "a", escalatedTo: null, reason: "r", expiresAt: new Date("2026-11-22T13:00:00Z") };
  it.each([
    // environment of the override, revoked, expires, asked environment, applies
    [null, null, "2026-11-22T13:00:00Z", "production", true],
    ["production", null, "2026-11-22T13:00:00Z", "Production ", true],
    ["staging", null, "2026-11-22T13:00:00Z", "production", false],
    [null, "2026-11-22T11:00:00Z", "2026-11-22T13:00:00Z", "production", false], // revoked
    [null, null, "2026-11-22T12:00:00Z", "production", false], // expires exactly now: over
  ] as const)("override for %s, revoked %s, until %s, asked for %s: %s", (environment, revokedAt, expiresAt, asked, applies) => {
    expect(overrideApplies({ ...o, environment, revokedAt: revokedAt ? new Date(revokedAt) : null, expiresAt: new Date(expiresAt) }, asked, at)).toBe(applies);
  });
  it.each([
    // environment, starts, ends, cancelled, asked, applies
    [null, "2026-11-22T11:00:00Z", "2026-11-22T13:00:00Z", false, "production", true],
    [null, "2026-11-22T11:00:00Z", "2026-11-22T13:00:00Z", false, "staging", false], // no environment: gated ones only
    [null, "2026-11-22T11:00:00Z", "2026-11-22T13:00:00Z", false, "qa", false], // nor unknown ones
    ["staging", "2026-11-22T11:00:00Z", "2026-11-22T13:00:00Z", false, "STAGING", true],
    [null, "2026-11-22T12:00:01Z", "2026-11-22T13:00:00Z", false, "production", false], // not started
    [null, "2026-11-22T11:00:00Z", "2026-11-22T12:00:00Z", false, "production", false], // ended exactly now
    [null, "2026-11-22T11:00:00Z", "2026-11-22T13:00:00Z", true, "production", false], // cancelled
  ] as const)("freeze for %s from %s to %s (cancelled %s), asked for %s: %s", (environment, startsAt, endsAt, cancelled, asked, applies) => {
    const f = { id: "f", reason: "r", environment, startsAt: new Date(startsAt), endsAt: new Date(endsAt), cancelledAt: cancelled ? at : null };
    expect(freezeApplies(f, defaultPolicy, asked, at)).toBe(applies);
  });
  it("the gate ignores an override that has expired at the instant asked", () => {
    expect(gate(0.05, "feature", { overrides: [{ ...o, expiresAt: now }] })).toMatchObject({ decision: "deny", override: null });
  });
});

describe("fail closed: a stored policy that cannot be read", () => {
  it("denies feature deploys, naming the problem; other changes are judged by the defaults", () => {
    const r = gate(0.9, "feature", { policyProblem: "team policy version 3: thresholds.caution must be below 1 (100%)" });
    expect(r.decision).toBe("deny");
    expect(r.reasons.at(-1)).toBe("the stored policy cannot be read (team policy version 3: thresholds.caution must be below 1 (100%)); feature deploys are denied until a team admin saves the policy again");
    expect(gate(0.9, "security", { policyProblem: "x" }).decision).toBe("allow");
    expect(gate(0.05, "reliability", { policyProblem: "x" }).decision).toBe("allow");
  });
});

describe("an SLO that could not be evaluated", () => {
  it("does not decide; the others do, and it is named", () => {
    const broken: GateSlo = { id: "b", name: "broken", budget: { state: "no_data" }, error: "its stored event counts cannot be summed exactly" };
    const r = gate(0.05, "feature", { slos: [slo("latency", 0.8), broken] });
    expect(r).toMatchObject({ decision: "allow", tier: "normal", decidingSlo: { name: "latency" } });
    expect(r.reasons).toContain("broken could not be evaluated (its stored event counts cannot be summed exactly); the gate judges by the other SLOs");
    expect(gate(0.05, "feature", { slos: [broken] })).toMatchObject({ decision: "warn", tier: "no_data" });
  });
});

describe("a service's standing is the gate's answer for a feature deploy (every surface shows it)", () => {
  const ctx = (extra: Partial<GateInput> = {}) => ({ policy: defaultPolicy, slos: [slo("availability", 0.9)], overrides: [], freezes: [], missingPostmortem: null, ...extra });
  it.each([
    ["normal", {}, "allow", "normal", "Feature deploys to production are allowed"],
    ["caution", { slos: [slo("a", 0.3)] }, "warn", "caution", "Feature deploys to production are allowed with a warning"],
    ["freeze", { slos: [slo("a", 0.05)] }, "deny", "freeze", "Feature deploys to production are denied"],
    ["halted", { slos: [slo("a", 0)] }, "deny", "halted", "Feature deploys to production are denied"],
    ["no data", { slos: [slo("a", null)] }, "warn", "no_data", "Feature deploys to production are allowed with a warning"],
    ["manual freeze", { freezes: [{ id: "f", reason: "holidays", endsAt: new Date("2026-11-23T00:00:00Z"), environment: null }] }, "deny", "freeze", "Feature deploys to production are denied"],
    ["postmortem hold", { missingPostmortem: { incidentId: "i", incidentTitle: "Outage" } }, "deny", "normal", "Feature deploys to production are denied"],
  ] as const)("%s", (_name, extra, decision, tier, headline) => {
    const s = serviceStanding(ctx(extra as Partial<GateInput>), now);
    expect(s).toMatchObject({ decision, tier, headline, environment: "production" });
    expect(s).toMatchObject(decideGate({ ...ctx(extra as Partial<GateInput>), changeType: "feature", environment: "production", now }));
  });
  it("uses the policy's first gated environment", () => {
    expect(serviceStanding(ctx({ policy: { ...defaultPolicy, environments: { gated: ["prod-eu", "prod-us"], ungated: [] } } }), now).headline).toBe("Feature deploys to prod-eu are allowed");
  });
});

describe("the reason that settled a decision (one-line summaries)", () => {
  const until = new Date("2026-11-23T00:00:00Z");
  it.each([
    [{}, 0.9, "availability has 90% of its error budget left: tier normal"],
    [{}, 0.3, "deploy with care: slower rollout, extra review for risky changes"],
    [{}, 0.05, "freeze allows only reliability, p0-fix, security changes, not feature"],
    [{ freezes: [{ id: "f", reason: "holidays", endsAt: until, environment: null }] }, 0.3, "manual freeze until Nov 23, 2026, 00:00 UTC: holidays"],
    [{ missingPostmortem: { incidentTitle: "Outage" } }, 0.9, 'feature deploys wait for the postmortem of "Outage" (published with a P0 action item)'],
    [{ policyProblem: "team policy version 2: noData must be one of allow, warn, deny" }, 0.9, "the stored policy cannot be read (team policy version 2: noData must be one of allow, warn, deny); feature deploys are denied until a team admin saves the policy again"],
    [{ overrides: [{ id: "o", approvedBy: "Dana", escalatedTo: null, reason: "launch", expiresAt: until }] }, 0.05, "override approved by Dana until Nov 23, 2026, 00:00 UTC: launch"],
  ] as const)("%o at %s left", (extra, remaining, because) => {
    const r = gate(remaining, "feature", extra as Partial<GateInput>);
    expect(r.because).toBe(because);
    expect(r.reasons).toContain(because);
  });
});

describe("an SLO whose numbers are uncertain (docs/integrity.md)", () => {
  it.each([
    [0.8, "feature", "allow"],
    [0.3, "feature", "warn"],
    [0.05, "feature", "deny"],
  ] as const)("%s left, %s: still %s, with a reason line", (remaining, change, decision) => {
    const doubtful: GateSlo = { ...slo("availability", remaining), uncertain: ["1-day SLO over 6 hours of data", "the last hour had 3 events"] };
    const r = decideGate({ policy: defaultPolicy, changeType: change, slos: [doubtful], environment: "production", overrides: [], freezes: [], missingPostmortem: null, now });
    expect(r.decision).toBe(decision);
    expect(r.reasons).toContain("availability's numbers are uncertain (1-day SLO over 6 hours of data; the last hour had 3 events); the gate used them as they are");
  });
  it("no line when nothing is uncertain", () => {
    expect(gate(0.8, "feature").reasons.some((x) => x.includes("uncertain"))).toBe(false);
  });
});

// Issue 18: "the policy may react to overdue P0 action items (e.g. feature deploys of that service
// warn or deny while one is overdue by more than N days), shown in the gate's reasons".
describe("overdue P0 action items", () => {
  const item = { id: "ai-1", title: "Add a circuit breaker", dueDate: "2026-11-12", postmortemId: "pm-1", incidentTitle: "Checkout outage" };
  const late = (action: "off" | "warn" | "deny", afterDays: number, remaining: number, extra: Partial<GateInput> = {}) =>
    gate(remaining, "feature", { policy: { ...defaultPolicy, overdueP0: { action, afterDays } }, overdueP0: item, ...extra });

  it.each([
    ["2026-11-21", 1],
    ["2026-11-12", 10],
    ["2026-11-22", 0],
    ["2026-11-23", -1],
  ])("due %s is %i days overdue on 2026-11-22", (due, days) => expect(daysOverdue(due, now)).toBe(days));

  it.each([
    // action, afterDays, remaining, decision
    ["off", 0, 0.8, "allow"],
    ["warn", 7, 0.8, "warn"],
    ["warn", 10, 0.8, "allow"], // 10 days is not more than 10
    ["deny", 9, 0.8, "deny"],
    ["warn", 7, 0.05, "deny"], // a warning never eases a budget deny
    ["deny", 7, 0.3, "deny"], // caution's warning becomes a deny
  ] as const)("%s after %i days, %f left: %s", (action, afterDays, remaining, decision) => {
    expect(late(action, afterDays, remaining).decision).toBe(decision);
  });

  it("names the item, its incident, how late it is and the rule, as a reason and a blocker", () => {
    const r = late("deny", 7, 0.8);
    const text = 'P0 action item "Add a circuit breaker" from the postmortem of "Checkout outage" is 10 days overdue (due 2026-11-12); the policy denies feature deploys while a P0 action item is more than 7 days overdue';
    expect([r.because, r.reasons.at(-1)]).toEqual([text, text]);
    expect(r.blockers).toEqual([{ kind: "action_item", text, decision: "deny", item }]);
  });

  it("judges feature deploys to gated environments only; an override lifts it as any deny", () => {
    expect(gate(0.8, "reliability", { policy: { ...defaultPolicy, overdueP0: { action: "deny", afterDays: 0 } }, overdueP0: item }).decision).toBe("allow");
    expect(late("deny", 0, 0.8, { environment: "staging" }).decision).toBe("allow");
    const override = { id: "o", approvedBy: "Dana", escalatedTo: null, reason: "hotfix", expiresAt: new Date("2026-11-22T13:00:00Z") };
    expect(late("deny", 0, 0.8, { overrides: [override] })).toMatchObject({ decision: "allow", override: { id: "o" } });
  });

  it("is listed among policy changes", () => {
    expect(describePolicyChanges(defaultPolicy, { ...defaultPolicy, overdueP0: { action: "warn", afterDays: 3 } })).toEqual(["overdue P0 action items: off → warn after 3 days"]);
  });
});
