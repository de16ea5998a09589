import { describe, expect, it } from "vitest";
import { formatCount, formatObjective, formatPercent, formatWindow } from "./format";

describe("formatPercent", () => {
  it.each([
    [0.9995, "99.95%"],
    [0.5, "50%"],
    [1, "100%"],
    [-0.125, "-12.5%"],
    [0.123456, "12.35%"],
    [0.00001, "0%"],
    [-0.00001, "0%"],
    [Number.NaN, "—"],
    [Number.POSITIVE_INFINITY, "—"],
  ])("%d -> %s", (f, s) => expect(formatPercent(f)).toBe(s));
});

describe("formatObjective", () => {
  it.each([
    ["0.999", "99.9%"],
    ["0.99900000", "99.9%"],
    ["0.9995", "99.95%"],
    ["0.99", "99%"],
    ["0.95", "95%"],
    ["0.5", "50%"],
    ["0.99999999", "99.999999%"],
  ])("%s -> %s", (o, s) => expect(formatObjective(o)).toBe(s));
});

describe("formatCount", () => {
  it("separates thousands", () => expect(formatCount(1234567)).toBe("1,234,567"));
});

describe("formatWindow", () => {
  it.each([
    [{ kind: "rolling" as const, days: 30 }, "30 days rolling"],
    [{ kind: "rolling" as const, days: 1 }, "1 day rolling"],
    [{ kind: "calendar" as const, unit: "month" as const, timeZone: "UTC" }, "calendar month"],
    [{ kind: "calendar" as const, unit: "quarter" as const, timeZone: "Europe/Berlin" }, "calendar quarter (Europe/Berlin)"],
  ])("%j -> %s", (w, s) => expect(formatWindow(w)).toBe(s));
});
