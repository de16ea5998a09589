import { ReviewScreen } from "@/components/review-screen";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { reviewPage } from "@/lib/server/services/review-page";

export const dynamic = "force-dynamic";
export const metadata = { title: "Error-budget review" };

/** One period's review: /teams/t/reviews/2026-11 (a month), 2026-Q4, 2026-W47; ?service= for one service. */
export default async function TeamReviewPage({ params, searchParams }: { params: Promise<{ team: string; period: string }>; searchParams: Promise<{ service?: string }> }) {
  const { actor } = await requirePageUser();
  const [{ team, period }, q] = await Promise.all([params, searchParams]);
  const page = await orNotFound(reviewPage(actor, team, { period: decodeURIComponent(period), service: q.service || undefined }));
  return <ReviewScreen r={page.review} services={page.services} onRecord={page.onRecord} problem={page.problem} />;
}
