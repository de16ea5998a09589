// A review as a file: Markdown, PDF, or one table as CSV (docs/reviews.md "Exports"). The view is
// the API's (getReview); these only lay it out.
import { reviewTableSchema, type ReviewQuery } from "../../schemas/reviews";
import { AppError } from "../errors";
import { requireTeamRead } from "./access";
import { getConfig } from "../config";
import { reviewCsv, reviewFilename, reviewMarkdown } from "../review-report";
import type { Actor } from "./actor";
import { getReview } from "./reviews";
import type { ReviewView } from "../../schemas/reviews";
import { clockNow } from "../clock";

export type ReviewFile = { filename: string; contentType: string; body: string | Buffer };

/** The review's page, for links in exports and notices. */
export function reviewUrl(r: Pick<ReviewView, "team" | "service" | "period">): string {
  return `${getConfig().publicUrl}/teams/${r.team.slug}/reviews/${r.period.key}${r.service ? `?service=${encodeURIComponent(r.service.slug)}` : ""}`;
}

export async function reviewMarkdownFile(actor: Actor, team: string, q: ReviewQuery, now = clockNow()): Promise<ReviewFile> {
  const r = await getReview(actor, team, q, now);
  return { filename: reviewFilename(r, "md"), contentType: "text/markdown; charset=utf-8", body: reviewMarkdown(r, reviewUrl(r)) };
}

export async function reviewPdfFile(actor: Actor, team: string, q: ReviewQuery, now = clockNow()): Promise<ReviewFile> {
  const r = await getReview(actor, team, q, now);
  return { filename: reviewFilename(r, "pdf"), contentType: "application/pdf", body: await (await pdfRenderer()).reviewPdf(r, reviewUrl(r)) };
}

export async function reviewCsvFile(actor: Actor, team: string, q: ReviewQuery & { table?: string }, now = clockNow()): Promise<ReviewFile> {
  await requireTeamRead(actor, team);
  const table = reviewTableSchema.safeParse(q.table);
  if (!table.success) {
    const why = table.error.issues[0]?.message ?? "is invalid";
    throw new AppError("bad_request", `table: ${why}`, { table: why });
  }
  const r = await getReview(actor, team, q, now);
  return { filename: reviewFilename(r, "csv", table.data), contentType: "text/csv; charset=utf-8", body: reviewCsv(r, table.data) };
}

/** A file as the HTTP answer: downloaded under its name, never cached by shared caches. */
export function fileResponse(f: ReviewFile): Response {
  return new Response(typeof f.body === "string" ? f.body : new Uint8Array(f.body), {
    headers: { "content-type": f.contentType, "content-disposition": `attachment; filename="${f.filename}"`, "cache-control": "private, no-store" },
  });
}

/** The PDF renderer (pdfkit, about 20 MB once loaded) is loaded on the first PDF asked for, not with the server. */
const pdfRenderer = () => import("../review-pdf");
