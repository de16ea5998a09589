// Retention drops whole weeks of minute data past the configured days, never what an SLO's
// window still needs, and the hourly rollup goes with its minutes. Dates are in the year 2000,
// which no other test writes to: the partitions are shared by every test of the database.
import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { createService, createSli, createSlo } from "../services/catalog";
import { countByMinute, countWindowAndLookbacks, upsertBuckets } from "../sli-data";
import { makeTeam } from "../testing/factories";
import { applyRetention } from "./retention";

const MIN = 60_000;
const DAY = 1440 * MIN;
const now = Date.UTC(2000, 6, 1, 12, 0); // a Saturday

async function sliWithData(windowDays: number) {
  const { team, members } = await makeTeam(["editor"]);
  const svc = await createService(members.editor, team.slug, { slug: "s", name: "S", description: "" });
  const sli = await createSli(members.editor, team.slug, "s", { slug: "x", name: "X", description: "", kind: "request_ratio" });
  await createSlo(members.editor, team.slug, "s", { slug: "o", name: "O", description: "", sli: "x", objective: "0.99", window: { kind: "rolling", days: windowDays }, minEvents: 0 });
  // One bucket every 6 hours for 120 days.
  const rows = Array.from({ length: 120 * 4 }, (_, i) => ({ sliId: sli!.id, minute: new Date(now - i * 6 * 60 * MIN), good: 9, total: 10 }));
  await upsertBuckets(rows);
  return { id: sli!.id, serviceId: svc!.id };
}

const oldest = async (sliId: string) =>
  (await db().pool.query<{ minute: Date | null; hour: Date | null }>(
    "SELECT (SELECT min(minute) FROM sli_buckets WHERE sli_id = $1) AS minute, (SELECT min(hour) FROM sli_buckets_hourly WHERE sli_id = $1) AS hour",
    [sliId],
  )).rows[0]!;

describe("retention of minute data", () => {
  it("drops whole weeks older than the retention, with their hours, and keeps every count of the window", async () => {
    const sli = await sliWithData(7);
    const at = new Date(now);
    const before = await countWindowAndLookbacks(sli, new Date(now - 7 * DAY), at);
    // 100 days: longer than any SLO window of any test sharing this database (at most a quarter).
    const r = await applyRetention(100, at);
    // 100 days before Saturday 2000-07-01 12:00 is Thursday 2000-03-23; its week began Monday 2000-03-20.
    expect(r.cutoff.toISOString()).toBe("2000-03-20T00:00:00.000Z");
    expect(r.droppedPartitions).toContain("sli_buckets_20000313");
    expect(r.droppedPartitions).not.toContain("sli_buckets_20000320");
    const left = await oldest(sli.id);
    expect(left.minute!.getTime()).toBeGreaterThanOrEqual(r.cutoff.getTime());
    expect(left.minute!.getTime()).toBeLessThan(r.cutoff.getTime() + 6 * 60 * MIN);
    expect(left.hour!.getTime()).toBe(left.minute!.getTime());
    const after = await countWindowAndLookbacks(sli, new Date(now - 7 * DAY), at);
    expect(after).toEqual(before);
    expect({ window: after.window, lookbacks: after.lookbacks }).toEqual(await countByMinute(sli, new Date(now - 7 * DAY), at));
  });

  it("keeps what the longest SLO window needs even when the retention is shorter", async () => {
    const sli = await sliWithData(90);
    const r = await applyRetention(7, new Date(now));
    // 90 days + the 3-day lookback before 2000-07-01 12:00 is 2000-03-30; its week began 2000-03-27.
    expect(r.cutoff.getTime()).toBeLessThanOrEqual(Date.UTC(2000, 2, 27));
    expect((await oldest(sli.id)).minute!.getTime()).toBeLessThanOrEqual(now - 93 * DAY);
  });
});
