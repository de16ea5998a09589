// Inputs of definition history (docs/definition-history.md).
import { z } from "zod";

/**
 * Reading a Prometheus SLI's history again with its current queries: `confirm` is the SLI's slug,
 * typed out, since the minutes the source still holds replace what the older version stored.
 */
export const rereadSchema = z.strictObject({
  confirm: z.string({ error: "is required: type the SLI's slug" }).trim().min(1, "is required: type the SLI's slug").max(200, "must be at most 200 characters"),
});
export type RereadInput = z.output<typeof rereadSchema>;
