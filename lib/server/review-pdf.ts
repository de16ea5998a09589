// An error-budget review as a PDF (docs/reviews.md "Exports"), drawn with pdfkit from the same
// view as the page and the Markdown: a title, the summary, then each table. The standard PDF
// fonts only (no font files to ship): text outside their Windows-1252 set is replaced.
import PDFDocument from "pdfkit";
import { formatDuration, formatDateTime, formatObjective, formatPercent } from "../domain/format";
import type { ReviewView } from "../schemas/reviews";
import { formatPoints, reviewTitle } from "./review-report";

const MARGIN = 40;
const pct = (x: number | null, digits = 2) => (x === null ? "no data" : formatPercent(x, digits));

/** Characters the standard fonts can draw (Windows-1252); the minus sign becomes a hyphen. */
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
export const pdfText = (s: string) =>
  [...s.replace(/\u2212/g, "-")].map((ch) => (ch.charCodeAt(0) < 0x100 || WIN_ANSI_EXTRA.has(ch) ? ch : "?")).join("");

type Doc = InstanceType<typeof PDFDocument>;

function heading(doc: Doc, text: string) {
  if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
  doc.moveDown(0.8).font("Helvetica-Bold").fontSize(12).fillColor("#111").text(pdfText(text), MARGIN, doc.y);
  doc.moveDown(0.3);
}

/** A table: columns share the width by `weights`; rows grow to their tallest cell and break across pages. */
function table(doc: Doc, head: string[], rows: (string | number)[][], weights: number[]) {
  const width = doc.page.width - 2 * MARGIN;
  const total = weights.reduce((s, w) => s + w, 0);
  const widths = weights.map((w) => (w / total) * width);
  const pad = 3;
  const draw = (cells: (string | number)[], bold: boolean, shade: boolean) => {
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(8);
    const texts = cells.map((c) => pdfText(String(c)));
    const h = Math.max(...texts.map((t, k) => doc.heightOfString(t, { width: widths[k]! - 2 * pad }))) + 2 * pad;
    if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
    const y = doc.y;
    if (shade) doc.rect(MARGIN, y, width, h).fill("#eef1f5");
    let x = MARGIN;
    doc.fillColor("#111");
    texts.forEach((t, k) => {
      doc.text(t, x + pad, y + pad, { width: widths[k]! - 2 * pad });
      x += widths[k]!;
    });
    doc.moveTo(MARGIN, y + h).lineTo(MARGIN + width, y + h).lineWidth(0.5).strokeColor("#ccd").stroke();
    doc.x = MARGIN;
    doc.y = y + h;
  };
  if (rows.length === 0) {
    doc.font("Helvetica-Oblique").fontSize(9).fillColor("#555").text("None.", MARGIN, doc.y);
    return;
  }
  draw(head, true, true);
  for (const r of rows) draw(r, false, false);
}

/**
 * An SLO's burndown through the period as a small line chart: remaining budget (solid), the ideal
 * line (dashed) and 0 % (red), on a scale from the lowest point (or 0) to 100 %.
 */
function burndown(doc: Doc, title: string, points: ReviewView["slos"][number]["burndown"], periodFrom: string, periodTo: string) {
  const data = points.filter((p) => p.remaining !== null);
  if (data.length === 0) return;
  const h = 70;
  if (doc.y + h + 24 > doc.page.height - MARGIN) doc.addPage();
  doc.font("Helvetica").fontSize(8).fillColor("#333").text(pdfText(title), MARGIN, doc.y);
  const top = doc.y + 2;
  const width = doc.page.width - 2 * MARGIN;
  const [t0, t1] = [Date.parse(periodFrom), Date.parse(periodTo)];
  const lo = Math.min(0, ...data.map((p) => p.remaining!));
  const x = (at: string) => MARGIN + ((Date.parse(at) - t0) / (t1 - t0)) * width;
  const y = (v: number) => top + h - ((v - lo) / (1 - lo)) * h;
  doc.rect(MARGIN, top, width, h).lineWidth(0.5).strokeColor("#ccd").stroke();
  doc.moveTo(MARGIN, y(0)).lineTo(MARGIN + width, y(0)).lineWidth(0.5).strokeColor("#c0392b").stroke();
  doc.moveTo(x(points[0]!.at), y(points[0]!.ideal));
  for (const p of points.slice(1)) doc.lineTo(x(p.at), y(p.ideal));
  doc.lineWidth(0.8).dash(3, { space: 2 }).strokeColor("#888").stroke().undash();
  doc.moveTo(x(data[0]!.at), y(data[0]!.remaining!));
  for (const p of data.slice(1)) doc.lineTo(x(p.at), y(p.remaining!));
  doc.lineWidth(1.2).strokeColor("#2563eb").stroke();
  doc.fontSize(7).fillColor("#555").text("100%", MARGIN + 2, top + 2).text(`${pct(data.at(-1)!.remaining, 1)} left`, MARGIN + width - 80, top + 2, { width: 76, align: "right" });
  doc.x = MARGIN;
  doc.y = top + h + 6;
}

/** The review as PDF bytes. */
export function reviewPdf(r: ReviewView, link: string): Promise<Buffer> {
  const tz = r.team.timeZone;
  const when = (iso: string | null) => (iso ? formatDateTime(iso, tz) : "-");
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, info: { Title: pdfText(reviewTitle(r)), Creator: "Burnrate" } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc.font("Helvetica-Bold").fontSize(16).fillColor("#111").text(pdfText(reviewTitle(r)));
  doc.moveDown(0.3).font("Helvetica").fontSize(9).fillColor("#333");
  doc.text(pdfText(`${r.period.label}: from ${when(r.period.from)} up to ${when(r.period.to)} (time zone ${tz}), compared with ${r.previous.label}. Computed ${when(r.at)}.`));
  doc.text(pdfText(`Status: ${r.record.status}${r.record.heldAt ? `, held ${when(r.record.heldAt)}${r.record.heldBy ? ` by ${r.record.heldBy}` : ""}` : ""}.  ${link}`));
  doc.moveDown(0.5).font("Helvetica-Bold").fontSize(10);
  doc.text(pdfText(`SLOs met ${r.slosMet}, missed ${r.slosMissed} · incidents ${r.incidentCount.current} (previous ${r.incidentCount.previous}) · deploy decisions ${r.decisions.total}: ${r.decisions.allow} allow, ${r.decisions.warn} warn, ${r.decisions.deny} deny · overrides ${r.overrideCount.current}`));

  heading(doc, "SLOs");
  table(
    doc,
    ["Service", "SLO", "Objective", "SLI", "Result", "Budget spent", "Previous", "Change"],
    r.slos.map((s) => [s.service.name, s.slo.name, s.objective ? formatObjective(s.objective) : "-", s.error ?? pct(s.sli, 3), s.met === null ? "no data" : s.met ? "met" : "MISSED", pct(s.budgetSpent, 1), pct(s.previous.budgetSpent, 1), formatPoints(s.budgetSpentDelta, 1)]),
    [3, 3, 2, 2, 1.6, 2, 2, 2],
  );
  for (const s of r.slos) burndown(doc, `${s.service.name} / ${s.slo.name}: remaining budget through ${r.period.label} (dashed: spending evenly)`, s.burndown, r.period.from, r.period.to);
  heading(doc, "Incidents, most budget first");
  table(
    doc,
    ["Incident", "Severity", "Started", "Budget spent", "Per SLO"],
    r.incidents.map((i) => [i.title, i.severity, when(i.startedAt), pct(i.budgetSpent, 1), i.impact.map((x) => `${x.service}/${x.slo}: ${pct(x.budgetSpent, 1)}`).join("; ") || "-"]),
    [4, 1.4, 3, 2, 4],
  );
  heading(doc, "Deploy decisions");
  table(doc, ["Outcome", r.period.label, r.previous.label], (["allow", "warn", "deny", "total"] as const).map((k) => [k, r.decisions[k], r.decisions.previous[k]]), [2, 2, 2]);
  heading(doc, "Overrides granted");
  table(
    doc,
    ["Service", "Environment", "Reason", "Approved by", "Granted", "Held for"],
    r.overrides.map((o) => [o.service, o.environment ?? "all", o.reason, o.approvedBy, when(o.createdAt), formatDuration(o.durationMinutes)]),
    [2, 2, 4, 2, 3, 1.5],
  );
  heading(doc, "Freezes");
  table(doc, ["Service", "Reason", "From", "To"], r.freezes.map((f) => [f.service ?? "all services", f.reason, when(f.startsAt), when(f.endsAt)]), [2, 4, 3, 3]);
  heading(doc, "Policy changes");
  table(doc, ["Scope", "Version", "When", "By"], r.policyChanges.map((p) => [p.scope, p.version, when(p.at), p.by ?? "-"]), [2, 1, 3, 3]);
  heading(doc, "Action items");
  const a = r.actionItems;
  const p0 = (x: typeof a.previous) => (x.oldestOpenP0 ? `${x.oldestOpenP0.title} (${Math.floor(x.oldestOpenP0.ageDays)} days)` : "none");
  table(
    doc,
    ["Figure", r.period.label, r.previous.label],
    [["Opened", a.opened, a.previous.opened], ["Done", a.done, a.previous.done], ["Open at the end", a.openAtEnd, a.previous.openAtEnd], ["Overdue at the end", a.overdue, a.previous.overdue], ["Recurrences", a.recurrences, a.previous.recurrences], ["Oldest open P0", p0(a), p0(a.previous)]],
    [2, 3, 3],
  );
  heading(doc, "MTTD and MTTR by severity (MTTR to resolution)");
  table(
    doc,
    ["Severity", "Incidents", "MTTD", "To mitigate", "MTTR", "Previous MTTR"],
    r.times.map((t) => [t.severity, t.incidents, formatDuration(t.mttdMinutes), formatDuration(t.mttmMinutes), formatDuration(t.mttrMinutes), formatDuration(t.previous.mttrMinutes)]),
    [1.5, 1.5, 2, 2, 2, 2],
  );
  heading(doc, "Decisions recorded");
  doc.font("Helvetica").fontSize(9).fillColor("#111");
  if (r.record.decisions.length) for (const d of r.record.decisions) doc.text(pdfText(`• ${d}`), MARGIN, doc.y);
  else doc.text("None.", MARGIN, doc.y);
  heading(doc, "Notes");
  // The notes as written (Markdown source): a PDF reader shows them as text.
  doc.font("Helvetica").fontSize(9).fillColor("#111").text(pdfText(r.record.notes.trim() || "None."), MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN });
  doc.end();
  return done;
}
