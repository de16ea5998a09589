// Data sources by hand: a named Prometheus-compatible server SLIs can refer to (OpenSLO
// `DataSource`). The Authorization header is write-only: stored, never shown or exported.
import { z } from "zod";

export const dataSourceTypes = ["Prometheus", "Thanos", "Mimir", "VictoriaMetrics", "Cortex"] as const;

/** An OpenSLO metadata.name: a DNS label, so files can name it. */
const dataSourceName = z
  .string({ error: "Give the data source a name, e.g. prom-main" })
  .trim()
  .min(1, "Give the data source a name, e.g. prom-main")
  .max(63, "Use at most 63 characters for the name")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "Use lowercase letters, digits and dashes for the name, e.g. prom-main");
const url = z.url({ protocol: /^https?$/, error: "Give the server's http(s) URL, e.g. http://prometheus:9090" }).max(2000, "Use at most 2,000 characters for the URL");
const labels = z.record(z.string().max(100, "Use at most 100 characters for a label's name"), z.string().max(1000, "Use at most 1,000 characters for a label's value"), { error: "Give labels as names and text values" });
const fields = {
  displayName: z.string().trim().max(100, "Use at most 100 characters for the display name"),
  description: z.string().trim().max(2000, "Use at most 2,000 characters for the description"),
  type: z.enum(dataSourceTypes, { error: `Pick the type: ${dataSourceTypes.join(", ")}` }),
  url,
  labels,
  /** Sent as the Authorization header, e.g. "Bearer abc"; stored, never shown again. null clears it. */
  authHeader: z.string().max(4096, "Use at most 4,096 characters for the header").nullable(),
};

export const createDataSourceSchema = z.strictObject({
  name: dataSourceName,
  displayName: fields.displayName.default(""),
  description: fields.description.default(""),
  type: fields.type.default("Prometheus"),
  url: fields.url,
  labels: fields.labels.default({}),
  authHeader: fields.authHeader.optional(),
});
export type CreateDataSourceInput = z.output<typeof createDataSourceSchema>;

/** Absent fields stay as they are; `authHeader: null` removes the header. */
export const updateDataSourceSchema = z.strictObject({
  displayName: fields.displayName.optional(),
  description: fields.description.optional(),
  type: fields.type.optional(),
  url: fields.url.optional(),
  labels: fields.labels.optional(),
  authHeader: fields.authHeader.optional(),
});
export type UpdateDataSourceInput = z.output<typeof updateDataSourceSchema>;

export const dataSourceViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string(),
  description: z.string(),
  type: z.string(),
  url: z.string(),
  labels: z.record(z.string(), z.string()),
  hasAuthHeader: z.boolean(),
  /** Made by an SLO-as-code apply (a later apply with prune may remove it) rather than by hand. */
  createdByApply: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DataSourceView = z.infer<typeof dataSourceViewSchema>;
