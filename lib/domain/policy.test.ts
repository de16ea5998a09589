// The deploy gate against DOMAIN.md's policy table: tier by remaining budget (> 50 % normal,
// 10-50 % caution, < 10 % freeze, <= 0 halted), what each tier lets through, worst SLO decides.
import { describe, expect, it } from "vitest";
import { decideGate, defaultPolicy, worstSlo, type ChangeType, type GateInput, type GateSlo } from "./policy";

const slo = (name: string, remaining: number | null): GateSlo => ({
  id: name,
  name,
  budget: remaining === null ? { state: "no_data" } : { state: "ok", remaining, sli: 0.999 },
});
const gate = (remaining: number | null, changeType: ChangeType, extra: Partial<GateInput> = {}) =>
  decideGate({ policy: defaultPolicy, changeType, slos: [slo("availability", remaining)], overrides: [], freezes: [], missingPostmortem: null, ...extra });

describe("the gate by tier (DOMAIN.md table)", () => {
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
    expect(decideGate({ policy: defaultPolicy, changeType: "feature", slos: [], overrides: [], freezes: [], missingPostmortem: null })).toMatchObject({
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
    const r = decideGate({ policy: defaultPolicy, changeType: "feature", slos, overrides: [], freezes: [], missingPostmortem: null });
    expect(r).toMatchObject({ decision: "deny", tier: "freeze", decidingSlo: { name: "availability" } });
  });
});

describe("overrides, freezes and postmortems", () => {
  const until = new Date("2026-11-23T00:00:00Z");
  it("an override turns a deny into an allow and is named", () => {
    const r = gate(0.05, "feature", { overrides: [{ id: "o1", approvedBy: "amara", reason: "launch agreed with the CTO", expiresAt: until }] });
    expect(r.decision).toBe("allow");
    expect(r.override?.id).toBe("o1");
    expect(r.reasons.at(-1)).toBe("override by amara until 2026-11-23T00:00:00.000Z: launch agreed with the CTO");
  });
  it("an override is not used when nothing is denied", () => {
    expect(gate(0.8, "feature", { overrides: [{ id: "o1", approvedBy: "a", reason: "r", expiresAt: until }] }).override).toBeNull();
  });
  it("a manual freeze has the gate effect of a budget freeze", () => {
    const freezes = [{ id: "f1", reason: "holiday freeze", endsAt: until }];
    expect(gate(0.9, "feature", { freezes })).toMatchObject({ decision: "deny", tier: "freeze" });
    expect(gate(0.9, "security", { freezes })).toMatchObject({ decision: "allow", tier: "freeze" });
    expect(gate(-0.1, "reliability", { freezes })).toMatchObject({ decision: "deny", tier: "halted" }); // the budget is worse
  });
  it("a required postmortem not yet published blocks feature deploys only", () => {
    const missingPostmortem = { incidentTitle: "Card authorisations failing" };
    expect(gate(0.9, "feature", { missingPostmortem })).toMatchObject({ decision: "deny" });
    expect(gate(0.9, "config", { missingPostmortem })).toMatchObject({ decision: "allow" });
    expect(decideGate({ policy: { ...defaultPolicy, missingPostmortemBlocksFeatures: false }, changeType: "feature", slos: [slo("a", 0.9)], overrides: [], freezes: [], missingPostmortem }).decision).toBe("allow");
  });
});
