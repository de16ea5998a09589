import { OverviewView } from "@/components/overview-view";
import { requirePageUser } from "@/lib/server/pages";
import { getOverview } from "@/lib/server/services/overview";
import { filterOverview } from "@/lib/domain/overview-filter";
import { parseOverviewFilters } from "@/lib/schemas/overview";

export const dynamic = "force-dynamic";

/** Rows a first paint carries (the table shows as many); the client fetches the rest. */
const FIRST_PAINT_ROWS = 100;

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, actor } = await requirePageUser();
  const full = await getOverview(actor);
  // The first paint is the view the URL asks for, in order, and only what it shows: with 1,000
  // SLOs the whole list is most of a megabyte the page would otherwise carry.
  const rows = filterOverview(full.slos, parseOverviewFilters(await searchParams));
  const overview = full.slos.length > FIRST_PAINT_ROWS ? { ...full, slos: rows.slice(0, FIRST_PAINT_ROWS), complete: false } : full;
  return (
    <>
      <h1>Overview</h1>
      <p className="lede">Every SLO of your teams, the ones burning their error budget fastest first.</p>
      <OverviewView initial={overview} isSiteAdmin={user.isSiteAdmin} />
    </>
  );
}
