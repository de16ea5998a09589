import { describe, expect, it } from "vitest";
import { archiveConsequences, confirmationMatches, deleteRefusal, deletionConsequences, restoreRefusal, sliArchiveRefusal } from "./archive";

const at = new Date("2026-12-01T00:00:00Z");

describe("archive and delete rules (docs/domain.md, Archive and delete)", () => {
  it.each([
    ["checkout", true],
    ["  checkout ", true],
    ["Checkout API", true],
    ["checkout-api", false],
    ["Checkout", false],
    ["", false],
    ["   ", false],
  ])("typing %j confirms the deletion of checkout / Checkout API: %s", (typed, ok) => {
    expect(confirmationMatches(typed, { slug: "checkout", name: "Checkout API" })).toBe(ok);
  });

  it("deletes only what is archived; restores only what is archived, with its parents live", () => {
    expect(deleteRefusal("slo", { slug: "main", name: "Main", archivedAt: null })).toBe('SLO "main" is not archived: archive it first; only archived things can be deleted');
    expect(deleteRefusal("slo", { slug: "main", name: "Main", archivedAt: at })).toBeNull();
    expect(restoreRefusal("sli", { slug: "ok", name: "OK", archivedAt: null }, [])).toBe('SLI "ok" is not archived');
    expect(restoreRefusal("slo", { slug: "main", name: "Main", archivedAt: at }, [{ kind: "service", slug: "api", archivedAt: null }, { kind: "sli", slug: "ok", archivedAt: at }])).toBe('SLI "ok" is archived: restore it first');
    expect(restoreRefusal("slo", { slug: "main", name: "Main", archivedAt: at }, [{ kind: "service", slug: "api", archivedAt: null }])).toBeNull();
  });

  it("an SLI with live SLOs is refused, naming them", () => {
    expect(sliArchiveRefusal({ slug: "ok" }, [])).toBeNull();
    expect(sliArchiveRefusal({ slug: "ok" }, [{ slug: "main" }, { slug: "fast" }])).toBe('SLI "ok" is measured by live SLOs "main", "fast": archive them first');
  });

  it("says what archiving does and what deleting removes and keeps, with counts", () => {
    expect(archiveConsequences("service", { name: "API", slis: 2, slos: 1 })[0]).toBe("API, its 2 SLIs and 1 SLO leave the overview, lists, alerts, notifications and /metrics.");
    expect(archiveConsequences("slo", { name: "Main", service: "API" })[1]).toBe("It no longer gates API: the gate judges the service by its other SLOs.");
    const c = { slis: 1, slos: 2, minutes: 43_200, alertChanges: 3, incidents: 1, decisions: 12 };
    expect(deletionConsequences("service", c)).toEqual({
      deleted: [
        "the service with its 1 SLI and 2 SLOs, its own policy versions, overrides and freezes",
        "43,200 minutes of stored data (with their hourly and daily sums)",
        "3 alert state changes of alert history",
        "the link from 1 incident to these SLOs (the incidents stay)",
      ],
      kept: ["12 gate decisions about it, with their text (service name, reasons, numbers)", "audit records of everything done to it, this deletion included", "incidents and postmortems that mention it"],
    });
    expect(deletionConsequences("slo", { ...c, slis: 0, slos: 1, minutes: 0 }).kept).toContain("its SLI and the SLI's minute data");
  });
});
