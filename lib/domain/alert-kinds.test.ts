import { describe, expect, it } from "vitest";
import { alertEventChatMessage, alertEventPagerDuty, budgetCrossing, dataChange, type AlertEvent, type DataState } from "./alert-kinds";

describe("dataChange: absent data is not OK (docs/alerting.md 'No data')", () => {
  it.each([
    // last seen, now -> change
    [null, "fresh", "seen"],
    [null, "stale", "stopped"], // first look without current data: say so
    [null, "no_data", "stopped"],
    ["fresh", "fresh", null],
    ["fresh", "stale", "stopped"],
    ["fresh", "no_data", "stopped"],
    ["stale", "no_data", "seen"], // the same outage: no second message
    ["no_data", "stale", "seen"],
    ["stale", "fresh", "back"],
    ["no_data", "fresh", "back"],
  ] as [DataState | null, DataState, string | null][])("%s -> %s: %s", (last, now, change) => {
    expect(dataChange(last, now)).toBe(change);
  });
});

describe("budgetCrossing: once per crossing, re-armed when back at or above the level", () => {
  const ok = (remaining: number) => ({ state: "ok" as const, remaining, sli: 0.999 });
  it.each([
    // was below, remaining, level % -> crossing
    [false, 0.3, 25, null],
    [false, 0.2499, 25, "below"],
    [true, 0.1, 25, null], // still below: not again
    [true, 0.25, 25, "rearmed"], // at the level is not below
    [false, -0.5, 25, "below"], // overspent
    [true, 0.5, 25, "rearmed"],
  ] as const)("was below %s, remaining %d, level %d %% -> %s", (was, remaining, percent, crossing) => {
    expect(budgetCrossing(was, ok(remaining), percent)).toBe(crossing);
  });
  it("no data changes nothing", () => expect(budgetCrossing(true, { state: "no_data" }, 25)).toBeNull());
});

describe("messages", () => {
  const e: AlertEvent = { kind: "no_data", action: "firing", team: "t", service: "api", slo: "avail", sloName: "Availability", sloId: "id-1", at: "2026-06-01T00:00:00.000Z", detail: "no data pushed for 20 minutes", remaining: 0.5, url: "https://burnrate.example/teams/t" };
  it("chat: what stopped and why", () => {
    expect(alertEventChatMessage(e).text).toBe("NO DATA: Availability (api) has no current data; its status cannot be trusted\nno data pushed for 20 minutes · team t\n<https://burnrate.example/teams/t|Open in Burnrate>");
  });
  it("PagerDuty: no data triggers and resolves one incident per SLO; each budget crossing is its own", () => {
    expect(alertEventPagerDuty(e, "k")).toMatchObject([{ event_action: "trigger", dedup_key: "burnrate/id-1/no_data" }]);
    expect(alertEventPagerDuty({ ...e, action: "resolved" }, "k")).toEqual([{ routing_key: "k", event_action: "resolve", dedup_key: "burnrate/id-1/no_data" }]);
    expect(alertEventPagerDuty({ ...e, kind: "budget_below", detail: "below 25 %" }, "k")).toMatchObject([{ event_action: "trigger", dedup_key: "burnrate/id-1/budget_below/2026-06-01T00:00:00.000Z", payload: { severity: "warning" } }]);
  });
});
