// A service's grouped SLOs (docs/grouped-slos.md): each with its member count and its worst member,
// the one the gate judges the service by. The rows come sorted most at risk first (getServicePage).
import Link from "next/link";
import { formatObjective, formatWindow } from "@/lib/domain/format";
import type { GroupView } from "@/lib/schemas/slo-groups";
import type { OverviewRow } from "@/lib/schemas/views";
import { BudgetBar } from "./budget-bar";

type ArchivedGroup = { slug: string; name: string };

/** Archived groups, each linking to its page (where it is restored). */
function ArchivedGroups({ team, service, archived }: { team: string; service: string; archived: readonly ArchivedGroup[] }) {
  if (archived.length === 0) return null;
  return (
    <p className="muted" id="archived-groups">
      Archived:{" "}
      {archived.map((g, i) => (
        <span key={g.slug}>
          {i ? ", " : null}
          <Link href={`/teams/${team}/services/${service}/groups/${g.slug}`}>{g.name}</Link>
        </span>
      ))}
    </p>
  );
}

export function GroupList({ team, service, groups, rows, archived = [] }: { team: string; service: string; groups: GroupView[]; rows: OverviewRow[]; archived?: readonly ArchivedGroup[] }) {
  if (groups.length === 0)
    return (
      <>
        <p className="card muted">No grouped SLOs.</p>
        <ArchivedGroups team={team} service={service} archived={archived} />
      </>
    );
  return (
    <>
      <div className="card table-wrap">
        <table>
          <caption className="visually-hidden">Grouped SLOs of this service, with their worst member</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Label</th>
              <th scope="col" className="num">Members</th>
              <th scope="col">Worst member</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => {
              const worst = rows.find((r) => r.group?.slug === g.slug);
              return (
                <tr key={g.id} id={`group-${g.slug}`}>
                  <td>
                    <Link href={`/teams/${team}/services/${service}/groups/${g.slug}`}>{g.name}</Link>
                    <div className="muted small">
                      {formatObjective(g.objective)} · {formatWindow(g.window)} · {g.source === "prometheus" ? "Prometheus" : "pushed"}
                    </div>
                  </td>
                  <td className="mono">{g.labelKey}</td>
                  <td className="num">
                    {g.memberCount.live}
                    {g.memberCount.archived ? <div className="muted small">{g.memberCount.archived} aged out</div> : null}
                  </td>
                  <td>
                    {worst ? (
                      <>
                        <Link href={`/teams/${team}/services/${service}/slos/${worst.slo.slug}`}>
                          {g.labelKey}={worst.group!.value}
                        </Link>
                        <BudgetBar budget={worst.status.budget} tier={worst.status.tier} />
                      </>
                    ) : (
                      <span className="muted">No members yet: they appear as data arrives</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ArchivedGroups team={team} service={service} archived={archived} />
    </>
  );
}
