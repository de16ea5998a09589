// An error-budget review as Markdown and as CSV tables (docs/reviews.md "Exports"). Only
// formatting: every figure was computed once (lib/domain/review.ts) and is printed as it is,
// with the formatters every page uses (lib/domain/format.ts).
import { formatDuration, formatDateTime, formatObjective, formatPercent } from "../domain/format";
import type { ReviewView } from "../schemas/reviews";

type Tz = string;
const pct = (x: number | null, digits = 2) => (x === null ? "no data" : formatPercent(x, digits));
/** A difference of two fractions in percentage points, signed: "+1.5 pp". */
export const formatPoints = (x: number | null, digits = 2) => {
  if (x === null) return "—";
  const p = Number((x * 100).toFixed(digits));
  return `${p > 0 ? "+" : ""}${p === 0 ? "0" : p} pp`;
};
const signedMinutes = (x: number | null) => (x === null ? "—" : `${x > 0 ? "+" : x < 0 ? "−" : ""}${formatDuration(Math.abs(x))}`);
const met = (m: boolean | null) => (m === null ? "no data" : m ? "met" : "missed");
const when = (iso: string | null, tz: Tz) => (iso ? formatDateTime(iso, tz) : "—");
const envOf = (e: string | null) => e ?? "all environments";

/** A Markdown table cell: pipes and line breaks would end the cell. */
const cell = (s: string | number) => String(s).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const table = (head: string[], rows: (string | number)[][]) =>
  rows.length === 0 ? "_None._\n" : [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n") + "\n";

export function reviewTitle(r: ReviewView): string {
  return `Error-budget review: ${r.service ? `${r.service.name} (${r.team.name})` : r.team.name}, ${r.period.label}`;
}

export function reviewFilename(r: ReviewView, ext: string, table?: string): string {
  const who = r.service ? `${r.team.slug}-${r.service.slug}` : r.team.slug;
  return `review-${who}-${r.period.key}${table ? `-${table}` : ""}.${ext}`;
}

export function reviewMarkdown(r: ReviewView, link: string): string {
  const tz = r.team.timeZone;
  const a = r.actionItems;
  const out = [
    `# ${reviewTitle(r)}`,
    "",
    `Period: ${r.period.label}, from ${when(r.period.from, tz)} up to ${when(r.period.to, tz)} (time zone ${tz}), compared with ${r.previous.label}. Computed ${when(r.at, tz)}. [Open in Burnrate](${link})`,
    "",
    `Status: **${r.record.status}**${r.record.heldAt ? ` (held ${when(r.record.heldAt, tz)}${r.record.heldBy ? ` by ${r.record.heldBy}` : ""})` : ""}`,
    "",
    `SLOs met: ${r.slosMet}, missed: ${r.slosMissed}, no data: ${r.slos.length - r.slosMet - r.slosMissed}. Incidents: ${r.incidentCount.current} (previous ${r.incidentCount.previous}). Deploy decisions: ${r.decisions.total} (previous ${r.decisions.previous.total}).`,
    "",
    "## SLOs",
    "",
    table(
      ["Service", "SLO", "Objective", "SLI", "Result", "Budget spent", "Previous SLI", "Previous budget spent", "Change in budget spent"],
      r.slos.map((s) => [s.service.name, s.slo.name, s.objective ? formatObjective(s.objective) : "—", s.error ? s.error : pct(s.sli, 3), met(s.met), pct(s.budgetSpent, 1), pct(s.previous.sli, 3), pct(s.previous.budgetSpent, 1), formatPoints(s.budgetSpentDelta, 1)]),
    ),
    "## Incidents",
    "",
    table(
      ["Incident", "Severity", "Started", "Budget spent (largest, one SLO)", "Per SLO"],
      r.incidents.map((i) => [i.title, i.severity, when(i.startedAt, tz), pct(i.budgetSpent, 1), i.impact.map((x) => `${x.service}/${x.slo}: ${pct(x.budgetSpent, 1)}`).join("; ") || "—"]),
    ),
    "## Deploy decisions",
    "",
    table(["Outcome", r.period.label, r.previous.label], (["allow", "warn", "deny", "total"] as const).map((k) => [k, r.decisions[k], r.decisions.previous[k]])),
    "## Overrides granted",
    "",
    table(
      ["Service", "Environment", "Reason", "Approved by", "Granted by", "Granted", "Held for"],
      r.overrides.map((o) => [o.service, envOf(o.environment), o.reason, o.approvedBy, o.grantedBy ?? "—", when(o.createdAt, tz), formatDuration(o.durationMinutes)]),
    ),
    "## Freezes",
    "",
    table(["Service", "Environment", "Reason", "From", "To", "Cancelled"], r.freezes.map((f) => [f.service ?? "all services", envOf(f.environment), f.reason, when(f.startsAt, tz), when(f.endsAt, tz), when(f.cancelledAt, tz)])),
    "## Policy changes",
    "",
    table(["Scope", "Version", "When", "By", "Change"], r.policyChanges.map((p) => [p.scope, p.version, when(p.at, tz), p.by ?? "—", p.reset ? "back to the team's policy" : "new version"])),
    "## Action items",
    "",
    table(
      ["Figure", r.period.label, r.previous.label],
      [
        ["Opened", a.opened, a.previous.opened],
        ["Done", a.done, a.previous.done],
        ["Open at the end", a.openAtEnd, a.previous.openAtEnd],
        ["Overdue at the end", a.overdue, a.previous.overdue],
        ["Recurrences (burned again while open)", a.recurrences, a.previous.recurrences],
        ["Oldest open P0", a.oldestOpenP0 ? `${a.oldestOpenP0.title} (${Math.floor(a.oldestOpenP0.ageDays)} days)` : "none", a.previous.oldestOpenP0 ? `${a.previous.oldestOpenP0.title} (${Math.floor(a.previous.oldestOpenP0.ageDays)} days)` : "none"],
      ],
    ),
    "## Time to detect and resolve, by severity",
    "",
    "MTTD: detected − started. MTTR: resolved − started (not mitigation; the time to mitigate is shown apart). Means over the incidents that started in the period.",
    "",
    table(
      ["Severity", "Incidents", "MTTD", "Time to mitigate", "MTTR", "Previous MTTD", "Previous MTTR", "Change in MTTR"],
      r.times.map((t) => [t.severity, t.incidents, formatDuration(t.mttdMinutes), formatDuration(t.mttmMinutes), formatDuration(t.mttrMinutes), formatDuration(t.previous.mttdMinutes), formatDuration(t.previous.mttrMinutes), signedMinutes(t.mttrDelta)]),
    ),
    "## Decisions recorded",
    "",
    r.record.decisions.length ? r.record.decisions.map((d) => `- ${d.replace(/\r?\n/g, " ")}`).join("\n") + "\n" : "_None._\n",
    "## Notes",
    "",
    r.record.notes.trim() ? r.record.notes.trim() + "\n" : "_None._\n",
  ];
  return out.join("\n");
}

/**
 * One RFC 4180 field. Text that a spreadsheet would run as a formula (= + - @ first) gets a
 * leading apostrophe (OWASP "CSV injection"); numbers are written as numbers.
 */
function csvField(v: string | number | boolean | null): string {
  if (v === null) return "";
  if (typeof v !== "string") return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
const csv = (head: string[], rows: (string | number | boolean | null)[][]) => [head, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";

/** One of the review's tables as CSV: fractions as fractions (0.5 is 50 %), instants in ISO 8601. */
export function reviewCsv(r: ReviewView, which: "slos" | "incidents" | "decisions" | "action-items"): string {
  if (which === "slos")
    return csv(
      ["service", "slo", "objective", "good_events", "valid_events", "sli", "met", "budget_spent", "previous_sli", "previous_met", "previous_budget_spent", "budget_spent_change"],
      r.slos.map((s) => [s.service.slug, s.slo.slug, s.objective, s.goodEvents, s.totalEvents, s.sli, s.met, s.budgetSpent, s.previous.sli, s.previous.met, s.previous.budgetSpent, s.budgetSpentDelta]),
    );
  if (which === "incidents")
    return csv(
      ["id", "title", "severity", "started_at", "detected_at", "mitigated_at", "resolved_at", "budget_spent", "impact"],
      r.incidents.map((i) => [i.id, i.title, i.severity, i.startedAt, i.detectedAt, i.mitigatedAt, i.resolvedAt, i.budgetSpent, i.impact.map((x) => `${x.service}/${x.slo}=${x.budgetSpent ?? ""}`).join(" ")]),
    );
  if (which === "decisions")
    return csv(["period", "allow", "warn", "deny", "total"], [
      [r.period.key, r.decisions.allow, r.decisions.warn, r.decisions.deny, r.decisions.total],
      [r.previous.key, r.decisions.previous.allow, r.decisions.previous.warn, r.decisions.previous.deny, r.decisions.previous.total],
    ]);
  const a = r.actionItems;
  const row = (key: string, x: typeof a.previous) => [key, x.opened, x.done, x.openAtEnd, x.overdue, x.recurrences, x.oldestOpenP0?.title ?? null, x.oldestOpenP0 ? Number(x.oldestOpenP0.ageDays.toFixed(2)) : null];
  return csv(["period", "opened", "done", "open_at_end", "overdue_at_end", "recurrences", "oldest_open_p0", "oldest_open_p0_age_days"], [row(r.period.key, a), row(r.previous.key, a.previous)]);
}
