// The plan-time checks of composites in definition files (docs/composite-slos.md, "SLO as code").
import { describe, expect, it } from "vitest";
import { compositeDefinitionProblems } from "./composite-definitions";
import { defaultAlerting, type ServiceDef, type SliDef, type SloDef } from "./definitions";

const sli = (slug: string, members?: string[]): SliDef => ({
  slug,
  name: slug,
  description: "",
  labels: {},
  kind: "request_ratio",
  latencyThresholdMs: null,
  sliceMinutes: null,
  sliceTarget: null,
  sliceMethod: "count_good",
  source: members
    ? { kind: "composite", members: members.map((m) => ({ service: m.split("/")[0]!, slo: m.split("/")[1]!, weight: 1 })), maxDelayMinutes: 10, whenDelayed: "ignore" }
    : { kind: "push" },
});
const slo = (slug: string, sliSlug = slug): SloDef => ({
  slug, name: slug, description: "", labels: {}, sli: sliSlug, objective: "0.99", window: { kind: "rolling", days: 28 }, calendarStart: null, minEvents: 0, alerting: defaultAlerting(),
});
/** A service "api" with plain SLOs and composites given as "slug: member, member". */
const api = (plain: string[], composites: Record<string, string[]> = {}): ServiceDef => ({
  slug: "api",
  name: "api",
  description: "",
  labels: {},
  slis: [...plain.map((p) => sli(p)), ...Object.entries(composites).map(([c, m]) => sli(c, m))],
  slos: [...plain.map((p) => slo(p)), ...Object.keys(composites).map((c) => slo(c))],
});
const origin = (name: string) => ({ file: "f.yaml", document: `SLO ${name}` });
const field = (i: number) => `metadata.annotations.burnrate.dev/composite-members[${i}]`;

describe("compositeDefinitionProblems", () => {
  it.each([
    // what the files hold, what the team holds, the problem (null: none)
    ["a member the files define", api(["a"], { j: ["api/a"] }), [], null],
    ["a member the team defines", api([], { j: ["api/a"] }), [api(["a"])], null],
    ["a member nobody defines", api(["a"], { j: ["api/a", "api/nope"] }), [], { field: field(1), message: expect.stringMatching(/^Member api\/nope is an SLO neither these files nor the team define/) }],
    ["itself", api(["a"], { j: ["api/a", "api/j"] }), [], { field: field(1), message: "A composite cannot contain itself, directly or through another composite: api/j → api/j" }],
    ["through a stored composite", api(["a"], { j: ["api/o"] }), [api(["a"], { o: ["api/j"] })], { field: field(0), message: "A composite cannot contain itself, directly or through another composite: api/j → api/o → api/j" }],
    ["through another composite in the files", api(["a"], { j: ["api/a", "api/o"], o: ["api/j"] }), [], { field: field(1), message: "A composite cannot contain itself, directly or through another composite: api/j → api/o → api/j" }],
    // The files' composite replaces the stored one of the same name: the stored edge o ⊃ j is gone.
    ["a stored edge the files replace", api(["a"], { j: ["api/o"], o: ["api/a"] }), [api(["a"], { o: ["api/j"] })], null],
  ] as const)("%s", (_, files, stored, problem) => {
    const problems = compositeDefinitionProblems({ dataSources: [], services: [files] }, stored, origin);
    if (problem === null) expect(problems).toEqual([]);
    else expect(problems[0]).toEqual({ file: "f.yaml", document: "SLO api/j", ...problem });
  });
});
