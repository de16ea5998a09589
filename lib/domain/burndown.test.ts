import { describe, expect, it } from "vitest";
import { parseObjective } from "./budget";
import { budgetSpentByInterval, burndown, chartStepMinutes, sliSeries, type Bucket } from "./burndown";

const o = parseObjective("0.99");
const start = new Date("2026-01-01T00:00:00Z");
const day = (i: number, good: number, total: number): Bucket => ({ start: new Date(start.getTime() + i * 86_400_000), good, total });

describe("burndown", () => {
  it("ends at the SLO's remaining budget, with an ideal line from 100 % to 0 %", () => {
    // 4-day period, 1,000 events a day; allowed bad over the 4 days = 1 % of 4,000 = 40.
    const points = burndown(o, start, 4 * 1440, [day(0, 990, 1000), day(1, 1000, 1000), day(2, 980, 1000), day(3, 1000, 1000)], 1440);
    expect(points.map((p) => p.ideal)).toEqual([0.75, 0.5, 0.25, 0]);
    expect(points.map((p) => p.remaining)).toEqual([0.75, 0.75, 0.25, 0.25]);
    expect(points[3]!.at.toISOString()).toBe("2026-01-05T00:00:00.000Z");
  });

  it("goes negative once the budget is overspent", () => {
    const points = burndown(o, start, 2 * 1440, [day(0, 900, 1000), day(1, 1000, 1000)], 1440);
    expect(points.at(-1)!.remaining).toBe(-4); // 100 bad against 20 allowed
  });

  it("is null (no data) before the first event, never NaN", () => {
    const points = burndown(o, start, 2 * 1440, [day(0, 0, 0), day(1, 1000, 1000)], 1440);
    expect(points[0]!.remaining).toBeNull();
    expect(points[1]!.remaining).toBe(1);
    expect(burndown(o, start, 1440, [day(0, 0, 0)], 1440)[0]!.remaining).toBeNull();
  });
});

describe("budgetSpentByInterval (bad in interval / allowed bad of the window)", () => {
  it("an incident with 230 bad events in a window allowing 1,000 spent 23 %", () => {
    expect(budgetSpentByInterval(parseObjective("0.999"), { good: 9770, total: 10_000 }, { good: 999_000, total: 1_000_000 })).toBe(0.23);
  });
  it("no events in the window: no data", () => {
    expect(budgetSpentByInterval(o, { good: 0, total: 0 }, { good: 0, total: 0 })).toBeNull();
  });
});

describe("series for the SLI chart", () => {
  it("gives the SLI and burn rate per step, null where there were no events", () => {
    const o = parseObjective("0.999");
    const start = new Date("2026-01-01T00:00:00Z");
    const pts = sliSeries(o, [
      { start, good: 998, total: 1000 },
      { start: new Date(start.getTime() + 60_000), good: 0, total: 0 },
    ]);
    expect(pts[0]).toEqual({ at: start, good: 998, bad: 2, total: 1000, sli: 0.998, burnRate: 2, objective: o }); // 0.2 % bad / 0.1 % budget
    expect(pts[1]!.sli).toBeNull();
    expect(pts[1]!.burnRate).toBeNull();
  });

  it("judges each step by the objective in force at its start (definition history)", () => {
    const start = new Date("2026-01-01T00:00:00Z");
    const changed = new Date(start.getTime() + 60_000);
    const objectiveAt = (at: Date) => parseObjective(at < changed ? "0.999" : "0.99");
    const pts = sliSeries(objectiveAt, [
      { start, good: 990, total: 1000 },
      { start: changed, good: 990, total: 1000 },
    ]);
    // 1 % bad: a burn rate of 10 against a 0.1 % budget, then 1 against 1 % (docs/domain.md "Burn rate").
    expect(pts.map((p) => [p.objective.text, p.burnRate])).toEqual([["0.999", 10], ["0.99", 1]]);
  });

  it.each([
    [6 * 60, 1], // 6 h: 360 one-minute points
    [24 * 60, 5], // 1 d: 288 five-minute points
    [7 * 1440, 60], // 7 d: 168 hourly points
    [30 * 1440, 180], // 30 d: 240 three-hour points
    [90 * 1440, 360],
    [400 * 1440, 1440],
  ])("a range of %i minutes is drawn in steps of %i minutes", (minutes, step) => {
    const from = new Date("2026-01-01T00:00:00Z");
    expect(chartStepMinutes(from, new Date(from.getTime() + minutes * 60_000))).toBe(step);
  });
});
