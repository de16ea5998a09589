// A service's (or an incident's) deploys with what each spent of every SLO's budget. Every figure
// and sentence comes from the server (lib/domain/deploy-budget.ts); this only lays them out.
// The SLO that spent the largest share of a deploy is marked in words and weight, not colour only.
import Link from "next/link";
import type { DeployWithSpend } from "@/lib/schemas/deploys";
import { DecisionBadge } from "./gate-badges";
import { Time } from "./time";

export function DeployList({ team, deploys, caption, showService = false, empty }: { team: string; deploys: readonly DeployWithSpend[]; caption: string; showService?: boolean; empty: string }) {
  if (deploys.length === 0) return <p className="card muted">{empty}</p>;
  return (
    <div className="card table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="deploy-list">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            {showService ? <th scope="col">Service</th> : null}
            <th scope="col">Environment</th>
            <th scope="col">Deployed</th>
            <th scope="col">Gate</th>
            <th scope="col">Budget spent until {deploys.some((d) => d.current) ? "the next deploy or now" : "the next deploy"}</th>
          </tr>
        </thead>
        <tbody>
          {deploys.map((d) => (
            <tr key={d.id} id={`deploy-${d.id}`}>
              <th scope="row" className="mono small">
                {d.link ? <a href={d.link}>{d.version}</a> : d.version}
                {d.commit ? <div className="muted">{d.commit.slice(0, 12)}</div> : null}
              </th>
              {showService ? <td>{d.service.name}</td> : null}
              <td>{d.environment}</td>
              <td>
                <Time at={d.deployedAt} />
                {d.current ? <div className="small muted">current</div> : null}
              </td>
              <td>
                {d.decision ? (
                  <Link href={`/teams/${team}/gate/${d.decision.id}`} aria-label={`Gate decision for ${d.version}: ${d.decision.decision}`}>
                    <DecisionBadge decision={d.decision.decision} />
                  </Link>
                ) : (
                  <span className="muted small">no gate decision</span>
                )}
              </td>
              <td>
                {d.spend.length === 0 ? (
                  <span className="muted small">no SLOs</span>
                ) : (
                  <ul className="plain-list spend-list">
                    {d.spend.map((s) => (
                      <li key={s.slo.slug} title={s.sentence}>
                        {s.worst ? (
                          <mark>
                            {s.slo.name}: {s.summary} <span className="small">(most spent)</span>
                          </mark>
                        ) : (
                          <span className={s.error || s.badEvents === 0 ? "muted" : undefined}>
                            {s.slo.name}: {s.summary}
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
