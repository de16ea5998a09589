import { ActionItemTable, TrackingStats } from "@/components/action-item-table";
import { requirePageUser } from "@/lib/server/pages";
import { myActionItems } from "@/lib/server/services/action-items";

export const dynamic = "force-dynamic";
export const metadata = { title: "My action items" };

export default async function MyActionItemsPage() {
  const { actor } = await requirePageUser();
  const mine = await myActionItems(actor);
  return (
    <>
      <h1>My action items</h1>
      <p className="lede">Items of postmortems that you own, across your teams, soonest due first.</p>
      <TrackingStats t={mine.tracking} />
      <ActionItemTable items={mine.items} caption="My action items" showTeam />
    </>
  );
}
