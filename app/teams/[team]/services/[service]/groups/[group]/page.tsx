import Link from "next/link";
import { AutoRefresh } from "@/components/auto-refresh";
import { GroupArchiveControls } from "@/components/group-archive";
import { GroupEditForm } from "@/components/group-settings";
import { SloTable } from "@/components/slo-table";
import { Time } from "@/components/time";
import { formatObjective, formatWindow } from "@/lib/domain/format";
import { accessAtLeast } from "@/lib/domain/roles";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { getGroupPage } from "@/lib/server/services/slo-group-page";

export const dynamic = "force-dynamic";

type Params = { team: string; service: string; group: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  return { title: (await params).group };
}

/** A grouped SLO (docs/grouped-slos.md): its template and its members, worst first. */
export default async function GroupPage({ params }: { params: Promise<Params> }) {
  const { actor } = await requirePageUser();
  const p = await params;
  // Status is computed for the group's live members only (slo-group-page.ts), most at risk first.
  const { team, service, group, rows } = await orNotFound(getGroupPage(actor, p.team, p.service, p.group));
  const canEdit = accessAtLeast(team.role, "editor");
  const agedOut = group.members.filter((m) => m.archivedAt !== null);
  const push = `${service.slug}/${group.slug}`;
  return (
    <>
      <AutoRefresh />
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${team.slug}`}>{team.name}</Link> <span aria-hidden="true">/</span>{" "}
        <Link href={`/teams/${team.slug}/services/${service.slug}#groups`}>{service.name}</Link>
      </nav>
      <h1>{group.name}</h1>
      <p className="lede">
        One SLO per value of <span className="mono">{group.labelKey}</span>: {formatObjective(group.objective)} over {formatWindow(group.window)}. At most {group.maxMembers} members; a member with no data for {group.idleDays} days is archived
        and comes back when data arrives.
        {group.archivedAt ? <strong> Archived.</strong> : null}
      </p>
      {group.description ? <p>{group.description}</p> : null}
      {group.prometheus ? (
        <p className="muted">
          Pulled from Prometheus (<span className="mono small">{group.prometheus.url}</span>), one query for all members.
          {group.prometheus.lastSyncError ? <span className="field-error"> Last sync: {group.prometheus.lastSyncError}</span> : null}
        </p>
      ) : (
        <p className="muted">
          Pushed: items with <span className="mono small">{`"sli": "${push}", "labels": { "${group.labelKey}": "<value>" }`}</span> to POST /api/v1/ingest (docs/grouped-slos.md).
        </p>
      )}

      <h2 id="members">Members ({group.memberCount.live})</h2>
      {rows.length === 0 ? (
        <p className="card muted">No live members yet: they appear as data arrives for each value.</p>
      ) : (
        <div className="card table-wrap">
          <SloTable rows={rows} caption={`Members of ${group.name}, most at risk first`} showService={false} />
        </div>
      )}
      {agedOut.length ? (
        <>
          <h3 id="aged-out">Aged out ({agedOut.length})</h3>
          <ul className="card plain-list">
            {agedOut.map((m) => (
              <li key={m.slo.id}>
                <span className="mono">{group.labelKey}={m.value}</span> · archived <Time at={m.archivedAt!} />
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {canEdit ? (
        <>
          <h2 id="settings">Settings</h2>
          {group.archivedAt ? (
            <p className="muted">An archived group cannot be edited: restore it first.</p>
          ) : (
            <details className="add">
              <summary>Edit the group</summary>
              <GroupEditForm team={team.slug} service={service.slug} group={group} />
            </details>
          )}
          <GroupArchiveControls team={team.slug} service={service.slug} group={group} />
        </>
      ) : null}
    </>
  );
}
