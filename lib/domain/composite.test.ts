// The composite's per-minute rule (docs/composite-slos.md), with answers worked by hand.
// Burn rate = error ratio / (1 − objective) (SRE Workbook ch. 5, "Alerting on SLOs"; docs/domain.md);
// weights normalised over the members that count (Nobl9 composite SLOs 2.0; OpenSLO v1
// `compositeWeight`, default 1); late members per whenDelayed (Nobl9: Ignore, CountAsGood, CountAsBad).
import { describe, expect, it } from "vitest";
import { compositeMinute, describeLateRule, describeMissing, findCycle, materialisableUntil, type MemberMinute, type WhenDelayed } from "./composite";

const A = (over: Partial<MemberMinute> = {}): MemberMinute => ({ id: "A", weight: 1, objective: 0.99, state: "data", good: 990, total: 1000, ...over });
const B = (over: Partial<MemberMinute> = {}): MemberMinute => ({ id: "B", weight: 1, objective: 0.999, state: "data", good: 998, total: 1000, ...over });

describe("compositeMinute: known answers", () => {
  const cases: { name: string; members: MemberMinute[]; objective: number; when: WhenDelayed; want: { good: number; total: number; burn: number; missing: string[] } | null }[] = [
    // A: e = 10/1000 = 0.01, b = 0.01/0.01 = 1. B: e = 2/1000 = 0.002, b = 0.002/0.001 = 2.
    // b = (1 + 2)/2 = 1.5; e_c = 1.5 × 0.001 = 0.0015; total 2000, bad = 3.
    { name: "equal weights", members: [A(), B()], objective: 0.999, when: "ignore", want: { good: 1997, total: 2000, burn: 1.5, missing: [] } },
    // b = (3×1 + 1×2)/4 = 1.25; e_c = 0.00125; bad = 2000 × 0.00125 = 2.5, rounded half up to 3.
    { name: "weights 3:1, half rounds up", members: [A({ weight: 3 }), B()], objective: 0.999, when: "ignore", want: { good: 1997, total: 2000, burn: 1.25, missing: [] } },
    // Weights are normalised: 6:2 is the same composite as 3:1.
    { name: "weights 6:2 = 3:1", members: [A({ weight: 6 }), B({ weight: 2 })], objective: 0.999, when: "ignore", want: { good: 1997, total: 2000, burn: 1.25, missing: [] } },
    // A alone: 4000 events, 40 bad, b = 1; e_c = 0.001; bad = 4.
    { name: "B late, ignore: A alone", members: [A({ good: 3960, total: 4000 }), B({ state: "missing", good: 0, total: 0 })], objective: 0.999, when: "ignore", want: { good: 3996, total: 4000, burn: 1, missing: ["B"] } },
    // b = (1 + 0)/2 = 0.5; e_c = 0.0005; bad = 2.
    { name: "B late, count as good", members: [A({ good: 3960, total: 4000 }), B({ state: "missing", good: 0, total: 0 })], objective: 0.999, when: "count_as_good", want: { good: 3998, total: 4000, burn: 0.5, missing: ["B"] } },
    // B all bad: b_B = 1/0.001 = 1000; b = (1 + 1000)/2 = 500.5; e_c = 0.5005; bad = 2002.
    { name: "B late, count as bad", members: [A({ good: 3960, total: 4000 }), B({ state: "missing", good: 0, total: 0 })], objective: 0.999, when: "count_as_bad", want: { good: 1998, total: 4000, burn: 500.5, missing: ["B"] } },
    // A quiet member sits out, and is not "missing".
    { name: "B no events", members: [A({ good: 3960, total: 4000 }), B({ state: "no_events", good: 0, total: 0 })], objective: 0.999, when: "count_as_bad", want: { good: 3996, total: 4000, burn: 1, missing: [] } },
    // Burn 1000 × (1 − 0.99) = 10 > 1: the error ratio is capped at 1, every event bad.
    { name: "error ratio capped at 1", members: [B({ good: 0, total: 50 })], objective: 0.99, when: "ignore", want: { good: 0, total: 50, burn: 1000, missing: [] } },
    { name: "all healthy", members: [A({ good: 1000 }), B({ good: 1000 })], objective: 0.999, when: "ignore", want: { good: 2000, total: 2000, burn: 0, missing: [] } },
    // No member has events: no bucket, even when the missing ones count as bad (no invented traffic).
    { name: "all missing", members: [A({ state: "missing", good: 0, total: 0 }), B({ state: "missing", good: 0, total: 0 })], objective: 0.999, when: "count_as_bad", want: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = compositeMinute(c.members, c.objective, c.when);
      if (c.want === null) return expect(got).toBeNull();
      expect(got).not.toBeNull();
      expect({ good: got!.good, total: got!.total, missing: got!.missing }).toEqual({ good: c.want.good, total: c.want.total, missing: c.want.missing });
      expect(got!.burn).toBeCloseTo(c.want.burn, 9);
    });
  }
});

describe("materialisableUntil", () => {
  const now = new Date("2026-12-04T12:00:30Z");
  const t = (hm: string) => new Date(`2026-12-04T${hm}:00Z`);
  const cases: { name: string; through: (Date | null)[]; delay: number; want: Date }[] = [
    { name: "all members current: the earliest", through: [t("11:58"), t("12:00")], delay: 10, want: t("11:58") },
    { name: "a member 20 min late: the bound (now − 10 min)", through: [t("11:40"), t("12:00")], delay: 10, want: t("11:50") },
    { name: "a member with no data: the bound", through: [null, t("12:00")], delay: 10, want: t("11:50") },
    { name: "never past the unfinished minute", through: [t("12:05"), t("12:03")], delay: 10, want: t("12:00") },
    { name: "no members: the current minute", through: [], delay: 10, want: t("12:00") },
    { name: "bound of a day", through: [null], delay: 1440, want: new Date("2026-12-03T12:00:00Z") },
  ];
  for (const c of cases) it(c.name, () => expect(materialisableUntil(c.through, now, c.delay)).toEqual(c.want));
});

describe("findCycle", () => {
  const edges = new Map<string, string[]>([
    ["C1", ["A", "C2"]],
    ["C2", ["B"]],
  ]);
  const cases: { name: string; composite: string; members: string[]; want: string[] | null }[] = [
    { name: "self", composite: "C3", members: ["C3"], want: ["C3", "C3"] },
    { name: "through another composite", composite: "C2", members: ["B", "C1"], want: ["C2", "C1", "C2"] },
    { name: "plain members", composite: "C3", members: ["A", "C1"], want: null },
    { name: "diamond is not a cycle", composite: "C3", members: ["C1", "C2"], want: null },
  ];
  for (const c of cases) it(c.name, () => expect(findCycle(edges, c.composite, c.members)).toEqual(c.want));
});

describe("sentences", () => {
  it("late rule", () =>
    expect(describeLateRule(10, "ignore")).toBe(
      "A member's minute is waited for up to 10 minutes; after that a member still without data is left out (counted as missing) for that minute, and the minute is recomputed if its data arrives later.",
    ));
  it("missing member", () => expect(describeMissing("payments/availability", 1, "count_as_bad")).toBe("Member payments/availability was late or missing for 1 minute in the window, counted as bad."));
});
