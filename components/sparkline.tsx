import { formatPercent } from "@/lib/domain/format";

/**
 * Remaining budget over the window as a tiny line, drawn as plain SVG: the overview shows
 * hundreds of them, and a charting library's per-chart cost would dominate the page. The text
 * alternative says where the line starts and ends.
 */
export function Sparkline({ points, width = 96, height = 28 }: { points: (number | null)[]; width?: number; height?: number }) {
  const values = points.filter((p): p is number => p !== null);
  if (values.length < 2) return <span className="muted">—</span>;
  const lo = Math.min(0, ...values);
  const hi = Math.max(1, ...values);
  const x = (i: number) => (i / (points.length - 1)) * (width - 2) + 1;
  const y = (v: number) => height - 1 - ((v - lo) / (hi - lo)) * (height - 2);
  let d = "";
  points.forEach((p, i) => {
    if (p === null) return;
    d += `${d && points[i - 1] !== null ? "L" : "M"}${x(i).toFixed(1)},${y(p).toFixed(1)}`;
  });
  const last = values[values.length - 1]!;
  const label = `Remaining budget over the window, from ${formatPercent(values[0]!, 1)} to ${formatPercent(last, 1)}`;
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <title>{label}</title>
      {lo < 0 ? <line x1={0} x2={width} y1={y(0)} y2={y(0)} className="sparkline-zero" /> : null}
      <path d={d} className={last <= 0 ? "sparkline-line danger" : last < 0.1 ? "sparkline-line danger" : last <= 0.5 ? "sparkline-line caution" : "sparkline-line"} />
    </svg>
  );
}
