import Link from "next/link";
import { PostmortemState } from "@/components/postmortem-state";
import { IncidentForm } from "@/components/incident-forms";
import { formatPercent } from "@/lib/domain/format";
import { accessAtLeast } from "@/lib/domain/roles";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { listIncidents } from "@/lib/server/services/incidents";
import { listTeamStatus } from "@/lib/server/services/team-status";
import { getTeam, listMembers } from "@/lib/server/services/teams";
import { Time } from "@/components/time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Incidents" };

export default async function IncidentsPage({ params }: { params: Promise<{ team: string }> }) {
  const { actor } = await requirePageUser();
  const { team: slug } = await params;
  const team = await orNotFound(getTeam(actor, slug));
  const [incidents, status, members] = await Promise.all([listIncidents(actor, slug), listTeamStatus(actor, slug), listMembers(actor, slug)]);
  const canEdit = accessAtLeast(team.role, "editor");
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${team.slug}`}>{team.name}</Link>
      </nav>
      <h1>Incidents</h1>
      <p className="lede">
        The budget each incident spent is computed from the SLI data. Above 20% of an SLO&apos;s budget, a postmortem is required. <Link href={`/teams/${team.slug}/action-items`}>Action items</Link> ·{" "}
        <Link href="/postmortems">Postmortems</Link>
      </p>
      {incidents.length === 0 ? (
        <p className="card muted">No incidents recorded.</p>
      ) : (
        <div className="card table-wrap">
          <table>
            <caption className="visually-hidden">Incidents, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Budget spent</th>
                <th scope="col">Postmortem</th>
              </tr>
            </thead>
            <tbody>
              {incidents.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link className="slo-link" href={`/teams/${team.slug}/incidents/${i.id}`}>
                      {i.title}
                    </Link>
                  </td>
                  <td>{i.severity}</td>
                  <td>{i.status}</td>
                  <td><Time at={i.startedAt} /></td>
                  <td>{i.impact.map((x) => `${x.slo.name}: ${x.budgetSpent === null ? "no data" : formatPercent(x.budgetSpent, 1)}`).join("; ") || "no SLO linked"}</td>
                  <td>
                    <PostmortemState postmortem={i.postmortem} required={i.postmortemRequired} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit ? (
        <details className="add">
          <summary>Record an incident</summary>
          <IncidentForm team={team.slug} slos={status.slos.map((s) => ({ ref: `${s.service.slug}/${s.slo.slug}`, label: `${s.service.name}: ${s.slo.name}` }))} members={members} />
        </details>
      ) : null}
    </>
  );
}
