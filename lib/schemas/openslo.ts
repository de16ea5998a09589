// Validation of OpenSLO v1 documents arriving for import (lib/domain/openslo.ts converts them).
import { z } from "zod";

const name = z
  .string()
  .min(1)
  .max(63, "must be at most 63 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label: lowercase letters, digits and dashes");
const metadata = z.object({
  name,
  displayName: z.string().max(100).default(""),
  annotations: z.record(z.string(), z.string().max(1000)).optional(),
  labels: z.unknown().optional(),
});
const metricSource = z.object({
  metricSource: z.object({ type: z.string().max(100), spec: z.record(z.string(), z.string().max(2000)) }),
});
const base = { apiVersion: z.literal("openslo/v1", { error: 'must be "openslo/v1"' }), metadata };

export const openSloDocSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ ...base, kind: z.literal("Service"), spec: z.object({ description: z.string().max(2000).default("") }).default({ description: "" }) }),
    z.object({
      ...base,
      kind: z.literal("SLI"),
      spec: z.object({
        description: z.string().max(2000).default(""),
        ratioMetric: z.object({ counter: z.boolean().default(true), good: metricSource, total: metricSource }, { error: "Burnrate imports ratio SLIs (spec.ratioMetric with good and total)" }),
      }),
    }),
    z.object({
      ...base,
      kind: z.literal("SLO"),
      spec: z.object({
        description: z.string().max(2000).default(""),
        service: name,
        indicatorRef: name,
        timeWindow: z.array(z.object({ duration: z.string().max(20), isRolling: z.boolean(), calendar: z.object({ startTime: z.string(), timeZone: z.string() }).optional() })).length(1, "exactly one time window"),
        budgetingMethod: z.enum(["Occurrences", "Timeslices"], { error: "must be Occurrences or Timeslices" }),
        objectives: z
          .array(
            z.object({
              displayName: z.string().max(100).default(""),
              target: z.number().gt(0, "must be between 0 and 1").lt(1, "must be between 0 and 1"),
              timeSliceTarget: z.number().gt(0).lt(1).optional(),
              timeSliceWindow: z.string().max(20).optional(),
            }),
          )
          .length(1, "Burnrate SLOs have exactly one objective"),
      }),
    }),
  ],
  { error: "kind must be Service, SLI or SLO" },
);
export type OpenSloDocInput = z.output<typeof openSloDocSchema>;

export const MAX_OPENSLO_BYTES = 1024 * 1024;
export const MAX_OPENSLO_DOCUMENTS = 2000;
