// A service's standing (the gate's answer now for a feature deploy) in the words and badges the
// gate uses, with links to what decided it. The same view on the service page, the gate page
// and the overview; nothing here decides anything.
import Link from "next/link";
import type { ServiceStandingView } from "@/lib/schemas/views";
import { DecisionBadge, TierBadge } from "./gate-badges";
import { WayThrough } from "./way-through";

type Props = { team: string; standing: ServiceStandingView; compact?: boolean; /** The service's slug: links to its SLOs. */ service?: string };

/** Links to what decided: the worst SLO, the freeze, the incident whose postmortem is missing, a broken policy. */
export function StandingLinks({ team, standing: s }: Omit<Props, "compact" | "service">) {
  const links: { href: string; label: string }[] = [];
  if (s.postmortemHold) links.push({ href: `/teams/${team}/incidents/${s.postmortemHold.incidentId}`, label: `Incident “${s.postmortemHold.incidentTitle}” and its postmortem` });
  if (s.freeze) links.push({ href: `/teams/${team}/gate#freezes`, label: "The freeze" });
  if (s.policy.problem) links.push({ href: `/teams/${team}/gate#policy`, label: "The policy" });
  if (links.length === 0) return null;
  return (
    <span className="standing-links">
      {links.map((l, i) => (
        <span key={l.href}>
          {i > 0 ? " · " : null}
          <Link href={l.href}>{l.label}</Link>
        </span>
      ))}
    </span>
  );
}

export function ServiceStanding({ team, standing: s, compact, service }: Props) {
  if (compact) {
    return (
      <span className="standing">
        <DecisionBadge decision={s.decision} /> <span className="small">{s.decision === "allow" ? s.headline : `${s.headline}: ${s.because}`}</span>
      </span>
    );
  }
  return (
    <div className="standing" data-testid="service-standing">
      <p>
        Tier <TierBadge tier={s.tier} /> · <DecisionBadge decision={s.decision} /> <strong>{s.headline}.</strong>
      </p>
      {s.toGetThrough ? (
        <>
          <WayThrough team={team} service={service ?? null} way={s.toGetThrough} />
          <details className="small">
            <summary>Everything the gate says</summary>
            <ul>
              {s.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </details>
        </>
      ) : (
        <>
          <ul className="small">
            {s.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          <p className="small">
            <StandingLinks team={team} standing={s} />
          </p>
        </>
      )}
    </div>
  );
}
