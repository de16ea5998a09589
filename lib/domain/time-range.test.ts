import { describe, expect, it } from "vitest";
import { rangeBounds } from "./time-range";

describe("chart range bounds", () => {
  const now = new Date("2026-11-22T12:00:00Z");
  it.each([
    ["6h", "2026-11-22T06:00:00.000Z"],
    ["1d", "2026-11-21T12:00:00.000Z"],
    ["7d", "2026-11-15T12:00:00.000Z"],
  ] as const)("%s ends now and starts at %s", (preset, from) => {
    const b = rangeBounds({ preset }, now);
    expect(b.from!.toISOString()).toBe(from);
    expect(b.to).toEqual(now);
  });
  it("the whole window leaves the bounds to the SLO; a custom range is kept as given", () => {
    expect(rangeBounds({ preset: "window" }, now)).toEqual({});
    const from = new Date("2026-01-01T00:00:00Z");
    expect(rangeBounds({ preset: "custom", from, to: now }, now)).toEqual({ from, to: now });
  });
});
