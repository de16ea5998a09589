import Link from "next/link";
import { AnalysisConfigSummary, AnalysisStatusBadge, CancelAnalysis, IntervalDetails, VerdictSentence } from "@/components/canary-analysis";
import { AutoRefresh } from "@/components/auto-refresh";
import { ScoreChart } from "@/components/charts";
import { Time } from "@/components/time";
import { accessAtLeast } from "@/lib/domain/roles";
import { intervalWindow } from "@/lib/domain/canary-analysis";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { getAnalysis } from "@/lib/server/services/analyses";
import { getTeam } from "@/lib/server/services/teams";

export const dynamic = "force-dynamic";
export const metadata = { title: "Canary analysis" };

export default async function AnalysisPage({ params }: { params: Promise<{ team: string; analysis: string }> }) {
  const { actor } = await requirePageUser();
  const p = await params;
  const [a, team] = await orNotFound(Promise.all([getAnalysis(actor, p.team, p.analysis), getTeam(actor, p.team)]));
  const running = a.status === "running";
  const canCancel = running && accessAtLeast(team.role, "editor");
  const critical = a.config.metrics.filter((m) => m.critical).map((m) => m.sli);
  const what = `${a.service.name}${a.version ? ` ${a.version}` : ""}`;
  const count = a.config.schedule.count;
  const [latest, ...earlier] = [...a.intervals].reverse();
  // The chart spans the planned analysis: from the first interval's start to the last one's end.
  const span = { from: intervalWindow(a.config.schedule, new Date(a.startedAt), 0).from, to: intervalWindow(a.config.schedule, new Date(a.startedAt), count - 1).to };
  return (
    <>
      {/* The job judges at most one interval a minute: refreshing more often would show nothing new. */}
      {running ? <AutoRefresh seconds={20} /> : null}
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${team.slug}`}>{team.name}</Link> <span aria-hidden="true">/</span>{" "}
        <Link href={`/teams/${team.slug}/analyses`}>Canary analyses</Link>
      </nav>
      <h1 className="row title-row">
        <AnalysisStatusBadge status={a.status} /> <span>Canary analysis of {what}</span>
      </h1>
      <p className="lede">
        <span className="mono">{a.canary}</span> against <span className="mono">{a.baseline}</span> in {a.environment}, started <Time at={a.startedAt} />
        {a.endedAt ? (
          <>
            , ended <Time at={a.endedAt} />
          </>
        ) : null}
        . {a.intervalsDone} of {count} {count === 1 ? "interval" : "intervals"} judged.
      </p>

      <section className="card" aria-labelledby="verdict" data-testid="verdict">
        <h2 id="verdict" style={{ marginTop: 0 }}>
          <VerdictSentence a={a} />
        </h2>
        <ul>
          {a.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
        {running && a.nextRunAt ? (
          <p className="muted">
            The next interval is judged after <Time at={a.nextRunAt} />; this page refreshes itself.
          </p>
        ) : null}
        {canCancel ? <CancelAnalysis team={team.slug} id={a.id} what={what} /> : null}
      </section>

      <h2>What is compared</h2>
      <div className="card">
        <AnalysisConfigSummary a={a} />
        <p className="muted small">
          Service page: <Link href={`/teams/${team.slug}/services/${a.service.slug}`}>{a.service.name}</Link> · all analyses of this service:{" "}
          <Link href={`/teams/${team.slug}/analyses?service=${encodeURIComponent(a.service.slug)}`}>filtered list</Link>
        </p>
      </div>

      <h2>Score over time</h2>
      <div className="card">
        <ScoreChart points={a.scores} thresholds={a.config.thresholds} from={span.from.toISOString()} to={span.to.toISOString()} label={`Summary score of the canary analysis of ${what} after each interval`} />
      </div>

      <h2>Intervals, latest first</h2>
      {latest ? <IntervalDetails interval={latest} count={count} critical={critical} /> : <p className="card muted">No interval has been judged yet.</p>}
      {/* The latest interval decides; earlier ones stay a click away so the page stays short. */}
      {earlier.length ? (
        <details>
          <summary>
            {earlier.length === 1 ? "The earlier interval" : `The ${earlier.length} earlier intervals`}
          </summary>
          {earlier.map((i) => (
            <IntervalDetails key={i.index} interval={i} count={count} critical={critical} />
          ))}
        </details>
      ) : null}
      <p className="muted small">
        Analysis <span className="mono">{a.id}</span> · as JSON: <span className="mono">GET /api/v1/teams/{team.slug}/analyses/{a.id}</span>
      </p>
    </>
  );
}
