import { describe, expect, it } from "vitest";
import { reviewNoticeDue, firstWorkingDay, lastMonth, periodContaining, PeriodError, previousPeriod, resolvePeriod } from "./review-period";

const now = new Date("2026-12-04T19:00:00Z");
const iso = (d: Date) => d.toISOString();

describe("resolvePeriod: calendar periods in the team's time zone (docs/reviews.md, Periods)", () => {
  it.each([
    // [query, zone, key, from, to]
    [{}, "UTC", "2026-11", "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"],
    [{ period: "2026-11" }, "Europe/Berlin", "2026-11", "2026-10-31T23:00:00.000Z", "2026-11-30T23:00:00.000Z"],
    // March 2026 in Berlin: CET (+1) at the start, CEST (+2) from the 29th.
    [{ period: "2026-04" }, "Europe/Berlin", "2026-04", "2026-03-31T22:00:00.000Z", "2026-04-30T22:00:00.000Z"],
    [{ period: "2026-Q4" }, "UTC", "2026-Q4", "2026-10-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    [{ period: "2026-q1" }, "America/New_York", "2026-Q1", "2026-01-01T05:00:00.000Z", "2026-04-01T04:00:00.000Z"],
    // ISO week 1 of 2026 starts on Monday 29 December 2025 (4 January is always in week 1).
    [{ period: "2026-W01" }, "UTC", "2026-W01", "2025-12-29T00:00:00.000Z", "2026-01-05T00:00:00.000Z"],
    [{ period: "2026-W53" }, "UTC", "2026-W53", "2026-12-28T00:00:00.000Z", "2027-01-04T00:00:00.000Z"],
    [{ from: "2026-11-03", to: "2026-11-20" }, "UTC", "2026-11-03_2026-11-20", "2026-11-03T00:00:00.000Z", "2026-11-20T00:00:00.000Z"],
    [{ period: "2026-11-03_2026-11-20" }, "Asia/Tokyo", "2026-11-03_2026-11-20", "2026-11-02T15:00:00.000Z", "2026-11-19T15:00:00.000Z"],
  ])("%j in %s", (q, zone, key, from, to) => {
    const p = resolvePeriod(q, zone, now);
    expect([p.key, iso(p.from), iso(p.to)]).toEqual([key, from, to]);
  });

  it.each([
    [{ period: "2026-13" }, "period", 'has no month 13'],
    [{ period: "November" }, "period", "is not a period"],
    [{ period: "2025-W53" }, "period", "2025 has no ISO week 53"],
    [{ period: "2026-11", from: "2026-11-01" }, "period", "not both"],
    [{ from: "2026-11-01" }, "to", "the day after the last"],
    [{ to: "2026-11-01" }, "from", "the first day"],
    [{ from: "2026-02-30", to: "2026-03-02" }, "from", "is not a date"],
    [{ from: "2026-11-05", to: "2026-11-05" }, "to", "must be after from"],
    [{ from: "2025-01-01", to: "2026-02-06" }, "to", "at most 400 days"],
  ])("refuses %j naming %s", (q, field, message) => {
    let err: unknown;
    try {
      resolvePeriod(q, "UTC", now);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PeriodError);
    expect((err as PeriodError).field).toBe(field);
    expect((err as PeriodError).message).toContain(message);
  });

  it("allows exactly 400 days", () => {
    expect(resolvePeriod({ from: "2025-01-01", to: "2026-02-05" }, "UTC", now).kind).toBe("custom");
  });
});

describe("previousPeriod", () => {
  it.each([
    ["2026-03", "2026-02"],
    ["2026-01", "2025-12"],
    ["2026-Q1", "2025-Q4"],
    ["2026-W01", "2025-W52"],
    ["2026-11-03_2026-11-20", "2026-10-17_2026-11-03"],
  ])("%s -> %s", (key, prev) => expect(previousPeriod(resolvePeriod({ period: key }, "Europe/Berlin", now)).key).toBe(prev));
});

describe("firstWorkingDay: Monday to Friday, in the period's zone", () => {
  it.each([
    ["2026-11", "2026-11-02"], // 1 November 2026 is a Sunday
    ["2026-08", "2026-08-03"], // a Saturday
    ["2026-12", "2026-12-01"], // a Tuesday
    ["2026-W49", "2026-11-30"],
  ])("%s -> %s", (key, day) => expect(firstWorkingDay(resolvePeriod({ period: key }, "Europe/Berlin", now))).toBe(day));
});

describe("lastMonth and periodContaining", () => {
  it("last month is the one before now's, in the zone: 1 Dec 00:30 in Berlin is still 30 Nov in UTC", () => {
    expect(lastMonth(new Date("2026-11-30T23:30:00Z"), "Europe/Berlin").key).toBe("2026-11");
    expect(lastMonth(new Date("2026-11-30T23:30:00Z"), "UTC").key).toBe("2026-10");
  });
  it.each([["month", "2026-12"], ["quarter", "2026-Q4"], ["week", "2026-W49"]] as const)("%s of now", (kind, key) => expect(periodContaining(kind, now, "UTC").key).toBe(key));
});

describe("reviewNoticeDue: last month's review, from 09:00 local on the first working day, a few days' grace", () => {
  it.each([
    // 1 Dec 2026 is a Tuesday; Berlin is UTC+1 in winter.
    ["2026-12-01T07:59:00Z", "Europe/Berlin", null],
    ["2026-12-01T08:00:00Z", "Europe/Berlin", "2026-11"],
    ["2026-12-04T22:59:00Z", "Europe/Berlin", "2026-11"], // 23:59 on the 4th: the last day of grace
    ["2026-12-04T23:00:00Z", "Europe/Berlin", null],
    ["2026-11-30T23:30:00Z", "Europe/Berlin", null], // 00:30 on 1 Dec: before nine
    // 1 Nov 2026 is a Sunday: the first working day is Monday the 2nd.
    ["2026-11-01T12:00:00Z", "UTC", null],
    ["2026-11-02T09:00:00Z", "UTC", "2026-10"],
    ["2026-11-02T08:59:00Z", "UTC", null],
  ])("%s in %s -> %s", (now, zone, key) => expect(reviewNoticeDue(new Date(now), zone)?.key ?? null).toBe(key));
});
