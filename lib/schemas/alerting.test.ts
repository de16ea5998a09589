import { describe, expect, it } from "vitest";
import { alertingSchema } from "./alerting";
import { defaultAlerting } from "../domain/definitions";

describe("alertingSchema (slos.alerting)", () => {
  it("the column's default {} is defaultAlerting(): page and ticket on, every channel", () => {
    expect(alertingSchema.parse({})).toEqual(defaultAlerting());
  });

  it("keeps what is stored and fills what is absent", () => {
    expect(alertingSchema.parse({ page: { enabled: false }, channels: ["ops"], labels: { team: "a" } })).toEqual({ ...defaultAlerting(), page: { enabled: false, labels: {}, annotations: {} }, channels: ["ops"], labels: { team: "a" } });
  });

  it("round-trips a full value", () => {
    const full = {
      ...defaultAlerting(),
      name: "HighErrorRate",
      ticket: { enabled: false, labels: { severity: "warning" }, annotations: { runbook: "https://runbooks/x" } },
      policies: [{ name: "fast", displayName: "", description: "", alertWhenBreaching: true, alertWhenResolved: false, alertWhenNoData: false, conditions: [{ name: "c", displayName: "", description: "", severity: "page" as const, threshold: 14.4, lookbackWindow: "1h", alertAfter: "5m" }], targets: [{ name: "ops", displayName: "", description: "", target: "slack" }] }],
    };
    expect(alertingSchema.parse(JSON.parse(JSON.stringify(full)))).toEqual(full);
  });

  it.each([
    [{ page: { enabled: "yes" } }, ["page", "enabled"]],
    [{ channels: "ops" }, ["channels"]],
    [{ labels: { team: 1 } }, ["labels", "team"]],
    [{ pages: {} }, []],
    [null, []],
    [[], []],
  ])("refuses %j (at %j) rather than defaulting", (value, path) => {
    const r = alertingSchema.safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(path);
  });
});
