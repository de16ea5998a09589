import type { SloStatusView } from "@/lib/schemas/views";
import { ToneBadge } from "./alert-badge";
import { Time } from "./time";

type Integrity = SloStatusView["integrity"];

const look = { icon: "?", label: "Uncertain", tone: "caution" };

/** The badge alone, linking to the reasons (`#h-integrity`) on the SLO's page. */
export function UncertainLink({ integrity }: { integrity: Integrity }) {
  if (integrity.state === "ok") return null;
  return (
    <a href="#h-integrity" className="badge-link">
      <ToneBadge look={{ ...look, help: integrity.findings.map((f) => f.reason).join("\n") }} />
    </a>
  );
}

/**
 * "Uncertain" when the SLO's data may be wrong (lib/domain/sli-integrity.ts), with the reasons:
 * folded under the badge in tables, listed in full on the SLO's page. Nothing when all is well.
 */
export function IntegrityBadge({ integrity, full = false }: { integrity: Integrity; full?: boolean }) {
  if (integrity.state === "ok") return null;
  const help = integrity.findings.map((f) => f.reason).join("\n");
  const list = (
    <ul className="integrity-reasons small">
      {integrity.findings.map((f, i) => (
        <li key={i}>
          {f.reason}
          {f.since && full ? (
            <span className="muted">
              {" "}
              (since <Time at={f.since} />)
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
  if (full) {
    return (
      <section className="card integrity" aria-labelledby="h-integrity">
        <h2 id="h-integrity">
          <ToneBadge look={{ ...look, help }} /> These numbers may be wrong
        </h2>
        {list}
      </section>
    );
  }
  return (
    <details className="integrity small">
      <summary>
        <ToneBadge look={{ ...look, help }} />
      </summary>
      {list}
    </details>
  );
}
