import Link from "next/link";
import { DecisionBadge, TierBadge } from "@/components/gate-badges";
import { formatBurnRate, formatDuration, formatObjective, formatPercent } from "@/lib/domain/format";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { getDecision, wayThroughNow } from "@/lib/server/services/gate";
import { WayThrough } from "@/components/way-through";
import { getTeam } from "@/lib/server/services/teams";
import { Time } from "@/components/time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Gate decision" };

const remaining = (r: number | null) => (r === null ? "no data" : formatPercent(r, 1));

export default async function DecisionPage({ params }: { params: Promise<{ team: string; decision: string }> }) {
  const { actor } = await requirePageUser();
  const p = await params;
  const [d, team] = await orNotFound(Promise.all([getDecision(actor, p.team, p.decision), getTeam(actor, p.team)]));
  // What would let the same deploy through now (the policy, budgets and freezes as they are now).
  const now = d.decision === "allow" ? null : await wayThroughNow(actor, p.team, d);
  const because = d.toGetThrough?.because ?? now?.toGetThrough?.because;
  const slo = d.numbers.decidingSlo;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${d.team}`}>{team.name}</Link> <span aria-hidden="true">/</span>{" "}
        <Link href={`/teams/${d.team}/gate`}>Deploy gate</Link>
      </nav>
      <h1 className="title-row">
        <DecisionBadge decision={d.decision} /> {d.service?.name ?? d.serviceName} to {d.environment}
      </h1>
      <p className="lede">
        {d.changeType} change <span className="mono">{d.version}</span> asked by {d.requester} through {d.source === "github" ? "GitHub" : "the API"} on <Time at={d.decidedAt} />
        {d.link ? (
          <>
            {" "}
            · <a href={d.link} rel="noopener noreferrer nofollow">pipeline run</a>
          </>
        ) : null}
      </p>
      {now && because?.length ? (
        <div className="card">
          <WayThrough
            team={d.team}
            service={d.service?.slug ?? null}
            way={{ decision: d.decision as "warn" | "deny", because, steps: now.toGetThrough?.steps ?? [] }}
            level={2}
            passesNow={now.decision === "allow" || (d.decision === "deny" && now.decision === "warn")}
          />
        </div>
      ) : null}
      <h2>{now && because?.length ? "Everything the gate said" : "Why"}</h2>
      <ul className="card">
        {d.reasons.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
      </ul>
      <h2>The numbers it rested on</h2>
      <div className="card">
        <p>
          Tier <TierBadge tier={d.tier} /> under the {d.policy.scope === "default" ? "built-in default policy" : `${d.policy.scope}'s policy, version ${d.policy.version}`}
          {d.numbers.at ? <>, numbers as of <Time at={d.numbers.at} /></> : ""}.
        </p>
        {slo ? (
          <dl className="stats">
            <div className="stat">
              <dt>Deciding SLO</dt>
              <dd>
                {slo.name} ({formatObjective(slo.objective)})
              </dd>
            </div>
            <div className="stat">
              <dt>Budget left</dt>
              <dd>{remaining(slo.remainingBudget)}</dd>
            </div>
            <div className="stat">
              <dt>Burn rate 1 h / 6 h / 3 d</dt>
              <dd>
                {formatBurnRate(slo.burnRates["1h"] ?? null)} / {formatBurnRate(slo.burnRates["6h"] ?? null)} / {formatBurnRate(slo.burnRates["3d"] ?? null)}
              </dd>
            </div>
            <div className="stat">
              <dt>Budget runs out in</dt>
              <dd>{slo.timeToExhaustionMinutes === null ? "not burning" : formatDuration(slo.timeToExhaustionMinutes)}</dd>
            </div>
          </dl>
        ) : (
          <p className="muted">No SLO with data decided this one.</p>
        )}
        {d.numbers.slos.length > 1 ? (
          <table>
            <caption>Every SLO of the service</caption>
            <thead>
              <tr>
                <th scope="col">SLO</th>
                <th scope="col">Budget left</th>
                <th scope="col">Tier</th>
              </tr>
            </thead>
            <tbody>
              {d.numbers.slos.map((s) => (
                <tr key={s.slug}>
                  <td>{s.name}</td>
                  <td>{remaining(s.remainingBudget)}</td>
                  <td>
                    <TierBadge tier={s.tier} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {d.numbers.override ? (
          <p>
            Override used: approved by {d.numbers.override.approvedBy}
            {d.numbers.override.escalatedTo ? `, escalated to ${d.numbers.override.escalatedTo}` : ""}, until <Time at={d.numbers.override.expiresAt} />: {d.numbers.override.reason}
          </p>
        ) : null}
        {d.numbers.freeze ? (
          <p>
            Manual freeze until <Time at={d.numbers.freeze.endsAt} />: {d.numbers.freeze.reason}
          </p>
        ) : null}
      </div>
      <p className="muted small">
        Decision <span className="mono">{d.decisionId}</span>
        {d.commit ? (
          <>
            {" "}
            · commit <span className="mono">{d.commit}</span>
          </>
        ) : null}
      </p>
    </>
  );
}
