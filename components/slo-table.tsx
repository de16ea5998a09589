import Link from "next/link";
import { memberShortName } from "@/lib/domain/slo-group";
import { formatBurnRate, formatExhaustion, formatObjective, formatSli, formatWindow } from "@/lib/domain/format";
import type { OverviewRow, ServiceStandingView } from "@/lib/schemas/views";
import { DecisionBadge } from "./gate-badges";
import { AlertBadge } from "./alert-badge";
import { IntegrityBadge } from "./integrity-badge";
import { BudgetBar } from "./budget-bar";
import { Sparkline } from "./sparkline";
import { Time } from "./time";

type Standings = ReadonlyMap<string, ServiceStandingView>;
export const standingKey = (team: string, service: string) => `${team}/${service}`;

/**
 * SLOs with their status, one row each: the overview's table, also on each service's page.
 * With `standings`, a row whose service would not simply allow a feature deploy says so, and why.
 */
export function SloTable({ rows, caption, showService = true, standings }: { rows: OverviewRow[]; caption: string; showService?: boolean; standings?: Standings }) {
  return (
    <table className="overview">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">SLO</th>
          <th scope="col" className="hide-narrow">Objective</th>
          <th scope="col" className="num hide-narrow">SLI</th>
          <th scope="col">Remaining budget</th>
          <th scope="col">Alert</th>
          <th scope="col" className="num hide-narrow" title="over the last hour">Burn rate</th>
          <th scope="col" className="hide-narrow">Budget runs out</th>
          <th scope="col" className="hide-narrow">Trend</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.slo.id}>
            <td>
              {/* A member's label value is on its chip: the link shows the group's name, and says the whole name to screen readers. */}
              <Link className="slo-link" href={`/teams/${r.team.slug}/services/${r.service.slug}/slos/${r.slo.slug}`} aria-label={r.group ? r.slo.name : undefined}>
                {r.group ? memberShortName(r.slo.name, r.group.key, r.group.value) : r.slo.name}
              </Link>
              {r.group ? <GroupChip team={r.team.slug} service={r.service.slug} group={r.group} /> : null}
              {showService ? (
                <div className="muted small">
                  {r.service.name} · {r.team.name}
                </div>
              ) : null}
              {r.status.error ? <div className="small field-error">Could not be evaluated: {r.status.error}</div> : null}
              <IntegrityBadge integrity={r.status.integrity} />
              <StandingNote standing={standings?.get(standingKey(r.team.slug, r.service.slug))} />
            </td>
            <td className="hide-narrow">
              {formatObjective(r.slo.objective)}
              <div className="muted small">{formatWindow(r.slo.window)}</div>
            </td>
            <td className="num hide-narrow">{formatSli(r.status.sli)}</td>
            <td>
              <BudgetBar budget={r.status.budget} tier={r.status.tier} />
            </td>
            <td>
              <AlertBadge badge={r.badge} />
              {r.firingSince ? <div className="muted small">since <Time at={r.firingSince} /></div> : null}
            </td>
            <td className="num hide-narrow">{formatBurnRate(r.status.burnRate1h)}</td>
            <td className="hide-narrow">{formatExhaustion(r.status.timeToExhaustionMinutes, r.status.budget, r.status.exhaustionHorizonMinutes)}</td>
            <td className="hide-narrow">
              <Sparkline points={r.sparkline} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A grouped SLO's member (docs/grouped-slos.md): its label value, linking to the overview filtered to its group. */
function GroupChip({ team, service, group }: { team: string; service: string; group: NonNullable<OverviewRow["group"]> }) {
  const href = `/?${new URLSearchParams({ team, service, group: group.slug }).toString()}`;
  return (
    <div className="small">
      <Link className="pill group-chip" href={href} title={`Member of ${group.name}: all its members on the overview`}>
        {group.key}={group.value}
      </Link>
    </div>
  );
}

function StandingNote({ standing }: { standing: ServiceStandingView | undefined }) {
  if (!standing || standing.decision === "allow") return null;
  return (
    <div className="small standing-note">
      <DecisionBadge decision={standing.decision} /> {standing.headline}: {standing.because}
    </div>
  );
}
