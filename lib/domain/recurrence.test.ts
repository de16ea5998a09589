// Recurrence (issue 18): an SLO burns more than a threshold again while an action item from an
// earlier incident on it is still open. The threshold is 5 % of the error budget (recurrence.ts).
import { describe, expect, it } from "vitest";
import { findRecurrences, RECURRENCE_BUDGET_SHARE, type OpenFollowUp } from "./recurrence";

const t = (iso: string) => new Date(iso);
const incident = (impact: { sloId: string; budgetSpent: number | null }[]) => ({ incidentId: "new", startedAt: t("2026-11-20T10:00:00Z"), impact });
const item = (itemId: string, incidentId: string, started: string, sloIds: string[]): OpenFollowUp => ({ itemId, incidentId, incidentStartedAt: t(started), sloIds });

describe("findRecurrences", () => {
  it("is 5 % of the budget, a quarter of the postmortem threshold", () => expect(RECURRENCE_BUDGET_SHARE).toBe(0.05));

  it.each([
    ["a burn of exactly 5 % on the same SLO recurs", [{ sloId: "a", budgetSpent: 0.05 }], [item("i1", "old", "2026-11-01T00:00:00Z", ["a"])], [{ itemId: "i1", sloId: "a", budgetSpent: 0.05 }]],
    ["4.9 % is a blip, not a recurrence", [{ sloId: "a", budgetSpent: 0.049 }], [item("i1", "old", "2026-11-01T00:00:00Z", ["a"])], []],
    ["no data on the SLO: nothing is known to have burned", [{ sloId: "a", budgetSpent: null }], [item("i1", "old", "2026-11-01T00:00:00Z", ["a"])], []],
    ["another SLO burned: not this item's lesson", [{ sloId: "b", budgetSpent: 0.5 }], [item("i1", "old", "2026-11-01T00:00:00Z", ["a"])], []],
    ["the item's own incident does not recur on itself", [{ sloId: "a", budgetSpent: 0.5 }], [item("i1", "new", "2026-11-01T00:00:00Z", ["a"])], []],
    ["an item from a later incident is not a lesson this one ignored", [{ sloId: "a", budgetSpent: 0.5 }], [item("i1", "later", "2026-11-21T00:00:00Z", ["a"])], []],
    [
      "an item on two burned SLOs is linked once, to the SLO it spent most of",
      [
        { sloId: "a", budgetSpent: 0.1 },
        { sloId: "b", budgetSpent: 0.3 },
      ],
      [item("i1", "old", "2026-11-01T00:00:00Z", ["a", "b"]), item("i2", "older", "2026-10-01T00:00:00Z", ["a"])],
      [
        { itemId: "i1", sloId: "b", budgetSpent: 0.3 },
        { itemId: "i2", sloId: "a", budgetSpent: 0.1 },
      ],
    ],
  ])("%s", (_name, impact, items, expected) => {
    expect(findRecurrences(incident(impact), items)).toEqual(expected);
  });
});
