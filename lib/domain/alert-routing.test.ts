import { describe, expect, it } from "vitest";
import { alertChannels, alertDetailsOf, notifiedAlertState } from "./alert-routing";
import { effectiveAlertRules, type AlertEvaluation, type AlertState, type RuleEvaluation } from "./burn-rate";
import { defaultAlerting, type AlertingDef } from "./definitions";

/** An evaluation where the rows of the burn-rate table (docs/domain.md "Multiwindow, multi-burn-rate alerts": page 1h/6h, ticket 1d/3d) in `firing` fire. */
const evaluation = (state: AlertState, firing: ("page" | "ticket")[]): AlertEvaluation => ({
  state,
  rules: effectiveAlertRules({}, 30 * 1440).map((r): RuleEvaluation => ({ ...r, factor: 1, longBurnRate: 0, shortBurnRate: 0, longAbove: false, shortAbove: false, firing: firing.includes(r.severity), lowTraffic: false })),
});
const settings = (page: boolean, ticket: boolean, over: Partial<AlertingDef> = {}): AlertingDef => {
  const d = defaultAlerting();
  return { ...d, page: { ...d.page, enabled: page }, ticket: { ...d.ticket, enabled: ticket }, ...over };
};

describe("notifiedAlertState: the most severe firing row whose severity is on", () => {
  it.each([
    // evaluated state, rows firing, page on, ticket on -> notified
    ["page", ["page", "ticket"], true, true, "page"],
    ["page", ["page", "ticket"], false, true, "ticket"], // page off: the ticket rows still speak
    ["page", ["page"], false, true, "ok"], // only page rows fire and page is off: no alert
    ["page", ["page", "ticket"], false, false, "ok"], // Sloth's no-alerts example
    ["ticket", ["ticket"], true, false, "ok"],
    ["ticket", ["ticket"], false, true, "ticket"],
    ["ok", [], false, false, "ok"],
    ["no_data", [], false, false, "no_data"],
    ["no_data", [], true, true, "no_data"],
  ] as [AlertState, ("page" | "ticket")[], boolean, boolean, AlertState][])("%s with %j firing, page %s, ticket %s -> %s", (state, firing, page, ticket, expected) => {
    expect(notifiedAlertState(evaluation(state, firing), settings(page, ticket))).toBe(expected);
  });
});

describe("alertChannels", () => {
  const channels = [
    { id: "1", name: "ops" },
    { id: "2", name: "payments" },
    { id: "3", name: "pd" },
  ];
  it.each([
    [[], ["1", "2", "3"]], // none named: every channel of the team
    [["ops"], ["1"]],
    [["pd", "ops"], ["1", "3"]],
    [["nowhere"], []], // a name no channel has sends nothing (the apply warns)
  ])("channels %j -> %j", (named, ids) => expect(alertChannels(channels, settings(true, true, { channels: named })).map((c) => c.id)).toEqual(ids));
});

describe("alertDetailsOf: the shared labels and annotations with the severity's own on top (as Sloth merges them)", () => {
  const a = settings(true, true, {
    name: "MyServiceHighErrorRate",
    labels: { category: "availability", severity: "none" },
    annotations: { summary: "High error rate" },
    page: { enabled: true, labels: { severity: "pageteam" }, annotations: {} },
    ticket: { enabled: true, labels: { severity: "slack" }, annotations: { summary: "Slow burn" } },
  });
  it.each([
    ["ok", "page", { severity: "pageteam" }, "High error rate"],
    ["page", "ticket", { severity: "slack" }, "Slow burn"],
    ["page", "ok", { severity: "pageteam" }, "High error rate"], // resolved: the details of the alert that ended
    ["ticket", "no_data", { severity: "slack" }, "Slow burn"],
  ] as [AlertState, AlertState, Record<string, string>, string][])("%s -> %s", (from, to, labels, summary) => {
    expect(alertDetailsOf(a, from, to)).toEqual({ name: "MyServiceHighErrorRate", labels: { category: "availability", ...labels }, annotations: { summary } });
  });
  it("is null when nothing is set, so messages stay as they were", () => expect(alertDetailsOf(defaultAlerting(), "ok", "page")).toBeNull());
});
