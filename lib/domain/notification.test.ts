import { describe, expect, it } from "vitest";
import type { AlertState } from "./burn-rate";
import { defaultPolicy } from "./policy";
import { serviceStanding } from "./standing";
import { emailOf, isNotifiable, overdueMessage, overrideMessage, pagerDutyEvents, slackMessage, tierChangeMessage, type AlertChange } from "./notification";

const change = (from: AlertState, to: AlertState): AlertChange => ({
  team: "payments",
  service: "payments-api",
  slo: "availability",
  sloName: "Availability 99.9%",
  sloId: "0190-abc",
  from,
  to,
  at: "2026-06-01T12:00:00.000Z",
  remaining: 0.4321,
  burnRate1h: 15.04,
  url: "https://burnrate.example/slo",
});

describe("isNotifiable", () => {
  it.each([
    ["ok", "page", true],
    ["ok", "ticket", true],
    ["ticket", "page", true],
    ["page", "ticket", true],
    ["page", "ok", true],
    ["ticket", "no_data", true],
    ["ok", "no_data", false],
    ["no_data", "ok", false],
    ["page", "page", false],
  ] as [AlertState, AlertState, boolean][])("%s -> %s: %s", (from, to, expected) => expect(isNotifiable(from, to)).toBe(expected));
});

describe("messages", () => {
  it("Slack: a headline, the numbers and a link", () => {
    expect(slackMessage(change("ok", "page")).text).toBe(
      "PAGE: Availability 99.9% (payments-api) is burning its error budget\nRemaining budget 43.2% · 1h burn rate 15x · team payments\n<https://burnrate.example/slo|Open in Burnrate>",
    );
    expect(slackMessage(change("page", "ok")).text).toMatch(/^Resolved: Availability 99.9% \(payments-api\) is no longer burning fast \(page alert ended\)/);
  });

  it("PagerDuty: trigger with a stable dedup key, resolve the old severity when it changes", () => {
    const fire = pagerDutyEvents(change("ok", "page"), "R0UT1NG");
    expect(fire).toHaveLength(1);
    expect(fire[0]).toMatchObject({ routing_key: "R0UT1NG", event_action: "trigger", dedup_key: "burnrate/0190-abc/page", payload: { severity: "critical", source: "burnrate/payments/payments-api" } });
    expect(pagerDutyEvents(change("page", "ticket"), "R")).toMatchObject([
      { event_action: "resolve", dedup_key: "burnrate/0190-abc/page" },
      { event_action: "trigger", dedup_key: "burnrate/0190-abc/ticket", payload: { severity: "warning" } },
    ]);
    expect(pagerDutyEvents(change("ticket", "ok"), "R")).toEqual([{ routing_key: "R", event_action: "resolve", dedup_key: "burnrate/0190-abc/ticket" }]);
  });
});

describe("email (the chat message's words as plain text)", () => {
  it("subject is the headline, tagged; the body keeps the lines and spells the link out", () => {
    expect(emailOf(slackMessage(change("ok", "page")))).toEqual({
      subject: "[Burnrate] PAGE: Availability 99.9% (payments-api) is burning its error budget",
      text: "PAGE: Availability 99.9% (payments-api) is burning its error budget\nRemaining budget 43.2% · 1h burn rate 15x · team payments\nOpen in Burnrate: https://burnrate.example/slo\n",
    });
  });
  it("no control character reaches the subject, which is one line of at most 150 characters (plus the tag)", () => {
    const m = emailOf({ text: `*Bold*\r\nBcc: x@evil.example ${"y".repeat(300)}`, blocks: [] });
    expect(m.subject).toBe("[Burnrate] Bold");
    const long = emailOf({ text: "z".repeat(300), blocks: [] });
    expect(long.subject).toHaveLength("[Burnrate] ".length + 150);
    expect(long.subject.endsWith("…")).toBe(true);
    expect(emailOf({ text: "a\u0007b\tc", blocks: [] }).subject).toBe("[Burnrate] a b c");
  });
});

describe("alert settings in messages (Sloth's getting-started example: name, labels, annotations)", () => {
  const alert = { name: "MyServiceHighErrorRate", labels: { category: "availability", severity: "pageteam" }, annotations: { summary: "High error rate on 'myservice' requests responses" } };
  it("Slack: the alert name and labels on a line, each annotation on its own, before the link", () => {
    expect(slackMessage({ ...change("ok", "page"), alert }).text).toBe(
      "PAGE: Availability 99.9% (payments-api) is burning its error budget\nRemaining budget 43.2% · 1h burn rate 15x · team payments\nAlert MyServiceHighErrorRate · category=availability, severity=pageteam\nsummary: High error rate on 'myservice' requests responses\n<https://burnrate.example/slo|Open in Burnrate>",
    );
    expect(slackMessage({ ...change("ok", "page"), alert: null }).text).toBe(slackMessage(change("ok", "page")).text);
  });
  it("PagerDuty: custom_details carry the name, labels and annotations", () => {
    expect(pagerDutyEvents({ ...change("ok", "ticket"), alert }, "R")[0]).toMatchObject({
      payload: { custom_details: { slo: "availability", alert: "MyServiceHighErrorRate", labels: alert.labels, annotations: alert.annotations } },
    });
    expect((pagerDutyEvents(change("ok", "ticket"), "R")[0] as { payload: { custom_details: object } }).payload.custom_details).toEqual({ slo: "availability", remaining_budget: 0.4321, burn_rate_1h: 15.04 });
  });
});

describe("gate notifications (Slack-compatible bodies)", () => {
  it("a tier change says which way, what the gate now does under the policy, and links back", () => {
    const standing = serviceStanding({ policy: defaultPolicy, slos: [{ id: "a", name: "Availability", budget: { state: "ok", remaining: 0.084, sli: 0.999 } }], overrides: [], freezes: [], missingPostmortem: null }, new Date());
    const m = tierChangeMessage({ team: "payments", service: "api", serviceName: "Payments API", from: "caution", to: standing.tier, slo: "Availability", remaining: 0.084, effect: standing.headline, url: "https://b.example/s" });
    expect(m.text).toBe("Deploy gate tightened: Payments API (payments) moved from caution to freeze (Availability: 8.4% of the error budget left).\nFeature deploys to production are denied.\n<https://b.example/s|Open in Burnrate>");
    expect(m.blocks[0]!.text.text).toBe(m.text);
    expect(tierChangeMessage({ team: "t", service: "s", serviceName: "S", from: "halted", to: "caution", slo: null, remaining: null, effect: "x", url: "u" }).text.startsWith("Deploy gate eased")).toBe(true);
  });
  it("the effect is the service's standing under its policy, not the defaults", () => {
    const caution = [{ id: "a", name: "A", budget: { state: "ok" as const, remaining: 0.3, sli: 0.999 } }];
    const base = { slos: caution, overrides: [], freezes: [], missingPostmortem: null };
    expect(serviceStanding({ ...base, policy: defaultPolicy }, new Date()).headline).toBe("Feature deploys to production are allowed with a warning");
    expect(serviceStanding({ ...base, policy: { ...defaultPolicy, cautionFeatures: "deny" } }, new Date()).headline).toBe("Feature deploys to production are denied");
  });
  it("an override grant names the service, scope, expiry, approver, escalation and reason", () => {
    const m = overrideMessage({ team: "payments", service: { slug: "api", name: "Payments API" }, environment: "production", reason: "card fix", approvedBy: "Amara", escalatedTo: "the CTO", expiresAt: "2026-11-23T00:00:00.000Z", grantedBy: "Lee", url: "u" });
    expect(m.text).toBe("Deploy gate override granted for Payments API (payments), production, until 2026-11-23T00:00:00.000Z.\nApproved by Amara, escalated to the CTO; granted by Lee. Reason: card fix\n<u|Open in Burnrate>");
  });
});

describe("overdue action items", () => {
  it("name the item, its priority, due date, owner and postmortem", () => {
    expect(overdueMessage({ team: "payments", title: "Range-check pool limits", priority: "P0", dueDate: "2026-11-20", owner: null, postmortem: "Card authorisations failing", url: "u" }).text).toBe(
      'Overdue action item (P0, due 2026-11-20): Range-check pool limits\nOwner: nobody yet · from the postmortem "Card authorisations failing" · team payments\n<u|Open in Burnrate>',
    );
  });
});
