import Link from "next/link";
import { AutoRefresh } from "@/components/auto-refresh";
import { ArchiveControls } from "@/components/archive-controls";
import { ExclusionForm, ServiceEditForm, SliEditForm, SliForm, SloForm } from "@/components/catalog-forms";
import { CompositeForm } from "@/components/composite-form";
import { SloTable } from "@/components/slo-table";
import { DecisionLog } from "@/components/decision-log";
import { DeployList } from "@/components/deploy-list";
import { listServiceDeploys } from "@/lib/server/services/deploys";
import { listExclusionSchedules } from "@/lib/server/services/exclusion-schedules";
import { ExclusionSchedules } from "@/components/exclusion-schedules";
import { ServiceStanding } from "@/components/service-standing";
import { OverrideManager } from "@/components/override-manager";
import { PolicyForm } from "@/components/policy-form";
import { accessAtLeast } from "@/lib/domain/roles";
import { formatSyncProgress } from "@/lib/domain/format";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { getServicePage } from "@/lib/server/services/overview";
import { readerTimeZone } from "@/lib/server/reader-time-zone";
import { Time } from "@/components/time";
import { GroupForm } from "@/components/group-form";
import { GroupList } from "@/components/group-list";
import { groupsOfService } from "@/lib/server/services/slo-groups";
import { listDataSources } from "@/lib/server/services/data-sources";

export const dynamic = "force-dynamic";

type Params = { team: string; service: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  // The slug, with no lookup: a title that waits for the database would make a page wait for it twice when it is away.
  return { title: (await params).service };
}

const kindLabel = { request_ratio: "request ratio", latency: "latency", time_slice: "time slices" } as const;

export default async function ServicePage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<{ "edit-sli"?: string | string[]; "saved-sli"?: string | string[] }> }) {
  const { actor } = await requirePageUser();
  const p = await params;
  const { "edit-sli": editSlug, "saved-sli": savedSlug } = await searchParams;
  const [page, deploys, schedules, grouped, sources] = await orNotFound(
    Promise.all([
      getServicePage(actor, p.team, p.service),
      listServiceDeploys(actor, p.team, p.service, { limit: 10 }),
      listExclusionSchedules(actor, p.team, { service: p.service }),
      groupsOfService(actor, p.team, p.service),
      listDataSources(actor, p.team),
    ]),
  );
  // What the SLI forms offer as servers, and what an SLI's row names (no header leaves the server).
  const dataSources = sources.map((d) => ({ id: d.id, name: d.name, url: d.url }));
  const dataSourceNames = new Map(dataSources.map((d) => [d.id, d.name]));
  const timeZone = await readerTimeZone();
  const { team, service, exclusions } = page;
  // Members of grouped SLOs are listed under their group (its page has them all), not one by one here.
  const memberSlis = new Set(grouped.memberSliIds);
  const slis = page.slis.filter((s) => !memberSlis.has(s.id));
  const slos = page.slos.filter((r) => !r.group);
  // An archived service takes no changes (lib/domain/archive.ts): no forms until it is restored.
  const archived = service.archivedAt !== null;
  const canEdit = accessAtLeast(team.role, "editor") && !archived;
  const isAdmin = accessAtLeast(team.role, "admin") && !archived;
  // A composite's SLI follows its members; a group member's, its group: neither is edited here.
  const editable = (s: (typeof slis)[number]) => canEdit && s.source !== "composite";
  const editing = slis.find((s) => s.slug === editSlug && editable(s));
  const saved = slis.find((s) => s.slug === savedSlug);
  return (
    <>
      <AutoRefresh />
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${team.slug}`}>{team.name}</Link>
      </nav>
      <h1>{service.name}</h1>
      <p className="lede">{service.description || <>Service <span className="mono">{service.slug}</span> of {team.name}</>}</p>
      <ArchiveControls team={team.slug} role={team.role} target={{ kind: "service", service: service.slug, name: service.name, slis: page.slis.length, slos: page.slos.length }} slis={page.slis} />

      <h2 id="slis">SLIs</h2>
      <p className="muted">What you measure: good and total events, pushed or pulled from Prometheus. An SLO sets an objective for one SLI.</p>
      {saved ? (
        <p role="status" className="notice">
          Saved SLI {saved.name}. A new measure applies from now on; each SLO&apos;s page shows the change in its definition history.
        </p>
      ) : null}
      {slis.length === 0 ? (
        <p className="card muted">No SLIs yet.{canEdit ? " Create the first one below." : ""}</p>
      ) : (
        <div className="card table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">SLI</th>
                <th scope="col">Kind</th>
                <th scope="col">Source</th>
                {canEdit ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {slis.map((s) => (
                <tr key={s.id} id={`sli-${s.slug}`}>
                  <td>
                    {s.name}
                    <div className="muted small mono">{s.slug}</div>
                  </td>
                  <td>{kindLabel[s.kind]}</td>
                  <td>
                    {s.prometheus ? (
                      <>
                        Prometheus{" "}
                        {s.prometheus.url ? (
                          <span className="mono small">{s.prometheus.url}</span>
                        ) : s.prometheus.dataSourceId && dataSourceNames.has(s.prometheus.dataSourceId) ? (
                          <>
                            from data source <a href={`/teams/${team.slug}#data-sources`}>{dataSourceNames.get(s.prometheus.dataSourceId)}</a>
                          </>
                        ) : (
                          <>with no server yet: edit it to give one</>
                        )}
                        <div className="muted small">{formatSyncProgress(s.prometheus.sync, timeZone)}</div>
                      </>
                    ) : s.source === "composite" ? (
                      <>Composite: materialised each minute from its member SLOs (docs/composite-slos.md)</>
                    ) : (
                      <>
                        Pushed as <span className="mono small">{`${service.slug}/${s.slug}`}</span>
                      </>
                    )}
                  </td>
                  {canEdit ? (
                    <td>
                      {editable(s) ? (
                        <Link href={`?edit-sli=${encodeURIComponent(s.slug)}#edit-sli`} aria-label={`Edit SLI ${s.name}`} scroll={false}>
                          Edit
                        </Link>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {editing ? (
        <section id="edit-sli" className="stack" aria-labelledby="edit-sli-title">
          <div className="row">
            <h3 id="edit-sli-title">Edit SLI {editing.name}</h3>
            <Link href="?#slis" scroll={false}>
              Cancel, keep it as it is
            </Link>
          </div>
          <SliEditForm team={team.slug} service={service.slug} sli={editing} dataSources={dataSources} />
        </section>
      ) : null}

      {canEdit ? (
        <details className="add">
          <summary>New SLI</summary>
          <SliForm team={team.slug} service={service.slug} dataSources={dataSources} />
        </details>
      ) : null}

      <h2>SLOs</h2>
      {slos.length === 0 ? (
        <div className="card empty">
          <p>No SLOs yet.</p>
          <p>{canEdit ? (slis.length ? "Create one below: an objective for one of the SLIs above." : "Create an SLI above first, then an SLO on it.") : "An editor of this team can create them."}</p>
        </div>
      ) : (
        <div className="card table-wrap">
          <SloTable rows={slos} caption={`SLOs of ${service.name}, most at risk first`} showService={false} />
        </div>
      )}

      {canEdit ? (
        <details className="add">
          <summary>New SLO</summary>
          <SloForm team={team.slug} service={service.slug} slis={slis.filter((s) => s.source !== "composite")} />
        </details>
      ) : null}
      {canEdit && slos.length ? (
        <details className="add">
          <summary>New composite SLO</summary>
          <CompositeForm team={team.slug} service={service.slug} slos={slos.map((o) => ({ service: service.slug, slug: o.slo.slug, name: o.slo.name }))} />
        </details>
      ) : null}

      <h2 id="groups">Grouped SLOs</h2>
      <p className="muted">One definition, one SLO per value of a label (per region, endpoint, customer tier): members appear as data arrives and idle ones age out. The gate judges the service by its worst member.</p>
      <GroupList team={team.slug} service={service.slug} groups={grouped.groups} rows={page.slos} archived={grouped.archived} />
      {canEdit ? (
        <details className="add">
          <summary>New grouped SLO</summary>
          <GroupForm team={team.slug} service={service.slug} />
        </details>
      ) : null}

      <h2 id="deploys">Deploys</h2>
      <p className="muted">Each release that went out, newest first, and the error budget every SLO spent from it until the next deploy of the same environment (or now). Pipelines report them with POST /api/v1/deploys or <span className="mono">burnrate deployed</span>.</p>
      <DeployList team={team.slug} deploys={deploys.deploys} caption={`Deploys of ${service.name}, newest first, with the budget each spent`} empty="No deploys recorded yet." />

      <h2>Deploy gate</h2>
      <ServiceStanding team={team.slug} standing={page.gate.standing} service={service.slug} />
      <p>
        Judged by {page.gate.policy.inherited ? "the team's policy" : "this service's own policy"}.{" "}
        <Link href={`/teams/${team.slug}/gate?service=${service.slug}`}>All decisions for this service</Link>
        {" · "}
        <Link href={`/teams/${team.slug}/analyses?service=${service.slug}`}>Canary analyses of this service</Link>
        {service.githubRepository ? (
          <>
            {" "}
            · GitHub deployments of <span className="mono">{service.githubRepository}</span> ask the gate
          </>
        ) : null}
      </p>
      <h3 id="overrides">Overrides</h3>
      <OverrideManager team={team.slug} services={[]} service={service.slug} canManage={isAdmin} maxHours={page.gate.policy.policy.maxOverrideHours} />
      <h3>Recent decisions</h3>
      <DecisionLog team={team.slug} services={[]} initial={{}} fixedService={service.slug} limit={10} />
      <details>
        <summary>Policy of this service</summary>
        <PolicyForm team={team.slug} service={service.slug} initial={page.gate.policy} canManage={isAdmin} />
      </details>

      <h2 id="exclusions">Exclusions</h2>
      <p className="muted">Minutes left out of every count (maintenance, outages outside your control), never by deleting data.</p>
      <h3 id="recurring-exclusions">Recurring</h3>
      <p className="muted">Maintenance windows that repeat (an RFC 5545 rule in a time zone). Their occurrences up to 90 days ahead are stored as exclusions and shaded on the SLO charts; an edit changes only those that have not started.</p>
      <ExclusionSchedules team={team.slug} service={service.slug} slis={slis} schedules={schedules} canEdit={canEdit} />
      <h3>One-off</h3>
      {exclusions.length === 0 ? (
        <p className="card muted">No exclusions.</p>
      ) : (
        <ul className="card plain-list">
          {exclusions.map((e) => (
            <li key={e.id} id={`exclusion-${e.id}`}>
              <strong>{e.kind.replace(/_/g, " ")}</strong> {e.sli ? <span className="mono small">({e.sli})</span> : "(all SLIs)"} · <Time at={e.startsAt} relative={false} /> – <Time at={e.endsAt} />
              <div className="muted small">{e.reason}</div>
            </li>
          ))}
        </ul>
      )}

      {canEdit ? (
        <>
          <h2>Add</h2>
          <details className="add">
            <summary>New exclusion</summary>
            <ExclusionForm team={team.slug} service={service.slug} slis={slis} />
          </details>
          <details className="add">
            <summary>Edit this service</summary>
            <ServiceEditForm team={team.slug} service={service} />
          </details>
        </>
      ) : null}
    </>
  );
}
