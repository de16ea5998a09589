// OpenSLO (SLO as code): reading documents into a DefinitionSet (readOpenSlo, called by the file
// dispatcher ./definition-files.ts), the team's export as OpenSLO v1 text, and the import of one
// file, which is an apply without prune (./definitions.ts).
import { stringify } from "yaml";
import type { z } from "zod";
import type { importSummarySchema } from "../../schemas/responses";
import { fromOpenSlo, toOpenSlo, type OpenSloResult, type Origin, type OsDocument } from "../../domain/openslo";
import type { DefinitionProblem, ParseResult } from "../../domain/definitions";
import { emptySet } from "../../domain/definitions";
import { openSloSchemas } from "../../schemas/openslo";
import { createServiceSchema, createSliSchema, createSloSchema } from "../../schemas/catalog";
import { prisma } from "../db/client";
import type { Actor } from "./actor";
import type { RawDocument } from "./definition-files";
import { trimDecimal } from "./stored-values";
import { requireTeamRead } from "./access";
import { applyFiles } from "./definitions";
import { definitionSetOf, loadDefinitions } from "./definition-rows";

/** A zod path as the spec writes fields: spec.timeWindow[0].startTime. */
export function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

/** OpenSLO documents (v1 and v1alpha) into definitions, or problems naming document and field. */
export function readOpenSlo(docs: readonly RawDocument[]): ParseResult {
  const problems: DefinitionProblem[] = [];
  const valid: OsDocument[] = [];
  for (const d of docs) {
    const apiVersion = d.value.apiVersion as keyof typeof openSloSchemas;
    const kind = typeof d.value.kind === "string" ? d.value.kind : "";
    const rawName = (d.value.metadata as { name?: unknown } | undefined)?.name;
    const document = `${kind || "document"} ${typeof rawName === "string" && rawName ? rawName : `${d.index + 1}`}`;
    const schemas: Record<string, { safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }> = openSloSchemas[apiVersion];
    const schema = schemas[kind];
    if (!schema) {
      problems.push({
        file: d.file,
        document,
        field: "kind",
        message: `${kind ? `kind "${kind}"` : "A document without a kind"} is not one Burnrate reads in ${apiVersion}: it reads ${Object.keys(schemas).join(", ")}${apiVersion === "openslo/v1alpha" ? " (use openslo/v1 for the others)" : ""}.`,
      });
      continue;
    }
    const r = schema.safeParse(d.value);
    if (!r.success) for (const issue of r.error.issues.slice(0, 5)) problems.push({ file: d.file, document, field: fieldOf(issue.path), message: issue.message });
    else valid.push({ file: d.file, kind, doc: r.data } as OsDocument);
  }
  if (problems.length || valid.length === 0) return { set: emptySet(), problems, warnings: [] };
  const result = fromOpenSlo(valid);
  problems.push(...result.problems, ...apiRuleProblems(result));
  const fileOf: Record<string, string> = {};
  for (const [kind, map] of [["service", result.origins.services], ["sli", result.origins.slis], ["slo", result.origins.slos]] as const) for (const [key, o] of map) fileOf[`${kind} ${key}`] = o.file;
  return { set: problems.length ? emptySet() : result.set, problems, warnings: result.warnings, fileOf };
}

/**
 * Each converted definition must also pass the API's own rules (slugs, names, objectives, slices,
 * windows, time zones), reported on the document and field it came from. Normalises objectives
 * to the stored text ("0.99000000" -> "0.99").
 */
function apiRuleProblems(result: OpenSloResult): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  const report = (origin: Origin | undefined, issue: { path: PropertyKey[]; message: string } | undefined) => {
    if (!origin || !issue) return;
    const key = String(issue.path[0] ?? "");
    out.push({ file: origin.file, document: origin.document, field: origin.fields[key] ?? key, message: issue.message });
  };
  for (const s of result.set.services) {
    const rs = createServiceSchema.safeParse({ slug: s.slug, name: s.name, description: s.description });
    if (!rs.success) report(result.origins.services.get(s.slug), rs.error.issues[0]);
    for (const x of s.slis) {
      // A mean-of-ratios SLI has no slice target; the API's rule asks for one, so the check gets a stand-in.
      const sliceTarget = x.sliceTarget ?? (x.sliceMethod === "mean_ratio" ? "0.5" : undefined);
      const r = createSliSchema.safeParse({ slug: x.slug, name: x.name, description: x.description, kind: x.kind, latencyThresholdMs: x.latencyThresholdMs, sliceMinutes: x.sliceMinutes, sliceTarget });
      if (!r.success) report(result.origins.slis.get(`${s.slug}/${x.slug}`), r.error.issues[0]);
      else if (x.sliceTarget !== null && r.data.sliceTarget) x.sliceTarget = trimDecimal(r.data.sliceTarget);
    }
    for (const o of s.slos) {
      const r = createSloSchema.safeParse({ slug: o.slug, name: o.name, description: o.description, sli: o.sli, objective: o.objective, window: o.window, minEvents: o.minEvents });
      if (!r.success) report(result.origins.slos.get(`${s.slug}/${o.slug}`), r.error.issues[0]);
      else o.objective = trimDecimal(r.data.objective);
    }
  }
  return out;
}

export async function exportOpenSlo(actor: Actor, team: string): Promise<string> {
  const access = await requireTeamRead(actor, team);
  const set = definitionSetOf(await loadDefinitions(prisma(), access.teamId));
  return toOpenSlo(set)
    .map((d) => stringify(d, { lineWidth: 0 }))
    .join("---\n");
}

export type ImportSummary = z.output<typeof importSummarySchema>;

/**
 * An OpenSLO file imports as an SLO-as-code apply without prune (./definitions.ts): all or nothing,
 * created or changed by name, each change audited, nothing deleted. The answer still counts what
 * the file holds, as it did before apply existed.
 */
export async function importOpenSlo(actor: Actor, team: string, text: string): Promise<ImportSummary> {
  const { set } = await applyFiles(actor, team, { files: [{ name: "openslo.yaml", content: text }], prune: false });
  return {
    dataSources: set.dataSources.length,
    services: set.services.length,
    slis: set.services.reduce((n, s) => n + s.slis.length, 0),
    slos: set.services.reduce((n, s) => n + s.slos.length, 0),
  };
}
