// "To get through" against the policy table of docs/domain.md (> 50 % normal, 10-50 % caution,
// < 10 % freeze, <= 0 halted; freeze allows reliability, P0 and security fixes, halted only P0
// and security fixes; a halt needs an escalated override) and the burn-rate arithmetic of
// docs/domain.md "Terms" (burn rate 1 spends the budget exactly by the end of the window).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideGate, defaultPolicy, type BudgetRecovery, type ChangeType, type GateInput, type GateSlo } from "./policy";
import { budgetRecoveryMinutes, wayThrough, type WayStep } from "./way-through";

const now = new Date("2026-12-03T12:00:00Z");
const DAY = 1440;
const rolling30 = (burnRate: number): BudgetRecovery => ({ burnRate, periodMinutes: 30 * DAY, resetsAt: null, elapsedMinutes: 30 * DAY });
const slo = (name: string, remaining: number | null, recovery?: BudgetRecovery): GateSlo => ({
  id: `id-${name}`,
  name,
  budget: remaining === null ? { state: "no_data" } : { state: "ok", remaining, sli: 0.999 },
  recovery,
});
const input = (slos: GateSlo[], changeType: ChangeType = "feature", extra: Partial<GateInput> = {}): GateInput => ({
  policy: defaultPolicy,
  changeType,
  slos,
  environment: "production",
  overrides: [],
  freezes: [],
  missingPostmortem: null,
  admins: ["Ada Admin"],
  now,
  ...extra,
});
const through = (i: GateInput) => wayThrough(i, decideGate(i));
const step = <K extends WayStep["kind"]>(steps: WayStep[], kind: K) => steps.find((s): s is Extract<WayStep, { kind: K }> => s.kind === kind);

describe("budgetRecoveryMinutes", () => {
  it.each([
    // A 30-day rolling window 96 % spent (4 % left) needs 10 % left; spent share C(t) = 0.96 (1 - t/W) + b t/W.
    // b = 0.5: t = 43,200 x (0.96 - 0.9) / (0.96 - 0.5) = 5,634.8 min (3 d 21 h).
    [0.04, 0.1, rolling30(0.5), 5634.78],
    // b = 0: nothing new is spent, t = 43,200 x 0.06 / 0.96 = 2,700 min.
    [0.04, 0.1, rolling30(0), 2700],
    // Overspent by 20 %: t = 43,200 x (1.2 - 0.9) / (1.2 - 0) = 10,800 min (a quarter of the window).
    [-0.2, 0.1, rolling30(0), 10800],
    // Already there.
    [0.2, 0.1, rolling30(3), 0],
  ])("%s left, target %s: about %s minutes", (remaining, target, r, minutes) => {
    expect(budgetRecoveryMinutes(remaining, target, r, now)).toBeCloseTo(minutes, 1);
  });

  it("a burn rate at or above what the target allows never brings the budget back in a rolling window", () => {
    // To keep 10 % the window may spend 90 %: a burn rate of 0.9 holds the spent share at 90 % at best.
    expect(budgetRecoveryMinutes(0.04, 0.1, rolling30(0.9), now)).toBeNull();
    expect(budgetRecoveryMinutes(0.04, 0.1, rolling30(2), now)).toBeNull();
  });

  it("a calendar window: new good traffic dilutes what was spent, and the reset makes the budget whole", () => {
    const resetsAt = new Date(now.getTime() + 10 * DAY * 60_000);
    // 20 days elapsed, 96 % spent, b = 0.5: t = 28,800 x 0.06 / (0.9 - 0.5) = 4,320 min (3 d), before the reset.
    expect(budgetRecoveryMinutes(0.04, 0.1, { burnRate: 0.5, periodMinutes: 30 * DAY, resetsAt, elapsedMinutes: 20 * DAY }, now)).toBeCloseTo(4320, 1);
    // Burning too fast to dilute: the reset, 10 days away, is what brings it back.
    expect(budgetRecoveryMinutes(0.04, 0.1, { burnRate: 0.95, periodMinutes: 30 * DAY, resetsAt, elapsedMinutes: 20 * DAY }, now)).toBe(10 * DAY);
  });
});

describe("wayThrough", () => {
  it("is null when the deploy passes as asked", () => {
    expect(through(input([slo("availability", 0.8)]))).toBeNull();
    expect(through(input([slo("availability", 0.05)], "reliability"))).toBeNull();
  });

  it("a feature deploy in freeze: the fixes that pass, the budget to win back and how long, and the override", () => {
    const w = through(input([slo("availability", 0.04, rolling30(0.5))]))!;
    expect(w.decision).toBe("deny");
    expect(w.because.map((b) => b.kind)).toEqual(["budget"]);
    expect(w.because[0]).toMatchObject({ slo: { id: "id-availability", name: "availability" }, tier: "freeze" });
    expect(step(w.steps, "change_types")!.changeTypes).toEqual(["reliability", "p0-fix", "security"]);
    const b = step(w.steps, "budget")!;
    expect(b.target).toBe(0.1);
    expect(b.needed).toBeCloseTo(0.06, 10);
    expect(b.etaMinutes).toBeCloseTo(5634.78, 1);
    expect(b.text).toBe("availability needs 6% of its budget back (4% left; 10% or more is tier caution): at the current burn rate (0.5× over the last hour) that takes about 3d 21h");
    expect(step(w.steps, "override")).toMatchObject({ admins: ["Ada Admin"], maxHours: 24, escalation: false });
  });

  it("halted: only P0 and security fixes pass, and an override must be escalated", () => {
    const w = through(input([slo("availability", -0.2, rolling30(2))]))!;
    expect(step(w.steps, "change_types")!.changeTypes).toEqual(["p0-fix", "security"]);
    const b = step(w.steps, "budget")!;
    expect(b.needed).toBeCloseTo(0.3, 10);
    expect(b.etaMinutes).toBeNull();
    expect(b.text).toContain("the burn rate must fall below 0.9× first");
    expect(step(w.steps, "override")!.escalation).toBe(true);
  });

  it("names every SLO below the target, not only the worst", () => {
    const w = through(input([slo("latency", 0.07), slo("availability", 0.02), slo("freshness", 0.6)]))!;
    expect(w.steps.filter((s) => s.kind === "budget").map((s) => (s as { slo: { name: string } }).slo.name)).toEqual(["latency", "availability"]);
  });

  it("a caution warning: the budget that makes it a clean allow, no override needed", () => {
    const w = through(input([slo("availability", 0.3, rolling30(0))]))!;
    expect(w.decision).toBe("warn");
    expect(w.steps.map((s) => s.kind)).toEqual(["budget"]);
    expect(step(w.steps, "budget")!.text).toMatch(/^availability needs 20% of its budget back \(30% left; more than 50% is tier normal\)/);
  });

  it("a manual freeze: when it ends, with the change types it lets through", () => {
    const endsAt = new Date(now.getTime() + 26 * 3_600_000);
    const w = through(input([slo("availability", 0.9)], "feature", { freezes: [{ id: "f1", reason: "year-end", endsAt, environment: null }] }))!;
    expect(w.because).toEqual([{ kind: "freeze", text: "manual freeze until Dec 4, 2026, 14:00 UTC: year-end", decision: "deny", freeze: { id: "f1", endsAt, reason: "year-end" } }]);
    expect(step(w.steps, "freeze_ends")).toMatchObject({ freezeId: "f1", endsAt, text: "the freeze ends on Dec 4, 2026, 14:00 UTC, in 1d 2h (a team admin can end it sooner)" });
    expect(step(w.steps, "change_types")!.changeTypes).toEqual(["reliability", "p0-fix", "security"]);
  });

  it("a missing postmortem: publish it with a P0 action item; other change types pass", () => {
    const w = through(input([slo("availability", 0.9)], "feature", { missingPostmortem: { incidentId: "i1", incidentTitle: "Checkout down" } }))!;
    expect(w.because.map((b) => b.kind)).toEqual(["postmortem"]);
    expect(step(w.steps, "postmortem")).toMatchObject({ incidentId: "i1", text: 'publish the postmortem of "Checkout down" with at least one P0 action item' });
    expect(step(w.steps, "change_types")!.changeTypes).toEqual(["reliability", "p0-fix", "security", "config", "rollback"]);
  });

  it("an unknown or archived service: what to set up (the policy warns by default, denies if it says so)", () => {
    const policy = { ...defaultPolicy, unknownService: "deny" as const };
    expect(step(through(input([], "feature", { slos: null, policy }))!.steps, "setup")!.text).toBe("check the service name, or create the service in Burnrate with an SLO");
    expect(step(through(input([], "feature", { slos: null, policy, archivedService: "shop" }))!.steps, "setup")!.text).toBe("a team editor restores the archived service shop");
  });

  it("a deny lifted by an override is an allow: nothing to get through", () => {
    const o = { id: "o", approvedBy: "Ada", escalatedTo: null, reason: "launch", expiresAt: new Date(now.getTime() + 3_600_000), environment: null };
    expect(through(input([slo("availability", 0.04)], "feature", { overrides: [o] }))).toBeNull();
  });

  it("never disagrees with the gate: each budget step's target, once reached, lets the change through", () => {
    const changes: ChangeType[] = ["feature", "reliability", "p0-fix", "security", "config", "rollback"];
    fc.assert(
      fc.property(fc.double({ min: -2, max: 1, noNaN: true }), fc.double({ min: -2, max: 1, noNaN: true }), fc.constantFrom(...changes), (a, b, change) => {
        const i = input([slo("a", a), slo("b", b)], change);
        const r = decideGate(i);
        const w = wayThrough(i, r);
        if (!w) return r.decision === "allow";
        const budgets = w.steps.filter((s) => s.kind === "budget") as Extract<WayStep, { kind: "budget" }>[];
        if (budgets.length === 0) return true;
        const fixed = decideGate({ ...i, slos: i.slos!.map((s) => { const st = budgets.find((x) => x.slo.id === s.id); return st ? slo(s.name, st.target) : s; }) });
        return r.decision === "deny" ? fixed.decision !== "deny" : fixed.decision === "allow";
      }),
      { numRuns: 2000 },
    );
  });

  it("the change types it lists are exactly those the gate passes", () => {
    for (const remaining of [0.6, 0.3, 0.05, -0.1]) {
      const i = input([slo("availability", remaining)], "config");
      const w = through(i);
      const listed = w && step(w.steps, "change_types") ? step(w.steps, "change_types")!.changeTypes : [];
      const passing = (["feature", "reliability", "p0-fix", "security", "rollback"] as const).filter((c) => decideGate({ ...i, changeType: c }).decision !== "deny");
      if (w?.decision === "deny") expect(listed).toEqual(passing);
    }
  });
});
