import Link from "next/link";
import { ActionItemTable, TrackingStats } from "@/components/action-item-table";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { teamActionItems } from "@/lib/server/services/action-items";
import { clockNow } from "@/lib/server/clock";

export const dynamic = "force-dynamic";
export const metadata = { title: "Action items" };

export default async function TeamActionItemsPage({ params, searchParams }: { params: Promise<{ team: string }>; searchParams: Promise<{ sort?: string }> }) {
  const { actor } = await requirePageUser();
  const [{ team }, q] = await Promise.all([params, searchParams]);
  const sort = q.sort === "budget" ? "budget" : "due";
  const t = await orNotFound(teamActionItems(actor, team, clockNow(), sort));
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${t.team}`}>{t.teamName}</Link>
      </nav>
      <h1>Action items</h1>
      <p className="lede">Every action item of the team&apos;s postmortems, tracked to completion.</p>
      <TrackingStats t={t.tracking} />
      <h2>By owner</h2>
      <div className="card table-wrap">
        <table>
          <caption className="visually-hidden">Open and overdue action items per owner</caption>
          <thead>
            <tr>
              <th scope="col">Owner</th>
              <th scope="col">Open</th>
              <th scope="col">Overdue</th>
              <th scope="col">Open P0</th>
            </tr>
          </thead>
          <tbody>
            {t.byOwner.map((o) => (
              <tr key={o.owner?.id ?? "nobody"}>
                <td>{o.owner?.name ?? "Nobody yet"}</td>
                <td>{o.tracking.open}</td>
                <td>{o.tracking.overdue}</td>
                <td>{o.tracking.openP0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="all-items">All items</h2>
      <nav aria-label="Order of the items" className="row small">
        Order:{" "}
        {sort === "due" ? <strong aria-current="true">by due date</strong> : <Link href={`/teams/${t.team}/action-items#all-items`}>by due date</Link>} ·{" "}
        {sort === "budget" ? <strong aria-current="true">by budget spent, most first</strong> : <Link href={`/teams/${t.team}/action-items?sort=budget#all-items`}>by budget spent, most first</Link>}
      </nav>
      <ActionItemTable items={t.items} caption={sort === "budget" ? "The team's action items, the costliest incidents' first" : "The team's action items by due date"} budget />
    </>
  );
}
