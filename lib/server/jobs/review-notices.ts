// The scheduled review notice (docs/reviews.md "Schedule"): on the first working day of each month,
// from 09:00 in the team's time zone, a message to the team's channels links last month's review.
// Once per team and period, whatever the number of replicas: the review_notices row is the claim,
// inserted in the same transaction as the outbox rows, so a second runner inserts nothing and sends nothing.
import { reviewNoticeDue } from "../../domain/review-period";
import type { ChatMessage } from "../../domain/notification";
import { getConfig } from "../config";
import { prisma } from "../db/client";
import { outboxTeamMessage } from "./outbox";

export function reviewNoticeMessage(team: { slug: string; name: string }, period: { key: string; label: string }, publicUrl: string): ChatMessage {
  const url = `${publicUrl}/teams/${team.slug}/reviews/${period.key}`;
  const text = `*Error-budget review of ${period.label} for ${team.name}*\nLast period's SLO compliance and budget, incidents, deploy decisions, overrides and action items are ready for the team's review.\n<${url}|Open the review>`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** Posts every due notice (of the given teams only, when named); returns the teams notified. */
export async function postReviewNotices(now: Date, only?: readonly string[]): Promise<string[]> {
  const teams = await prisma().team.findMany({ where: only ? { id: { in: [...only] } } : {}, select: { id: true, slug: true, name: true, timeZone: true, createdAt: true } });
  const posted: string[] = [];
  for (const team of teams) {
    const period = reviewNoticeDue(now, team.timeZone);
    // A team made after the period ended has nothing to review for it: no notice.
    if (!period || team.createdAt >= period.to) continue;
    const claimed = await prisma().$transaction(async (tx) => {
      const n = await tx.$executeRaw`INSERT INTO review_notices (team_id, period, posted_at) VALUES (${team.id}::uuid, ${period.key}, ${now}) ON CONFLICT DO NOTHING`;
      if (n === 0) return false;
      await outboxTeamMessage(tx, team.id, reviewNoticeMessage(team, period, getConfig().publicUrl));
      return true;
    });
    if (claimed) posted.push(team.slug);
  }
  return posted;
}
