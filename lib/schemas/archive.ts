// Archiving, restoring and deleting services, SLIs and SLOs (lib/domain/archive.ts says what each does).
import { z } from "zod";
import { baseUpdatedAt } from "./catalog";

/** Archive or restore: optionally from the version the caller saw (a 409 if it changed since). */
export const archiveSchema = z.strictObject({ baseUpdatedAt });
export type ArchiveInput = z.output<typeof archiveSchema>;

/** Permanent deletion of something archived: its slug or name, typed out. */
export const deleteArchivedSchema = z.strictObject({
  confirm: z.string({ error: "is required: type the slug or name of what you delete" }).trim().min(1, "is required: type the slug or name of what you delete").max(200, "must be at most 200 characters"),
});
export type DeleteArchivedInput = z.output<typeof deleteArchivedSchema>;

/** One archived service, SLI or SLO, with what deleting it would remove and keep. */
export const archivedItemSchema = z.object({
  kind: z.enum(["service", "sli", "slo"]),
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  service: z.object({ slug: z.string(), name: z.string() }),
  archivedAt: z.iso.datetime({ offset: true }),
  archivedBy: z.string().nullable(),
  /** Archived together with its service (restoring the service restores it). */
  withService: z.boolean(),
  deletion: z.object({ deleted: z.array(z.string()), kept: z.array(z.string()) }),
});
export type ArchivedItem = z.infer<typeof archivedItemSchema>;
export const archivedListSchema = z.object({ team: z.string(), items: z.array(archivedItemSchema) });
export type ArchivedList = z.infer<typeof archivedListSchema>;
