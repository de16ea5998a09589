// Alert history (docs/domain.md "Alert history"): firing since, and the periods an alert fired.
import { describe, expect, it } from "vitest";
import { firingPeriods, firingPeriodsWithin, firingSince, type AlertChange, type FiringPeriod } from "./alert-history";

const t = (hhmm: string) => new Date(`2026-12-03T${hhmm}:00Z`);
const c = (from: AlertChange["from"], to: AlertChange["to"], at: string): AlertChange => ({ from, to, at: t(at) });

describe("firing since", () => {
  const history = [c("ok", "ticket", "10:00"), c("ticket", "ok", "11:00"), c("ok", "ticket", "14:05"), c("ticket", "page", "15:30")];
  it("is the start of the current run, through an escalation from ticket to page", () => {
    expect(firingSince(history, "page")).toEqual(t("14:05"));
  });
  it("is null when nothing fires", () => {
    expect(firingSince([...history, c("page", "ok", "16:00")], "ok")).toBeNull();
  });
  it("falls back to the stored state's time when the run began before the history kept", () => {
    expect(firingSince([c("page", "ticket", "09:00")], "ticket", t("08:00"))).toEqual(t("08:00"));
  });
  it("does not depend on the order the changes come in", () => {
    expect(firingSince([...history].reverse(), "page")).toEqual(t("14:05"));
  });
});

describe("firing periods", () => {
  it("one period per run, at its most severe level, the current one open", () => {
    expect(firingPeriods([c("ok", "ticket", "10:00"), c("ticket", "ok", "11:00"), c("ok", "ticket", "14:05"), c("ticket", "page", "15:30")])).toEqual([
      { start: t("10:00"), end: t("11:00"), severity: "ticket" },
      { start: t("14:05"), end: null, severity: "page" },
    ]);
  });
  it("a page that steps down to a ticket is still one period; no data ends it", () => {
    expect(firingPeriods([c("ok", "page", "10:00"), c("page", "ticket", "10:30"), c("ticket", "no_data", "12:00")])).toEqual([{ start: t("10:00"), end: t("12:00"), severity: "page" }]);
  });
  it("nothing recorded, nothing shaded", () => expect(firingPeriods([])).toEqual([]));
});

describe("firing periods within a chart's range", () => {
  const p = (start: string, end: string | null, severity: FiringPeriod["severity"] = "ticket"): FiringPeriod => ({ start: t(start), end: end ? t(end) : null, severity });
  const show = (xs: ReturnType<typeof firingPeriodsWithin>) => xs.map((x) => `${x.start.toISOString().slice(11, 16)}-${x.end.toISOString().slice(11, 16)} ${x.severity}`);
  it.each([
    // periods, range from, range to, bands
    [[p("10:00", "11:00")], "09:00", "12:00", ["10:00-11:00 ticket"]],
    [[p("08:00", "10:00", "page")], "09:00", "12:00", ["09:00-10:00 page"]], // began before the range: cut at its start
    [[p("11:00", null, "page")], "09:00", "12:00", ["11:00-12:00 page"]], // still firing: ends at the range's end
    [[p("13:00", null)], "09:00", "12:00", []], // after the range
    [[p("07:00", "08:00"), p("12:00", "13:00")], "09:00", "12:00", []], // before, and starting at its end
    [[p("07:00", "09:30"), p("10:00", "10:30", "page"), p("11:50", null)], "09:00", "12:00", ["09:00-09:30 ticket", "10:00-10:30 page", "11:50-12:00 ticket"]],
  ] as const)("%# %j", (periods, from, to, bands) => {
    expect(show(firingPeriodsWithin(periods, t(from), t(to)))).toEqual(bands);
  });
});
