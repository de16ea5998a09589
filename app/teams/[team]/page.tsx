import Link from "next/link";
import { ServiceForm } from "@/components/catalog-forms";
import { ArchiveControls } from "@/components/archive-controls";
import { ChannelManager } from "@/components/channel-manager";
import { MemberManager } from "@/components/member-manager";
import { OpenSloImport } from "@/components/openslo-import";
import { TokenManager } from "@/components/token-manager";
import { TemplateManager } from "@/components/template-manager";
import { accessAtLeast } from "@/lib/domain/roles";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { listServices } from "@/lib/server/services/catalog";
import { getTeam, listMembers } from "@/lib/server/services/teams";
import { previewTeamGate } from "@/lib/server/services/gate";
import { ServiceStanding } from "@/components/service-standing";
import { formatRole } from "@/lib/domain/format";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ team: string }> }) {
  const { team } = await params;
  const { actor } = await requirePageUser();
  return { title: (await getTeam(actor, team).catch(() => null))?.name ?? team };
}

export default async function TeamPage({ params }: { params: Promise<{ team: string }> }) {
  const { actor } = await requirePageUser();
  const { team: slug } = await params;
  const team = await orNotFound(getTeam(actor, slug));
  const [members, services, standings] = await Promise.all([listMembers(actor, slug), listServices(actor, slug), previewTeamGate(actor, slug)]);
  const standingOf = new Map(standings.map((r) => [r.service.slug, r.standing]));
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
        <Link href={`/teams/${team.slug}/gate`}>Deploy gate</Link> · <Link href={`/teams/${team.slug}/incidents`}>Incidents</Link> · <Link href={`/teams/${team.slug}/action-items`}>Action items</Link>
      </p>

      <h2>Services</h2>
      {services.length === 0 ? (
        <div className="card empty">
          <p>No services yet.</p>
          <p>{canEdit ? "Create one below, or import OpenSLO YAML." : "An editor of this team can create them."}</p>
        </div>
      ) : (
        <ul className="card plain-list">
          {services.map((s) => (
            <li key={s.id}>
              <Link className="slo-link" href={`/teams/${team.slug}/services/${s.slug}`}>
                {s.name}
              </Link>
              {standingOf.has(s.slug) ? (
                <>
                  {" "}
                  <ServiceStanding team={team.slug} standing={standingOf.get(s.slug)!} compact />
                </>
              ) : null}
              {s.description ? <div className="muted small">{s.description}</div> : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? (
        <>
          <details className="add">
            <summary>New service</summary>
            <ServiceForm team={team.slug} />
          </details>
          <details className="add">
            <summary>Import OpenSLO YAML</summary>
            <OpenSloImport team={team.slug} />
          </details>
        </>
      ) : null}
      <ArchiveControls team={team.slug} role={team.role} />
      <p>
        <a href={`/api/v1/teams/${team.slug}/openslo`} download>
          Export this team&apos;s services, SLIs and SLOs as OpenSLO YAML
        </a>
      </p>

      <h2>Members</h2>
      <MemberManager team={team.slug} initial={members} canManage={isAdmin} />
      <h2>API tokens</h2>
      {isAdmin ? <TokenManager team={team.slug} /> : <p className="card muted">Only team admins can see and create API tokens.</p>}
      <h2>Postmortem templates</h2>
      <TemplateManager team={team.slug} canManage={isAdmin} />
      <h2>Notifications</h2>
      <p className="muted">Where a change of an SLO&apos;s burn-rate alert state is sent: one message per change.</p>
      {isAdmin ? <ChannelManager team={team.slug} /> : <p className="card muted">Only team admins can see and change notification channels.</p>}
    </>
  );
}
