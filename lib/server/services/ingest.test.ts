import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli } from "./catalog";
import { ingestBatch } from "./ingest";

const now = new Date("2026-06-01T00:00:00Z");
const minute = (i: number) => new Date(now.getTime() - i * 60_000).toISOString();

async function setup() {
  const { team, members } = await makeTeam(["admin", "editor"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  const sli = await createSli(members.editor, team.slug, "api", { slug: "availability", name: "Availability", description: "", kind: "request_ratio" });
  const token = await makeTokenActor(team.slug, members.admin, ["ingest"]);
  return { team, members, sli, token };
}

const stored = async (sliId: string) =>
  (await prisma().sliBucket.findMany({ where: { sliId }, orderBy: { minute: "asc" } })).map((b) => [b.minute.toISOString(), Number(b.good), Number(b.total)]);

describe("push ingestion", () => {
  it("keeps valid items and names each rejected one by index and reason", async () => {
    const { sli, token } = await setup();
    const r = await ingestBatch(token, {
      items: [
        { sli: sli!.id, minute: minute(1), good: 99, total: 100 }, // 0 ok
        { sli: "api/availability", minute: minute(2), bad: 3, total: 100 }, // 1 ok, by slugs, bad instead of good
        { sli: sli!.id, minute: minute(3), good: 101, total: 100 }, // 2 good > total
        { sli: sli!.id, minute: minute(4), good: -1, total: 100 }, // 3 negative
        { sli: sli!.id, minute: minute(5), good: 1.5, total: 100 }, // 4 not an integer
        { sli: sli!.id, minute: "2026-05-31T23:50:30Z", good: 1, total: 1 }, // 5 not minute-aligned
        { sli: sli!.id, minute: "2026-06-01T00:10:00Z", good: 1, total: 1 }, // 6 too far in the future
        { sli: "api/nope", minute: minute(6), good: 1, total: 1 }, // 7 unknown SLI
        { sli: sli!.id, minute: minute(7), total: 1 }, // 8 neither good nor bad
        "not an object", // 9
        { sli: sli!.id, minute: minute(8), good: 1, total: 1, extra: true }, // 10 unknown field
        { sli: sli!.id, minute: "2026-02-20T00:00:00Z", good: 1, total: 1 }, // 11 older than the 100-day retention
      ],
    }, now);
    expect(r.accepted).toBe(2);
    expect(r.rejected).toEqual([
      { index: 2, field: "good", reason: "good must not exceed total" },
      { index: 3, field: "good", reason: "good must not be negative" },
      { index: 4, field: "good", reason: "good must be a whole number" },
      { index: 5, field: "minute", reason: "minute must be aligned to a whole minute (seconds = 0)" },
      { index: 6, field: "minute", reason: "minute is more than 5 minutes in the future" },
      { index: 7, field: "sli", reason: 'unknown SLI "api/nope" (give its id or "service/sli" slugs of this token\'s team)' },
      { index: 8, field: "good", reason: "send exactly one of good or bad" },
      { index: 9, field: "item", reason: expect.stringContaining("object") },
      { index: 10, field: "item", reason: expect.stringContaining("extra") },
      { index: 11, field: "minute", reason: "minute is older than the 100-day retention of minute data" },
    ]);
    expect(await stored(sli!.id)).toEqual([
      ["2026-05-31T23:58:00.000Z", 97, 100],
      ["2026-05-31T23:59:00.000Z", 99, 100],
    ]);
  });

  it("is idempotent: re-sending a batch changes nothing; a later value for a bucket replaces it", async () => {
    const { sli, token } = await setup();
    const batch = { items: [0, 1, 2].map((i) => ({ sli: sli!.id, minute: minute(i + 1), good: 90 + i, total: 100 })) };
    await ingestBatch(token, batch, now);
    const first = await stored(sli!.id);
    await ingestBatch(token, batch, now);
    expect(await stored(sli!.id)).toEqual(first);
    // Late and out of order: an older minute, and a correction of an existing one.
    await ingestBatch(token, { items: [{ sli: sli!.id, minute: minute(1), good: 50, total: 60 }, { sli: sli!.id, minute: minute(30), good: 5, total: 5 }] }, now);
    const after = await stored(sli!.id);
    expect(after).toHaveLength(4);
    expect(after.at(-1)).toEqual([minute(1), 50, 60]);
    expect(after[0]).toEqual([minute(30), 5, 5]);
  });

  it("the last of duplicate items in one batch wins", async () => {
    const { sli, token } = await setup();
    const r = await ingestBatch(token, { items: [{ sli: sli!.id, minute: minute(1), good: 1, total: 10 }, { sli: sli!.id, minute: minute(1), good: 9, total: 10 }] }, now);
    expect(r.accepted).toBe(2);
    expect(await stored(sli!.id)).toEqual([[minute(1), 9, 10]]);
  });

  it("another team's SLI is unknown to a token, and nothing is written there", async () => {
    const a = await setup();
    const b = await setup();
    const r = await ingestBatch(b.token, { items: [{ sli: a.sli!.id, minute: minute(1), good: 0, total: 1000 }] }, now);
    expect(r).toMatchObject({ accepted: 0, rejected: [{ index: 0, field: "sli" }] });
    expect(await stored(a.sli!.id)).toEqual([]);
  });

  it("needs a token with the ingest scope", async () => {
    const { team, members, sli } = await setup();
    const items = [{ sli: sli!.id, minute: minute(1), good: 1, total: 1 }];
    await expect(ingestBatch(members.admin, { items }, now)).rejects.toMatchObject({ status: 403 });
    const reader = await makeTokenActor(team.slug, members.admin, ["read", "gate"]);
    await expect(ingestBatch(reader, { items }, now)).rejects.toMatchObject({ status: 403, message: 'this token lacks the "ingest" scope' });
    expect(await stored(sli!.id)).toEqual([]);
  });
});
