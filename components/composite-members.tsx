// The members of a composite SLO on its page (docs/composite-slos.md): weight, share, each
// member's current remaining budget (formatted, never recomputed here: architecture rule 1),
// the late-member rule in a sentence and the members late or missing in the window.
import Link from "next/link";
import { formatObjective, formatPercent } from "@/lib/domain/format";
import type { CompositeView } from "@/lib/schemas/composites";

export type MemberStatus = { remaining: number | null; alertState: string } | null;

export function CompositeMembers({ team, composite, statuses }: { team: string; composite: CompositeView; statuses: MemberStatus[] }) {
  return (
    <section aria-labelledby="h-composite">
      <h2 id="h-composite">Composite of {composite.members.length} SLOs</h2>
      <p className="muted">
        Each minute, the members&apos; burn rates are averaged by weight and that burn is applied to this SLO&apos;s objective. {composite.lateRule}
      </p>
      <div className="card table-wrap" tabIndex={0} role="region" aria-label="Members of this composite SLO">
        <table>
          <thead>
            <tr>
              <th scope="col">Member SLO</th>
              <th scope="col">Objective</th>
              <th scope="col">Weight</th>
              <th scope="col">Share</th>
              <th scope="col">Budget left</th>
              <th scope="col">Alert</th>
            </tr>
          </thead>
          <tbody>
            {composite.members.map((m, i) => {
              const s = statuses[i];
              return (
                <tr key={`${m.service}/${m.slo}`}>
                  <td>
                    <Link href={`/teams/${team}/services/${m.service}/slos/${m.slo}`}>
                      {m.service}/{m.slo}
                    </Link>{" "}
                    {m.name}
                    {m.archived ? " (archived)" : ""}
                  </td>
                  <td>{formatObjective(m.objective)}</td>
                  <td>{m.weight}</td>
                  <td>{formatPercent(m.share, 1)}</td>
                  <td>{s && s.remaining !== null ? formatPercent(s.remaining, 1) : "—"}</td>
                  <td>{s ? s.alertState : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {composite.missing.length ? (
        <ul aria-label="Late or missing members">
          {composite.missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">No member was late or missing in the window.</p>
      )}
    </section>
  );
}
