import Link from "next/link";
import { DecisionLog } from "@/components/decision-log";
import { FreezeManager } from "@/components/freeze-manager";
import { GithubSettings } from "@/components/github-settings";
import { OverrideManager } from "@/components/override-manager";
import { PolicyForm } from "@/components/policy-form";
import { accessAtLeast } from "@/lib/domain/roles";
import { searchParam } from "@/lib/schemas/common";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { listServices } from "@/lib/server/services/catalog";
import { getTeamPolicy } from "@/lib/server/services/policy";
import { previewTeamGate } from "@/lib/server/services/gate";
import { DecisionBadge, TierBadge } from "@/components/gate-badges";
import { StandingLinks } from "@/components/service-standing";
import { WayThrough } from "@/components/way-through";
import { formatPercent } from "@/lib/domain/format";
import { getTeam } from "@/lib/server/services/teams";

export const dynamic = "force-dynamic";
export const metadata = { title: "Deploy gate" };

type Props = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function GatePage({ params, searchParams }: Props) {
  const { actor } = await requirePageUser();
  const { team: slug } = await params;
  const sp = await searchParams;
  const team = await orNotFound(getTeam(actor, slug));
  const [services, policy, preview] = await Promise.all([listServices(actor, slug), getTeamPolicy(actor, slug), previewTeamGate(actor, slug)]);
  const isAdmin = accessAtLeast(team.role, "admin");
  const svc = services.map((s) => ({ slug: s.slug, name: s.name }));
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${team.slug}`}>{team.name}</Link>
      </nav>
      <h1>Deploy gate</h1>
      <p className="lede">
        Pipelines ask <span className="mono">POST /api/v1/gate</span> before each deploy; the answer follows this team&apos;s error-budget policy. Each service is judged by its worst SLO.
      </p>

      <h2>Services now</h2>
      {preview.length === 0 ? (
        <p className="card muted">No services yet.</p>
      ) : (
        <div className="card table-wrap">
          <table>
            <caption className="visually-hidden">What the gate would answer now for a feature deploy of each service</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Tier</th>
                <th scope="col">Worst SLO</th>
                <th scope="col">Feature deploy now</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {preview.map((r) => (
                <tr key={r.service.slug}>
                  <td>
                    <Link className="slo-link" href={`/teams/${team.slug}/services/${r.service.slug}`}>
                      {r.service.name}
                    </Link>
                  </td>
                  <td>
                    <TierBadge tier={r.standing.tier} />
                  </td>
                  <td>{r.slo ? `${r.slo.name}: ${r.slo.remaining === null ? "no data" : `${formatPercent(r.slo.remaining, 1)} left`}` : "no SLO"}</td>
                  <td>
                    <DecisionBadge decision={r.standing.decision} /> <span className="small muted">to {r.standing.environment}</span>
                  </td>
                  <td className="small">
                    {r.standing.reasons.join("; ")} <StandingLinks team={team.slug} standing={r.standing} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {preview.some((r) => r.standing.toGetThrough) ? (
        <>
          <h2>What would let feature deploys through</h2>
          {preview.map((r) =>
            r.standing.toGetThrough ? (
              <section key={r.service.slug} className="card" aria-labelledby={`way-${r.service.slug}`}>
                <h3 id={`way-${r.service.slug}`}>
                  <DecisionBadge decision={r.standing.decision} /> {r.service.name}: {r.standing.headline.charAt(0).toLowerCase() + r.standing.headline.slice(1)}
                </h3>
                <WayThrough team={team.slug} service={r.service.slug} way={r.standing.toGetThrough} level={4} id={`way-${r.service.slug}`} />
              </section>
            ) : null,
          )}
        </>
      ) : null}

      <h2 id="overrides">Overrides</h2>
      <OverrideManager team={team.slug} services={svc} canManage={isAdmin} maxHours={policy.policy.maxOverrideHours} />

      <h2 id="freezes">Freezes</h2>
      <FreezeManager team={team.slug} services={svc} canManage={isAdmin} />

      <h2>Decision log</h2>
      <DecisionLog
        team={team.slug}
        services={svc}
        initial={{ service: searchParam(sp, "service"), environment: searchParam(sp, "environment"), decision: searchParam(sp, "decision"), changeType: searchParam(sp, "changeType") }}
      />

      <h2 id="policy">Policy</h2>
      <PolicyForm team={team.slug} initial={policy} canManage={isAdmin} />

      <h2>GitHub deployment protection rules</h2>
      {isAdmin ? <GithubSettings team={team.slug} /> : <p className="card muted">Only team admins can connect a GitHub App.</p>}
    </>
  );
}
