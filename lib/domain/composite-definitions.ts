// SLO as code and composite SLOs (docs/composite-slos.md, "SLO as code"): the checks a plan makes
// on the composites the files define, before anything is written, so a wrong member is named on
// its file, document and field instead of failing half-way through an apply. Pure: the service
// passes the files' set, the team's stored definitions, and where each wanted SLO was written.
import { findCycle } from "./composite";
import type { DefinitionProblem, DefinitionSet, SliDef, SloDef } from "./definitions";

/** Burnrate's annotation that names existing SLOs as members (lib/domain/openslo-composite.ts). */
const MEMBERS_FIELD = "metadata.annotations.burnrate.dev/composite-members";

type ServiceLike = { slug: string; slis: readonly SliDef[]; slos: readonly SloDef[] };

/** Each composite SLO ("service/slo") with its members ("service/slo"), in order. */
function compositesOf(services: readonly ServiceLike[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of services) {
    for (const x of s.slis) {
      if (x.source.kind !== "composite") continue;
      const members = x.source.members.map((m) => `${m.service}/${m.slo}`);
      for (const o of s.slos) if (o.sli === x.slug) out.set(`${s.slug}/${o.slug}`, members);
    }
  }
  return out;
}

/**
 * Problems with the files' composites against the team as it would be after the apply: a member
 * that neither the files nor the team define, and a composite that would contain itself, directly
 * or through another composite (the files' composites replace the stored ones of the same name).
 */
export function compositeDefinitionProblems(
  wanted: DefinitionSet,
  stored: readonly ServiceLike[],
  originOf: (slo: string) => { file: string; document: string },
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const known = new Set([...stored, ...wanted.services].flatMap((s) => s.slos.map((o) => `${s.slug}/${o.slug}`)));
  const wantedComposites = compositesOf(wanted.services);
  const edges = new Map([...compositesOf(stored), ...wantedComposites]);
  for (const [composite, members] of wantedComposites) {
    const { file, document } = originOf(composite);
    const field = (i: number) => `${MEMBERS_FIELD}[${i}]`;
    const missing = members.findIndex((m) => !known.has(m));
    if (missing >= 0) {
      problems.push({ file, document, field: field(missing), message: `Member ${members[missing]} is an SLO neither these files nor the team define: name an existing SLO as {service, slo}, or give the objective its own indicator` });
      continue;
    }
    const others = new Map([...edges].filter(([id]) => id !== composite));
    const cycle = findCycle(others, composite, members);
    if (cycle) problems.push({ file, document, field: field(members.indexOf(cycle[1]!)), message: `A composite cannot contain itself, directly or through another composite: ${cycle.join(" → ")}` });
  }
  return problems;
}
