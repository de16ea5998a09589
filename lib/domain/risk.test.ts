import { describe, expect, it } from "vitest";
import { alertBadgeOf, compareByRisk, isBurning } from "./risk";

type S = Parameters<typeof compareByRisk>[0];
const DAY = 1440;
const status = (alert: "page" | "ticket" | "ok" | "no_data", fresh: "fresh" | "stale" | "no_data", remaining: number | null, tte: number | null = null, horizon = 30 * DAY): S => ({
  alerts: { state: alert },
  freshness: { state: fresh },
  budget: remaining === null ? { state: "no_data" } : { state: "ok", remaining, sli: 1 - (1 - remaining) * 0.001 },
  timeToExhaustionMinutes: tte,
  exhaustionHorizonMinutes: horizon,
});

describe("alert badge", () => {
  it.each([
    ["page", "stale", 0.5, null, "page"],
    ["page", "fresh", -0.2, 0, "page"],
    ["ok", "fresh", -0.05, 0, "exhausted"],
    ["ticket", "fresh", 0, 0, "ticket"],
    ["ok", "fresh", 0.5, 3 * DAY, "burning"],
    ["ticket", "fresh", 0.5, 3 * DAY, "ticket"],
    ["ticket", "stale", 0.5, null, "ticket"],
    ["ticket", "fresh", 0.5, 40 * DAY, "ticket"],
    ["ok", "stale", 0.5, null, "stale"],
    ["no_data", "stale", 0.5, null, "stale"],
    ["ok", "fresh", 0.5, 40 * DAY, "ok"],
    ["no_data", "no_data", null, null, "no_data"],
  ] as const)("alert %s, %s data, %s left, exhaustion in %s min: %s", (alert, fresh, remaining, tte, badge) => {
    expect(alertBadgeOf(status(alert, fresh, remaining, tte))).toBe(badge);
  });

  it("burning means running out before the window's horizon, not merely spending", () => {
    expect(isBurning(status("ok", "fresh", 0.5, 29 * DAY))).toBe(true);
    expect(isBurning(status("ok", "fresh", 0.5, 30 * DAY))).toBe(false);
    // A calendar month with two days left: running out in three days is not this window.
    expect(isBurning(status("ok", "fresh", 0.5, 3 * DAY, 2 * DAY))).toBe(false);
    expect(isBurning(status("ok", "fresh", null, 3 * DAY))).toBe(false);
  });
});

describe("most at risk first", () => {
  it("an SLO burning 6x for three hours, out of budget in three days, ranks above a ticket at 0.36x whose budget lasts the window", () => {
    // 6x on a 30-day window: remaining 0.6 runs out in 0.6 x 30 d / 6 = 3 days. Neither page rule
    // fires yet (the 6 h window averages 3x), so the alert state is ok.
    const burning = status("ok", "fresh", 0.6, (0.6 * 30 * DAY) / 6);
    // A 7-day SLO's 3-day ticket fires at 10 % x 7 / 3 = 0.233x; at 0.36x its 0.9 left lasts 17.5 days.
    const ticket = status("ticket", "fresh", 0.9, (0.9 * 7 * DAY) / 0.36, 7 * DAY);
    const healthyLow = status("ok", "fresh", 0.3, null);
    const sorted = [["ticket", ticket], ["healthy", healthyLow], ["burning", burning]].sort((a, b) => compareByRisk(a[1] as S, b[1] as S)).map(([n]) => n);
    expect(sorted).toEqual(["burning", "ticket", "healthy"]);
  });

  it("orders pages, then tickets and spent or burning budgets (soonest exhaustion first), then stale, ok and no data", () => {
    const list: [string, S][] = [
      ["ok 80%", status("ok", "fresh", 0.8)],
      ["no data", status("no_data", "no_data", null)],
      ["ticket 40%", status("ticket", "fresh", 0.4, 60 * DAY)],
      ["ticket burning in 1 d", status("ticket", "fresh", 0.5, DAY)],
      ["ok 20% slow", status("ok", "fresh", 0.2, 100 * DAY)],
      ["page 60%", status("page", "fresh", 0.6, 30)],
      ["stale 90%", status("ok", "stale", 0.9)],
      ["burning in 2 d", status("ok", "fresh", 0.2, 2 * DAY)],
      ["burning in 5 h", status("ok", "fresh", 0.7, 300)],
      ["spent", status("ok", "fresh", -0.05, 0)],
      ["ok no events", status("ok", "fresh", null)],
    ];
    const sorted = [...list].sort((a, b) => compareByRisk(a[1], b[1])).map(([n]) => n);
    expect(sorted).toEqual(["page 60%", "spent", "burning in 5 h", "ticket burning in 1 d", "burning in 2 d", "ticket 40%", "stale 90%", "ok 20% slow", "ok 80%", "ok no events", "no data"]);
  });
});
