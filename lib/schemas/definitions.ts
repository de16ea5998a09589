// SLO as code: the body of a plan or an apply (files as a repository holds them) and the answer.
// The CLI and any pipeline build against exactly these shapes (docs/slo-as-code.md, "Plan and apply").
import { z } from "zod";

export const MAX_DEFINITION_FILES = 200;
export const MAX_DEFINITION_FILE_BYTES = 1024 * 1024;
export const MAX_DEFINITION_TOTAL_BYTES = 4 * 1024 * 1024;
/** The request body: the files (each at most 1 MiB, 4 MiB in all) as JSON, with room for escaping. */
export const MAX_DEFINITION_BODY_BYTES = 5 * 1024 * 1024;

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
const noNul = (s: string) => !s.includes("\u0000");

/** A path as a repository names a file: "slos/payments.yaml"; relative, no "..", no control characters. */
const fileName = z
  .string({ error: "Give the file's name, e.g. slos/payments.yaml" })
  .min(1, "Give the file's name, e.g. slos/payments.yaml")
  .max(300, "Use at most 300 characters for a file name")
  .refine((s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch === "\u007f" || ch === "\\"), "A file name is a path such as slos/payments.yaml, without control characters or backslashes")
  .refine((s) => !s.startsWith("/") && !s.split("/").includes(".."), "A file name is a path relative to the repository, without a leading / or ..");

const file = z.strictObject({
  name: fileName,
  content: z
    .string({ error: "Give the file's content as text" })
    .refine(noNul, "The content holds a NUL character; definition files are text")
    .refine((s) => s.length <= MAX_DEFINITION_FILE_BYTES && utf8Bytes(s) <= MAX_DEFINITION_FILE_BYTES, `A file can be at most ${MAX_DEFINITION_FILE_BYTES} bytes (1 MiB); split it`),
});

export const definitionFilesSchema = z.strictObject({
  files: z
    .array(file, { error: "Give the files as a list of { name, content }" })
    .min(1, "Give at least one file")
    .max(MAX_DEFINITION_FILES, `At most ${MAX_DEFINITION_FILES} files can be applied at once`)
    .refine((files) => files.reduce((n, f) => n + utf8Bytes(f.content), 0) <= MAX_DEFINITION_TOTAL_BYTES, `The files can hold at most ${MAX_DEFINITION_TOTAL_BYTES} bytes (4 MiB) in all`)
    .refine((files) => new Set(files.map((f) => f.name)).size === files.length, "Each file name can appear once"),
  /** Remove what an earlier apply created and the files no longer hold (never what people made by hand). */
  prune: z.boolean({ error: "prune is true or false" }).default(false),
  /** Where the files came from, e.g. a commit; stored with every audit record of the apply. */
  source: z.string().trim().max(200, "Use at most 200 characters for the source").refine(noNul, "The source holds a NUL character").optional(),
});
export type DefinitionFilesInput = z.output<typeof definitionFilesSchema>;

export const definitionChangeSchema = z.object({
  action: z.enum(["create", "change", "delete"]),
  kind: z.enum(["data-source", "service", "sli", "slo"]),
  /** "prom-main" (data source), "payments" (service), "payments/availability" (SLI or SLO). */
  name: z.string(),
  /** Changes only: each field that differs ("objective", "window.days", "alerting.page.enabled"). */
  fields: z.array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() })).optional(),
});

export type DefinitionChangeView = z.infer<typeof definitionChangeSchema>;

export const definitionPlanSchema = z.object({
  changes: z.array(definitionChangeSchema),
  /** Things the files hold that are already stored as written. */
  unchanged: z.number().int().min(0),
  /** Stored SLOs whose settings the files do not state (alert tuning, channels, minimum events) and that differ from the files' defaults: kept as set in Burnrate. */
  kept: z.array(z.object({ kind: z.literal("slo"), name: z.string(), settings: z.array(z.enum(["tuning", "channels", "minEvents"])), message: z.string() })),
  warnings: z.array(z.object({ file: z.string(), document: z.string(), message: z.string() })),
  /** true: the changes were made (apply); false: nothing was changed (plan). */
  applied: z.boolean(),
});
export type DefinitionPlanView = z.infer<typeof definitionPlanSchema>;
