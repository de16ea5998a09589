// A cohort's version of an SLI's PromQL query (docs/deploy-verification.md "Cohorts pulled from
// Prometheus"): the cohort's label matcher added to every vector selector, and so to every range
// selector and subquery built on one. Done on Prometheus's own parser's syntax tree
// (@prometheus-io/lezer-promql), not by pattern matching, so string literals, regexes and
// function names are never touched. Pure.
import { parser } from "@prometheus-io/lezer-promql";

/** A Prometheus label name that users may set (names starting "__" are reserved). */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type CohortQuery = { ok: true; query: string } | { ok: false; reason: string };

export function isCohortLabelName(label: string): boolean {
  return LABEL_NAME.test(label) && !label.startsWith("__");
}

/**
 * `query` with `label="value"` added to each vector selector. Refused, with a sentence, when the
 * query does not parse or already sets the label somewhere: adding a second matcher for the
 * same label would select nothing (or the wrong cohort) without saying so.
 */
export function withCohortLabel(query: string, label: string, value: string): CohortQuery {
  if (!isCohortLabelName(label)) return { ok: false, reason: `the cohort label "${label}" is not a Prometheus label name (letters, digits and _, not starting with a digit or "__")` };
  const tree = parser.parse(query);
  let invalidAt: number | null = null;
  const inserts: { at: number; text: string }[] = [];
  let clash = false;
  const matcher = `${label}=${JSON.stringify(value)}`;
  tree.iterate({
    enter(node) {
      if (node.type.isError && invalidAt === null) invalidAt = node.from;
      if (node.name === "LabelName" || node.name === "QuotedLabelName") {
        const text = query.slice(node.from, node.to);
        const name = node.name === "QuotedLabelName" ? unquote(text) : text;
        // A label name inside a selector's matchers (not a `by (...)` grouping) that is ours.
        if (name === label && node.node.parent?.name !== "GroupingLabels" && node.node.parent?.parent?.name !== "GroupingLabels") clash = true;
      }
      if (node.name !== "VectorSelector") return;
      const matchers = node.node.getChild("LabelMatchers");
      if (!matchers) {
        inserts.push({ at: node.to, text: `{${matcher}}` });
        return;
      }
      // Before the closing brace; a comma only when there are matchers and none trails already.
      const inner = query.slice(matchers.from + 1, matchers.to - 1).trim();
      const close = query.lastIndexOf("}", matchers.to - 1);
      inserts.push({ at: close, text: inner === "" || inner.endsWith(",") ? matcher : `,${matcher}` });
    },
  });
  if (query.trim() === "") return { ok: false, reason: "the query is empty" };
  if (invalidAt !== null) return { ok: false, reason: `the query is not valid PromQL (near character ${(invalidAt as number) + 1}), so the cohort's label cannot be added to it` };
  if (clash) return { ok: false, reason: `the query already selects on the label "${label}"; remove that matcher so each cohort's label can be added` };
  if (inserts.length === 0) return { ok: false, reason: "the query selects no series, so it has nothing to split by cohort" };
  let out = query;
  for (const ins of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, ins.at) + ins.text + out.slice(ins.at);
  return { ok: true, query: out };
}

function unquote(text: string): string {
  try {
    return text.startsWith('"') ? (JSON.parse(text) as string) : text.slice(1, -1);
  } catch {
    return text.slice(1, -1);
  }
}
