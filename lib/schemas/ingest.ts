// The push endpoint's body. The envelope is validated strictly; items one by one, so one bad
// item is reported by index and the valid ones are kept.
import { z } from "zod";

export const MAX_INGEST_ITEMS = 10_000;
export const MAX_INGEST_BYTES = 2 * 1024 * 1024;
/** Clock skew allowed for a client's "now": buckets may start at most this far in the future. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

export const ingestEnvelopeSchema = z.strictObject({
  items: z.array(z.unknown()).min(1, "send at least one item").max(MAX_INGEST_ITEMS, `send at most ${MAX_INGEST_ITEMS} items per request`),
});

export type IngestEnvelope = z.output<typeof ingestEnvelopeSchema>;

const count = (name: string) =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must not be negative`)
    .max(Number.MAX_SAFE_INTEGER, `${name} is too large`);

/** One minute of one SLI: good and total events (or bad and total), the last value sent wins. */
export const ingestItemSchema = z
  .strictObject({
    /** SLI id, or "service-slug/sli-slug" within the token's team. */
    sli: z.string({ error: "sli is required" }).trim().min(1, "sli is required").max(200, "sli is too long"),
    minute: z.iso.datetime({ offset: true, error: "minute must be an ISO 8601 date-time, e.g. 2026-11-22T10:15:00Z" }),
    good: count("good").optional(),
    bad: count("bad").optional(),
    total: count("total"),
  })
  .superRefine((v, ctx) => {
    if ((v.good === undefined) === (v.bad === undefined)) ctx.addIssue({ code: "custom", path: ["good"], message: "send exactly one of good or bad" });
    if (v.good !== undefined && v.good > v.total) ctx.addIssue({ code: "custom", path: ["good"], message: "good must not exceed total" });
    if (v.bad !== undefined && v.bad > v.total) ctx.addIssue({ code: "custom", path: ["bad"], message: "bad must not exceed total" });
    if (Date.parse(v.minute) % 60_000 !== 0) ctx.addIssue({ code: "custom", path: ["minute"], message: "minute must be aligned to a whole minute (seconds = 0)" });
  })
  .transform((v) => ({ sli: v.sli, minute: new Date(v.minute), total: v.total, good: v.good ?? v.total - (v.bad ?? 0) }));
export type IngestItem = z.output<typeof ingestItemSchema>;

export type IngestRejection = { index: number; field: string; reason: string };
export type IngestResult = { accepted: number; rejected: IngestRejection[] };
