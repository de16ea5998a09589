// The scheduled review notice (docs/reviews.md "Schedule"): due on the first working day from 09:00
// in the team's zone, posted to the team's message channels once, even when runners race.
import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam } from "../testing/factories";
import { createChannel } from "../services/notifications";
import { postReviewNotices } from "./review-notices";

async function teamWithChannels(timeZone: string) {
  const { team, members } = await makeTeam(["admin"]);
  // A team that existed through November (a team made after a period has no notice for it).
  await prisma().team.update({ where: { id: team.id }, data: { timeZone, createdAt: new Date("2026-10-01T00:00:00Z") } });
  const ops = await createChannel(members.admin, team.slug, { name: "ops", kind: "slack", url: "https://ops.invalid/hook" });
  await createChannel(members.admin, team.slug, { name: "pager", kind: "pagerduty", url: "https://events.invalid/v2/enqueue", routingKey: "k".repeat(32) });
  return { team, ops };
}
const outboxOf = (channelId: string) => prisma().notificationOutbox.findMany({ where: { channelId } });

describe("review notices", () => {
  it("posts last month's review link once on the first working day from 09:00 local, to message channels only", async () => {
    const { team, ops } = await teamWithChannels("Europe/Berlin");
    // 1 Dec 2026 is a Tuesday; 07:30 UTC is 08:30 in Berlin: not yet.
    expect(await postReviewNotices(new Date("2026-12-01T07:30:00Z"), [team.id])).toEqual([]);
    // Two runners at 09:00 Berlin: one claim, one message.
    const at = new Date("2026-12-01T08:00:00Z");
    const [a, b] = await Promise.all([postReviewNotices(at, [team.id]), postReviewNotices(at, [team.id])]);
    expect([...a, ...b]).toEqual([team.slug]);
    const rows = await outboxOf(ops.id);
    expect(rows).toHaveLength(1);
    const text = (rows[0]!.payload as { message: { text: string } }).message.text;
    expect(text).toContain("Error-budget review of November 2026");
    expect(text).toContain(`/teams/${team.slug}/reviews/2026-11|Open the review>`);
    // Later runs the same month send nothing more; only slack (and email) channels take messages.
    expect(await postReviewNotices(new Date("2026-12-02T10:00:00Z"), [team.id])).toEqual([]);
    expect(await prisma().notificationOutbox.count({ where: { channel: { teamId: team.id } } })).toBe(1);
    expect(await prisma().reviewNotice.findMany({ where: { teamId: team.id }, select: { period: true } })).toEqual([{ period: "2026-11" }]);
  });

  it("a team made after the period ended gets no notice for it", async () => {
    const { team } = await teamWithChannels("UTC");
    await prisma().team.update({ where: { id: team.id }, data: { createdAt: new Date("2026-12-01T00:00:00Z") } });
    expect(await postReviewNotices(new Date("2026-12-01T10:00:00Z"), [team.id])).toEqual([]);
    expect(await prisma().reviewNotice.count({ where: { teamId: team.id } })).toBe(0);
  });

  it("follows the team's zone: 09:00 in Tokyo is midnight UTC", async () => {
    const { team } = await teamWithChannels("Asia/Tokyo");
    expect(await postReviewNotices(new Date("2026-11-30T23:59:00Z"), [team.id])).toEqual([]); // 08:59 on 1 Dec in Tokyo
    expect(await postReviewNotices(new Date("2026-12-01T00:00:00Z"), [team.id])).toEqual([team.slug]);
  });
});
