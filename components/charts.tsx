"use client";
// Every recharts chart of the app, in one place (docs/architecture.md): colours come from the theme's CSS
// variables, times are shown in the reader's time zone (named under each chart), numbers with
// lib/domain/format, axes at round ticks from lib/domain/nice-ticks. Each chart is a figure with a
// name and a short text summary for screen readers.
import { Area, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useId, useState, type ReactNode } from "react";
import { formatAxisTime, formatBurnRate, formatCompactCount, formatCount, formatDateTime, formatPercent, formatScore, utcOffsetMinutes } from "@/lib/domain/format";
import { useReaderTime } from "./time";
import { niceAxis, niceTimeTicks, type NiceAxis } from "@/lib/domain/nice-ticks";

const axis = { stroke: "var(--muted)", fontSize: 12 };
const grid = { stroke: "var(--border)", strokeDasharray: "3 3" };
const tooltipStyle = { background: "var(--surface)", border: "1px solid var(--border)", borderRadius: 8, color: "var(--text)" };
const fullTime = (t: number, timeZone: string) => formatDateTime(new Date(t).toISOString(), timeZone);

/** A shaded interval of the time axis: an exclusion (left out of the SLI), an incident, or a period the alert fired. */
export type Band = { from: number; to: number; label: string; kind: "excluded" | "incident" | "firing" };

const bandFill: Record<Band["kind"], { fill: string; opacity: number }> = {
  excluded: { fill: "var(--muted)", opacity: 0.15 },
  incident: { fill: "var(--danger)", opacity: 0.12 },
  firing: { fill: "var(--firing)", opacity: 0.16 },
};


/** A deploy of the SLO's service: a vertical line labelled with its version, and an entry of the list under the chart. */
export type DeployMark = { at: number; version: string; environment: string; href: string };
/** A change of the SLO's or its SLI's definition (a new version): a solid line labelled with the version. */
export type DefinitionMark = { at: number; label: string };
/** A deploy's label needs this share of the time axis from the last labelled one, or it would print over it (the list under the chart names them all). */
const DEPLOY_LABEL_GAP = 0.07;

/** A y-axis at round ticks; the width fits its longest label, so none is cut off. */
type YAxisSpec = { axis: NiceAxis; format: (v: number) => string };
const yWidth = (y: YAxisSpec) => 14 + 7 * Math.max(...y.axis.ticks.map((t) => y.format(t).length));

/**
 * A band clipped to the domain and, when it is shorter than MIN_BAND of the span (a five-minute
 * page over a 30-day chart), widened around its middle so it still shows as a mark.
 */
const MIN_BAND = 0.004;
function visibleSpan(b: Band, domain: [number, number]): [number, number] {
  const from = Math.max(b.from, domain[0]);
  const to = Math.min(b.to, domain[1]);
  const min = (domain[1] - domain[0]) * MIN_BAND;
  if (to - from >= min) return [from, to];
  const mid = (from + to) / 2;
  return [Math.max(domain[0], mid - min / 2), Math.min(domain[1], mid + min / 2)];
}

/**
 * The frame every chart shares: a named figure with a text summary, a time x-axis over
 * `domain`, one or two y-axes at round ticks, a tooltip, the shaded bands, the series in
 * `children` (recharts elements, passed straight into the chart) and the legend under it with
 * the time zone. With `onZoom`, dragging across the chart selects a range and hands it over.
 */
function TimeChart({
  data,
  domain,
  label,
  summary,
  y,
  y2,
  bands = [],
  tooltip,
  legend,
  onZoom,
  deploys = [],
  listDeploys = false,
  definitionMarks = [],
  children,
}: {
  data: { t: number }[];
  domain: [number, number];
  label: string;
  summary: string;
  y: YAxisSpec;
  y2?: YAxisSpec;
  bands?: Band[];
  tooltip: (v: unknown, name: unknown) => [string, string];
  legend: ReactNode;
  onZoom?: (from: number, to: number) => void;
  deploys?: DeployMark[];
  /** The text list of the deploys under the chart (once per page: under the SLI chart). */
  listDeploys?: boolean;
  /** Definition changes in the range (the page lists them in words in its history section). */
  definitionMarks?: DefinitionMark[];
  children: ReactNode[];
}) {
  const summaryId = useId();
  const { timeZone: zone } = useReaderTime();
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const span = domain[1] - domain[0];
  const shown = deploys.filter((d) => d.at >= domain[0] && d.at <= domain[1]).sort((a, b) => a.at - b.at);
  const changes = definitionMarks.filter((d) => d.at >= domain[0] && d.at <= domain[1]);
  const labelled = new Set<DeployMark>();
  for (const d of shown) {
    const last = [...labelled].at(-1);
    if (!last || d.at - last.at >= DEPLOY_LABEL_GAP * span) labelled.add(d);
  }
  const at = (s: { activeLabel?: string | number }) => (s.activeLabel === undefined ? null : Number(s.activeLabel));
  const finish = () => {
    if (drag && onZoom) {
      const [from, to] = drag.a < drag.b ? [drag.a, drag.b] : [drag.b, drag.a];
      // A click (or a drag within one point) is not a zoom.
      if (to > from) onZoom(from, to);
    }
    setDrag(null);
  };
  return (
    <figure className={`chart${onZoom ? " zoomable" : ""}`} aria-label={label} aria-describedby={summaryId}>
      <p id={summaryId} className="visually-hidden">
        {summary}
      </p>
      <ResponsiveContainer width="100%" height={240}>
        <ComposedChart
          data={data}
          margin={{ top: 14, right: y2 ? 4 : 12, bottom: 0, left: 0 }}
          onMouseDown={onZoom ? (s) => { const t = at(s); if (t !== null) setDrag({ a: t, b: t }); } : undefined}
          onMouseMove={onZoom ? (s) => { const t = at(s); if (drag && t !== null) setDrag({ a: drag.a, b: t }); } : undefined}
          onMouseUp={onZoom ? finish : undefined}
          onMouseLeave={onZoom ? () => setDrag(null) : undefined}
        >
          <CartesianGrid {...grid} />
          <XAxis dataKey="t" type="number" scale="time" domain={domain} allowDataOverflow ticks={niceTimeTicks(domain[0], domain[1], 10, utcOffsetMinutes(domain[0], zone))} tickFormatter={(t: number) => formatAxisTime(t, span, zone)} minTickGap={24} {...axis} />
          <YAxis yAxisId="y" domain={y.axis.domain} ticks={y.axis.ticks} tickFormatter={y.format} width={yWidth(y)} {...axis} allowDataOverflow interval={0} />
          {y2 ? <YAxis yAxisId="y2" orientation="right" domain={y2.axis.domain} ticks={y2.axis.ticks} tickFormatter={y2.format} width={yWidth(y2)} {...axis} stroke="var(--danger)" allowDataOverflow interval={0} /> : null}
          <Tooltip contentStyle={tooltipStyle} labelStyle={{ color: "var(--muted)" }} labelFormatter={(t) => fullTime(Number(t), zone)} formatter={tooltip} />
          {bands.map((b) => {
            const [x1, x2] = visibleSpan(b, domain);
            return (
              <ReferenceArea
                key={`${b.kind}-${b.from}-${b.label}`}
                yAxisId="y"
                x1={x1}
                x2={x2}
                fill={bandFill[b.kind].fill}
                fillOpacity={bandFill[b.kind].opacity}
                ifOverflow="hidden"
                // A label only where the band is wide enough to hold it; the legend names every kind.
                label={(x2 - x1) / span >= 0.08 ? { value: b.label, position: "insideTopLeft", fill: "var(--muted)", fontSize: 11 } : undefined}
              />
            );
          })}
          {shown.map((d) => (
            <ReferenceLine
              key={`deploy-${d.at}-${d.version}-${d.environment}`}
              yAxisId="y"
              x={d.at}
              stroke="var(--muted)"
              strokeDasharray="2 3"
              ifOverflow="hidden"
              label={labelled.has(d) ? { value: d.version, position: "insideTopRight", fill: "var(--muted)", fontSize: 11 } : undefined}
            />
          ))}
          {changes.map((d) => (
            <ReferenceLine key={`definition-${d.at}-${d.label}`} yAxisId="y" x={d.at} stroke="var(--accent)" strokeWidth={1.5} ifOverflow="hidden" label={{ value: d.label, position: "insideTopLeft", fill: "var(--accent)", fontSize: 11 }} />
          ))}
          {children}
          {drag ? <ReferenceArea yAxisId="y" x1={drag.a} x2={drag.b} fill="var(--focus)" fillOpacity={0.18} stroke="var(--focus)" strokeOpacity={0.6} /> : null}
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="legend">
        {legend}
        {bands.some((b) => b.kind === "firing") ? (
          <>
            <span className="key key-firing" /> Alert firing
          </>
        ) : null}
        {bands.some((b) => b.kind === "excluded") ? (
          <>
            <span className="key key-band" /> Excluded from the SLI
          </>
        ) : null}
        {bands.some((b) => b.kind === "incident") ? (
          <>
            <span className="key key-incident" /> Incident
          </>
        ) : null}
        {shown.length ? (
          <>
            <span className="key key-deploy" /> Deploy
          </>
        ) : null}
        {changes.length ? (
          <>
            <span className="key key-accent" /> Definition changed
          </>
        ) : null}
        <span className="zone">Times in {zone}</span>
      </figcaption>
      {shown.length && listDeploys ? (
        <div className="deploy-marks small">
          <span className="muted">Deploys in this range:</span>
          <ul aria-label={`Deploys in the range of ${label}`}>
            {shown.map((d) => (
              <li key={`${d.at}-${d.version}-${d.environment}`}>
                <a href={d.href}>
                  <span className="mono">{d.version}</span> to {d.environment}, <time dateTime={new Date(d.at).toISOString()}>{fullTime(d.at, zone)}</time>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </figure>
  );
}

/** Percent ticks with as many decimals as their step needs: 96.3 %, not 96.334 %. */
const percentAxis = (min: number, max: number): YAxisSpec => {
  const a = niceAxis(min, max, 6);
  return { axis: a, format: (v) => formatPercent(v, Math.max(0, a.decimals - 2)) };
};

/** Remaining budget tops out at 100 %: the axis ends there, even where its step would round past it. */
const budgetAxis = (lo: number): YAxisSpec => {
  const y = percentAxis(lo, 1);
  if (y.axis.domain[1] <= 1) return y;
  const ticks = [...y.axis.ticks.filter((t) => t < 1), 1];
  return { ...y, axis: { ...y.axis, domain: [y.axis.domain[0], 1], ticks } };
};

/** Remaining budget through the window against the ideal line; 0 % drawn as a reference. */
export function BurndownChart({ points, label }: { points: { at: string; remaining: number | null; ideal: number }[]; label: string }) {
  const data = points.map((p) => ({ t: Date.parse(p.at), remaining: p.remaining, ideal: p.ideal }));
  const last = [...data].reverse().find((d) => d.remaining !== null);
  if (!last) return <p className="muted">No data in this window yet.</p>;
  const lo = Math.min(0, ...data.map((d) => d.remaining ?? 0));
  return (
    <TimeChart
      data={data}
      domain={[data[0]!.t, data[data.length - 1]!.t]}
      label={label}
      summary={`Remaining budget now ${formatPercent(last.remaining!, 1)}; the ideal line is at ${formatPercent(last.ideal, 1)}.`}
      y={budgetAxis(lo)}
      tooltip={(v, name) => [v === null || v === undefined ? "no data" : formatPercent(Number(v), 2), name === "remaining" ? "Remaining" : "Ideal"]}
      legend={
        <>
          <span className="key key-accent" /> Remaining budget <span className="key key-dashed" /> Ideal (spends 100 % by the end of the window)
        </>
      }
    >
      {[
        <ReferenceLine key="zero" yAxisId="y" y={0} stroke="var(--danger)" strokeDasharray="4 4" />,
        <Area key="remaining" yAxisId="y" dataKey="remaining" name="remaining" type="monotone" stroke="var(--accent)" fill="var(--accent)" fillOpacity={0.12} strokeWidth={2} connectNulls={false} isAnimationActive={false} />,
        <Line key="ideal" yAxisId="y" dataKey="ideal" name="ideal" type="linear" stroke="var(--muted)" strokeDasharray="6 4" dot={false} strokeWidth={1.5} isAnimationActive={false} />,
      ]}
    </TimeChart>
  );
}

/** The range a chart covers and how a drag on it zooms: shared by the charts of one range. */
export type RangeChart = { from: number; to: number; onZoom?: (from: number, to: number) => void };

/**
 * The SLI per step against the objective, exclusions, incidents and firing periods as shaded
 * bands. Each point carries the objective it is judged by: where the definition changed in the
 * range, the objective is drawn as a step line instead of one level.
 */
export function SliChart({ points, bands, label, range, deploys, definitionMarks }: { points: { at: string; sli: number | null; objective: number }[]; bands: Band[]; label: string; range: RangeChart; deploys?: DeployMark[]; definitionMarks?: DefinitionMark[] }) {
  const data = points.map((p) => ({ t: Date.parse(p.at), sli: p.sli, objective: p.objective }));
  const values = data.flatMap((d) => (d.sli === null ? [] : [d.sli]));
  if (values.length === 0) return <p className="muted">No events in this range.</p>;
  const objectives = [...new Set(data.map((d) => d.objective))];
  const objective = data.at(-1)!.objective;
  // Zoom to where the SLI and objective live: 99.9 % objectives are invisible on a 0-100 % axis.
  const lo = Math.min(...objectives, ...values);
  const pad = Math.max((1 - lo) * 0.15, 0.0001);
  const y = percentAxis(Math.max(0, lo - pad), 1);
  const last = [...values].reverse()[0]!;
  const below = data.filter((d) => d.sli !== null && d.sli < d.objective).length;
  const objectiveText = objectives.length === 1 ? `an objective of ${formatPercent(objective, 3)}` : `the objective in force at each step (${objectives.map((o) => formatPercent(o, 3)).join(", then ")})`;
  return (
    <TimeChart
      data={data}
      domain={[range.from, range.to]}
      label={label}
      summary={`SLI at the last step ${formatPercent(last, 3)} against ${objectiveText}; lowest ${formatPercent(Math.min(...values), 3)}; ${below} of ${values.length} steps below the objective.`}
      y={y}
      bands={bands}
      onZoom={range.onZoom}
      deploys={deploys}
      listDeploys
      definitionMarks={definitionMarks}
      tooltip={(v, name) => [v === null || v === undefined ? "no events" : formatPercent(Number(v), 3), name === "objective" ? "Objective" : "SLI"]}
      legend={
        <>
          <span className="key key-focus" /> SLI <span className="key key-danger" /> Objective {objectives.length === 1 ? formatPercent(objective, 3) : "(changed in this range)"}
        </>
      }
    >
      {[
        objectives.length === 1 ? (
          <ReferenceLine key="objective" yAxisId="y" y={objective} stroke="var(--danger)" strokeDasharray="4 4" />
        ) : (
          <Line key="objective" yAxisId="y" dataKey="objective" name="objective" type="stepAfter" stroke="var(--danger)" strokeDasharray="4 4" dot={false} strokeWidth={1.5} isAnimationActive={false} />
        ),
        <Line key="sli" yAxisId="y" dataKey="sli" name="sli" type="linear" stroke="var(--focus)" dot={false} strokeWidth={1.8} connectNulls={false} isAnimationActive={false} />,
      ]}
    </TimeChart>
  );
}

/** One drawn window of the burn-rate chart: its name ("1 h"), the rule's severity and threshold. */
export type BurnWindow = { name: string; severity: "page" | "ticket"; factor: number };
const windowColor = ["var(--series-1)", "var(--series-2)", "var(--series-3)", "var(--series-4)"];

/**
 * The burn rate of each alert rule's long window over time, each rule's threshold a dashed line
 * of the same colour: a rule fires while its line is above its threshold (and its short window
 * too, which the table above the chart shows).
 */
export function BurnRateChart({
  points,
  windows,
  bands,
  label,
  range,
  deploys,
  definitionMarks,
}: {
  points: { at: string; rates: (number | null)[] }[];
  windows: BurnWindow[];
  bands: Band[];
  label: string;
  range: RangeChart;
  deploys?: DeployMark[];
  definitionMarks?: DefinitionMark[];
}) {
  const data = points.map((p) => ({ t: Date.parse(p.at), ...Object.fromEntries(p.rates.map((r, i) => [`w${i}`, r])) }));
  const seen = points.flatMap((p) => p.rates.flatMap((r) => (r === null ? [] : [r])));
  if (seen.length === 0) return <p className="muted">No events in this range or the 3 days before it.</p>;
  const y: YAxisSpec = { axis: niceAxis(0, Math.max(...seen, ...windows.map((w) => w.factor)), 6), format: (v) => formatBurnRate(v) };
  const latest = points.at(-1)!;
  const summary = windows
    .map((w, i) => {
      const peak = Math.max(...points.flatMap((p) => (p.rates[i] === null || p.rates[i] === undefined ? [] : [p.rates[i]!])));
      return `${w.name}: now ${formatBurnRate(latest.rates[i] ?? null)}, highest ${Number.isFinite(peak) ? formatBurnRate(peak) : "—"}, ${w.severity} threshold ${formatBurnRate(w.factor)}`;
    })
    .join("; ");
  const firing = bands.filter((b) => b.kind === "firing").length;
  // Thresholds close together would print their labels over each other: label the highest of
  // each cluster (the legend names them all).
  const axisSpan = y.axis.domain[1] - y.axis.domain[0];
  const labelled = new Set<number>();
  let lastLabelled = Number.POSITIVE_INFINITY;
  for (const i of windows.map((_, i) => i).sort((a, b) => windows[b]!.factor - windows[a]!.factor)) {
    if (lastLabelled - windows[i]!.factor >= 0.07 * axisSpan) {
      labelled.add(i);
      lastLabelled = windows[i]!.factor;
    }
  }
  return (
    <TimeChart
      data={data}
      domain={[range.from, range.to]}
      label={label}
      summary={`Burn rate per window. ${summary}.${firing ? ` The alert fired in ${firing} ${firing === 1 ? "period" : "periods"} of this range.` : " The alert did not fire in this range."}`}
      y={y}
      bands={bands}
      onZoom={range.onZoom}
      deploys={deploys}
      definitionMarks={definitionMarks}
      tooltip={(v, name) => [v === null || v === undefined ? "no data" : formatBurnRate(Number(v)), windows[Number(String(name).slice(1))]?.name ?? String(name)]}
      legend={windows.map((w, i) => (
        <span key={w.name} className="legend-item">
          <span className="key" style={{ background: windowColor[i] }} /> {w.name}, <span className="key key-threshold" style={{ borderTopColor: windowColor[i] }} /> {w.severity} above {formatBurnRate(w.factor)}
        </span>
      ))}
    >
      {[
        ...windows.map((w, i) => (
          <ReferenceLine
            key={`threshold-${w.name}`}
            yAxisId="y"
            y={w.factor}
            stroke={windowColor[i]}
            strokeDasharray="5 4"
            strokeOpacity={0.9}
            label={labelled.has(i) ? { value: `${w.name} ${w.severity} ${formatBurnRate(w.factor)}`, position: "insideBottomLeft", fill: windowColor[i], fontSize: 11 } : undefined}
          />
        )),
        ...windows.map((w, i) => <Line key={`rate-${w.name}`} yAxisId="y" dataKey={`w${i}`} name={`w${i}`} type="linear" stroke={windowColor[i]} dot={false} strokeWidth={i === 0 ? 2 : 1.6} connectNulls={false} isAnimationActive={false} />),
      ]}
    </TimeChart>
  );
}

/** Good events per step (a filled area, left axis) and bad events (a red line, right axis): both scales start at 0. */
export function EventsChart({ points, bands, label, range, deploys }: { points: { at: string; good: number; bad: number; total: number }[]; bands: Band[]; label: string; range: RangeChart; deploys?: DeployMark[] }) {
  const { timeZone } = useReaderTime();
  const data = points.map((p) => ({ t: Date.parse(p.at), good: p.total === 0 ? null : p.good, bad: p.total === 0 ? null : p.bad }));
  const good = points.reduce((a, p) => a + p.good, 0);
  const bad = points.reduce((a, p) => a + p.bad, 0);
  if (good + bad === 0) return <p className="muted">No events in this range.</p>;
  // Counts are whole: an axis up to at least 4 keeps its ticks on integers.
  const count = (min: number, max: number): YAxisSpec => ({ axis: niceAxis(min, Math.max(max, 4), 5), format: formatCompactCount });
  const worst = points.reduce((w, p) => (p.bad > w.bad ? p : w), points[0]!);
  return (
    <TimeChart
      data={data}
      domain={[range.from, range.to]}
      label={label}
      summary={`${formatCount(good)} good and ${formatCount(bad)} bad events in this range${bad > 0 ? `; most bad events, ${formatCount(worst.bad)}, in the step from ${fullTime(Date.parse(worst.at), timeZone)}` : ""}.`}
      y={count(0, Math.max(...points.map((p) => p.good)))}
      y2={count(0, Math.max(...points.map((p) => p.bad)))}
      bands={bands}
      onZoom={range.onZoom}
      deploys={deploys}
      tooltip={(v, name) => [v === null || v === undefined ? "no events" : formatCount(Number(v)), name === "good" ? "Good events" : "Bad events"]}
      legend={
        <>
          <span className="key key-ok" /> Good events (left axis) <span className="key key-danger-solid" /> Bad events (right axis, red)
        </>
      }
    >
      {[
        <Area key="good" yAxisId="y" dataKey="good" name="good" type="linear" stroke="var(--ok)" fill="var(--ok)" fillOpacity={0.15} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />,
        // A line, not a filled area: on its own scale a filled area would read as a share of the good events.
        <Line key="bad" yAxisId="y2" dataKey="bad" name="bad" type="stepAfter" stroke="var(--danger)" dot={false} strokeWidth={1.6} connectNulls={false} isAnimationActive={false} />,
      ]}
    </TimeChart>
  );
}

/** One judged interval of a canary analysis: when it ended, its summary score and outcome. */
export type ScorePoint = { index: number; to: string; score: number | null; outcome: "pass" | "marginal" | "fail" | "nodata" };
const outcomeWord: Record<ScorePoint["outcome"], string> = { pass: "pass", marginal: "marginal", fail: "fail", nodata: "no data" };

/**
 * A canary analysis's summary score after each interval (0-100) against the pass and marginal
 * thresholds (docs/canary-judge.md): an interval at or below marginal ends the analysis. Screen
 * readers get the values as a table after the figure, since a line of a few points says little.
 */
export function ScoreChart({ points, thresholds, from, to, label }: { points: ScorePoint[]; thresholds: { pass: number; marginal: number }; from: string; to: string; label: string }) {
  const { timeZone } = useReaderTime();
  if (points.length === 0) return <p className="muted">No interval has been judged yet.</p>;
  const data = points.map((p) => ({ t: Date.parse(p.to), score: p.score }));
  // The whole planned span, so an analysis that ended early shows where it stopped; a little
  // room after the end keeps the last dot whole.
  const start = Math.min(Date.parse(from), data[0]!.t);
  const end = Math.max(Date.parse(to), data.at(-1)!.t);
  const last = points.at(-1)!;
  const y: YAxisSpec = { axis: niceAxis(0, 100, 6), format: formatScore };
  return (
    <div>
      <TimeChart
        data={data}
        domain={[start, end + (end - start) * 0.02]}
        label={label}
        summary={`Score after interval ${last.index + 1}: ${formatScore(last.score)} (${outcomeWord[last.outcome]}); it passes at ${formatScore(thresholds.pass)} or more and fails at ${formatScore(thresholds.marginal)} or less. Each interval's score is in the table after the chart.`}
        y={y}
        tooltip={(v) => [v === null || v === undefined ? "no data" : formatScore(Number(v)), "Score"]}
        legend={
          <>
            <span className="key key-focus" /> Score <span className="key key-threshold" style={{ borderTopColor: "var(--ok)" }} /> Pass at {formatScore(thresholds.pass)}{" "}
            <span className="key key-threshold" style={{ borderTopColor: "var(--caution)" }} /> Marginal at {formatScore(thresholds.marginal)} (at or below fails the interval)
          </>
        }
      >
        {[
          <ReferenceLine key="pass" yAxisId="y" y={thresholds.pass} stroke="var(--ok)" strokeDasharray="5 4" label={{ value: `pass ${formatScore(thresholds.pass)}`, position: "insideBottomLeft", fill: "var(--ok)", fontSize: 11 }} />,
          <ReferenceLine key="marginal" yAxisId="y" y={thresholds.marginal} stroke="var(--caution)" strokeDasharray="5 4" label={{ value: `marginal ${formatScore(thresholds.marginal)}`, position: "insideBottomLeft", fill: "var(--caution)", fontSize: 11 }} />,
          <Line key="score" yAxisId="y" dataKey="score" name="score" type="linear" stroke="var(--focus)" strokeWidth={2} dot={{ r: 4, fill: "var(--focus)" }} connectNulls={false} isAnimationActive={false} />,
        ]}
      </TimeChart>
      {/* Hidden by its wrapper: a table keeps its content's width, so it cannot be 1 px itself. */}
      <div className="visually-hidden">
        <table>
          <caption>{label}: each interval&apos;s score</caption>
          <thead>
            <tr>
              <th scope="col">Interval</th>
              <th scope="col">Ended</th>
              <th scope="col">Score</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.index}>
                <th scope="row">{p.index + 1}</th>
                <td>{fullTime(Date.parse(p.to), timeZone)}</td>
                <td>{formatScore(p.score)}</td>
                <td>{outcomeWord[p.outcome]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
