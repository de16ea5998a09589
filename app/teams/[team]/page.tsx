import Link from "next/link";
import { ServiceForm } from "@/components/catalog-forms";
import { ArchiveControls } from "@/components/archive-controls";
import { ChannelManager } from "@/components/channel-manager";
import { SilenceManager } from "@/components/silence-manager";
import { DataSourceManager } from "@/components/data-source-manager";
import { MemberManager } from "@/components/member-manager";
import { DefinitionsImport } from "@/components/definitions-import";
import { TokenManager } from "@/components/token-manager";
import { TemplateManager } from "@/components/template-manager";
import { TicketIntegrations } from "@/components/ticket-integrations";
import { accessAtLeast } from "@/lib/domain/roles";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { listServices } from "@/lib/server/services/catalog";
import { getTeam, listMembers } from "@/lib/server/services/teams";
import { previewTeamGate, type ServiceGateRow } from "@/lib/server/services/gate";
import { ServiceStanding } from "@/components/service-standing";
import { formatRole } from "@/lib/domain/format";
import { AddSection } from "@/components/form-kit";
import { TierBadge } from "@/components/gate-badges";
import { formatPercent } from "@/lib/domain/format";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ team: string }> }) {
  // The slug, with no lookup: a title that waits for the database would make a page wait for it twice when it is away.
  return { title: (await params).team };
}

export default async function TeamPage({ params }: { params: Promise<{ team: string }> }) {
  const { actor } = await requirePageUser();
  const { team: slug } = await params;
  const team = await orNotFound(getTeam(actor, slug));
  const [members, services, standings] = await Promise.all([listMembers(actor, slug), listServices(actor, slug), previewTeamGate(actor, slug)]);
  // Health as the gate judges it (standing, tier, worst SLO): computed once in the service layer, only shown here.
  const healthOf = new Map(standings.map((r) => [r.service.slug, r]));
  const isAdmin = accessAtLeast(team.role, "admin");
  const canEdit = accessAtLeast(team.role, "editor");
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href="/teams">Teams</Link>
      </nav>
      <h1>{team.name}</h1>
      <p className="lede">
        Team <span className="mono">{team.slug}</span> · your role: {formatRole(team.role)} · <Link href={`/?team=${team.slug}`}>this team&apos;s SLOs on the overview</Link> ·{" "}
        <Link href={`/teams/${team.slug}/gate`}>Deploy gate</Link> · <Link href={`/teams/${team.slug}/incidents`}>Incidents</Link> · <Link href={`/teams/${team.slug}/action-items`}>Action items</Link> · <Link href={`/teams/${team.slug}/reviews`}>Error-budget reviews</Link>
      </p>
      <p>
        A pipeline or rollout controller can have each canary judged against its baseline, in error-budget terms: <Link href={`/teams/${team.slug}/analyses`}>Canary analyses</Link>
      </p>

      <h2>Services</h2>
      {services.length === 0 ? (
        <section className="card onboarding" aria-labelledby="first-steps" data-testid="team-onboarding">
          <h3 id="first-steps">Get started: three steps to a first error budget</h3>
          <ol className="steps">
            <li>
              <strong>Create a service</strong>: what you run and deploy, e.g. Payments API.{" "}
              {canEdit ? <a href="#new-service">The form is below.</a> : "An editor of this team can create it."}
            </li>
            <li>
              <strong>Define an SLI</strong> on the service&apos;s page: what you measure, as good and total events (pushed to Burnrate or pulled from Prometheus).
            </li>
            <li>
              <strong>Set an SLO</strong> on that SLI: an objective such as 99.9% over a window such as 30 days.
            </li>
          </ol>
          <p>
            Then <strong>push data</strong>: {isAdmin ? <a href="#api-tokens">create an API token</a> : "a team admin creates an API token"} with the ingest scope; the SLO&apos;s page shows the exact request to send. Already have OpenSLO or Sloth files?{" "}
            {canEdit ? <a href="#import-openslo">Import it</a> : "An editor can import it"} instead.
          </p>
        </section>
      ) : (
        <ul className="card plain-list">
          {services.map((s) => (
            <li key={s.id}>
              <Link className="slo-link" href={`/teams/${team.slug}/services/${s.slug}`}>
                {s.name}
              </Link>
              {healthOf.has(s.slug) ? <ServiceHealth team={team.slug} health={healthOf.get(s.slug)!} /> : null}
              {s.description ? <div className="muted small">{s.description}</div> : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? (
        <>
          <AddSection summary="New service" id="new-service" initiallyOpen={services.length === 0}>
            <ServiceForm team={team.slug} />
          </AddSection>
          <details className="add" id="import-openslo">
            <summary>Import OpenSLO or Sloth files</summary>
            <DefinitionsImport team={team.slug} />
          </details>
        </>
      ) : null}
      <ArchiveControls team={team.slug} role={team.role} />
      <p>
        <a href={`/api/v1/teams/${team.slug}/openslo`} download>
          Export this team&apos;s services, SLIs and SLOs as OpenSLO YAML
        </a>
      </p>

      <h2 id="data-sources">Data sources</h2>
      <p className="muted">Prometheus-compatible servers that SLIs pull from by name. SLIs whose files name no server (Sloth&apos;s) pull from the one named &quot;default&quot;.</p>
      <DataSourceManager team={team.slug} canEdit={canEdit} />

      <h2>Members</h2>
      <MemberManager team={team.slug} initial={members} canManage={isAdmin} />
      <h2 id="api-tokens">API tokens</h2>
      {isAdmin ? <TokenManager team={team.slug} /> : <p className="card muted">Only team admins can see and create API tokens.</p>}
      <h2>Postmortem templates</h2>
      <TemplateManager team={team.slug} canManage={isAdmin} />
      <h2>Notifications</h2>
      <p className="muted">Where a change of an SLO&apos;s burn-rate alert state is sent: one message per change.</p>
      {isAdmin ? <ChannelManager team={team.slug} /> : <p className="card muted">Only team admins can see and change notification channels.</p>}
      <h2 id="ticket-sync">Jira and Linear</h2>
      {isAdmin ? <TicketIntegrations team={team.slug} /> : <p className="card muted">Only team admins can connect Jira or Linear (action items then create issues there: docs/ticket-sync.md).</p>}
      <h2 id="silences">Silences</h2>
      <p className="muted">While a silence lasts, the alert changes of the SLOs it covers are recorded but not sent. While an open incident names an SLO, its alert changes go to the incident&apos;s timeline instead of paging again.</p>
      <SilenceManager team={team.slug} services={services.map((s) => ({ slug: s.slug, name: s.name }))} canManage={canEdit} />
    </>
  );
}

/** One service's health on the team page: the gate's standing and tier, and its worst SLO's remaining budget. */
function ServiceHealth({ team, health }: { team: string; health: ServiceGateRow }) {
  return (
    <div className="row small service-health">
      <span>
        Tier <TierBadge tier={health.standing.tier} />
      </span>
      <ServiceStanding team={team} standing={health.standing} compact />
      <span className="muted">
        {health.slo ? (
          <>
            Worst SLO: {health.slo.name}, {health.slo.remaining === null ? "no data yet" : `${formatPercent(health.slo.remaining, 1)} of its budget left`}
          </>
        ) : (
          "No SLOs yet"
        )}
      </span>
    </div>
  );
}
