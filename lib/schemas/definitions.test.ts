import { describe, expect, it } from "vitest";
import { definitionFilesSchema, definitionPlanSchema, MAX_DEFINITION_FILE_BYTES } from "./definitions";

const body = (files: unknown, more: Record<string, unknown> = {}) => ({ files, ...more });
const ok = (content = "apiVersion: openslo/v1\n", name = "slos/payments.yaml") => ({ name, content });

describe("definitionFilesSchema", () => {
  it("accepts the CLI's body, with prune false unless given", () => {
    expect(definitionFilesSchema.parse(body([ok()], { source: "abc123" }))).toEqual({ files: [ok()], prune: false, source: "abc123" });
    expect(definitionFilesSchema.parse(body([ok()], { prune: true })).prune).toBe(true);
  });

  it.each([
    ["no files", body([]), "Give at least one file"],
    ["too many files", body(Array.from({ length: 201 }, (_, i) => ok("x", `f${i}.yaml`))), "At most 200 files can be applied at once"],
    ["a name too long", body([ok("x", "a".repeat(301))]), "Use at most 300 characters for a file name"],
    ["an absolute name", body([ok("x", "/etc/passwd")]), "A file name is a path relative to the repository, without a leading / or .."],
    ["a name climbing out", body([ok("x", "slos/../../x.yaml")]), "A file name is a path relative to the repository, without a leading / or .."],
    ["a control character in a name", body([ok("x", "a\nb.yaml")]), "A file name is a path such as slos/payments.yaml, without control characters or backslashes"],
    ["NUL in content", body([ok("a\u0000b")]), "The content holds a NUL character; definition files are text"],
    ["a file over 1 MiB", body([ok("é".repeat(MAX_DEFINITION_FILE_BYTES / 2 + 1))]), "A file can be at most 1048576 bytes (1 MiB); split it"],
    ["over 4 MiB in all", body(Array.from({ length: 5 }, (_, i) => ok("x".repeat(MAX_DEFINITION_FILE_BYTES - 10), `f${i}.yaml`))), "The files can hold at most 4194304 bytes (4 MiB) in all"],
    ["a name twice", body([ok(), ok()]), "Each file name can appear once"],
    ["an unknown field", body([ok()], { force: true }), undefined],
  ])("refuses %s", (_name, input, message) => {
    const r = definitionFilesSchema.safeParse(input);
    expect(r.success).toBe(false);
    if (message) expect(r.error!.issues.map((i) => i.message)).toContain(message);
  });
});

describe("definitionPlanSchema", () => {
  it("describes the answer the CLI reads", () => {
    const answer = { changes: [{ action: "change", kind: "slo", name: "payments/availability", fields: [{ field: "objective", old: "0.999", new: "0.9995" }] }, { action: "create", kind: "data-source", name: "prom-main" }], unchanged: 3, kept: [{ kind: "slo", name: "payments/latency", settings: ["tuning"], message: "m" }], warnings: [{ file: "a.yaml", document: "SLO x", message: "m" }], applied: true };
    expect(definitionPlanSchema.parse(answer)).toEqual(answer);
    expect(definitionPlanSchema.safeParse({ ...answer, kept: [{ kind: "slo", name: "x", settings: ["colour"], message: "m" }] }).success).toBe(false);
    expect(definitionPlanSchema.safeParse({ ...answer, changes: [{ action: "upsert", kind: "slo", name: "x" }] }).success).toBe(false);
  });
});
