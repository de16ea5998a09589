// Composite SLOs in OpenSLO (docs/composite-slos.md): objectives with their own indicators and
// compositeWeight (OpenSLO v1; the oslo validator's composite test inputs have this shape) import
// as member SLOs plus the composite, and the export writes the same shape back.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { toOpenSlo } from "../../domain/openslo";
import type { DefinitionSet } from "../../domain/definitions";
import { parseDefinitionFiles } from "./definition-files";
import { outcomeLines } from "./openslo-outcome";

const fixture = readFileSync(join(__dirname, "testdata/openslo/burnrate/checkout-journey.yaml"), "utf8");
const parse = (content: string) => parseDefinitionFiles([{ name: "journey.yaml", content }]);
const yamlOf = (set: DefinitionSet) => toOpenSlo(set).map((d) => stringify(d)).join("---\n");

describe("OpenSLO composite SLOs", () => {
  it("round-trips: import, export, import again gives the same definitions", () => {
    const first = parse(fixture);
    expect(first.problems).toEqual([]);
    const exported = yamlOf(first.set);
    // One SLO document for the composite, its members inside it as objectives with weights.
    expect(exported.match(/kind: SLO\n/g)).toHaveLength(1);
    expect(exported).toContain("compositeWeight: 2");
    expect(exported).toContain("burnrate.dev/when-delayed: count_as_bad");
    const again = parse(exported);
    expect(again.problems).toEqual([]);
    expect(again.set).toEqual(first.set);
  });

  it("a member from another service is named in the composite-members annotation and comes back as it was", () => {
    const set = parse(fixture).set;
    const other: DefinitionSet = {
      dataSources: [],
      services: [
        ...set.services,
        {
          slug: "search",
          name: "search",
          description: "",
          labels: {},
          slis: [{ ...set.services[0]!.slis[0]!, slug: "queries" }],
          slos: [{ ...set.services[0]!.slos[0]!, slug: "queries-99", name: "Queries", sli: "queries" }],
        },
      ],
    };
    const composite = other.services[0]!.slis.find((x) => x.source.kind === "composite")!;
    if (composite.source.kind !== "composite") throw new Error("no composite");
    composite.source.members.push({ service: "search", slo: "queries-99", weight: 0.5 });
    const exported = yamlOf(other);
    expect(exported).toContain('burnrate.dev/composite-members: \'[null,null,{"service":"search","slo":"queries-99"}]\'');
    const again = parse(exported);
    expect(again.problems).toEqual([]);
    expect(again.set).toEqual(other);
  });

  it("refuses an objective without its own indicator, and a bad late rule, naming the field", () => {
    const broken = fixture.replace("      indicatorRef: payment-errors\n", "").replace("burnrate.dev/when-delayed: count_as_bad", "burnrate.dev/when-delayed: sometimes");
    expect(outcomeLines(parse(broken))).toEqual([
      "refused: SLO checkout-journey | metadata.annotations.burnrate.dev/when-delayed | Give what a late member counts as: one of ignore, count_as_good, count_as_bad",
      "refused: SLO checkout-journey | spec.objectives[1].indicatorRef | Give each objective of a composite SLO its own indicator or indicatorRef (and a compositeWeight, default 1)",
    ]);
  });
});
