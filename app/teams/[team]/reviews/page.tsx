import { ReviewScreen } from "@/components/review-screen";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { reviewPage } from "@/lib/server/services/review-page";

export const dynamic = "force-dynamic";
export const metadata = { title: "Error-budget review" };

type Search = { period?: string; from?: string; to?: string; service?: string };

/** Last month's review by default; ?period=, ?from=&to= and ?service= pick another. */
export default async function TeamReviewsPage({ params, searchParams }: { params: Promise<{ team: string }>; searchParams: Promise<Search> }) {
  const { actor } = await requirePageUser();
  const [{ team }, q] = await Promise.all([params, searchParams]);
  // The form sends its period box and its dates together: dates given win.
  const custom = Boolean(q.from || q.to);
  const page = await orNotFound(reviewPage(actor, team, { period: custom ? undefined : q.period || undefined, from: q.from || undefined, to: q.to || undefined, service: q.service || undefined }));
  return <ReviewScreen r={page.review} services={page.services} onRecord={page.onRecord} problem={page.problem} />;
}
