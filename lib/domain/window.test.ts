import { describe, expect, it } from "vitest";
import { complianceWindow, isValidTimeZone, minuteOf, splitByDays, splitByHours } from "./window";

const at = new Date("2026-03-29T12:34:56Z");

describe("complianceWindow", () => {
  it("rolling 30 days ends at the instant and spans 43,200 minutes", () => {
    const w = complianceWindow({ kind: "rolling", days: 30 }, at);
    expect(w.start.toISOString()).toBe("2026-02-27T12:34:56.000Z");
    expect(w.end).toBe(at);
    expect(w.periodMinutes).toBe(43_200);
  });

  it("rolling 28 days spans 40,320 minutes", () => {
    expect(complianceWindow({ kind: "rolling", days: 28 }, at).periodMinutes).toBe(40_320);
  });

  // docs/domain.md: "A month" is a calendar month, not 30 days.
  it.each([
    ["UTC", "2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z", 31 * 1440],
    // Berlin: March starts at CET (+01:00); DST begins on 29 March, so the month is one hour short.
    ["Europe/Berlin", "2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z", 31 * 1440 - 60],
    ["America/New_York", "2026-03-01T05:00:00.000Z", "2026-04-01T04:00:00.000Z", 31 * 1440 - 60],
    ["Asia/Kolkata", "2026-02-28T18:30:00.000Z", "2026-03-31T18:30:00.000Z", 31 * 1440],
  ])("calendar month in %s", (timeZone, start, end, minutes) => {
    const w = complianceWindow({ kind: "calendar", unit: "month", timeZone }, at);
    expect(w.start.toISOString()).toBe(start);
    expect(w.periodEnd.toISOString()).toBe(end);
    expect(w.periodMinutes).toBe(minutes);
    expect(w.end).toBe(at);
  });

  it("February is 28 days", () => {
    const w = complianceWindow({ kind: "calendar", unit: "month", timeZone: "UTC" }, new Date("2026-02-10T00:00:00Z"));
    expect(w.periodMinutes).toBe(28 * 1440);
  });

  it("calendar week starts on Monday (ISO)", () => {
    // 2026-03-29 is a Sunday: the week began on Monday 23 March.
    const w = complianceWindow({ kind: "calendar", unit: "week", timeZone: "UTC" }, at);
    expect(w.start.toISOString()).toBe("2026-03-23T00:00:00.000Z");
    expect(w.periodEnd.toISOString()).toBe("2026-03-30T00:00:00.000Z");
    expect(w.periodMinutes).toBe(7 * 1440);
  });

  it("calendar quarter", () => {
    const w = complianceWindow({ kind: "calendar", unit: "quarter", timeZone: "UTC" }, at);
    expect(w.start.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(w.periodEnd.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    expect(w.periodMinutes).toBe((31 + 28 + 31) * 1440);
  });

  it("the first instant of a period belongs to the new period", () => {
    const w = complianceWindow({ kind: "calendar", unit: "month", timeZone: "UTC" }, new Date("2026-04-01T00:00:00Z"));
    expect(w.start.toISOString()).toBe("2026-04-01T00:00:00.000Z");
  });
});

describe("helpers", () => {
  it("minuteOf floors to the minute", () => expect(minuteOf(at).toISOString()).toBe("2026-03-29T12:34:00.000Z"));
  it("knows IANA zones", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});

describe("splitByHours", () => {
  const t = (s: string) => Date.parse(`2026-01-01T${s}Z`);
  it("whole hours in the middle, minutes at the edges", () => {
    expect(splitByHours(t("10:20:00"), t("13:05:00"))).toEqual({
      minutes: [{ from: t("10:20:00"), to: t("11:00:00") }, { from: t("13:00:00"), to: t("13:05:00") }],
      hours: { from: t("11:00:00"), to: t("13:00:00") },
    });
  });
  it("aligned edges need no minutes", () => {
    expect(splitByHours(t("10:00:00"), t("12:00:00"))).toEqual({ minutes: [], hours: { from: t("10:00:00"), to: t("12:00:00") } });
  });
  it("less than a whole hour: minutes only", () => {
    expect(splitByHours(t("10:40:00"), t("11:10:00"))).toEqual({ minutes: [{ from: t("10:40:00"), to: t("11:10:00") }], hours: null });
    expect(splitByHours(t("10:05:00"), t("10:35:00"))).toEqual({ minutes: [{ from: t("10:05:00"), to: t("10:35:00") }], hours: null });
  });
  it("empty range", () => expect(splitByHours(t("10:00:00"), t("10:00:00"))).toEqual({ minutes: [], hours: null }));
  it("covers every minute exactly once", () => {
    for (const [a, b] of [["00:07:00", "05:59:00"], ["00:00:00", "00:59:00"], ["01:01:00", "03:00:00"]] as const) {
      const s = splitByHours(t(a), t(b));
      const covered = [...s.minutes, ...(s.hours ? [s.hours] : [])].reduce((n, r) => n + (r.to - r.from), 0);
      expect(covered).toBe(t(b) - t(a));
    }
  });
});

describe("splitByDays", () => {
  const t = (s: string) => Date.parse(`2026-01-${s}Z`);
  it("whole days in the middle, whole hours and minutes at each edge", () => {
    expect(splitByDays(t("03T22:20:00"), t("06T01:05:00"))).toEqual({
      minutes: [{ from: t("03T22:20:00"), to: t("03T23:00:00") }, { from: t("06T01:00:00"), to: t("06T01:05:00") }],
      hours: [{ from: t("03T23:00:00"), to: t("04T00:00:00") }, { from: t("06T00:00:00"), to: t("06T01:00:00") }],
      days: { from: t("04T00:00:00"), to: t("06T00:00:00") },
    });
  });
  it("no whole day: hours and minutes as splitByHours gives them", () => {
    expect(splitByDays(t("03T10:20:00"), t("04T03:00:00"))).toEqual({
      minutes: [{ from: t("03T10:20:00"), to: t("03T11:00:00") }],
      hours: [{ from: t("03T11:00:00"), to: t("04T03:00:00") }],
      days: null,
    });
  });
  it("covers every minute exactly once", () => {
    for (const [a, b] of [["01T00:07:00", "09T05:59:00"], ["01T00:00:00", "02T00:00:00"], ["02T23:59:00", "03T00:01:00"], ["05T13:00:00", "30T13:00:00"]] as const) {
      const s = splitByDays(t(a), t(b));
      const covered = [...s.minutes, ...s.hours, ...(s.days ? [s.days] : [])].reduce((n, r) => n + (r.to - r.from), 0);
      expect(covered).toBe(t(b) - t(a));
    }
  });
});
