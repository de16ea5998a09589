import Link from "next/link";
import { AnalysisStatusBadge } from "@/components/canary-analysis";
import { AutoRefresh } from "@/components/auto-refresh";
import { Time } from "@/components/time";
import { formatScore } from "@/lib/domain/format";
import { analysisQuerySchema, analysisStatuses } from "@/lib/schemas/analysis";
import { searchParam } from "@/lib/schemas/common";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { listAnalyses } from "@/lib/server/services/analyses";
import { listServices } from "@/lib/server/services/catalog";
import { getTeam } from "@/lib/server/services/teams";

export const dynamic = "force-dynamic";
export const metadata = { title: "Canary analyses" };

type Props = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const statusWord: Record<(typeof analysisStatuses)[number], string> = { running: "Running", passed: "Passed", failed: "Failed", inconclusive: "Inconclusive", cancelled: "Cancelled" };

export default async function AnalysesPage({ params, searchParams }: Props) {
  const { actor } = await requirePageUser();
  const { team: slug } = await params;
  const sp = await searchParams;
  const team = await orNotFound(getTeam(actor, slug));
  // The filters go through the API's own query schema; a value it refuses is dropped and said.
  const parsed = analysisQuerySchema.safeParse({ service: searchParam(sp, "service"), status: searchParam(sp, "status") });
  const q = parsed.success ? parsed.data : analysisQuerySchema.parse({});
  const [services, { analyses }] = await Promise.all([listServices(actor, slug), listAnalyses(actor, slug, q)]);
  const filtered = Boolean(q.service || q.status);
  return (
    <>
      {analyses.some((a) => a.status === "running") ? <AutoRefresh seconds={20} /> : null}
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${team.slug}`}>{team.name}</Link>
      </nav>
      <h1>Canary analyses</h1>
      <p className="lede">
        An analysis compares a canary cohort of a release with a baseline cohort, every interval of a rollout, using each SLI&apos;s error ratio per minute. It scores the difference the way
        Kayenta does (a Mann-Whitney test per metric), says what the canary&apos;s error ratio would cost the error budget, and ends as passed, failed or inconclusive.
      </p>
      <details className="card">
        <summary>How a pipeline starts one</summary>
        <p>
          Push the canary&apos;s and the baseline&apos;s minutes with a <span className="mono">cohort</span> on each ingest item (or give a Prometheus SLI its cohort label), then start the analysis
          with a token that has the <span className="mono">gate</span> scope: <span className="mono">burnrate analysis start --service checkout --canary canary --baseline baseline --version v2.4.0 --wait</span>{" "}
          from the CLI (its exit code is the verdict), or <span className="mono">POST /api/v1/teams/{team.slug}/analyses</span>. Argo Rollouts reads the verdict with its web metric and Flagger through its confirm-promotion and
          rollback webhooks. The details are in the deployment-verification guide (docs/deploy-verification.md), the CLI guide (docs/cli.md) and the judge&apos;s method (docs/canary-judge.md).
        </p>
      </details>

      <form method="get" className="filters analyses-filters" aria-label="Filter analyses">
        <div>
          <label htmlFor="f-service">Service</label>
          <select id="f-service" name="service" defaultValue={q.service ?? ""}>
            <option value="">All services</option>
            {services.map((s) => (
              <option key={s.id} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-status">Status</label>
          <select id="f-status" name="status" defaultValue={q.status ?? ""}>
            <option value="">Any status</option>
            {analysisStatuses.map((s) => (
              <option key={s} value={s}>
                {statusWord[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="row">
          <button type="submit">Filter</button>
          {filtered ? <Link href={`/teams/${team.slug}/analyses`}>Show all</Link> : null}
        </div>
      </form>
      {!parsed.success ? (
        <p role="alert" className="tone-danger">
          Filter ignored: {parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}.
        </p>
      ) : null}

      {analyses.length === 0 ? (
        <p className="card muted">{filtered ? "No analysis matches these filters." : "No canary analysis yet. A pipeline starts one as shown above."}</p>
      ) : (
        <div className="card table-wrap">
          <table>
            <caption className="visually-hidden">Canary analyses of {team.name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Service and version</th>
                <th scope="col">Status</th>
                <th scope="col">Canary vs baseline</th>
                <th scope="col">Score</th>
                <th scope="col">Intervals</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {analyses.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link className="slo-link" href={`/teams/${team.slug}/analyses/${a.id}`}>
                      {a.service.name} {a.version ? <span className="mono">{a.version}</span> : null}
                    </Link>
                    <div className="muted small">to {a.environment}</div>
                  </td>
                  <td data-label="Status">
                    <AnalysisStatusBadge status={a.status} />
                  </td>
                  <td data-label="Cohorts">
                    <span className="mono">{a.canary}</span> vs <span className="mono">{a.baseline}</span>
                  </td>
                  <td data-label="Score">{formatScore(a.score)}</td>
                  <td data-label="Intervals">
                    {a.intervalsDone} of {a.intervalsPlanned} done
                  </td>
                  <td data-label="Started">
                    <Time at={a.startedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
