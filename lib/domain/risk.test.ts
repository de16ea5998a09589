import { describe, expect, it } from "vitest";
import { alertBadgeOf, compareByRisk } from "./risk";

type S = Parameters<typeof compareByRisk>[0];
const status = (alert: "page" | "ticket" | "ok" | "no_data", fresh: "fresh" | "stale" | "no_data", remaining: number | null, tte: number | null = null): S => ({
  alerts: { state: alert },
  freshness: { state: fresh },
  budget: remaining === null ? { state: "no_data" } : { state: "ok", remaining, sli: 1 - (1 - remaining) * 0.001 },
  timeToExhaustionMinutes: tte,
});

describe("alert badge", () => {
  it.each([
    ["page", "stale", "page"],
    ["ticket", "stale", "ticket"],
    ["ok", "stale", "stale"],
    ["no_data", "stale", "stale"],
    ["ok", "fresh", "ok"],
    ["no_data", "no_data", "no_data"],
  ] as const)("alert %s with %s data shows %s", (alert, fresh, badge) => {
    expect(alertBadgeOf(status(alert, fresh, 0.5))).toBe(badge);
  });
});

describe("most at risk first", () => {
  it("orders by badge, then least budget left, then soonest exhaustion; no data last", () => {
    const list: [string, S][] = [
      ["ok 80%", status("ok", "fresh", 0.8)],
      ["no data", status("no_data", "no_data", null)],
      ["ticket 40%", status("ticket", "fresh", 0.4, 600)],
      ["ok 20% slow", status("ok", "fresh", 0.2, 10_000)],
      ["page 60%", status("page", "fresh", 0.6, 30)],
      ["stale 90%", status("ok", "stale", 0.9)],
      ["ok 20% fast", status("ok", "fresh", 0.2, 100)],
      ["ok -5%", status("ok", "fresh", -0.05, 0)],
      ["ok no events", status("ok", "fresh", null)],
    ];
    const sorted = [...list].sort((a, b) => compareByRisk(a[1], b[1])).map(([n]) => n);
    expect(sorted).toEqual(["page 60%", "ticket 40%", "stale 90%", "ok -5%", "ok 20% fast", "ok 20% slow", "ok 80%", "ok no events", "no data"]);
  });
});
