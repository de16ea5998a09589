import Link from "next/link";
import { IncidentUpdateForm, StartPostmortem, TimelineForm, TimelineRows } from "@/components/incident-forms";
import { formatCount, formatDuration, formatPercent } from "@/lib/domain/format";
import { incidentRoles, roleTitle, severityMeaning, type Severity } from "@/lib/domain/postmortem";
import { accessAtLeast } from "@/lib/domain/roles";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { getIncident } from "@/lib/server/services/incidents";
import { listTemplates } from "@/lib/server/services/postmortems";
import { getTeam } from "@/lib/server/services/teams";
import { Time } from "@/components/time";
import { DeployList } from "@/components/deploy-list";
import { deploysBetween } from "@/lib/server/services/deploys";
import { clockNow } from "@/lib/server/clock";

export const dynamic = "force-dynamic";
export const metadata = { title: "Incident" };

const minutesBetween = (a: string, b: string | null) => (b ? (Date.parse(b) - Date.parse(a)) / 60_000 : null);

export default async function IncidentPage({ params }: { params: Promise<{ team: string; incident: string }> }) {
  const { actor } = await requirePageUser();
  const p = await params;
  const [team, i, templates] = await orNotFound(Promise.all([getTeam(actor, p.team), getIncident(actor, p.team, p.incident), listTemplates(actor, p.team)]));
  const canEdit = accessAtLeast(team.role, "editor");
  const end = i.resolvedAt ?? i.mitigatedAt;
  // Deploys of the affected services from an hour before it started to its end (docs/deploys.md).
  const services = [...new Set(i.impact.map((x) => x.service.slug))];
  const deploys = await deploysBetween(actor, team.slug, services, new Date(Date.parse(i.startedAt) - 60 * 60_000), end ? new Date(end) : clockNow());
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${team.slug}`}>{team.name}</Link> <span aria-hidden="true">/</span>{" "}
        <Link href={`/teams/${team.slug}/incidents`}>Incidents</Link>
      </nav>
      <h1>{i.title}</h1>
      <p className="lede">
        {i.severity} ({severityMeaning[i.severity as Severity]}) · {i.status} · started <Time at={i.startedAt} />
        {end ? `, lasted ${formatDuration(minutesBetween(i.startedAt, end))}` : ", ongoing"}
        {i.detectedAt ? `, detected after ${formatDuration(minutesBetween(i.startedAt, i.detectedAt))}` : ""}
      </p>
      {i.summary ? <p>{i.summary}</p> : null}

      <h2>Error budget spent</h2>
      {i.impact.length === 0 ? (
        <p className="card muted">No SLO is linked to this incident.</p>
      ) : (
        <div className="card table-wrap">
          <table>
            <caption className="visually-hidden">Budget each affected SLO lost during the incident</caption>
            <thead>
              <tr>
                <th scope="col">SLO</th>
                <th scope="col">Service</th>
                <th scope="col">Budget spent</th>
                <th scope="col">Bad events</th>
              </tr>
            </thead>
            <tbody>
              {i.impact.map((x) => (
                <tr key={`${x.service.slug}/${x.slo.slug}`}>
                  <td>
                    <Link className="slo-link" href={`/teams/${team.slug}/services/${x.service.slug}/slos/${x.slo.slug}`}>
                      {x.slo.name}
                    </Link>
                  </td>
                  <td>{x.service.name}</td>
                  <td data-label="Budget spent">{x.budgetSpent === null ? "no data" : formatPercent(x.budgetSpent, 1)}</td>
                  <td data-label="Bad events">
                    {formatCount(x.badEvents)} of {formatCount(x.totalEvents)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {i.recurrences.length ? (
        <section aria-labelledby="recurrence" className="card gate-notices">
          <h2 id="recurrence">A recurrence</h2>
          <p>This incident burned an SLO again while follow-ups of an earlier incident on it were still open:</p>
          <ul>
            {i.recurrences.map((r) => (
              <li key={r.actionItem.id}>
                <Link href={`/postmortems/${r.actionItem.postmortemId}#pm-actions`}>{r.actionItem.title}</Link> ({r.actionItem.priority}, {r.actionItem.status.replace("_", " ")})
                {r.earlierIncident ? (
                  <>
                    {" "}
                    from <Link href={`/teams/${team.slug}/incidents/${r.earlierIncident.id}`}>{r.earlierIncident.title}</Link>
                  </>
                ) : null}
                ; {r.slo.name} lost {formatPercent(r.budgetSpent, 1)} of its error budget here.
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2 id="deploys">Deploys around it</h2>
      <DeployList
        team={team.slug}
        deploys={deploys}
        showService
        caption="Deploys of the affected services from an hour before the incident to its end, oldest first"
        empty={services.length === 0 ? "No SLO is linked, so no service's deploys are shown." : "No deploy of the affected services from an hour before the incident to its end."}
      />
      <div className={`card ${i.postmortemRequired ? "gate-notices" : ""}`}>
        {i.postmortem ? (
          <p>
            Postmortem: <Link href={`/postmortems/${i.postmortem.id}`}>{i.postmortem.status.replace("_", " ")}</Link>
          </p>
        ) : (
          <>
            <p>
              {i.postmortemRequired
                ? "A postmortem is required: this incident spent more than 20% of an SLO's error budget. Until it is published with a P0 action item, the team's policy can hold feature deploys of the affected services."
                : "No postmortem is required (no SLO lost more than 20% of its budget), but one is always welcome."}
            </p>
            {canEdit ? <StartPostmortem team={team.slug} incident={i.id} templates={templates.map((t) => ({ id: t.id, name: t.name }))} /> : null}
          </>
        )}
      </div>

      <h2>Roles</h2>
      <ul className="card plain-list">
        {incidentRoles.map((r) => (
          <li key={r}>
            {roleTitle[r]}: {i.roles[r] ?? <span className="muted">not recorded</span>}
          </li>
        ))}
      </ul>

      <h2>Timeline</h2>
      <TimelineRows team={team.slug} incident={i.id} entries={i.timeline} canEdit={canEdit} />
      {canEdit ? (
        <>
          <details className="add">
            <summary>Add a timeline entry</summary>
            <TimelineForm team={team.slug} incident={i.id} />
          </details>
          <details className="add">
            <summary>Update the incident</summary>
            <IncidentUpdateForm team={team.slug} incident={i} />
          </details>
        </>
      ) : null}
    </>
  );
}
