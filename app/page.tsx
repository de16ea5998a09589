import { OverviewView } from "@/components/overview-view";
import { requirePageUser } from "@/lib/server/pages";
import { getOverview } from "@/lib/server/services/overview";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const { user, actor } = await requirePageUser();
  const overview = await getOverview(actor);
  return (
    <>
      <h1>Overview</h1>
      <p className="lede">Every SLO of your teams, the ones burning their error budget fastest first.</p>
      <OverviewView initial={overview} isSiteAdmin={user.isSiteAdmin} />
    </>
  );
}
