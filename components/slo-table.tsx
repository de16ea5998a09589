import Link from "next/link";
import { formatBurnRate, formatExhaustion, formatObjective, formatSli, formatWindow } from "@/lib/domain/format";
import type { OverviewRow } from "@/lib/schemas/views";
import { AlertBadge } from "./alert-badge";
import { BudgetBar } from "./budget-bar";
import { Sparkline } from "./sparkline";

/** SLOs with their status, one row each: the overview's table, also on each service's page. */
export function SloTable({ rows, caption, showService = true }: { rows: OverviewRow[]; caption: string; showService?: boolean }) {
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
          <th scope="col" className="num hide-narrow">Burn 1h</th>
          <th scope="col" className="hide-narrow">Budget exhausted</th>
          <th scope="col" className="hide-narrow">Trend</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.slo.id}>
            <td>
              <Link className="slo-link" href={`/teams/${r.team.slug}/services/${r.service.slug}/slos/${r.slo.slug}`}>
                {r.slo.name}
              </Link>
              {showService ? (
                <div className="muted small">
                  {r.service.name} · {r.team.name}
                </div>
              ) : null}
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
