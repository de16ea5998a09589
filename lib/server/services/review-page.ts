// What the review page needs beyond the review: the team's services to choose from, and a period
// that cannot be read said in words above last month's review instead of an error page.
import type { ReviewQuery, ReviewView } from "../../schemas/reviews";
import { prisma } from "../db/client";
import { AppError } from "../errors";
import { clockNow } from "../clock";
import type { Actor } from "./actor";
import { requireTeamRead } from "./access";
import { getReview } from "./reviews";

export type ReviewOnRecord = { period: string; service: string | null; status: string; heldAt: string | null; updatedAt: string };

export async function reviewPage(
  actor: Actor,
  team: string,
  q: ReviewQuery,
  now = clockNow(),
): Promise<{ review: ReviewView; services: { slug: string; name: string }[]; onRecord: ReviewOnRecord[]; problem?: string }> {
  const access = await requireTeamRead(actor, team);
  const [services, records] = await Promise.all([
    prisma().service.findMany({ where: { teamId: access.teamId, archivedAt: null }, select: { slug: true, name: true }, orderBy: { name: "asc" } }),
    prisma().errorBudgetReview.findMany({ where: { teamId: access.teamId }, include: { service: { select: { slug: true } } }, orderBy: [{ period: "desc" }], take: 24 }),
  ]);
  const onRecord = records.map((r) => ({ period: r.period, service: r.service?.slug ?? null, status: r.status, heldAt: r.heldAt?.toISOString() ?? null, updatedAt: r.updatedAt.toISOString() }));
  try {
    return { review: await getReview(actor, team, q, now), services, onRecord };
  } catch (e) {
    if (!(e instanceof AppError) || e.status !== 422) throw e;
    return { review: await getReview(actor, team, { service: q.service }, now), services, onRecord, problem: `${e.message}.` };
  }
}
