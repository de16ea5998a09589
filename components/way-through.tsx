// A denied or warned deploy in two blocks: why (each rule that decided, linked to what it names)
// and what would let it through now. It only shows lib/domain/way-through.ts's answer; the gate
// page, the decision page and the service page all use it.
import Link from "next/link";
import type { WayThroughView } from "@/lib/schemas/views";

type Props = {
  team: string;
  /** The service's slug, for links to its SLOs (absent when the service is not known). */
  service: string | null;
  way: WayThroughView;
  /** The heading level of the two blocks, under the page's own headings. */
  level?: 2 | 3 | 4;
  /** An id prefix, when a page shows several services' blocks. */
  id?: string;
  /** A stored decision that the gate would allow now: say so instead of listing ways. */
  passesNow?: boolean;
};

type Target = { href: string; label: string } | null;

function blockerLink(team: string, service: string | null, b: WayThroughView["because"][number]): Target {
  switch (b.kind) {
    case "budget":
      return service ? { href: `/teams/${team}/services/${service}/slos/${b.slo.slug ?? b.slo.id}`, label: `See ${b.slo.name}` } : null;
    case "freeze":
      return { href: `/teams/${team}/gate#freezes`, label: "See the freeze" };
    case "postmortem":
      return b.incident.incidentId ? { href: `/teams/${team}/incidents/${b.incident.incidentId}`, label: `See “${b.incident.incidentTitle}”` } : null;
    case "action_item":
      return { href: `/postmortems/${b.item.postmortemId}#pm-actions`, label: "See the action item" };
    case "policy":
    case "environment":
      return { href: `/teams/${team}/gate#policy`, label: "See the policy" };
    default:
      return service ? { href: `/teams/${team}/services/${service}`, label: "See the service" } : null;
  }
}

function stepLink(team: string, service: string | null, s: WayThroughView["steps"][number]): Target {
  switch (s.kind) {
    case "budget":
      return service ? { href: `/teams/${team}/services/${service}/slos/${s.slo.slug ?? s.slo.id}`, label: `Watch ${s.slo.name}` } : null;
    case "freeze_ends":
      return { href: `/teams/${team}/gate#freezes`, label: "Freezes" };
    case "postmortem":
      return s.incidentId ? { href: `/teams/${team}/incidents/${s.incidentId}`, label: "Open the incident and its postmortem" } : null;
    case "action_item":
      return { href: `/postmortems/${s.postmortemId}#pm-actions`, label: "Open the postmortem's action items" };
    case "override":
      return { href: service ? `/teams/${team}/services/${service}#overrides` : `/teams/${team}/gate#overrides`, label: "Overrides" };
    case "policy":
      return { href: `/teams/${team}/gate#policy`, label: "The policy" };
    default:
      return null;
  }
}

function Item({ text, link, note }: { text: string; link: Target; note?: string }) {
  return (
    <li>
      {note ? <strong>{note}: </strong> : null}
      {text.charAt(0).toUpperCase() + text.slice(1)}.{" "}
      {link ? (
        <Link href={link.href} className="small">
          {link.label}
        </Link>
      ) : null}
    </li>
  );
}

export function WayThrough({ team, service, way, level = 3, id = "way", passesNow = false }: Props) {
  const H = `h${level}` as const;
  return (
    <div className="way-through" data-testid="way-through">
      <section aria-labelledby={`${id}-because`} className={`way-block way-${way.decision}`}>
        <H id={`${id}-because`}>{way.decision === "deny" ? "Denied because" : "Warned because"}</H>
        <ul>
          {way.because.map((b, i) => (
            <Item key={i} text={b.text} link={blockerLink(team, service, b)} note={way.decision === "deny" && b.decision === "warn" ? "A warning" : undefined} />
          ))}
        </ul>
      </section>
      <section aria-labelledby={`${id}-through`} className="way-block">
        <H id={`${id}-through`}>{way.decision === "deny" ? "To get through" : "To deploy without a warning"}</H>
        {passesNow ? (
          <p>The gate would let this deploy through now: run the pipeline again.</p>
        ) : way.steps.length ? (
          <ul>
            {way.steps.map((s, i) => (
              <Item key={i} text={s.text} link={stepLink(team, service, s)} />
            ))}
          </ul>
        ) : (
          <p className="muted">Nothing in the policy lets this change through now.</p>
        )}
      </section>
    </div>
  );
}
