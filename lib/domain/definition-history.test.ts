// Definition history (docs/definition-history.md): which edits start a version, since when each is
// in force, and how a chart reads an instant's objective.
import { describe, expect, it } from "vitest";
import { parseObjective } from "./budget";
import { changedFields, describeChanges, objectiveAt, versionAt, versionsForChange, type SliMeasure, type SloMeasure, type Version } from "./definition-history";

const t = (iso: string) => new Date(iso);
const slo = (objective: string, over: Partial<SloMeasure> = {}): SloMeasure => ({ sli: "availability", objective, window: { kind: "rolling", days: 28 }, ...over });
const sli: SliMeasure = {
  kind: "request_ratio",
  source: "prometheus",
  dataSource: "default",
  url: null,
  goodQuery: null,
  badQuery: 'sum(rate(http_requests_total{code=~"5.."}[1m]))',
  totalQuery: "sum(rate(http_requests_total[1m]))",
  thresholdQuery: null,
  thresholdOp: null,
  thresholdValue: null,
  latencyThresholdMs: null,
  sliceMinutes: null,
  sliceTarget: null,
  sliceMethod: "count_good",
};

describe("changedFields", () => {
  it.each([
    ["the objective", slo("0.999"), slo("0.995"), ["objective"]],
    ["the window", slo("0.999"), slo("0.999", { window: { kind: "calendar", unit: "month", timeZone: "UTC" } }), ["window"]],
    ["the SLI and the objective", slo("0.999"), slo("0.99", { sli: "latency" }), ["sli", "objective"]],
    ["nothing measured", slo("0.999"), slo("0.999"), []],
  ])("an SLO: %s", (_, before, after, fields) => {
    expect(changedFields("slo", before, after)).toEqual(fields);
  });

  it("an SLI: a query and its source, in the order they are listed", () => {
    const after = { ...sli, dataSource: null, url: "https://prom.example.test", totalQuery: "sum(rate(http_requests_total{job='api'}[1m]))" };
    expect(changedFields("sli", sli, after)).toEqual(["dataSource", "url", "totalQuery"]);
  });
});

describe("versionsForChange", () => {
  const created = t("2026-11-01T00:00:00Z");
  it("the first measured change writes the definition as it was (version 1, from creation) and the new one (version 2, from the change)", () => {
    const at = t("2026-11-20T12:00:00Z");
    expect(versionsForChange("slo", null, slo("0.999"), slo("0.995"), created, at)).toEqual([
      { version: 1, validFrom: created, measure: slo("0.999"), changed: [] },
      { version: 2, validFrom: at, measure: slo("0.995"), changed: ["objective"] },
    ]);
  });

  it("a later change adds one version, compared with the latest stored one", () => {
    const latest: Version<SloMeasure> = { version: 2, validFrom: t("2026-11-20T12:00:00Z"), measure: slo("0.995"), changed: ["objective"] };
    const at = t("2026-11-25T00:00:00Z");
    expect(versionsForChange("slo", latest, slo("0.995"), slo("0.99"), created, at)).toEqual([{ version: 3, validFrom: at, measure: slo("0.99"), changed: ["objective"] }]);
  });

  it("an edit of no measured field (back to what the latest version says) writes nothing", () => {
    const latest: Version<SloMeasure> = { version: 2, validFrom: t("2026-11-20T12:00:00Z"), measure: slo("0.995"), changed: ["objective"] };
    expect(versionsForChange("slo", latest, slo("0.995"), slo("0.995"), created, t("2026-11-25T00:00:00Z"))).toEqual([]);
    expect(versionsForChange("slo", null, slo("0.999"), slo("0.999"), created, t("2026-11-25T00:00:00Z"))).toEqual([]);
  });

  it("refuses a change dated before the version it would follow (versions never overlap)", () => {
    const latest: Version<SloMeasure> = { version: 2, validFrom: t("2026-11-20T12:00:00Z"), measure: slo("0.995"), changed: ["objective"] };
    expect(() => versionsForChange("slo", latest, slo("0.995"), slo("0.99"), created, t("2026-11-19T00:00:00Z"))).toThrow(/precedes version 2/);
  });
});

describe("reading history by version", () => {
  const versions: Version<SloMeasure>[] = [
    { version: 2, validFrom: t("2026-11-20T12:00:00Z"), measure: slo("0.995"), changed: ["objective"] },
    { version: 1, validFrom: t("2026-11-01T00:00:00Z"), measure: slo("0.999"), changed: [] },
    { version: 3, validFrom: t("2026-11-25T00:00:00Z"), measure: slo("0.99"), changed: ["objective"] },
  ];
  const current = parseObjective("0.99");

  it.each([
    ["before the first version (data older than the SLO): the first version", "2026-10-31T23:59:00Z", "0.999"],
    ["at version 1's start", "2026-11-01T00:00:00Z", "0.999"],
    ["the last minute of version 1", "2026-11-20T11:59:00Z", "0.999"],
    ["at the change: the new version", "2026-11-20T12:00:00Z", "0.995"],
    ["after the last change", "2026-12-01T00:00:00Z", "0.99"],
  ])("%s", (_, at, objective) => {
    expect(objectiveAt(versions, t(at), current).text).toBe(objective);
  });

  it("an SLO never changed (no versions) is judged by its current objective", () => {
    expect(objectiveAt([], t("2026-11-21T00:00:00Z"), current).text).toBe("0.99");
  });

  it("versionAt is null before the first version", () => {
    expect(versionAt(versions, t("2026-10-01T00:00:00Z"))).toBeNull();
    expect(versionAt(versions, t("2026-11-21T00:00:00Z"))?.version).toBe(2);
  });
});

describe("describeChanges", () => {
  it("names each changed field with its old and new value; queries are named, not quoted", () => {
    const v: Version<SloMeasure> = { version: 2, validFrom: t("2026-11-20T12:00:00Z"), measure: slo("0.995", { window: { kind: "calendar", unit: "month", timeZone: "Europe/Berlin" } }), changed: ["objective", "window"] };
    expect(describeChanges("slo", slo("0.999"), v)).toEqual(["objective: 99.9% → 99.5%", "window: 28 days rolling → calendar month (Europe/Berlin)"]);
    const q: Version<SliMeasure> = { version: 2, validFrom: t("2026-11-20T12:00:00Z"), measure: { ...sli, totalQuery: "sum(rate(x[1m]))", latencyThresholdMs: 300 }, changed: ["totalQuery", "latencyThresholdMs"] };
    expect(describeChanges("sli", sli, q)).toEqual(["total query changed", "latency threshold: none → 300 ms"]);
    expect(describeChanges("sli", null, q)).toEqual([]);
  });
});
