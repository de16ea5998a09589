import { describe, expect, it } from "vitest";
import {
  formatActionItemStatus,
  formatChangeTypes,
  formatAxisTime,
  formatBurnRate,
  formatCount,
  formatDate,
  formatDateTime,
  formatDateTimeInput,
  formatDuration,
  formatExhaustion,
  formatFullDateTime,
  formatObjective,
  formatPercent,
  formatPostmortemStatus,
  formatRole,
  formatRelative,
  formatSli,
  formatSyncProgress,
  formatTime,
  formatWindow,
  parseDateTimeInput,
  parseTimeZone,
} from "./format";

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

describe("durations, burn rates and SLIs for people", () => {
  it.each([
    [null, "—"],
    [0, "0s"],
    [0.75, "45s"],
    [43.2, "43m 12s"],
    [60, "1h"],
    [312.9, "5h 12m"],
    [3120, "2d 4h"],
    [2880, "2d"],
    [-3, "0s"],
  ])("formatDuration(%s) = %s", (m, out) => {
    expect(formatDuration(m)).toBe(out);
  });

  it.each([
    [null, "—"],
    [0, "0×"],
    [1, "1×"],
    [14.4, "14.4×"], // docs/domain.md: the 1 h page factor for a 30-day window
    [0.25, "0.25×"],
    [2.3456, "2.35×"],
    [123.4, "123×"],
    [Number.NaN, "—"],
  ])("formatBurnRate(%s) = %s", (r, out) => {
    expect(formatBurnRate(r)).toBe(out);
  });

  it("shows SLIs with three decimals of a percent, trailing zeros dropped", () => {
    expect(formatSli(0.99953)).toBe("99.953%");
    expect(formatSli(0.999)).toBe("99.9%");
    expect(formatSli(null)).toBe("—");
  });
});

describe("formatExhaustion", () => {
  const ok = (remaining: number) => ({ state: "ok" as const, remaining });
  it.each([
    [null, { state: "no_data" as const }, 100, "no data"],
    [0, ok(0), 100, "already spent"],
    [5, ok(-0.2), 100, "already spent"],
    [null, ok(0.5), 100, "not burning"],
    [3120, ok(0.5), 43_200, "in 2d 4h"],
    [50_000, ok(0.9), 43_200, "after this window"],
  ])("tte %s with budget %j and %i minutes left: %s", (tte, budget, left, out) => {
    expect(formatExhaustion(tte, budget, left)).toBe(out);
  });
});

describe("formatChangeTypes", () => {
  it.each([
    [[], "nothing"],
    [["rollback"], "rollbacks"],
    [["reliability", "p0-fix", "security"], "reliability fixes, P0 fixes and security fixes"],
  ] as const)("%j -> %s", (types, words) => {
    expect(formatChangeTypes(types)).toBe(words);
  });
});

describe("moments in the reader's time zone", () => {
  const now = new Date("2026-12-03T13:05:00Z");
  it.each([
    // zone, instant, shown
    ["UTC", "2026-12-03T13:05:00Z", "Dec 3, 13:05 UTC"],
    ["Europe/Berlin", "2026-12-03T13:05:00Z", "Dec 3, 14:05 CET"],
    ["Europe/Berlin", "2026-07-01T13:05:00Z", "Jul 1, 15:05 CEST"],
    // Europe's spring change, 2026-03-29 01:00 UTC: 02:00 CET becomes 03:00 CEST.
    ["Europe/Berlin", "2026-03-29T00:59:00Z", "Mar 29, 01:59 CET"],
    ["Europe/Berlin", "2026-03-29T01:00:00Z", "Mar 29, 03:00 CEST"],
    // America's autumn change, 2026-11-01 06:00 UTC: 01:59 EDT is followed by 01:00 EST.
    ["America/New_York", "2026-11-01T05:59:00Z", "Nov 1, 01:59 EDT"],
    ["America/New_York", "2026-11-01T06:00:00Z", "Nov 1, 01:00 EST"],
    // No English abbreviation: the zone by its name.
    ["Asia/Tokyo", "2026-12-03T13:05:00Z", "Dec 3, 22:05 (Asia/Tokyo)"],
    ["Asia/Kolkata", "2026-12-03T13:05:00Z", "Dec 3, 18:35 (Asia/Kolkata)"],
    // The day in the reader's zone, and the year when it is not this year.
    ["America/Los_Angeles", "2027-01-01T03:00:00Z", "Dec 31, 19:00 PST"],
    ["UTC", "2025-12-03T13:05:00Z", "Dec 3, 2025, 13:05 UTC"],
    ["UTC", "not a time", "—"],
  ])("formatDateTime in %s: %s -> %s", (zone, iso, shown) => expect(formatDateTime(iso, zone, now)).toBe(shown));

  it("without `now` the year is always given", () => expect(formatDateTime("2026-12-03T13:05:00Z", "UTC")).toBe("Dec 3, 2026, 13:05 UTC"));

  it.each([
    ["Europe/Berlin", "2026-12-03T23:30:00Z", "Dec 4"],
    ["America/New_York", "2026-12-03T03:30:00Z", "Dec 2"],
    ["UTC", "2027-02-01T00:00:00Z", "Feb 1, 2027"],
  ])("formatDate in %s: %s -> %s", (zone, iso, shown) => expect(formatDate(iso, zone, now)).toBe(shown));

  it("formatTime and the full form", () => {
    expect(formatTime("2026-07-01T13:05:09Z", "Europe/Berlin")).toBe("15:05:09 CEST");
    expect(formatFullDateTime("2026-12-03T13:05:00Z", "Europe/Berlin")).toBe("Thursday, December 3, 2026, 14:05:00 Central European Standard Time (Europe/Berlin)");
  });

  it.each([
    ["2026-12-03T13:04:30Z", "just now"],
    ["2026-12-03T13:05:40Z", "just now"],
    ["2026-12-03T13:04:00Z", "1 min ago"],
    ["2026-12-03T12:20:00Z", "45 min ago"],
    ["2026-12-03T10:05:00Z", "3 h ago"],
    ["2026-12-03T10:06:00Z", "2 h ago"],
    ["2026-12-03T20:05:00Z", "in 7 h"],
    ["2026-12-02T13:05:00Z", "1 day ago"],
    ["2026-12-05T13:06:00Z", "in 2 days"],
    ["2026-11-01T13:05:00Z", "32 days ago"],
    ["2026-06-03T13:05:00Z", "6 months ago"],
    ["2029-12-03T13:05:00Z", "in 3 years"],
    ["garbage", "—"],
  ])("formatRelative(%s) = %s", (iso, shown) => expect(formatRelative(iso, now)).toBe(shown));

  it.each([
    ["Europe/Berlin", "Europe/Berlin"],
    ["America/New_York", "America/New_York"],
    ["UTC", "UTC"],
    ["Etc/UTC", "UTC"],
    ["", "UTC"],
    [undefined, "UTC"],
    ["Mars/Olympus_Mons", "UTC"],
    ["../../etc/passwd", "UTC"],
    ["Europe/Berlin; path=/", "UTC"],
    ["x".repeat(100), "UTC"],
  ])("parseTimeZone(%j) = %s", (raw, zone) => expect(parseTimeZone(raw)).toBe(zone));

  it("datetime-local values round-trip in the reader's zone, across a DST change", () => {
    expect(formatDateTimeInput("2026-12-03T13:05:00Z", "Europe/Berlin")).toBe("2026-12-03T14:05");
    expect(parseDateTimeInput("2026-12-03T14:05", "Europe/Berlin")).toBe("2026-12-03T13:05:00.000Z");
    expect(parseDateTimeInput("2026-03-29T03:30", "Europe/Berlin")).toBe("2026-03-29T01:30:00.000Z");
    expect(parseDateTimeInput("2026-03-29T01:30", "Europe/Berlin")).toBe("2026-03-29T00:30:00.000Z");
    expect(parseDateTimeInput("2026-02-30T10:00", "UTC")).toBeNull();
    expect(parseDateTimeInput("tomorrow", "UTC")).toBeNull();
  });

  it.each([
    [2 * 3_600_000, "14:05"],
    [5 * 86_400_000, "Dec 3, 14:00"],
    [30 * 86_400_000, "Dec 3"],
  ])("axis ticks over a span of %d ms: %s", (span, tick) => expect(formatAxisTime(Date.parse("2026-12-03T13:05:00Z"), span, "Europe/Berlin")).toBe(tick));
});

describe("status labels", () => {
  it.each([
    ["viewer", "viewer"],
    ["site-admin", "site admin (every team)"],
  ])("role %s -> %s", (r, label) => expect(formatRole(r)).toBe(label));
  it.each([
    ["draft", "Draft"],
    ["in_review", "In review"],
    ["published", "Published"],
  ])("postmortem %s -> %s", (s, label) => expect(formatPostmortemStatus(s)).toBe(label));
  it.each([
    ["open", "Open"],
    ["in_progress", "In progress"],
    ["done", "Done"],
    ["wont_do", "Won't do"],
  ])("action item %s -> %s", (s, label) => expect(formatActionItemStatus(s)).toBe(label));
});

describe("formatSyncProgress", () => {
  const base = { lastError: null, backfill: "done" as const, daysDone: 30, daysToDo: 30, syncedUntil: null };
  it.each([
    [{ ...base, lastError: "10.1.2.3 is a private (RFC 1918) address" }, "Last sync failed: 10.1.2.3 is a private (RFC 1918) address"],
    [{ ...base, backfill: "pending" as const }, "Waiting for the first sync"],
    [{ ...base, backfill: "backfilling" as const, daysDone: 3 }, "Backfilling: 3 of 30 days"],
    [base, "Synced up to now"],
  ])("%o", (sync, text) => expect(formatSyncProgress(sync, "UTC")).toBe(text));
});
