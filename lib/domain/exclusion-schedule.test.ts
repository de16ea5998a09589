// Recurring exclusions (docs/exclusions.md; budget exclusions are docs/domain.md "Error budget
// policy"). Expected instants are worked out by hand from the zones' published rules:
// EU summer time 2026 runs from Mar 29 01:00 UTC to Oct 25 01:00 UTC; the US from Mar 8 to Nov 1
// (02:00 local); Lord Howe Island moves by 30 minutes, +10:30 to +11:00 on Oct 4 2026 at 02:00
// and back on Apr 5 2026 at 02:00; India is +05:30 all year. Gaps and repeated times follow
// RFC 5545 section 3.3.5.
import { describe, expect, it } from "vitest";
import { describeSchedule, expandSchedule, labelsMatch, unmatchedExdates, localToInstant, parseLabelSelector, parseLocalDateTime, parseRule, SCHEDULE_LIMITS, type ScheduleDefinition } from "./exclusion-schedule";

const far = { after: null, before: new Date("2027-12-31T00:00:00Z") };
const starts = (def: ScheduleDefinition, range: { after: Date | null; before: Date } = far) => {
  const r = expandSchedule(def, range);
  if (!r.ok) throw new Error(`${r.field}: ${r.problem}`);
  return r.occurrences.map((o) => [o.startsAt.toISOString().slice(0, 16), o.shift]);
};
const def = (rule: string, dtstart: string, timeZone: string, durationMinutes = 60): ScheduleDefinition => ({ rule, dtstart, timeZone, durationMinutes });

describe("localToInstant (RFC 5545 3.3.5)", () => {
  it.each([
    ["an ordinary winter time", "2026-01-10T02:00", "Europe/Berlin", "2026-01-10T01:00", null],
    ["an ordinary summer time", "2026-07-10T02:00", "Europe/Berlin", "2026-07-10T00:00", null],
    ["Berlin's spring gap: 02:30 is read with the offset before (+01:00), 03:30 CEST", "2026-03-29T02:30", "Europe/Berlin", "2026-03-29T01:30", "gap"],
    ["Berlin's repeated hour: the first 02:30, still CEST", "2026-10-25T02:30", "Europe/Berlin", "2026-10-25T00:30", "repeated"],
    ["New York's spring gap: 02:30 is 03:30 EDT", "2026-03-08T02:30", "America/New_York", "2026-03-08T07:30", "gap"],
    ["New York's repeated hour: the first 01:30, EDT", "2026-11-01T01:30", "America/New_York", "2026-11-01T05:30", "repeated"],
    ["India, +05:30", "2026-03-01T23:45", "Asia/Kolkata", "2026-03-01T18:15", null],
    ["Lord Howe's 30-minute gap: 02:15 is read at +10:30", "2026-10-04T02:15", "Australia/Lord_Howe", "2026-10-03T15:45", "gap"],
    ["Lord Howe's repeated half hour: the first 01:45, at +11:00", "2026-04-05T01:45", "Australia/Lord_Howe", "2026-04-04T14:45", "repeated"],
  ])("%s", (_name, local, zone, utc, shift) => {
    const r = localToInstant(parseLocalDateTime(local)!, zone);
    expect([r.at.toISOString().slice(0, 16), r.shift]).toEqual([utc, shift]);
  });
});

describe("expandSchedule", () => {
  it.each([
    [
      "weekly, 02:00 Berlin every Sunday stays 02:00 local across both changes (the gap moves it to 03:00 CEST)",
      def("FREQ=WEEKLY;BYDAY=SU", "2026-03-22T02:00", "Europe/Berlin"),
      { after: null, before: new Date("2026-04-06T00:00:00Z") },
      [["2026-03-22T01:00", null], ["2026-03-29T01:00", "gap"], ["2026-04-05T00:00", null]],
    ],
    [
      "weekly across the autumn change: the repeated 02:00 is the first, CEST",
      def("RRULE:FREQ=WEEKLY;BYDAY=SU", "2026-10-18T02:00", "Europe/Berlin"),
      { after: null, before: new Date("2026-11-02T00:00:00Z") },
      [["2026-10-18T00:00", null], ["2026-10-25T00:00", "repeated"], ["2026-11-01T01:00", null]],
    ],
    [
      "daily in New York across the spring gap",
      def("FREQ=DAILY", "2026-03-07T02:30", "America/New_York"),
      { after: null, before: new Date("2026-03-10T00:00:00Z") },
      [["2026-03-07T07:30", null], ["2026-03-08T07:30", "gap"], ["2026-03-09T06:30", null]],
    ],
    [
      "daily in New York across the autumn change",
      def("FREQ=DAILY;COUNT=3", "2026-10-31T01:30", "America/New_York"),
      far,
      [["2026-10-31T05:30", null], ["2026-11-01T05:30", "repeated"], ["2026-11-02T06:30", null]],
    ],
    [
      "monthly on the first Sunday (BYDAY=1SU), COUNT=4, 03:00 Berlin",
      def("FREQ=MONTHLY;BYDAY=1SU;COUNT=4", "2026-01-04T03:00", "Europe/Berlin"),
      far,
      [["2026-01-04T02:00", null], ["2026-02-01T02:00", null], ["2026-03-01T02:00", null], ["2026-04-05T01:00", null]],
    ],
    [
      "UNTIL as a date includes every start on that local day",
      def("FREQ=WEEKLY;UNTIL=20260315", "2026-03-01T02:00", "Europe/Berlin"),
      far,
      [["2026-03-01T01:00", null], ["2026-03-08T01:00", null], ["2026-03-15T01:00", null]],
    ],
    [
      "UNTIL as a UTC instant before the third start",
      def("FREQ=WEEKLY;UNTIL=20260315T000000Z", "2026-03-01T02:00", "Europe/Berlin"),
      far,
      [["2026-03-01T01:00", null], ["2026-03-08T01:00", null]],
    ],
    [
      "UNTIL as a local date-time equal to a start includes it (RFC 5545: inclusive)",
      def("freq=weekly;until=20260315T020000", "2026-03-01T02:00", "Europe/Berlin"),
      far,
      [["2026-03-01T01:00", null], ["2026-03-08T01:00", null], ["2026-03-15T01:00", null]],
    ],
    [
      "a +05:30 zone (India), weekly",
      def("FREQ=WEEKLY;COUNT=2", "2026-03-01T23:45", "Asia/Kolkata"),
      far,
      [["2026-03-01T18:15", null], ["2026-03-08T18:15", null]],
    ],
    [
      "a zone whose clocks move 30 minutes (Lord Howe), daily across its spring gap",
      def("FREQ=DAILY;COUNT=3", "2026-10-03T02:15", "Australia/Lord_Howe"),
      far,
      [["2026-10-02T15:45", null], ["2026-10-03T15:45", "gap"], ["2026-10-04T15:15", null]],
    ],
    [
      "Lord Howe's repeated half hour in April",
      def("FREQ=DAILY;COUNT=3", "2026-04-04T01:45", "Australia/Lord_Howe"),
      far,
      [["2026-04-03T14:45", null], ["2026-04-04T14:45", "repeated"], ["2026-04-05T15:15", null]],
    ],
    [
      "only starts after `after` (an edit) and before the horizon",
      def("FREQ=DAILY", "2026-01-01T12:00", "UTC"),
      { after: new Date("2026-01-03T12:00:00Z"), before: new Date("2026-01-06T12:00:00Z") },
      [["2026-01-04T12:00", null], ["2026-01-05T12:00", null]],
    ],
  ])("%s", (_name, d, range, expected) => {
    expect(starts(d, range)).toEqual(expected);
  });

  it("an occurrence lasts its duration in elapsed time, also across a change (01:00 + 120 min on Mar 29 ends 04:00 CEST)", () => {
    const r = expandSchedule(def("FREQ=DAILY;COUNT=1", "2026-03-29T01:00", "Europe/Berlin", 120), far);
    expect(r.ok && r.occurrences.map((o) => [o.startsAt.toISOString(), o.endsAt.toISOString(), o.local])).toEqual([["2026-03-29T00:00:00.000Z", "2026-03-29T02:00:00.000Z", "2026-03-29T01:00"]]);
  });

  it.each([
    ["the rule: a huge COUNT", def("FREQ=DAILY;COUNT=100000000", "2026-01-01T00:00", "UTC"), "rrule", "COUNT must be a whole number from 1 to 10,000"],
    ["the zone: not an IANA zone", def("FREQ=DAILY", "2026-01-01T00:00", "Mars/Olympus_Mons"), "timeZone", '"Mars/Olympus_Mons" is not an IANA time zone, e.g. Europe/Berlin'],
    ["DTSTART: no such date", def("FREQ=DAILY", "2026-02-30T00:00", "UTC"), "dtstart", "must be a local date and time such as 2026-03-01T02:00"],
    ["DTSTART: with an offset", def("FREQ=DAILY", "2026-02-03T00:00Z", "UTC"), "dtstart", "must be a local date and time such as 2026-03-01T02:00"],
    ["the duration: zero", def("FREQ=DAILY", "2026-01-01T00:00", "UTC", 0), "durationMinutes", "must be a whole number of minutes from 1 to 10080 (7 days)"],
    ["the duration: over 7 days", def("FREQ=DAILY", "2026-01-01T00:00", "UTC", 10081), "durationMinutes", "must be a whole number of minutes from 1 to 10080 (7 days)"],
    ["more than 500 occurrences in the horizon (hourly for 90 days)", def("FREQ=HOURLY", "2026-01-01T00:00", "UTC"), "rrule", "gives more than 500 occurrences up to 90 days ahead; repeat less often"],
    ["days that never match (Feb 30), which rrule.js alone steps through to the year 9999", def("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "2026-01-01T00:00", "UTC"), "rrule", "finds too few days: its BY parts match (almost) no date, e.g. BYMONTH=2;BYMONTHDAY=30; check them"],
    ["a finite rule whose days never match", def("FREQ=HOURLY;BYMONTH=4;BYMONTHDAY=31;COUNT=2", "2026-01-01T00:00", "UTC"), "rrule", "finds too few days: its BY parts match (almost) no date, e.g. BYMONTH=2;BYMONTHDAY=30; check them"],
    ["hours never reached (rrule.js would loop for ever)", def("FREQ=HOURLY;INTERVAL=2;BYHOUR=3", "2026-01-01T00:00", "UTC"), "rrule", "BYHOUR: every 2 hours from 00:00 never falls on these hours"],
  ])("refuses %s", (_name, d, field, problem) => {
    expect(expandSchedule(d, { after: null, before: new Date("2026-04-01T00:00:00Z") })).toEqual({ ok: false, field, problem });
  });

  it("reaches hours of the same phase: every 2 hours from 01:00 falls on 03:00", () => {
    expect(starts(def("FREQ=HOURLY;INTERVAL=2;BYHOUR=3;COUNT=2", "2026-01-01T01:00", "UTC"))).toEqual([["2026-01-01T03:00", null], ["2026-01-02T03:00", null]]);
  });

  it("takes exactly the cap: 500 daily occurrences are allowed", () => {
    const r = expandSchedule(def(`FREQ=DAILY;COUNT=${SCHEDULE_LIMITS.maxOccurrences}`, "2026-01-01T00:00", "UTC"), far);
    expect(r.ok && r.occurrences.length).toBe(500);
  });
});

// RFC 5545 section 3.8.5.1 and 3.8.5.3: the recurrence set is every start the RRULE gives (COUNT
// counted there), less the EXDATE values; an EXDATE with the DTSTART's TZID names a local start.
describe("EXDATE (RFC 5545 3.8.5.1)", () => {
  const weekly = (exdates: string[]) => ({ ...def("FREQ=WEEKLY;BYDAY=SU;COUNT=4", "2026-03-15T02:00", "Europe/Berlin"), exdates });
  it("skips the named local start; COUNT is counted before the exception, so 4 minus 1 leaves 3", () => {
    expect(starts(weekly(["2026-03-22T02:00"]))).toEqual([
      ["2026-03-15T01:00", null],
      ["2026-03-29T01:00", "gap"],
      ["2026-04-05T00:00", null],
    ]);
  });
  it("matches the rule's local start, not where a DST gap moved it (02:00 on Mar 29 is skipped by 02:00, not by 03:00)", () => {
    expect(starts(weekly(["2026-03-29T02:00"])).map((o) => o[0])).toEqual(["2026-03-15T01:00", "2026-03-22T01:00", "2026-04-05T00:00"]);
    expect(starts(weekly(["2026-03-29T03:00"]))).toHaveLength(4);
  });
  it("an exception that skips nothing is reported, up to the range's end; later ones cannot be checked yet", () => {
    const d = { ...def("FREQ=WEEKLY;BYDAY=SU", "2026-03-15T02:00", "Europe/Berlin"), exdates: ["2026-03-22T02:00", "2026-03-22T03:00", "2026-03-23T02:00", "2027-06-06T03:00"] };
    expect(unmatchedExdates(d, new Date("2026-12-31T00:00:00Z"))).toEqual(["2026-03-22T03:00", "2026-03-23T02:00"]);
    expect(unmatchedExdates({ ...d, exdates: [] }, new Date("2026-12-31T00:00:00Z"))).toEqual([]);
  });
  it("is named in the description", () => {
    expect(describeSchedule({ ...def("FREQ=WEEKLY;BYDAY=SU", "2026-03-01T02:00", "Europe/Berlin", 120), exdates: ["2026-12-27T02:00"] })).toBe("Every week on Sunday, at 02:00 for 2 h (Europe/Berlin), except 2026-12-27 02:00");
    expect(describeSchedule({ ...def("FREQ=WEEKLY;BYDAY=SU", "2026-03-01T02:00", "Europe/Berlin", 120), exdates: ["2026-12-20T02:00", "2026-12-27T02:00", "2027-01-03T02:00"] })).toBe("Every week on Sunday, at 02:00 for 2 h (Europe/Berlin), except on 3 dates");
  });
});

describe("parseRule", () => {
  it.each([
    ["FREQ=WEEKLY;BYDAY=SU", "FREQ=WEEKLY;BYDAY=SU"],
    ["rrule:freq=monthly;byday=1su;count=4;", "FREQ=MONTHLY;BYDAY=1SU;COUNT=4"],
    ["FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1"],
    ["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"],
  ])("accepts %s as %s", (text, normalised) => {
    const r = parseRule(text);
    expect(r.ok && r.rule.text).toBe(normalised);
  });

  it.each([
    ["newline injection of another property", "FREQ=DAILY\nEXDATE:20260101T000000Z", null, "must be one line: give only the RRULE's parts, e.g. FREQ=WEEKLY;BYDAY=SU (DTSTART and the zone have their own fields)"],
    ["a carriage return", "FREQ=DAILY\rDTSTART:19700101T000000Z", null, "must be one line: give only the RRULE's parts, e.g. FREQ=WEEKLY;BYDAY=SU (DTSTART and the zone have their own fields)"],
    ["a DTSTART inside the rule", "FREQ=DAILY;DTSTART=19700101T000000Z", null, "DTSTART is not part of the rule: give the start and the time zone in their own fields"],
    ["a 10,000-character rule", `FREQ=DAILY;BYHOUR=${"1,".repeat(5000)}1`, null, "is 10019 characters long; use at most 500"],
    ["spaces", "FREQ=DAILY; BYHOUR=1", null, "may hold only KEY=VALUE parts separated by ';', without spaces or other characters"],
    ["an unknown part", "FREQ=DAILY;BYEASTER=0", null, '"BYEASTER" is not an RRULE part (RFC 5545: FREQ, UNTIL, COUNT, INTERVAL, BYSECOND, BYMINUTE, BYHOUR, BYDAY, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS, WKST)'],
    ["no FREQ", "BYDAY=SU", "FREQ", "is required, e.g. FREQ=WEEKLY"],
    ["FREQ=MINUTELY", "FREQ=MINUTELY", "FREQ", "=MINUTELY is refused: a maintenance window repeats hourly at most"],
    ["FREQ=SECONDLY", "FREQ=SECONDLY;COUNT=1", "FREQ", "=SECONDLY is refused: a maintenance window repeats hourly at most"],
    ["an unknown FREQ", "FREQ=FORTNIGHTLY", "FREQ", "must be one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY"],
    ["a part given twice", "FREQ=DAILY;FREQ=WEEKLY", "FREQ", "is given twice"],
    ["a part with no value", "FREQ=DAILY;COUNT", "COUNT", "has no value (write it as KEY=VALUE)"],
    ["UNTIL with COUNT", "FREQ=DAILY;COUNT=2;UNTIL=20260101", "UNTIL", "and COUNT may not both be given (RFC 5545)"],
    ["a bad UNTIL", "FREQ=DAILY;UNTIL=20260231", "UNTIL", "must be a date (20261231), a local date-time (20261231T235900) or a UTC one (20261231T235900Z)"],
    ["INTERVAL 0", "FREQ=DAILY;INTERVAL=0", "INTERVAL", "must be a whole number from 1 to 1000"],
    ["BYSECOND", "FREQ=DAILY;BYSECOND=30", "BYSECOND", "is refused: occurrences start on whole minutes"],
    ["BYHOUR 24", "FREQ=DAILY;BYHOUR=24", "BYHOUR", "must be a list of whole numbers from 0 to 23, separated by commas"],
    ["BYDAY with a typo", "FREQ=WEEKLY;BYDAY=SUN", "BYDAY", '"SUN" is not a day: use MO, TU, WE, TH, FR, SA or SU, with an optional position such as 1SU or -1FR'],
    ["a position with FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=1SU", "BYDAY", '"1SU": a position (the first Sunday, 1SU) needs FREQ=MONTHLY or YEARLY (RFC 5545)'],
    ["a sixth Sunday in a month", "FREQ=MONTHLY;BYDAY=6SU", "BYDAY", '"6SU": a month has at most 5 of each day'],
    ["BYMONTHDAY with FREQ=WEEKLY", "FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY", "may not be used with FREQ=WEEKLY (RFC 5545)"],
    ["BYMONTHDAY 0", "FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY", "must be a list of whole numbers from 1 to 31 or -31 to -1, separated by commas"],
    ["BYWEEKNO with FREQ=MONTHLY", "FREQ=MONTHLY;BYWEEKNO=1", "BYWEEKNO", "may be used with FREQ=YEARLY only (RFC 5545)"],
    ["BYSETPOS alone", "FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS", "needs another BY part to pick from (RFC 5545)"],
    ["a bad WKST", "FREQ=WEEKLY;WKST=XX", "WKST", "must be MO, TU, WE, TH, FR, SA or SU"],
  ])("refuses %s, naming the part", (_name, text, part, problem) => {
    expect(parseRule(text)).toEqual({ ok: false, error: { part, problem } });
  });
});

describe("describeSchedule", () => {
  it.each([
    [def("FREQ=WEEKLY;BYDAY=SU", "2026-03-01T02:00", "Europe/Berlin", 120), "Every week on Sunday, at 02:00 for 2 h (Europe/Berlin)"],
    [def("FREQ=MONTHLY;BYDAY=1SU;COUNT=4", "2026-01-04T03:00", "Europe/Berlin", 90), "Every month on the 1st Sunday for 4 times, at 03:00 for 1 h 30 min (Europe/Berlin)"],
    [def("FREQ=DAILY;UNTIL=20260315", "2026-03-01T23:45", "Asia/Kolkata", 15), "Every day, until 2026-03-15, at 23:45 for 15 min (Asia/Kolkata)"],
  ])("%j", (d, text) => {
    expect(describeSchedule(d)).toBe(text);
  });
});

describe("label selectors", () => {
  it.each([
    ["tier=critical", { key: "tier", value: "critical" }],
    ["app.kubernetes.io/part-of=checkout", { key: "app.kubernetes.io/part-of", value: "checkout" }],
    ["team=", { key: "team", value: "" }],
    ["=x", null],
    ["tier critical", null],
    ["tier=a=b", null],
    ["tier=x\n", { key: "tier", value: "x" }],
  ])("%j", (text, expected) => {
    expect(parseLabelSelector(text)).toEqual(expected);
  });

  it.each([
    [{ tier: "critical" }, true],
    [{ tier: "low" }, false],
    [{}, false],
    [null, false],
    [["tier"], false],
  ])("labels %j match tier=critical: %s", (labels, expected) => {
    expect(labelsMatch(labels, { key: "tier", value: "critical" })).toBe(expected);
  });
});
