// OpenSLO v1 import and export (SLO as code). Export writes every service, SLI and SLO of a team
// as YAML documents; import validates the whole file first and writes nothing if anything is
// wrong, then creates or updates by slug in one transaction (nothing is deleted).
import { parseAllDocuments, stringify } from "yaml";
import { fromOpenSlo, toOpenSlo, type CatalogService, type ImportProblem, type OpenSloDoc } from "../../domain/openslo";
import { parseObjective } from "../../domain/budget";
import { isValidTimeZone } from "../../domain/window";
import { MAX_OPENSLO_DOCUMENTS, openSloDocSchema } from "../../schemas/openslo";
import { createSliSchema, createSloSchema } from "../../schemas/catalog";
import { prisma } from "../db/client";
import type { Actor } from "./actor";
import { defaultAlerting, emptySet, type DefinitionProblem, type ParseResult } from "../../domain/definitions";
import type { RawDocument } from "./definition-files";
import { trimDecimal, windowOf } from "./catalog";
import { requireTeamRead } from "./access";
import { applyFiles } from "./definitions";

export async function exportOpenSlo(actor: Actor, team: string): Promise<string> {
  const access = await requireTeamRead(actor, team);
  const services = await prisma().service.findMany({
    // Archived things are not part of the live catalogue (lib/domain/archive.ts).
    where: { teamId: access.teamId, archivedAt: null },
    include: { slis: { where: { archivedAt: null }, orderBy: { slug: "asc" } }, slos: { where: { archivedAt: null }, include: { sli: true }, orderBy: { slug: "asc" } } },
    orderBy: { slug: "asc" },
  });
  const catalog: CatalogService[] = services.map((s) => ({
    slug: s.slug,
    name: s.name,
    description: s.description,
    slis: s.slis.map((x) => ({
      slug: x.slug,
      name: x.name,
      description: x.description,
      kind: x.kind,
      latencyThresholdMs: x.latencyThresholdMs,
      sliceMinutes: x.sliceMinutes,
      sliceTarget: x.sliceTarget ? trimDecimal(x.sliceTarget.toString()) : null,
    })),
    slos: s.slos.map((o) => ({ slug: o.slug, name: o.name, description: o.description, sli: o.sli.slug, objective: trimDecimal(o.objective.toString()), window: windowOf(o), minEvents: o.minEvents })),
  }));
  return toOpenSlo(catalog)
    .map((d) => stringify(d, { lineWidth: 0 }))
    .join("---\n");
}

export type ImportSummary = { services: number; slis: number; slos: number };

/**
 * An OpenSLO file imports as an SLO-as-code apply without prune (./definitions.ts): all or nothing,
 * created or changed by name, each change audited, nothing deleted. The answer still counts what
 * the file holds, as it did before apply existed.
 */
export async function importOpenSlo(actor: Actor, team: string, text: string): Promise<ImportSummary> {
  const { set } = await applyFiles(actor, team, { files: [{ name: "openslo.yaml", content: text }], prune: false });
  return { services: set.services.length, slis: set.services.reduce((n, s) => n + s.slis.length, 0), slos: set.services.reduce((n, s) => n + s.slos.length, 0) };
}

/** YAML -> validated documents -> catalog; every problem names its document and field. */
export function parseOpenSlo(text: string): { services: CatalogService[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const parsed = parseAllDocuments(text);
  const yamlDocs = Array.isArray(parsed) ? parsed : [parsed];
  if (yamlDocs.length > MAX_OPENSLO_DOCUMENTS) return { services: [], problems: [{ document: 0, path: "", message: `at most ${MAX_OPENSLO_DOCUMENTS} documents per file` }] };
  const docs: OpenSloDoc[] = [];
  yamlDocs.forEach((d, i) => {
    if (d.errors.length) return problems.push({ document: i, path: "", message: `not valid YAML: ${d.errors[0]!.message.split("\n")[0]}` });
    let value: unknown;
    try {
      value = d.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return problems.push({ document: i, path: "", message: `not usable YAML: ${e instanceof Error ? e.message : String(e)}` });
    }
    if (value === null || value === undefined) return; // an empty document between separators
    const r = openSloDocSchema.safeParse(value);
    if (!r.success) for (const issue of r.error.issues.slice(0, 5)) problems.push({ document: i, path: issue.path.join("."), message: issue.message });
    else docs.push(r.data as OpenSloDoc);
  });
  if (problems.length) return { services: [], problems };
  if (docs.length === 0) return { services: [], problems: [{ document: 0, path: "", message: "the file holds no OpenSLO documents" }] };
  const result = fromOpenSlo(docs);
  // Each converted definition must also pass the API's own rules (slugs, objectives, kinds, zones).
  for (const s of result.services) {
    for (const x of s.slis) {
      const r = createSliSchema.safeParse({ ...x, sliceTarget: x.sliceTarget ?? undefined });
      if (!r.success) result.problems.push({ document: 0, path: `SLI ${s.slug}/${x.slug}.${r.error.issues[0]?.path.join(".")}`, message: r.error.issues[0]?.message ?? "is invalid" });
    }
    for (const o of s.slos) {
      const r = createSloSchema.safeParse(o);
      if (!r.success) result.problems.push({ document: 0, path: `SLO ${s.slug}/${o.slug}.${r.error.issues[0]?.path.join(".")}`, message: r.error.issues[0]?.message ?? "is invalid" });
      else o.objective = trimDecimal(r.data.objective);
      if (o.window.kind === "calendar" && !isValidTimeZone(o.window.timeZone)) result.problems.push({ document: 0, path: `SLO ${s.slug}/${o.slug}.timeZone`, message: "must be an IANA time zone" });
      parseObjective(o.objective);
    }
  }
  return result;
}

/**
 * TEMPORARY adapter (replaced by the full OpenSLO reader): validated v1 documents into a DefinitionSet.
 */
export function readOpenSlo(docs: readonly RawDocument[]): ParseResult {
  const problems: DefinitionProblem[] = [];
  const valid: OpenSloDoc[] = [];
  for (const d of docs) {
    const r = openSloDocSchema.safeParse(d.value);
    const name = String((d.value.metadata as { name?: unknown } | undefined)?.name ?? `document ${d.index + 1}`);
    if (!r.success) for (const issue of r.error.issues.slice(0, 5)) problems.push({ file: d.file, document: `${String(d.value.kind)} ${name}`, field: issue.path.join("."), message: issue.message });
    else valid.push(r.data as OpenSloDoc);
  }
  const set = emptySet();
  if (problems.length || valid.length === 0) return { set, problems, warnings: [] };
  const { services, problems: p } = fromOpenSlo(valid);
  for (const x of p) problems.push({ file: docs[0]!.file, document: `document ${x.document + 1}`, field: x.path, message: x.message });
  set.services = services.map((s) => ({
    ...s,
    labels: {},
    slis: s.slis.map((x) => ({ ...x, labels: {}, sliceMethod: "count_good" as const, source: { kind: "push" as const } })),
    slos: s.slos.map((o) => ({ ...o, labels: {}, calendarStart: null, alerting: defaultAlerting() })),
  }));
  return { set, problems, warnings: [] };
}
