// Silences and incident folding (docs/silences.md): what a silence matches, and what becomes of an
// alert-state change while silences and open incidents exist.
import { describe, expect, it } from "vitest";
import { dispositionOf, MAX_SILENCE_DAYS, silenceMatches, silenceProblem, type OpenIncident, type Silence, type SilenceTarget } from "./silence";

const t = (iso: string) => new Date(iso);
const at = t("2026-12-04T12:00:00Z");
const target: SilenceTarget = { teamId: "team-1", sloId: "slo-1", serviceId: "svc-1", sloLabels: { tier: "gold" }, serviceLabels: { region: "eu", tier: "silver" } };
const silence = (over: Partial<Silence>): Silence => ({ id: "s", teamId: "team-1", serviceId: null, sloId: null, label: null, startsAt: t("2026-12-04T11:00:00Z"), endsAt: t("2026-12-04T13:00:00Z"), ...over });

describe("silenceMatches", () => {
  it.each([
    ["the SLO itself", { sloId: "slo-1" }, true],
    ["another SLO", { sloId: "slo-2" }, false],
    ["its service", { serviceId: "svc-1" }, true],
    ["another service", { serviceId: "svc-2" }, false],
    ["an SLO label", { label: { key: "tier", value: "gold" } }, true],
    ["the SLO's label wins over its service's", { label: { key: "tier", value: "silver" } }, false],
    ["a service label the SLO does not override", { label: { key: "region", value: "eu" } }, true],
    ["a label value that differs", { label: { key: "region", value: "us" } }, false],
    ["service and label, both matching", { serviceId: "svc-1", label: { key: "region", value: "eu" } }, true],
    ["service matching, label not: every part must match", { serviceId: "svc-1", label: { key: "region", value: "us" } }, false],
    ["nothing named matches nothing", {}, false],
    ["another team's silence of the same label", { teamId: "team-2", label: { key: "tier", value: "gold" } }, false],
  ] as const)("%s", (_, over, expected) => {
    expect(silenceMatches(silence(over as Partial<Silence>), target, at)).toBe(expected);
  });

  it("holds from its start (inclusive) to its end (exclusive)", () => {
    const s = silence({ sloId: "slo-1" });
    expect(silenceMatches(s, target, t("2026-12-04T10:59:59Z"))).toBe(false);
    expect(silenceMatches(s, target, t("2026-12-04T11:00:00Z"))).toBe(true);
    expect(silenceMatches(s, target, t("2026-12-04T12:59:59Z"))).toBe(true);
    expect(silenceMatches(s, target, t("2026-12-04T13:00:00Z"))).toBe(false);
  });
});

describe("dispositionOf", () => {
  const incident: OpenIncident = { id: "inc-1", title: "Checkout down", sloIds: ["slo-1"], startedAt: t("2026-12-04T11:30:00Z") };
  it.each([
    ["no silence, no incident: sent", [], [], { kind: "send" }],
    ["a matching silence: silenced, even with an incident open", [silence({ id: "s1", sloId: "slo-1" })], [incident], { kind: "silenced", silenceId: "s1" }],
    ["a silence of another SLO and an incident naming this one: folded", [silence({ sloId: "slo-2" })], [incident], { kind: "folded", incidentId: "inc-1" }],
    ["an incident naming other SLOs: sent", [], [{ ...incident, sloIds: ["slo-9"] }], { kind: "send" }],
    ["an incident that starts later: sent", [], [{ ...incident, startedAt: t("2026-12-04T12:30:00Z") }], { kind: "send" }],
  ] as const)("%s", (_, silences, incidents, expected) => {
    expect(dispositionOf(target, at, silences as readonly Silence[], incidents as readonly OpenIncident[])).toEqual(expected);
  });

  it("names the silence that ends first and the incident that started first", () => {
    const silences = [silence({ id: "late", sloId: "slo-1", endsAt: t("2026-12-04T15:00:00Z") }), silence({ id: "soon", serviceId: "svc-1", endsAt: t("2026-12-04T12:30:00Z") })];
    expect(dispositionOf(target, at, silences, [])).toEqual({ kind: "silenced", silenceId: "soon" });
    const incidents = [incident, { ...incident, id: "older", startedAt: t("2026-12-04T09:00:00Z") }];
    expect(dispositionOf(target, at, [], incidents)).toEqual({ kind: "folded", incidentId: "older" });
  });
});

describe("silenceProblem", () => {
  const now = t("2026-12-04T12:00:00Z");
  it.each([
    ["an hour from now", "2026-12-04T12:00:00Z", "2026-12-04T13:00:00Z", null],
    ["ends before it starts", "2026-12-04T13:00:00Z", "2026-12-04T12:30:00Z", "must be after startsAt"],
    ["ended already", "2026-12-04T10:00:00Z", "2026-12-04T11:00:00Z", "must be in the future: a silence that has ended silences nothing"],
    [`longer than ${MAX_SILENCE_DAYS} days`, "2026-12-04T12:00:00Z", "2026-12-18T12:00:01Z", `a silence lasts at most ${MAX_SILENCE_DAYS} days`],
    [`exactly ${MAX_SILENCE_DAYS} days`, "2026-12-04T12:00:00Z", "2026-12-18T12:00:00Z", null],
  ])("%s", (_, from, to, message) => {
    const p = silenceProblem({ startsAt: t(from), endsAt: t(to) }, now);
    expect(p?.message ?? null).toBe(message);
    if (p) expect(p.field).toBe("endsAt");
  });
});
