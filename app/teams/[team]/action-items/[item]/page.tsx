import Link from "next/link";
import { notFound } from "next/navigation";
import { Time } from "@/components/time";
import { formatActionItemStatus, formatCount, formatPercent } from "@/lib/domain/format";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { getActionItem } from "@/lib/server/services/action-items";
import { TicketLink } from "@/components/ticket-link";
import { accessAtLeast } from "@/lib/domain/roles";

export const dynamic = "force-dynamic";
export const metadata = { title: "Action item" };

/** An action item with what its incident cost: the budget each affected SLO lost (docs/reviews.md). */
export default async function ActionItemPage({ params }: { params: Promise<{ team: string; item: string }> }) {
  const { actor } = await requirePageUser();
  const p = await params;
  const d = await orNotFound(getActionItem(actor, p.item));
  if (d.item.team !== p.team) notFound();
  const { item, incident } = d;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${p.team}`}>{d.teamName}</Link> <span aria-hidden="true">/</span>{" "}
        <Link href={`/teams/${p.team}/action-items`}>Action items</Link>
      </nav>
      <h1>{item.title}</h1>
      <p className="lede">
        {item.priority} · {item.type} · {formatActionItemStatus(item.status)}
        {item.dueDate ? ` · due ${item.dueDate}` : ""}
        {item.overdue ? <span className="badge tone-danger"> overdue</span> : null} · owner {item.owner?.name ?? "nobody yet"} · from the postmortem{" "}
        <Link href={`/postmortems/${item.postmortem.id}`}>{item.postmortem.title}</Link>
      </p>
      <TicketLink itemId={item.id} canEdit={accessAtLeast(d.role, "editor")} />
      {d.recurrences.length ? (
        <section aria-labelledby="recurred" className="card gate-notices">
          <h2 id="recurred">Recurred while open</h2>
          <ul>
            {d.recurrences.map((r) => (
              <li key={r.incident.id}>
                <Link href={`/teams/${p.team}/incidents/${r.incident.id}`}>{r.incident.title}</Link> (started <Time at={r.incident.startedAt} relative={false} />) spent {formatPercent(r.budgetSpent, 1)} of {r.slo.name}&apos;s error budget while this item was open.
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>Budget impact of its incident</h2>
      {incident ? (
        <>
          <p>
            <Link href={`/teams/${p.team}/incidents/${incident.id}`}>{incident.title}</Link> ({incident.severity}, started <Time at={incident.startedAt} relative={false} />) spent{" "}
            <strong>{d.budgetSpent === null ? "no measurable budget" : `${formatPercent(d.budgetSpent, 1)} of one SLO's error budget`}</strong> at most.
          </p>
          <div className="card table-wrap">
            <table>
              <caption className="visually-hidden">Budget each affected SLO lost in the incident</caption>
              <thead>
                <tr>
                  <th scope="col">SLO</th>
                  <th scope="col">Budget spent</th>
                  <th scope="col">Bad events</th>
                  <th scope="col">Events</th>
                </tr>
              </thead>
              <tbody>
                {incident.impact.map((x) => (
                  <tr key={`${x.service.slug}/${x.slo.slug}`}>
                    <td>
                      <Link href={`/teams/${p.team}/services/${x.service.slug}/slos/${x.slo.slug}`}>
                        {x.service.name} / {x.slo.name}
                      </Link>
                    </td>
                    <td>{x.budgetSpent === null ? "no data" : formatPercent(x.budgetSpent, 1)}</td>
                    <td>{formatCount(x.badEvents)}</td>
                    <td>{formatCount(x.totalEvents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="small muted">Budget spent = bad events during the incident / the allowed bad events of the SLO&apos;s compliance window that contains its end (docs/domain.md).</p>
        </>
      ) : (
        <p className="card muted">Its postmortem is not about an incident, so there is no budget to show.</p>
      )}
    </>
  );
}
