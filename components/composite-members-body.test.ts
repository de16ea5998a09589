// Member rows into the API's body, and the API's errors back onto the rows (docs/composite-slos.md).
import { describe, expect, it } from "vitest";
import { membersFromRows, rowError } from "./composite-members-body";

describe("membersFromRows", () => {
  it("leaves empty rows out and remembers each member's row", () => {
    const r = membersFromRows([
      { ref: "shop/availability", weight: 2 },
      { ref: undefined, weight: undefined },
      { ref: "cart", weight: undefined },
      { ref: undefined, weight: 5 },
    ]);
    expect(r.members).toEqual([{ service: "shop", slo: "availability", weight: 2 }, { slo: "cart" }]);
    expect(r.rowOf).toEqual([0, 2]);
  });
  it.each([
    // errors as the API keys them, the row, the field, what the row shows
    [{ "members.1.slo": "no such SLO in that service" }, 2, "slo", "no such SLO in that service"],
    [{ "members.1.slo": "no such SLO in that service" }, 1, "slo", undefined], // the empty row in between says nothing
    [{ "members.0.weight": "The weight must be above 0" }, 0, "weight", "The weight must be above 0"],
    [{ "members.0.service": "no such service in this team" }, 2, "service", undefined],
  ] as const)("%o on row %i (%s): %s", (errors, row, field, shown) => {
    const { rowOf } = membersFromRows([{ ref: "a", weight: undefined }, { ref: undefined, weight: undefined }, { ref: "b", weight: undefined }]);
    expect(rowError(errors, rowOf, row, field)).toBe(shown);
  });
});
