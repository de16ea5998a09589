// What a set of OpenSLO files became, in short lines a person can check against the file: used by
// the table of real files in ./openslo.unit.test.ts (and to list outcomes in reviews).
import type { ParseResult, SliDef } from "../../domain/definitions";

function source(x: SliDef): string {
  const s = x.source;
  if (s.kind === "push") return "pushed";
  if (s.kind === "composite") return `composite of ${s.members.map((m) => `${m.service}/${m.slo} ×${m.weight}`).join(", ")}; wait ${s.maxDelayMinutes}m, then ${s.whenDelayed}`;
  const from = s.dataSource ? `data source ${s.dataSource}` : s.url ? `url ${s.url}` : "the team's default data source";
  if (s.threshold) return `pulled from ${from}: ${s.threshold.query} ${s.threshold.op} ${s.threshold.value}`;
  return `pulled from ${from}: ${s.goodQuery !== null ? `good ${s.goodQuery}` : `bad ${s.badQuery}`}; total ${s.totalQuery}`;
}

export function outcomeLines(r: ParseResult): string[] {
  if (r.problems.length) return r.problems.map((p) => `refused: ${p.document} | ${p.field} | ${p.message}`);
  const lines: string[] = [];
  for (const d of r.set.dataSources) lines.push(`data source ${d.name} (${d.type}) ${d.url}`);
  for (const s of r.set.services) {
    lines.push(`service ${s.slug} "${s.name}"${Object.keys(s.labels).length ? ` labels ${JSON.stringify(s.labels)}` : ""}`);
    for (const x of s.slis) {
      const slices = x.kind === "time_slice" ? ` ${x.sliceMinutes}m slices ${x.sliceMethod === "mean_ratio" ? "mean ratio" : `>= ${x.sliceTarget}`}` : "";
      lines.push(`  SLI ${x.slug} ${x.kind}${slices}, ${source(x)}`);
    }
    for (const o of s.slos) {
      const w = o.window.kind === "rolling" ? `rolling ${o.window.days}d` : `calendar ${o.window.unit} ${o.window.timeZone}${o.calendarStart ? ` from ${o.calendarStart}` : ""}`;
      const a = o.alerting.policies.length ? `, alerts page ${o.alerting.page.enabled ? "on" : "off"} ticket ${o.alerting.ticket.enabled ? "on" : "off"} to ${o.alerting.channels.join(", ")}` : "";
      lines.push(`  SLO ${o.slug} "${o.name}" on ${o.sli}: ${o.objective} ${w}${a}`);
    }
  }
  for (const w of r.warnings) lines.push(`warning: ${w.document}: ${w.message}`);
  return lines;
}
