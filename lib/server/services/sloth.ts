// Sloth (https://github.com/slok/sloth) SLO files into a DefinitionSet: the `prometheus/v1` format
// and the Kubernetes PrometheusServiceLevel object (apiVersion sloth.slok.dev/v1). Each document is
// validated by its schema (lib/schemas/sloth.ts) and converted by lib/domain/sloth.ts; a problem
// names the file, the document ("Sloth <service>", or "SLO <name>" inside one of its SLOs), the
// field as the file spells it, and what Burnrate supports instead.
import type { z } from "zod";
import { emptySet, type DefinitionProblem, type DefinitionWarning, type ParseResult, type ServiceDef } from "../../domain/definitions";
import { fromSlothDoc, mergeSlothServices, type SlothDoc } from "../../domain/sloth";
import { slothKubernetesSchema, slothPrometheusV1Schema } from "../../schemas/sloth";
import type { RawDocument } from "./definition-files";

/** At most this many problems per document: the first few say what to fix. */
const MAX_ISSUES = 5;

export function readSloth(docs: readonly RawDocument[]): ParseResult {
  const problems: DefinitionProblem[] = [];
  const warnings: DefinitionWarning[] = [];
  const parts: { service: ServiceDef; at: { file: string; index: number }; dialect: SlothDoc["dialect"] }[] = [];
  for (const d of docs) {
    const k8s = d.value.version !== "prometheus/v1";
    const r = (k8s ? slothKubernetesSchema : slothPrometheusV1Schema).safeParse(d.value);
    if (!r.success) {
      problems.push(...r.error.issues.slice(0, MAX_ISSUES).map((issue) => problemOf(d, k8s, issue)));
      continue;
    }
    const result = fromSlothDoc(r.data, { file: d.file, index: d.index });
    problems.push(...result.problems);
    warnings.push(...result.warnings);
    parts.push(...result.services.map((service) => ({ service, at: { file: d.file, index: d.index }, dialect: r.data.dialect })));
  }
  const merged = mergeSlothServices(parts);
  problems.push(...merged.problems);
  const set = emptySet();
  // A set with any problem applies nothing (definition-files.ts); the services are still returned
  // only when everything read cleanly, so nothing half-read can reach a plan.
  if (problems.length === 0) set.services = merged.services;
  const fileOf: Record<string, string> = {};
  for (const { service: s, at } of parts) {
    fileOf[`service ${s.slug}`] ??= at.file;
    for (const x of s.slis) fileOf[`sli ${s.slug}/${x.slug}`] = at.file;
    for (const o of s.slos) fileOf[`slo ${s.slug}/${o.slug}`] = at.file;
  }
  return { set, problems, warnings: problems.length ? [] : warnings, fileOf };
}

/** A schema issue as a problem: the document by its service or SLO name, the field as written. */
function problemOf(d: RawDocument, k8s: boolean, issue: z.core.$ZodIssue): DefinitionProblem {
  const spec = (k8s ? d.value.spec : d.value) as Record<string, unknown> | undefined;
  const service = typeof spec?.service === "string" && spec.service ? spec.service : null;
  const inSpec = k8s && issue.path[0] === "spec" ? issue.path.slice(1) : issue.path;
  let document = service ? `Sloth ${service}` : `Sloth document ${d.index + 1}`;
  if (inSpec[0] === "slos" && typeof inSpec[1] === "number") {
    const slo = (spec?.slos as { name?: unknown }[] | undefined)?.[inSpec[1]];
    if (typeof slo?.name === "string" && slo.name) document = `SLO ${slo.name}`;
  }
  // An unknown field is named itself, so the path points at it (`slos[0].alerting.pageAlert`).
  const path = issue.code === "unrecognized_keys" && issue.keys.length === 1 ? [...issue.path, issue.keys[0]!] : issue.path;
  return { file: d.file, document, field: fieldPath(path), message: sentence(issue) };
}

/** ["slos", 2, "sli", "raw"] -> "slos[2].sli.raw". */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
}

function sentence(issue: z.core.$ZodIssue): string {
  const m = issue.message.trim();
  return /[.!?]$/.test(m) ? m : `${m}.`;
}
