// The review's files (docs/reviews.md "Exports"): Markdown, CSV tables, and a PDF that is read back
// with poppler (pdftotext, and pdftoppm to an image; `bash lib/cli/prepare.sh --pdf` installs it).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { upsertBuckets } from "../sli-data";
import { makeTeam } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { createIncident } from "./incidents";
import { reviewCsvFile, reviewMarkdownFile, reviewPdfFile } from "./review-exports";
import { saveReview } from "./reviews";

const now = new Date("2026-12-04T12:00:00Z");

async function world() {
  const t = await makeTeam(["editor", "viewer"]);
  const e = t.members.editor;
  await createService(e, t.team.slug, { slug: "api", name: "API", description: "" });
  const sli = await createSli(e, t.team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  await createSlo(e, t.team.slug, "api", { slug: "main", name: "Main", description: "", sli: "ok", objective: "0.999", window: { kind: "rolling", days: 28 }, minEvents: 0 });
  // 20 bad of 10,000 in November: SLI 99.8 %, 200 % of the budget.
  await upsertBuckets([{ sliId: sli.id, minute: new Date("2026-11-10T00:00:00Z"), good: 9980, total: 10_000 }]);
  await createIncident(e, t.team.slug, {
    title: '=HYPERLINK("x") outage, with "quotes"', severity: "SEV1", status: "resolved", summary: "", slos: ["api/main"], roles: {},
    startedAt: new Date("2026-11-10T00:00:00Z"), detectedAt: new Date("2026-11-10T00:03:00Z"), mitigatedAt: null, resolvedAt: new Date("2026-11-10T00:01:00Z"),
  });
  await saveReview(e, t.team.slug, { period: "2026-11", status: "held", notes: "Budget **overspent**; freeze kept − see the log.", decisions: ["Ship the retry fix first"], baseRevision: 0 }, now);
  return t;
}

describe("review exports", () => {
  it("Markdown: the title, the SLO table with its figures, the minutes", async () => {
    const t = await world();
    const f = await reviewMarkdownFile(t.members.viewer, t.team.slug, { period: "2026-11" }, now);
    expect(f.filename).toBe(`review-${t.team.slug}-2026-11.md`);
    const md = f.body as string;
    expect(md).toContain(`# Error-budget review: ${t.team.name}, November 2026`);
    expect(md).toContain("| API | Main | 99.9% | 99.8% | missed | 200% |");
    expect(md).toContain("Status: **held**");
    expect(md).toContain("- Ship the retry fix first");
    expect(md).toContain("Budget **overspent**");
    expect(md).toMatch(/\| allow \| 0 \| 0 \|/);
  });

  it("CSV: one table per file, text quoted, formulas defused", async () => {
    const t = await world();
    const slos = (await reviewCsvFile(t.members.viewer, t.team.slug, { period: "2026-11", table: "slos" }, now)).body as string;
    expect(slos.split("\r\n")[0]).toBe("service,slo,objective,good_events,valid_events,sli,met,budget_spent,previous_sli,previous_met,previous_budget_spent,budget_spent_change");
    expect(slos.split("\r\n")[1]).toBe("api,main,0.999,9980,10000,0.998,false,2,,,,");
    const incidents = (await reviewCsvFile(t.members.viewer, t.team.slug, { period: "2026-11", table: "incidents" }, now)).body as string;
    expect(incidents.split("\r\n")[1]).toContain(`"'=HYPERLINK(""x"") outage, with ""quotes"""`);
    const decisions = (await reviewCsvFile(t.members.viewer, t.team.slug, { period: "2026-11", table: "decisions" }, now)).body as string;
    expect(decisions).toBe("period,allow,warn,deny,total\r\n2026-11,0,0,0,0\r\n2026-10,0,0,0,0\r\n");
  });

  it("PDF: a real PDF whose text reads back, rendered to an image to look at", async () => {
    const t = await world();
    const f = await reviewPdfFile(t.members.viewer, t.team.slug, { period: "2026-11" }, now);
    const pdf = f.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const dir = mkdtempSync(path.join(tmpdir(), "review-pdf-"));
    const file = path.join(dir, "review.pdf");
    writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString();
    expect(text).toContain("November 2026");
    expect(text).toMatch(/API\s+Main\s+99\.9%\s+99\.8%\s+MISSED\s+200%/);
    expect(text).toContain("Ship the retry fix first");
    expect(text).toContain("freeze kept - see the log"); // the minus sign, which the standard fonts lack, as a hyphen
    execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", file, path.join(dir, "page")]);
    const png = readFileSync(path.join(dir, "page-1.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    // Keep the last image where a person can open it (docs/reviews.md: the PDF was looked at).
    writeFileSync(path.join(tmpdir(), "burnrate-review-page-1.png"), png);
  });
});

describe("review CSV: the table", () => {
  it("is named in a 400 when missing or unknown, after the caller's access", async () => {
    const t = await makeTeam(["viewer"]);
    await expect(reviewCsvFile(t.members.viewer, t.team.slug, { period: "2026-11" }, now)).rejects.toMatchObject({ status: 400, fields: { table: "give table as one of slos, incidents, decisions, action-items" } });
    await expect(reviewCsvFile(t.members.viewer, t.team.slug, { period: "2026-11", table: "people" }, now)).rejects.toMatchObject({ status: 400 });
    const other = await makeTeam(["admin"]);
    await expect(reviewCsvFile(other.members.admin, t.team.slug, { table: "people" }, now)).rejects.toMatchObject({ status: 404 });
  });
});
