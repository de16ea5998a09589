// What the review page needs beyond the review: the team's services to choose from, and a period
// that cannot be read said in words above last month's review instead of an error page.
import type { ReviewQuery, ReviewView } from "../../schemas/reviews";
import { prisma } from "../db/client";
import { AppError } from "../errors";
import { clockNow } from "../clock";
import type { Actor } from "./actor";
import { requireTeamRead } from "./access";
import { getReview } from "./reviews";

export async function reviewPage(actor: Actor, team: string, q: ReviewQuery, now = clockNow()): Promise<{ review: ReviewView; services: { slug: string; name: string }[]; problem?: string }> {
  const access = await requireTeamRead(actor, team);
  const services = await prisma().service.findMany({ where: { teamId: access.teamId, archivedAt: null }, select: { slug: true, name: true }, orderBy: { name: "asc" } });
  try {
    return { review: await getReview(actor, team, q, now), services };
  } catch (e) {
    if (!(e instanceof AppError) || e.status !== 422) throw e;
    return { review: await getReview(actor, team, { service: q.service }, now), services, problem: `${e.message}.` };
  }
}
