"use client";
// The pieces of the canary-analysis pages (docs/canary-judge.md): badges for an analysis's status,
// an interval's outcome and a metric's classification (a shape and a word, never colour alone),
// an interval's per-metric table and budget terms, and the Cancel button. Every number comes from
// the analysis view the service returned; here it is only formatted (docs/architecture.md rule 1).
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { AnalysisIntervalView, AnalysisSummary, AnalysisView } from "@/lib/schemas/analysis";
import { formatBurnRate, formatDuration, formatPercent, formatPointShift, formatPValue, formatScore } from "@/lib/domain/format";
import { ToneBadge } from "./alert-badge";
import { api, ApiError } from "./api";
import { Time } from "./time";

type Look = { icon: string; label: string; tone: string; help: string };

const statusLook: Record<AnalysisSummary["status"], Look> = {
  running: { icon: "◔", label: "Running", tone: "muted", help: "intervals are still being judged" },
  passed: { icon: "✓", label: "Passed", tone: "ok", help: "every interval ran and the last one passed: the canary may be promoted" },
  failed: { icon: "✕", label: "Failed", tone: "danger", help: "an interval scored at or below marginal, or failed a budget rule: roll the canary back" },
  inconclusive: { icon: "?", label: "Inconclusive", tone: "caution", help: "too many intervals had no data to judge" },
  cancelled: { icon: "–", label: "Cancelled", tone: "muted", help: "stopped before its last interval" },
};

const outcomeLook: Record<AnalysisIntervalView["outcome"], Look> = {
  pass: { icon: "✓", label: "Pass", tone: "ok", help: "the score reached the pass threshold" },
  marginal: { icon: "▲", label: "Marginal", tone: "caution", help: "the score was between the marginal and pass thresholds; counts as a failure" },
  fail: { icon: "✕", label: "Fail", tone: "danger", help: "the score was at or below marginal, a critical metric failed, or a budget rule failed" },
  nodata: { icon: "–", label: "No data", tone: "muted", help: "no metric had data for both cohorts" },
};

type Classification = AnalysisIntervalView["metrics"][number]["classification"];
const classificationLook: Record<Classification, Look> = {
  Pass: { icon: "✓", label: "Pass", tone: "ok", help: "no significant difference in the failing direction" },
  High: { icon: "▲", label: "High", tone: "danger", help: "the canary is significantly higher than the baseline" },
  Low: { icon: "▼", label: "Low", tone: "danger", help: "the canary is significantly lower than the baseline" },
  Nodata: { icon: "–", label: "No data", tone: "muted", help: "no minutes for the canary or the baseline; left out of the score" },
  NodataFailMetric: { icon: "■", label: "No data (fails)", tone: "danger", help: "no minutes, and this metric must have data" },
};

export function AnalysisStatusBadge({ status }: { status: AnalysisSummary["status"] }) {
  return <ToneBadge look={statusLook[status]} />;
}

export function IntervalOutcomeBadge({ outcome }: { outcome: AnalysisIntervalView["outcome"] }) {
  return <ToneBadge look={outcomeLook[outcome]} />;
}

export function ClassificationBadge({ classification }: { classification: Classification }) {
  return <ToneBadge look={classificationLook[classification]} />;
}

/** The verdict as a sentence for the top of the page. */
export function VerdictSentence({ a }: { a: Pick<AnalysisSummary, "status" | "version"> }) {
  return <>{verdictSentence(a)}</>;
}

function verdictSentence(a: Pick<AnalysisSummary, "status" | "version">): string {
  const release = a.version ? ` (${a.version})` : "";
  switch (a.status) {
    case "passed":
      return `The canary${release} passed: it is no worse than the baseline, so the rollout may go on.`;
    case "failed":
      return `The canary${release} failed: roll it back.`;
    case "inconclusive":
      return `No verdict on the canary${release}: too little data to judge it.`;
    case "cancelled":
      return `The analysis of the canary${release} was cancelled before it reached a verdict.`;
    default:
      return `The canary${release} is being judged against the baseline, one interval at a time.`;
  }
}

/** One interval: its outcome, score, window, reasons, per-metric results and the budget terms. */
export function IntervalDetails({ interval: i, count, critical }: { interval: AnalysisIntervalView; count: number; critical: readonly string[] }) {
  const heading = `interval-${i.index + 1}-title`;
  return (
    <section className="card" aria-labelledby={heading} id={`interval-${i.index + 1}`}>
      <h3 id={heading} className="row">
        <span>
          Interval {i.index + 1} of {count}
        </span>
        <IntervalOutcomeBadge outcome={i.outcome} />
        <span className="muted small">score {formatScore(i.score)}</span>
      </h3>
      <p className="muted small">
        Judged the minutes from <Time at={i.from} relative={false} /> to <Time at={i.to} relative={false} /> (every minute of the canary so far).
      </p>
      {i.reasons.length ? (
        <ul>
          {i.reasons.map((r, k) => (
            <li key={k}>{r}</li>
          ))}
        </ul>
      ) : null}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Per-metric results of interval {i.index + 1}</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Result</th>
              <th scope="col">Median error ratio, canary vs baseline</th>
              <th scope="col">p-value</th>
              <th scope="col">Shift (Hodges-Lehmann) and 98% interval</th>
              <th scope="col">Minutes</th>
            </tr>
          </thead>
          <tbody>
            {i.metrics.map((m) => (
              <tr key={m.name}>
                <td>
                  <strong className="mono">{m.name}</strong>
                  {critical.includes(m.name) ? <span className="muted small"> · critical</span> : null}
                  {m.group !== "default" ? <span className="muted small"> · group {m.group}</span> : null}
                  {m.reason ? <div className="small muted">{m.reason}</div> : null}
                </td>
                <td data-label="Result">
                  <ClassificationBadge classification={m.classification} />
                </td>
                <td data-label="Median, canary vs baseline">
                  {ratio(m.experimentMedian)} vs {ratio(m.controlMedian)}
                </td>
                <td data-label="p-value">{formatPValue(m.pValue)}</td>
                <td data-label="Shift">
                  {formatPointShift(m.estimate)}
                  {m.confidenceInterval ? (
                    <span className="muted small">
                      {" "}
                      [{formatPointShift(m.confidenceInterval.lower)}, {formatPointShift(m.confidenceInterval.upper)}]
                    </span>
                  ) : null}
                </td>
                <td data-label="Minutes, canary / baseline">
                  {m.experimentCount} / {m.controlCount}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>In budget terms</h4>
      <ul>
        {i.budget.map((b) => (
          <li key={b.sli}>
            <BudgetTerm term={b} />
          </li>
        ))}
      </ul>
    </section>
  );
}

const ratio = (r: number | null) => (r === null ? "—" : formatPercent(r, 3));

function BudgetTerm({ term: b }: { term: AnalysisIntervalView["budget"][number] }) {
  if (b.slo === null || b.canaryErrorRatio === null) {
    return (
      <>
        <span className="mono">{b.sli}</span>: {b.reasons.join(" ")}
      </>
    );
  }
  const runsOut = b.timeToExhaustionMinutes === null ? "would not run out (the canary had no errors)" : b.timeToExhaustionMinutes <= 0 ? "is already spent" : `would run out in ${formatDuration(b.timeToExhaustionMinutes)}`;
  const share = b.shareOfRemainingNextDay === null ? null : formatPercent(b.shareOfRemainingNextDay, 1);
  return (
    <>
      <span className="mono">{b.sli}</span> against SLO <span className="mono">{b.slo}</span>: at the canary&apos;s error ratio ({ratio(b.canaryErrorRatio)}, burn rate {formatBurnRate(b.burnRate)}) the budget {runsOut}
      {share === null ? "." : `; a full rollout would spend ${share} of what is left in the next 24 h.`}
      {b.fails ? (
        <div>
          <ToneBadge look={{ icon: "✕", label: "Fails the budget rule", tone: "danger" }} /> {b.reasons.join(" ")}
        </div>
      ) : null}
    </>
  );
}

/** What is compared: the metrics with their direction, criticality and group. */
export function AnalysisConfigSummary({ a }: { a: AnalysisView }) {
  const s = a.config.schedule;
  const dir = { increase: "fails if it rises", decrease: "fails if it falls", either: "fails if it moves either way" } as const;
  return (
    <dl className="stats">
      <div className="stat">
        <dt>Service</dt>
        <dd>
          {a.service.name} in {a.environment}
        </dd>
      </div>
      <div className="stat">
        <dt>Version</dt>
        <dd className="mono">{a.version || "not given"}</dd>
      </div>
      <div className="stat">
        <dt>Cohorts</dt>
        <dd>
          <span className="mono">{a.canary}</span> (canary) vs <span className="mono">{a.baseline}</span> (baseline)
        </dd>
      </div>
      <div className="stat">
        <dt>Schedule</dt>
        <dd>
          {s.count} × {formatDuration(s.intervalMinutes)}
          {s.initialDelayMinutes ? ` after ${formatDuration(s.initialDelayMinutes)} of warm-up` : ""}
        </dd>
      </div>
      <div className="stat">
        <dt>Thresholds</dt>
        <dd>
          pass at {formatScore(a.config.thresholds.pass)}, marginal at {formatScore(a.config.thresholds.marginal)}
        </dd>
      </div>
      <div className="stat">
        <dt>Limits</dt>
        <dd>
          {s.failureLimit} failed, {s.inconclusiveLimit} without data
        </dd>
      </div>
      <div className="stat" style={{ gridColumn: "1 / -1" }}>
        <dt>Metrics (each SLI&apos;s error ratio per minute)</dt>
        <dd>
          <ul className="plain-list" style={{ padding: 0 }}>
            {a.config.metrics.map((m) => (
              <li key={m.sli}>
                <span className="mono">{m.sli}</span> <span className="muted small">({m.kind.replace(/_/g, " ")})</span>: {dir[m.direction]}
                {m.critical ? "; critical (fails the interval alone)" : ""}
                {m.mustHaveData ? "; must have data" : ""}
                {m.group !== "default" ? `; group ${m.group}` : ""}
              </li>
            ))}
          </ul>
        </dd>
      </div>
    </dl>
  );
}

/** Cancel a running analysis (editors): asks first, then posts to the cancel API and re-renders the page. */
export function CancelAnalysis({ team, id, what }: { team: string; id: string; what: string }) {
  const router = useRouter();
  const [posting, setPosting] = useState(false);
  // The button stays busy until the re-rendered page arrives, not only until the POST answers.
  const [refreshing, startRefresh] = useTransition();
  const busy = posting || refreshing;
  const [error, setError] = useState<string | null>(null);
  const cancel = async () => {
    if (!window.confirm(`Cancel the analysis of ${what}? No further interval is judged and it ends without a verdict; a rollout controller reading it sees "cancelled".`)) return;
    setPosting(true);
    setError(null);
    try {
      await api(`/api/v1/teams/${encodeURIComponent(team)}/analyses/${encodeURIComponent(id)}/cancel`, { method: "POST" });
      startRefresh(() => router.refresh());
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The analysis could not be cancelled; try again.");
    } finally {
      setPosting(false);
    }
  };
  return (
    <div className="row">
      <button type="button" className="danger" disabled={busy} onClick={() => void cancel()}>
        {busy ? "Cancelling…" : "Cancel analysis"}
      </button>
      {error ? (
        <p role="alert" className="tone-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
