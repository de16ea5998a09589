// The error-budget review on a page (docs/reviews.md): summary figures beside the previous period,
// each SLO's compliance with its burndown through the period, incidents by budget spent, deploy
// decisions, overrides, freezes, policy changes, action items and MTTD/MTTR. Only formatting here:
// every number arrives computed (lib/domain/review.ts).
import Link from "next/link";
import type { ReactNode } from "react";
import { formatDuration, formatObjective, formatPercent } from "@/lib/domain/format";
import type { ReviewView } from "@/lib/schemas/reviews";
import { BurndownChart } from "./charts";
import { Time } from "./time";

const pct = (x: number | null, digits = 2) => (x === null ? "no data" : formatPercent(x, digits));
/** A change in percentage points, signed; for budget spent and MTTR, more is worse. */
function Change({ value, points = true, worseWhenUp = true }: { value: number | null; points?: boolean; worseWhenUp?: boolean }) {
  if (value === null) return <span className="muted">—</span>;
  const p = points ? Number((value * 100).toFixed(1)) : value;
  if (p === 0) return <span className="muted">no change</span>;
  const worse = p > 0 === worseWhenUp;
  const text = points ? `${p > 0 ? "+" : "−"}${Math.abs(p)} pp` : `${p > 0 ? "+" : "−"}${formatDuration(Math.abs(p))}`;
  return <span className={worse ? "tone-danger" : "tone-ok"}>{text}</span>;
}

function Stat({ label, value, previous }: { label: string; value: number; previous: number }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>
        {value} <span className="small muted">(previous {previous})</span>
      </dd>
    </div>
  );
}

function Table({ caption, head, children, empty }: { caption: string; head: string[]; children: ReactNode[]; empty: string }) {
  if (children.length === 0) return <p className="card muted">{empty}</p>;
  return (
    <div className="card table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function ReviewReport({ r }: { r: ReviewView }) {
  const team = r.team.slug;
  const a = r.actionItems;
  return (
    <>
      <dl className="stats card">
        <Stat label="SLOs missed" value={r.slosMissed} previous={r.slos.filter((s) => s.previous.met === false).length} />
        <Stat label="Incidents" value={r.incidentCount.current} previous={r.incidentCount.previous} />
        <Stat label="Deploys denied" value={r.decisions.deny} previous={r.decisions.previous.deny} />
        <Stat label="Overrides" value={r.overrideCount.current} previous={r.overrideCount.previous} />
      </dl>

      <h2 id="slos">SLOs</h2>
      <Table caption="Each SLO's compliance and budget spent over the period" head={["SLO", "Objective", "SLI", "Result", "Budget spent", `${r.previous.label}`, "Change"]} empty="No SLOs.">
        {r.slos.map((s) => (
          <tr key={`${s.service.slug}/${s.slo.slug}`}>
            <td>
              <Link href={`/teams/${team}/services/${s.service.slug}/slos/${s.slo.slug}`}>
                {s.service.name} / {s.slo.name}
              </Link>
            </td>
            <td>{s.objective ? formatObjective(s.objective) : "—"}</td>
            <td>{s.error ? <span className="tone-danger">{s.error}</span> : pct(s.sli, 3)}</td>
            <td>{s.met === null ? <span className="muted">no data</span> : s.met ? <span className="tone-ok">met</span> : <strong className="tone-danger">missed</strong>}</td>
            <td>{pct(s.budgetSpent, 1)}</td>
            <td>{pct(s.previous.budgetSpent, 1)}</td>
            <td>
              <Change value={s.budgetSpentDelta} />
            </td>
          </tr>
        ))}
      </Table>
      {r.slos
        .filter((s) => s.burndown.length > 0)
        .map((s) => (
          <section key={`${s.service.slug}/${s.slo.slug}/chart`} className="card">
            <h3>
              {s.service.name} / {s.slo.name}: budget through {r.period.label}
            </h3>
            <BurndownChart points={s.burndown} label={`Remaining budget of ${s.slo.name} through ${r.period.label}`} />
          </section>
        ))}

      <h2 id="incidents">Incidents, most budget spent first</h2>
      <Table caption="Incidents of the period with the budget each spent" head={["Incident", "Severity", "Started", "Budget spent", "Per SLO"]} empty="No incidents started in this period.">
        {r.incidents.map((i) => (
          <tr key={i.id}>
            <td>
              <Link href={`/teams/${team}/incidents/${i.id}`}>{i.title}</Link>
            </td>
            <td>{i.severity}</td>
            <td>
              <Time at={i.startedAt} relative={false} />
            </td>
            <td>{pct(i.budgetSpent, 1)}</td>
            <td className="small">{i.impact.map((x) => `${x.service}/${x.slo}: ${pct(x.budgetSpent, 1)}`).join(", ") || "—"}</td>
          </tr>
        ))}
      </Table>

      <h2 id="decisions">Deploy decisions</h2>
      <Table caption="Deploy gate decisions by outcome" head={["Outcome", r.period.label, r.previous.label]} empty="">
        {(["allow", "warn", "deny", "total"] as const).map((k) => (
          <tr key={k}>
            <td>{k}</td>
            <td>{r.decisions[k]}</td>
            <td>{r.decisions.previous[k]}</td>
          </tr>
        ))}
      </Table>
      <h3>Overrides granted</h3>
      <Table caption="Overrides granted in the period" head={["Service", "Environment", "Reason", "Approved by", "Granted by", "Granted", "Held for"]} empty="No overrides were granted.">
        {r.overrides.map((o, k) => (
          <tr key={k}>
            <td>{o.service}</td>
            <td>{o.environment ?? "all"}</td>
            <td>{o.reason}</td>
            <td>{o.approvedBy}</td>
            <td>{o.grantedBy ?? "—"}</td>
            <td>
              <Time at={o.createdAt} relative={false} />
            </td>
            <td>{formatDuration(o.durationMinutes)}</td>
          </tr>
        ))}
      </Table>
      <h3>Freezes</h3>
      <Table caption="Freezes in force during the period" head={["Service", "Reason", "From", "To"]} empty="No freezes.">
        {r.freezes.map((f, k) => (
          <tr key={k}>
            <td>{f.service ?? "all services"}</td>
            <td>{f.reason}</td>
            <td>
              <Time at={f.startsAt} relative={false} />
            </td>
            <td>
              <Time at={f.cancelledAt ?? f.endsAt} relative={false} />
              {f.cancelledAt ? " (cancelled)" : ""}
            </td>
          </tr>
        ))}
      </Table>
      <h3>Policy changes</h3>
      <Table caption="Policy versions saved in the period" head={["Scope", "Version", "When", "By"]} empty="The policy did not change.">
        {r.policyChanges.map((p) => (
          <tr key={`${p.scope}-${p.version}`}>
            <td>{p.scope}</td>
            <td>
              {p.version}
              {p.reset ? " (back to the team's)" : ""}
            </td>
            <td>
              <Time at={p.at} relative={false} />
            </td>
            <td>{p.by ?? "—"}</td>
          </tr>
        ))}
      </Table>

      <h2 id="action-items">Action items</h2>
      <Table caption="Action items over the period and the previous one" head={["Figure", r.period.label, r.previous.label]} empty="">
        {[
          ["Opened", a.opened, a.previous.opened],
          ["Done", a.done, a.previous.done],
          ["Open at the end", a.openAtEnd, a.previous.openAtEnd],
          ["Overdue at the end", a.overdue, a.previous.overdue],
          ["Recurrences (burned again while open)", a.recurrences, a.previous.recurrences],
        ].map(([label, x, y]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{x}</td>
            <td>{y}</td>
          </tr>
        ))}
      </Table>
      <p>
        Oldest open P0 at the end:{" "}
        {a.oldestOpenP0 ? (
          <>
            <Link href={`/teams/${team}/action-items/${a.oldestOpenP0.id}`}>{a.oldestOpenP0.title}</Link>, open {Math.floor(a.oldestOpenP0.ageDays)} days
          </>
        ) : (
          "none"
        )}
        . <Link href={`/teams/${team}/action-items?sort=budget`}>All action items by budget spent</Link>
      </p>

      <h2 id="times">Time to detect and resolve</h2>
      <p className="small muted">MTTD: detected − started. MTTR: resolved − started, to resolution, not mitigation (the time to mitigate is its own column). Means over the incidents that started in the period.</p>
      <Table caption="Mean times by severity" head={["Severity", "Incidents", "MTTD", "Time to mitigate", "MTTR", `MTTR ${r.previous.label}`, "Change"]} empty="">
        {r.times.map((t) => (
          <tr key={t.severity}>
            <td>{t.severity}</td>
            <td>{t.incidents}</td>
            <td>{formatDuration(t.mttdMinutes)}</td>
            <td>{formatDuration(t.mttmMinutes)}</td>
            <td>{formatDuration(t.mttrMinutes)}</td>
            <td>{formatDuration(t.previous.mttrMinutes)}</td>
            <td>
              <Change value={t.mttrDelta} points={false} />
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}
