"use client";
// One SLO: is it burning, how fast, since when, and against what. Numbers come from the API (one
// engine, lib/domain); this page only formats them. Data refreshes every 30 s on its own.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { lookbacks, type Lookback } from "@/lib/domain/burn-rate";
import { formatBurnRate, formatCount, formatDate, formatDateTime, formatDuration, formatExhaustion, formatObjective, formatPercent, formatSli, formatWindow } from "@/lib/domain/format";
import { objectiveRatio, parseObjective } from "@/lib/domain/budget";
import { alertBadgeOf } from "@/lib/domain/risk";
import { rangeBounds, rangePresets, type TimeRange } from "@/lib/domain/time-range";
import { DEFAULT_RANGE, parseTimeRange, timeRangeParams } from "@/lib/schemas/time-range";
import type { SloDetail, SloSeries } from "@/lib/schemas/views";
import { AlertBadge } from "./alert-badge";
import { IntegrityBadge, UncertainLink } from "./integrity-badge";
import { api } from "./api";
import { BudgetBar } from "./budget-bar";
import { BurnRateChart, BurndownChart, EventsChart, SliChart, type Band, type DefinitionMark, type DeployMark, type RangeChart } from "./charts";
import { DefinitionHistory, HistoryReadingChoice, type HistoryReading } from "./definition-history";
import { SilenceManager } from "./silence-manager";
import { accessAtLeast } from "@/lib/domain/roles";
import type { DeployView } from "@/lib/schemas/deploys";
import { Alert } from "./form-kit";
import { UpdatedAt } from "./updated-at";
import { Time, useReaderTime } from "./time";
import { SloOnboarding } from "./slo-onboarding";

const presetLabel: Record<(typeof rangePresets)[number], string> = { "6h": "6 hours", "1d": "1 day", "7d": "7 days", window: "Whole window" };
const lookbackLabel: Record<Lookback, string> = { "5m": "5 min", "30m": "30 min", "1h": "1 hour", "2h": "2 hours", "6h": "6 hours", "1d": "1 day", "3d": "3 days" };
/** A window as an adjective: "the 1-hour, 6-hour, 1-day and 3-day windows". */
const windowAdjective: Record<Lookback, string> = { "5m": "5-minute", "30m": "30-minute", "1h": "1-hour", "2h": "2-hour", "6h": "6-hour", "1d": "1-day", "3d": "3-day" };
const listInWords = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`);
const windowName = (minutes: number) => (Object.entries(lookbacks).find(([, m]) => m === minutes)?.[0] as Lookback | undefined) ?? null;

const alertStateLabel = {
  page: "Page",
  ticket: "Ticket",
  ok: "OK",
  no_data: "No data",
  // The no-data and budget-below alerts (lib/domain/alert-kinds.ts) share the history.
  data_stopped: "Data stopped",
  data_back: "Data back",
  budget_below: "Budget below level",
  budget_rearmed: "Budget back above level",
} as const;

export function SloDetailView({ team, initial, initialSeries, deploys = [] }: { team: string; initial: SloDetail; initialSeries: SloSeries; deploys?: DeployView[] }) {
  const router = useRouter();
  const pathname = usePathname();
  // Marks the moment the page answers input (hydrated): what `npm run bench` times.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  // The range shown before the first drag-zoom, for "Reset zoom" (null: not zoomed on this visit).
  const [beforeZoom, setBeforeZoom] = useState<TimeRange | null>(null);
  const params = useSearchParams();
  const { timeZone, now } = useReaderTime();
  const range = parseTimeRange(new URLSearchParams(params.toString()));
  // How the charts judge history (definition history): kept in the address, like the range.
  const reading: HistoryReading = params.get("definition") === "current" ? "current" : "as-it-was";
  const base = `/api/v1/teams/${team}/services/${initial.service.slug}/slos/${initial.slo.slug}`;
  const detail = useQuery({ queryKey: ["slo", base], queryFn: () => api<SloDetail>(`${base}/status`), initialData: initial, initialDataUpdatedAt: Date.parse(initial.status.at), refetchInterval: 30_000 });
  const rangeKey = JSON.stringify({ ...timeRangeParams(range), reading });
  const [initialKey] = useState(rangeKey);
  const series = useQuery({
    queryKey: ["slo-series", base, rangeKey],
    queryFn: () => {
      const b = rangeBounds(range, new Date());
      const qs = new URLSearchParams(b.from && b.to ? { from: b.from.toISOString(), to: b.to.toISOString() } : {});
      if (reading === "current") qs.set("definition", "current");
      return api<SloSeries>(`${base}/series${qs.size ? `?${qs}` : ""}`);
    },
    initialData: rangeKey === initialKey ? initialSeries : undefined,
    initialDataUpdatedAt: Date.parse(initialSeries.to),
    refetchInterval: 30_000,
  });
  const { slo, sli, status, burndown, service, alert } = detail.data;
  const objective = objectiveRatio(parseObjective(slo.objective));

  function navigate(r: TimeRange, how: HistoryReading) {
    const qs = new URLSearchParams(timeRangeParams(r));
    if (how === "current") qs.set("definition", "current");
    router.replace(qs.size ? `${pathname}?${qs}` : pathname, { scroll: false });
  }
  const setRange = (r: TimeRange) => navigate(r, reading);
  function zoom(from: number, to: number) {
    setBeforeZoom((b) => b ?? range);
    setRange({ preset: "custom", from: new Date(from), to: new Date(to) });
  }
  function resetZoom() {
    setRange(beforeZoom ?? DEFAULT_RANGE);
    setBeforeZoom(null);
  }
  const zoomed = beforeZoom !== null || range.preset === "custom";
  // The service's deploys as chart markers, each linking to its row of the service's deploy list.
  const deployMarks: DeployMark[] = deploys.map((d) => ({ at: Date.parse(d.deployedAt), version: d.version, environment: d.environment, href: `/teams/${team}/services/${d.service.slug}#deploy-${d.id}` }));
  const s = series.data;
  const chartRange: RangeChart | null = s ? { from: Date.parse(s.from), to: Date.parse(s.to), onZoom: zoom } : null;
  const bands: Band[] = s
    ? [
        ...s.firing.map((f) => ({ from: Date.parse(f.start), to: Date.parse(f.end), label: f.severity === "page" ? "Page" : "Ticket", kind: "firing" as const })),
        ...s.exclusions.map((e) => ({ from: Date.parse(e.startsAt), to: Date.parse(e.endsAt), label: e.kind.replace(/_/g, " "), kind: "excluded" as const })),
        ...s.incidents.map((i) => ({ from: Date.parse(i.startsAt), to: Date.parse(i.endsAt), label: i.severity, kind: "incident" as const })),
      ]
    : [];
  // Each change of the SLO's or its SLI's definition in the range, marked on the charts.
  const definitionMarks: DefinitionMark[] = (s?.definitionChanges ?? []).map((c) => ({ at: Date.parse(c.at), label: `${c.kind === "slo" ? "SLO" : "SLI"} v${c.version}` }));
  const rangeText = s ? `from ${formatDateTime(s.from, timeZone, now)} to ${formatDateTime(s.to, timeZone, now)}` : "";

  const left = status.leftMinutes;
  const firing = status.alerts.rules.filter((r) => r.firing);

  return (
    <div data-hydrated={hydrated || undefined}>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${team}`}>{detail.data.team.name}</Link> <span aria-hidden="true">/</span>{" "}
        <Link href={`/teams/${team}/services/${service.slug}`}>{service.name}</Link>
      </nav>
      <div className="row title-row">
        <h1>{slo.name}</h1>
        <AlertBadge badge={alertBadgeOf(status)} />
        <UncertainLink integrity={status.integrity} />
        <span className="spacer" />
        <UpdatedAt at={status.at} fetching={detail.isFetching} error={detail.isError ? "Could not refresh; showing the last data." : null} />
      </div>
      {status.error ? (
        <Alert>
          This SLO could not be evaluated: {status.error}. It shows no numbers and raises no alert until that is fixed; the other SLOs are not affected.
        </Alert>
      ) : null}
      <p className="lede">
        {formatObjective(slo.objective)} of {sli.kind === "time_slice" ? "time slices" : "events"} good over {formatWindow(slo.window)}, measured by the SLI <span className="mono">{sli.name}</span>
      </p>

      <IntegrityBadge integrity={status.integrity} full />
      {status.freshness.state === "no_data" ? <SloOnboarding team={team} service={service.slug} sli={sli} role={detail.data.team.role} at={status.at} /> : null}
      <div className="stats">
        <section className="card stat" aria-labelledby="st-budget">
          <h2 id="st-budget">Remaining budget</h2>
          <BudgetBar budget={status.budget} tier={status.tier} />
          <p className="muted small">
            {left === null ? "No events in the window yet." : left >= 0 ? `${formatDuration(left)} of ${formatDuration(status.budgetMinutes)} left` : `Overspent by ${formatDuration(-left)} of ${formatDuration(status.budgetMinutes)}`}
          </p>
        </section>
        <section className="card stat" aria-labelledby="st-sli">
          <h2 id="st-sli">SLI over the window</h2>
          <p className="big">{formatSli(status.sli)}</p>
          <p className="muted small">
            {formatCount(status.badEvents)} bad of {formatCount(status.total)} events; {formatCount(status.allowedBadEvents)} allowed
          </p>
        </section>
        <section className="card stat" aria-labelledby="st-tte">
          <h2 id="st-tte">Budget runs out</h2>
          <p className="big first-cap">{formatExhaustion(status.timeToExhaustionMinutes, status.budget, status.exhaustionHorizonMinutes)}</p>
          <p className="muted small">At the 1-hour burn rate of {formatBurnRate(status.burnRates["1h"])}</p>
        </section>
        <section className="card stat" aria-labelledby="st-data">
          <h2 id="st-data">Data</h2>
          <p className={`big tone-${status.freshness.state === "fresh" ? "ok" : status.freshness.state === "stale" ? "caution" : "muted"}`}>
            {status.freshness.state === "fresh" ? "Fresh" : status.freshness.state === "stale" ? "Stale" : "No data"}
          </p>
          <p className="muted small">
            {status.freshness.reason ?? (status.freshness.lastDataAt ? <>Last minute <Time at={status.freshness.lastDataAt} /></> : "")}
            {sli.source === "prometheus" ? " · pulled from Prometheus" : sli.source === "composite" ? " · materialised from its members" : " · pushed"}
          </p>
        </section>
      </div>

      <section aria-labelledby="h-alerts">
        <h2 id="h-alerts">Burn-rate alerts</h2>
        <p>
          {firing.length > 0
            ? firing
                .map((r) => `${r.severity === "page" ? "Page" : "Ticket"}: the ${lookbackLabel[windowName(r.longMinutes)!]} burn rate is ${formatBurnRate(r.longBurnRate)} and the ${lookbackLabel[windowName(r.shortMinutes)!]} ${formatBurnRate(r.shortBurnRate)}, both above ${formatBurnRate(r.factor)} (${r.budgetPercent} % of the budget in ${lookbackLabel[windowName(r.longMinutes)!]}).`)
                .join(" ")
            : status.alerts.state === "no_data"
              ? "No events in the last 3 days: nothing to alert on."
              : "No alert is firing: no pair of windows burns faster than its threshold."}
        </p>
        {alert.firingSince ? (
          <p>
            <strong>
              Firing since <Time at={alert.firingSince} relative={false} /> ({formatDuration((Date.parse(status.at) - Date.parse(alert.firingSince)) / 60_000)})
            </strong>
          </p>
        ) : null}
        <div className="card table-wrap" tabIndex={0} role="region" aria-label="Alert rules">
          <table>
            <caption className="visually-hidden">Each alert rule: burn rates of its long and short windows against its threshold</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col" className="num">Threshold</th>
                <th scope="col" className="num">Long window</th>
                <th scope="col" className="num">Short window</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {status.alerts.rules.map((r) => {
                const long = windowName(r.longMinutes)!;
                const short = windowName(r.shortMinutes)!;
                return (
                  <tr key={r.tier}>
                    <td>
                      {r.severity === "page" ? "Page" : "Ticket"} · {lookbackLabel[long]} / {lookbackLabel[short]}
                      <div className="muted small">{Math.round(r.budgetPercent * 100) / 100} % of the budget in {lookbackLabel[long]}</div>
                    </td>
                    <td className="num" data-label="Threshold">{formatBurnRate(r.factor)}</td>
                    <td className={`num ${r.longAbove ? "tone-danger" : ""}`} data-label="Long window">{formatBurnRate(r.longBurnRate)}</td>
                    <td className={`num ${r.shortAbove ? "tone-danger" : ""}`} data-label="Short window">{formatBurnRate(r.shortBurnRate)}</td>
                    <td data-label="State">{!r.enabled ? <span className="muted">Off (alert settings)</span> : r.firing ? <strong className="tone-danger">Firing</strong> : r.lowTraffic ? <span className="tone-caution">Above, too few events</span> : <span className="muted">Not firing</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <dl className="rates" aria-label="Burn rate per window">
          {(Object.keys(lookbacks) as Lookback[]).map((k) => (
            <div key={k}>
              <dt>{lookbackLabel[k]}</dt>
              <dd>{formatBurnRate(status.burnRates[k])}</dd>
            </div>
          ))}
          <div>
            <dt>Window</dt>
            <dd>{formatBurnRate(status.burnRates.window)}</dd>
          </div>
        </dl>
        <h3 id="h-alert-history">Alert history</h3>
        {alert.history.length === 0 ? (
          <p className="muted">No alert has fired or resolved yet.</p>
        ) : (
          <div className="card table-wrap" tabIndex={0} role="region" aria-labelledby="h-alert-history">
            <table>
              <caption className="visually-hidden">Each change of this SLO&apos;s alert state, newest first, with the burn rates and budget at that moment</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Change</th>
                  <th scope="col" className="num">1 h burn rate</th>
                  <th scope="col" className="num">6 h burn rate</th>
                  <th scope="col" className="num">Budget left</th>
                </tr>
              </thead>
              <tbody>
                {alert.history.map((h) => (
                  <tr key={h.at}>
                    <td><Time at={h.at} /></td>
                    <td>
                      {alertStateLabel[h.from]} → {alertStateLabel[h.to]}
                    </td>
                    <td className="num">{formatBurnRate(h.burnRates["1h"] ?? null)}</td>
                    <td className="num">{formatBurnRate(h.burnRates["6h"] ?? null)}</td>
                    <td className="num">{h.remaining === null ? "—" : formatPercent(h.remaining, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="h-burndown">
        <h2 id="h-burndown">Burndown</h2>
        <div className="card">
          <BurndownChart points={burndown} label={`Remaining budget from ${formatDate(status.windowStart, timeZone, now)} to now`} />
        </div>
      </section>

      <section aria-labelledby="h-over-time">
        <div className="row">
          <h2 id="h-over-time">Over time</h2>
          <span className="spacer" />
          <RangePicker key={rangeKey} range={range} onChange={(r) => (setBeforeZoom(null), setRange(r))} />
        </div>
        <div className="row chart-tools">
          <p className="muted small">
            {s ? `${rangeText[0]!.toUpperCase()}${rangeText.slice(1)}, in steps of ${formatDuration(s.stepMinutes)}. ` : ""}Drag across a chart to zoom in.
          </p>
          <span className="spacer" />
          <HistoryReadingChoice value={reading} onChange={(how) => navigate(range, how)} changed={definitionMarks.length > 0} />
          {zoomed ? (
            <button type="button" className="secondary" onClick={resetZoom}>
              Reset zoom
            </button>
          ) : null}
        </div>

        <h3 id="h-burn">Burn rate per alert window</h3>
        <div className="card" aria-busy={series.isFetching}>
          {s && chartRange ? (
            s.burnRates.unavailable ? (
              <p className="muted">{s.burnRates.unavailable}</p>
            ) : (
              <BurnRateChart
                points={s.burnRates.points}
                windows={s.burnRates.windows.map((w) => ({ name: lookbackLabel[windowName(w.longMinutes)!], severity: w.severity, factor: w.factor }))}
                bands={bands.filter((b) => b.kind === "firing")}
                range={chartRange}
                deploys={deployMarks}
                definitionMarks={definitionMarks}
                label={`Burn rate of the ${listInWords(s.burnRates.windows.map((w) => windowAdjective[windowName(w.longMinutes)!]))} ${s.burnRates.windows.length === 1 ? "window" : "windows"} with each alert rule's threshold, ${rangeText}`}
              />
            )
          ) : (
            <ChartState error={series.isError ? series.error.message : null} />
          )}
          {s ? <p className="muted small">Each line is the burn rate over the window ending at that moment, as the alert evaluator computed it; a dashed line of the same colour is its rule&apos;s threshold. A rule fires when its line and its short window are both above it.</p> : null}
        </div>

        <h3 id="h-events">Good and bad events</h3>
        <div className="card" aria-busy={series.isFetching}>
          {s && chartRange ? (
            <EventsChart points={s.points} bands={bands.filter((b) => b.kind === "firing")} range={chartRange} deploys={deployMarks} label={`Good and bad events per ${formatDuration(s.stepMinutes)}, ${rangeText}`} />
          ) : (
            <ChartState error={series.isError ? series.error.message : null} />
          )}
        </div>

        <h3 id="h-sli">SLI</h3>
        <div className="card" aria-busy={series.isFetching}>
          {s && chartRange ? (
            <SliChart points={s.points} bands={bands} range={chartRange} deploys={deployMarks} definitionMarks={definitionMarks} label={`SLI per ${formatDuration(s.stepMinutes)} ${rangeText}`} />
          ) : (
            <ChartState error={series.isError ? series.error.message : null} />
          )}
          {s ? <p className="muted small">One point per {formatDuration(s.stepMinutes)}. Gaps are minutes with no events.</p> : null}
        </div>
        {s && s.incidents.length > 0 ? (
          <ul className="exclusions">
            {s.incidents.map((i) => (
              <li key={i.id}>
                <strong>{i.severity} incident</strong> <Time at={i.startsAt} relative={false} /> – <Time at={i.endsAt} relative={false} />:{" "}
                <Link href={`/teams/${team}/incidents/${i.id}`}>{i.title}</Link>
              </li>
            ))}
          </ul>
        ) : null}
        {s && s.exclusions.length > 0 ? (
          <ul className="exclusions">
            {s.exclusions.map((e) => (
              <li key={e.id}>
                <strong>{e.kind.replace(/_/g, " ")}</strong> <Time at={e.startsAt} relative={false} /> – <Time at={e.endsAt} relative={false} />: {e.reason}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-labelledby="h-def">
        <h2 id="h-def">Definition</h2>
        <dl className="card definition">
          <dt>Objective</dt>
          <dd>
            {formatObjective(slo.objective)} over {formatWindow(slo.window)} (budget: {formatPercent(1 - objective, 3)} of events, {formatDuration(status.budgetMinutes)})
          </dd>
          <dt>Window now</dt>
          <dd>
            <Time at={status.windowStart} relative={false} /> – <Time at={status.windowEnd} />
          </dd>
          <dt>SLI</dt>
          <dd>
            {sli.name} ({sli.kind === "request_ratio" ? "good / valid requests" : sli.kind === "latency" ? (sli.latencyThresholdMs ? `requests faster than ${sli.latencyThresholdMs} ms` : "requests fast enough, as counted by the source") : sli.sliceTarget === null ? `the mean of ${sli.sliceMinutes}-minute slices' ratios` : `${sli.sliceMinutes}-minute slices meeting ${formatObjective(sli.sliceTarget)}`})
          </dd>
          <dt>Source</dt>
          <dd>
            {sli.prometheus ? (
              <>
                Prometheus at <span className="mono">{sli.prometheus.url}</span>
                {sli.prometheus.histogram ? (
                  <div className="small">
                    {sli.prometheus.histogram.type} histogram <span className="mono">{sli.prometheus.histogram.metric}</span>, requests within {sli.prometheus.histogram.thresholdSeconds} s (a bucket bound)
                  </div>
                ) : null}
                {sli.prometheus.threshold ? (
                  <div className="mono small">
                    value: {sli.prometheus.threshold.query} {sli.prometheus.threshold.op} {sli.prometheus.threshold.value}
                  </div>
                ) : (
                  <>
                    <div className="mono small">total: {sli.prometheus.totalQuery}</div>
                    <div className="mono small">{sli.prometheus.badQuery ? `bad: ${sli.prometheus.badQuery}` : `good: ${sli.prometheus.goodQuery}`}</div>
                  </>
                )}
                {sli.prometheus.sync.backfill === "backfilling" ? (
                  <div>
                    Backfill: {sli.prometheus.sync.daysDone} of {sli.prometheus.sync.daysToDo} days
                  </div>
                ) : null}
              </>
            ) : (
              <>
                Pushed to <span className="mono">POST /api/v1/ingest</span> with an ingest token
              </>
            )}
          </dd>
          <dt>Minimum events to alert</dt>
          <dd>{slo.minEvents > 0 ? `alerts need at least ${formatCount(slo.minEvents)} events in each window` : "none"}</dd>
          {slo.description ? (
            <>
              <dt>Description</dt>
              <dd>{slo.description}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="h-silences">
        <h2 id="h-silences">Silences</h2>
        <SilenceManager team={team} fixed={{ service: service.slug, slo: slo.slug, name: slo.name }} canManage={accessAtLeast(detail.data.team.role, "editor")} />
      </section>

      <DefinitionHistory team={team} service={service.slug} slo={slo.slug} sli={{ slug: sli.slug, source: sli.source }} role={detail.data.team.role} />
    </div>
  );
}

/** A chart's place while it loads, or why it could not. */
function ChartState({ error }: { error: string | null }) {
  return error ? <Alert>Could not load the chart: {error}</Alert> : <div className="skeleton" style={{ height: 240 }} aria-label="Loading the chart" />;
}

function RangePicker({ range, onChange }: { range: TimeRange; onChange: (r: TimeRange) => void }) {
  const [custom, setCustom] = useState(range.preset === "custom");
  const [error, setError] = useState<string | null>(null);
  const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  return (
    <div className="range-picker">
      <div role="group" aria-label="Time range" className="segmented">
        {rangePresets.map((p) => (
          <button key={p} type="button" className="secondary" aria-pressed={!custom && range.preset === p} onClick={() => (setCustom(false), onChange({ preset: p }))}>
            {presetLabel[p]}
          </button>
        ))}
        <button type="button" className="secondary" aria-pressed={custom} onClick={() => setCustom(true)}>
          Custom
        </button>
      </div>
      {custom ? (
        <form
          className="row custom-range"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const from = new Date(String(f.get("from")));
            const to = new Date(String(f.get("to")));
            if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return setError("Give both a start and an end.");
            if (to <= from) return setError("The end must be after the start.");
            setError(null);
            onChange({ preset: "custom", from, to });
          }}
        >
          <label>
            From <input type="datetime-local" name="from" defaultValue={local(range.preset === "custom" ? range.from : new Date(Date.now() - 86_400_000))} required />
          </label>
          <label>
            To <input type="datetime-local" name="to" defaultValue={local(range.preset === "custom" ? range.to : new Date())} required />
          </label>
          <button type="submit">Show</button>
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
