"use client";
// Every recharts chart of the app, in one place (docs/architecture.md): colours come from the theme's CSS
// variables, times are shown in the reader's time zone, numbers with lib/domain/format.
import { Area, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ReactNode } from "react";
import { formatAxisTime, formatDateTime, formatPercent, formatSli } from "@/lib/domain/format";
import { useReaderTime } from "./time";

const axis = { stroke: "var(--muted)", fontSize: 12 };
const grid = { stroke: "var(--border)", strokeDasharray: "3 3" };
const tooltipStyle = { background: "var(--surface)", border: "1px solid var(--border)", borderRadius: 8, color: "var(--text)" };

/** A shaded interval of the time axis: an exclusion (left out of the SLI) or an incident. */
export type Band = { from: number; to: number; label: string; kind: "excluded" | "incident" };

/**
 * The frame both charts share: a labelled figure, a time x-axis over the data, a y-axis with
 * the given domain and format, a tooltip, the series and references in `children` (recharts
 * elements, passed straight into the chart), and the legend under it.
 */
function TimeChart({ data, label, y, tooltip, legend, children }: { data: { t: number }[]; label: string; y: { domain: [number, number]; format: (v: number) => string; width: number }; tooltip: (v: unknown, name: unknown) => [string, string]; legend: ReactNode; children: ReactNode[] }) {
  const span = data[data.length - 1]!.t - data[0]!.t;
  const { timeZone, now } = useReaderTime();
  return (
    <figure className="chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={240}>
        <ComposedChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid {...grid} />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(t: number) => formatAxisTime(t, span, timeZone)} minTickGap={48} {...axis} />
          <YAxis domain={y.domain} tickFormatter={y.format} width={y.width} {...axis} allowDataOverflow />
          <Tooltip contentStyle={tooltipStyle} labelFormatter={(t) => formatDateTime(new Date(Number(t)).toISOString(), timeZone, now)} formatter={tooltip} />
          {children}
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="legend">{legend}</figcaption>
    </figure>
  );
}

/** Remaining budget through the window against the ideal line; 0 % drawn as a reference. */
export function BurndownChart({ points, label }: { points: { at: string; remaining: number | null; ideal: number }[]; label: string }) {
  const data = points.map((p) => ({ t: Date.parse(p.at), remaining: p.remaining, ideal: p.ideal }));
  if (data.every((d) => d.remaining === null)) return <p className="muted">No data in this window yet.</p>;
  const lo = Math.min(0, ...data.map((d) => d.remaining ?? 0));
  return (
    <TimeChart
      data={data}
      label={label}
      y={{ domain: [Math.floor(lo * 10) / 10, 1], format: (v) => formatPercent(v, 0), width: 48 }}
      tooltip={(v, name) => [v === null || v === undefined ? "no data" : formatPercent(Number(v), 2), name === "remaining" ? "Remaining" : "Ideal"]}
      legend={
        <>
          <span className="key key-accent" /> Remaining budget <span className="key key-dashed" /> Ideal (spends 100 % by the end of the window)
        </>
      }
    >
      {[
        <ReferenceLine key="zero" y={0} stroke="var(--danger)" strokeDasharray="4 4" />,
        <Area key="remaining" dataKey="remaining" name="remaining" type="monotone" stroke="var(--accent)" fill="var(--accent)" fillOpacity={0.12} strokeWidth={2} connectNulls={false} isAnimationActive={false} />,
        <Line key="ideal" dataKey="ideal" name="ideal" type="linear" stroke="var(--muted)" strokeDasharray="6 4" dot={false} strokeWidth={1.5} isAnimationActive={false} />,
      ]}
    </TimeChart>
  );
}

/** The SLI per step against the objective, exclusions and other events as shaded bands. */
export function SliChart({ points, objective, bands, label }: { points: { at: string; sli: number | null }[]; objective: number; bands: Band[]; label: string }) {
  const data = points.map((p) => ({ t: Date.parse(p.at), sli: p.sli }));
  const values = data.flatMap((d) => (d.sli === null ? [] : [d.sli]));
  if (values.length === 0) return <p className="muted">No events in this range.</p>;
  // Zoom to where the SLI and objective live: 99.9 % objectives are invisible on a 0-100 % axis.
  const lo = Math.min(objective, ...values);
  const pad = Math.max((1 - lo) * 0.15, 0.0001);
  return (
    <TimeChart
      data={data}
      label={label}
      y={{ domain: [Math.max(0, lo - pad), 1], format: (v) => formatSli(v), width: 64 }}
      tooltip={(v) => [v === null || v === undefined ? "no events" : formatSli(Number(v)), "SLI"]}
      legend={
        <>
          <span className="key key-focus" /> SLI <span className="key key-danger" /> Objective {formatSli(objective)}
          {bands.some((b) => b.kind === "excluded") ? (
            <>
              {" "}
              <span className="key key-band" /> Excluded from the SLI
            </>
          ) : null}
          {bands.some((b) => b.kind === "incident") ? (
            <>
              {" "}
              <span className="key key-incident" /> Incident
            </>
          ) : null}
        </>
      }
    >
      {[
        ...bands.map((b) => (
          <ReferenceArea key={`${b.from}-${b.label}`} x1={Math.max(b.from, data[0]!.t)} x2={Math.min(b.to, data[data.length - 1]!.t)} fill={b.kind === "incident" ? "var(--danger)" : "var(--muted)"} fillOpacity={b.kind === "incident" ? 0.12 : 0.15} label={{ value: b.label, position: "insideTop", fill: "var(--muted)", fontSize: 11 }} />
        )),
        <ReferenceLine key="objective" y={objective} stroke="var(--danger)" strokeDasharray="4 4" />,
        <Line key="sli" dataKey="sli" type="linear" stroke="var(--focus)" dot={false} strokeWidth={1.8} connectNulls={false} isAnimationActive={false} />,
      ]}
    </TimeChart>
  );
}
