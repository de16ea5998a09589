// SLO as code: files (YAML, one or more documents each) into one DefinitionSet, or into problems
// that name the file, the document and the field. Each document goes to the reader of its format:
// OpenSLO v1 and v1alpha (./openslo.ts readOpenSlo), Sloth prometheus/v1 and its Kubernetes
// PrometheusServiceLevel (./sloth.ts readSloth). A set of files with any problem applies nothing.
import { parseAllDocuments } from "yaml";
import type { DefinitionProblem, DefinitionSet, ParseResult } from "../../domain/definitions";
import { emptySet } from "../../domain/definitions";
import { readOpenSlo } from "./openslo";
import { readSloth } from "./sloth";

export type DefinitionFile = { name: string; content: string };
/** One YAML document of a file, as plain data, with where it came from. */
export type RawDocument = { file: string; index: number; value: Record<string, unknown> };

export const MAX_DEFINITION_DOCUMENTS = 2000;

export function parseDefinitionFiles(files: readonly DefinitionFile[]): ParseResult {
  const problems: DefinitionProblem[] = [];
  const openslo: RawDocument[] = [];
  const sloth: RawDocument[] = [];
  let count = 0;
  for (const f of files) {
    const parsed = parseAllDocuments(f.content);
    const docs = Array.isArray(parsed) ? parsed : [parsed];
    count += docs.length;
    if (count > MAX_DEFINITION_DOCUMENTS) {
      problems.push({ file: f.name, document: "", field: "", message: `At most ${MAX_DEFINITION_DOCUMENTS} documents can be applied at once; split the files into smaller sets.` });
      break;
    }
    docs.forEach((d, index) => {
      const where = `document ${index + 1}`;
      if (d.errors.length) return problems.push({ file: f.name, document: where, field: "", message: `This is not valid YAML: ${d.errors[0]!.message.split("\n")[0]}` });
      let value: unknown;
      try {
        value = d.toJS({ maxAliasCount: 100 });
      } catch (e) {
        return problems.push({ file: f.name, document: where, field: "", message: `This YAML cannot be read: ${e instanceof Error ? e.message : String(e)}` });
      }
      if (value === null || value === undefined) return; // an empty document between separators
      // OpenSLO's validator (oslo) also reads a YAML list of documents; so does Burnrate.
      if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "object" && v !== null && !Array.isArray(v) && String((v as { apiVersion?: unknown }).apiVersion).startsWith("openslo/"))) {
        count += value.length - 1;
        for (const v of value as Record<string, unknown>[]) openslo.push({ file: f.name, index, value: v });
        return;
      }
      if (typeof value !== "object" || Array.isArray(value)) return problems.push({ file: f.name, document: where, field: "", message: "A document must be a mapping (apiVersion, kind, metadata, spec), not a list or a single value." });
      const doc = value as Record<string, unknown>;
      const raw = { file: f.name, index, value: doc };
      const apiVersion = typeof doc.apiVersion === "string" ? doc.apiVersion : "";
      if (apiVersion === "openslo/v1" || apiVersion === "openslo/v1alpha") openslo.push(raw);
      else if (doc.version === "prometheus/v1" || (apiVersion.startsWith("sloth.slok.dev/") && doc.kind === "PrometheusServiceLevel")) sloth.push(raw);
      else
        problems.push({
          file: f.name,
          document: where,
          field: apiVersion ? "apiVersion" : "",
          message: apiVersion
            ? `apiVersion "${apiVersion}" is not one Burnrate reads: use openslo/v1 or openslo/v1alpha (OpenSLO), or Sloth's version: prometheus/v1 or kind PrometheusServiceLevel.`
            : "This is neither an OpenSLO document (apiVersion openslo/v1 or openslo/v1alpha) nor a Sloth file (version: prometheus/v1, or kind PrometheusServiceLevel).",
        });
    });
  }
  if (count === 0 && problems.length === 0) problems.push({ file: files[0]?.name ?? "", document: "", field: "", message: "The files hold no documents." });
  const results = [readOpenSlo(openslo), readSloth(sloth)];
  const set: DefinitionSet = emptySet();
  for (const r of results) {
    set.dataSources.push(...r.set.dataSources);
    set.services.push(...r.set.services);
  }
  problems.push(...results.flatMap((r) => r.problems));
  return { set, problems, warnings: results.flatMap((r) => r.warnings), fileOf: Object.assign({}, ...results.map((r) => r.fileOf ?? {})) as Record<string, string> };
}
