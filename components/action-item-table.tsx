// Action items with their tracking figures: the team's page and "my action items" share it.
import Link from "next/link";
import { formatActionItemStatus, formatPercent } from "@/lib/domain/format";
import type { Tracking } from "@/lib/domain/postmortem";
import type { ActionItemView } from "@/lib/schemas/views";


/** How long the oldest open P0 item has been open: "oldest opened today", "oldest open 3 days". */
function formatOpenFor(days: number): string {
  const d = Math.floor(days);
  return d < 1 ? "(oldest opened today)" : `(oldest open ${d} ${d === 1 ? "day" : "days"})`;
}

export function TrackingStats({ t }: { t: Tracking }) {
  return (
    <dl className="stats card">
      <div className="stat">
        <dt>Open</dt>
        <dd>
          {t.open} of {t.total}
        </dd>
      </div>
      <div className="stat">
        <dt>Overdue</dt>
        <dd className={t.overdue ? "tone-danger" : undefined}>{t.overdue}</dd>
      </div>
      <div className="stat">
        <dt>Completion rate</dt>
        <dd>{t.completionRate === null ? "—" : formatPercent(t.completionRate, 0)}</dd>
      </div>
      <div className="stat">
        <dt>Open P0 items</dt>
        <dd>
          {t.openP0}
          {t.oldestOpenP0Days !== null ? <span className="small muted"> {formatOpenFor(t.oldestOpenP0Days)}</span> : ""}
        </dd>
      </div>
    </dl>
  );
}

type Budgeted = { incident: { id: string; title: string } | null; budgetSpent: number | null };

/** With `budget`, each item's incident and the budget it spent, and the title links to the item's page. */
export function ActionItemTable({ items, caption, showTeam = false, budget = false }: { items: (ActionItemView & { overdue: boolean } & Partial<Budgeted>)[]; caption: string; showTeam?: boolean; budget?: boolean }) {
  if (items.length === 0) return <p className="card muted">No action items.</p>;
  return (
    <div className="card table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Priority</th>
            <th scope="col">Action</th>
            {showTeam ? <th scope="col">Team</th> : null}
            <th scope="col">Owner</th>
            <th scope="col">Due</th>
            <th scope="col">Status</th>
            <th scope="col">Postmortem</th>
            {budget ? <th scope="col">Budget its incident spent</th> : null}
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <td>{a.priority}</td>
              <td>{budget ? <Link href={`/teams/${a.team}/action-items/${a.id}`}>{a.title}</Link> : a.title}</td>
              {showTeam ? <td>{a.team}</td> : null}
              <td>{a.owner?.name ?? "—"}</td>
              <td data-label="Due">
                {a.dueDate ?? "—"}
                {a.overdue ? (
                  <span className="badge tone-danger">
                    <span aria-hidden="true">■</span> overdue
                  </span>
                ) : null}
              </td>
              <td>{formatActionItemStatus(a.status)}</td>
              <td>
                <Link href={`/postmortems/${a.postmortem.id}`}>{a.postmortem.title}</Link>
              </td>
              {budget ? (
                <td data-label="Budget its incident spent">
                  {a.budgetSpent === null || a.budgetSpent === undefined ? <span className="muted">{a.incident ? "no data" : "no incident"}</span> : formatPercent(a.budgetSpent, 1)}
                  {a.incident ? (
                    <>
                      {" "}
                      <Link className="small" href={`/teams/${a.team}/incidents/${a.incident.id}`}>
                        {a.incident.title}
                      </Link>
                    </>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
