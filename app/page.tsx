import { OverviewView } from "@/components/overview-view";
import { requirePageUser } from "@/lib/server/pages";
import { getOverview } from "@/lib/server/services/overview";
import { parseOverviewFilters } from "@/lib/schemas/overview";

export const dynamic = "force-dynamic";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, actor } = await requirePageUser();
  // The server filters and pages (lib/domain/overview-filter.ts): the page carries one page of
  // rows whatever the number of SLOs, and the URL names the view, page included.
  const overview = await getOverview(actor, undefined, parseOverviewFilters(await searchParams));
  return (
    <>
      <h1>Overview</h1>
      <p className="lede">Every SLO of your teams, the ones burning their error budget fastest first.</p>
      <OverviewView initial={overview} isSiteAdmin={user.isSiteAdmin} />
    </>
  );
}
