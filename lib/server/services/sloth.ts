// Sloth (https://github.com/slok/sloth) SLO files into a DefinitionSet: the `prometheus/v1` format
// and the Kubernetes PrometheusServiceLevel object (apiVersion sloth.slok.dev/v1).
import { emptySet, type ParseResult } from "../../domain/definitions";
import type { RawDocument } from "./definition-files";

/** TEMPORARY: refuses every Sloth document until the reader lands. */
export function readSloth(docs: readonly RawDocument[]): ParseResult {
  return {
    set: emptySet(),
    warnings: [],
    problems: docs.map((d) => ({ file: d.file, document: `Sloth ${String(d.value.service ?? d.index + 1)}`, field: "", message: "Sloth files are not read yet." })),
  };
}
