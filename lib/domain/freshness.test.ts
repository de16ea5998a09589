import { describe, expect, it } from "vitest";
import { freshnessOf } from "./freshness";

const at = new Date("2026-06-01T12:00:00Z");
const ago = (m: number) => new Date(at.getTime() - m * 60_000);

describe("freshnessOf", () => {
  it.each([
    [{ source: "push" as const, lastDataAt: ago(1) }, "fresh"],
    [{ source: "push" as const, lastDataAt: ago(15) }, "fresh"],
    [{ source: "push" as const, lastDataAt: ago(16) }, "stale"],
    [{ source: "push" as const, lastDataAt: null }, "no_data"],
    [{ source: "prometheus" as const, lastDataAt: ago(1), syncedUntil: ago(0) }, "fresh"],
    [{ source: "prometheus" as const, lastDataAt: ago(1), syncedUntil: ago(6) }, "stale"],
    [{ source: "prometheus" as const, lastDataAt: ago(1), syncedUntil: ago(0), lastSyncError: "HTTP 500" }, "stale"],
    [{ source: "prometheus" as const, lastDataAt: null, syncedUntil: null }, "no_data"],
  ])("%j -> %s", (facts, state) => expect(freshnessOf(facts, at).state).toBe(state));

  it("says why", () => {
    expect(freshnessOf({ source: "push", lastDataAt: ago(42) }, at).reason).toBe("no data pushed for 42 minutes");
    expect(freshnessOf({ source: "prometheus", lastDataAt: ago(3), syncedUntil: ago(3), lastSyncError: "no answer within 10 s" }, at).reason).toBe("the last sync failed: no answer within 10 s");
  });
});
