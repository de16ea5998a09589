import { describe, expect, it } from "vitest";
import { tierOf, type Tier } from "./tier";

// docs/domain.md, "Error budget policy (freeze)": > 50 % normal, 10 - 50 % caution, < 10 % freeze, <= 0 halted.
describe("tierOf (default thresholds)", () => {
  const table: [number, Tier][] = [
    [1, "normal"],
    [0.5000001, "normal"],
    [0.5, "caution"],
    [0.25, "caution"],
    [0.1, "caution"],
    [0.0999, "freeze"],
    [0.0001, "freeze"],
    [0, "halted"],
    [-0.4, "halted"],
  ];
  it.each(table)("remaining %d -> %s", (remaining, tier) => {
    expect(tierOf({ state: "ok", remaining, sli: 0.999 })).toBe(tier);
  });
  it("no data has no tier", () => expect(tierOf({ state: "no_data" })).toBe("no_data"));
  it("honours custom thresholds", () => {
    expect(tierOf({ state: "ok", remaining: 0.6, sli: 1 }, { caution: 0.7, freeze: 0.2 })).toBe("caution");
    expect(tierOf({ state: "ok", remaining: 0.15, sli: 1 }, { caution: 0.7, freeze: 0.2 })).toBe("freeze");
  });
});
