// The canary judge's numbers for people (lib/domain/format.ts, docs/canary-judge.md).
import { describe, expect, it } from "vitest";
import { formatPointShift, formatPValue, formatScore } from "./format";

describe("canary formatters", () => {
  it.each([
    [100, "100"],
    [87.5, "87.5"],
    [66.66666, "66.7"],
    [0, "0"],
    [null, "—"],
    [Number.NaN, "—"],
  ])("formatScore(%s) = %s", (v, want) => expect(formatScore(v)).toBe(want));

  // Two significant digits, as the judge's own reasons print them (lib/domain/canary-judge.ts formatP).
  it.each([
    [1, "1"],
    [0.24527811680677303, "0.25"],
    [0.012345, "0.012"],
    [0.0001, "0.0001"],
    [0.00009, "< 0.0001"],
    [null, "—"],
  ])("formatPValue(%s) = %s", (v, want) => expect(formatPValue(v)).toBe(want));

  it.each([
    [0.0123, "+1.23 pp"],
    [-0.002, "−0.2 pp"],
    [0.29633333, "+29.633 pp"],
    [0, "±0 pp"],
    [-0.0000001, "±0 pp"],
    [null, "—"],
    [Number.POSITIVE_INFINITY, "—"],
  ])("formatPointShift(%s) = %s", (v, want) => expect(formatPointShift(v)).toBe(want));
});
