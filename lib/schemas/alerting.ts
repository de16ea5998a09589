// The alert settings of an SLO as stored in `slos.alerting` (JSON; prisma/schema.prisma) and as
// the definitions model carries them (AlertingDef, lib/domain/definitions.ts). Absent fields take
// the defaults of defaultAlerting(), so the column's default `{}` means "page and ticket on, every
// channel". A stored value that does not parse is an error for that SLO (catalog.ts
// alertingOf), never replaced by the defaults.
import { z } from "zod";
import { defaultAlerting, type AlertingDef } from "../domain/definitions";

const labels = z.record(z.string(), z.string({ error: "must be text" }), { error: "must be a mapping of names to text" });
const severity = z.strictObject({ enabled: z.boolean({ error: "must be true or false" }).default(true), labels: labels.default(() => ({})), annotations: labels.default(() => ({})) });

const policy = z.strictObject({
  name: z.string(),
  displayName: z.string().default(""),
  description: z.string().default(""),
  alertWhenBreaching: z.boolean().default(true),
  alertWhenResolved: z.boolean().default(false),
  alertWhenNoData: z.boolean().default(false),
  conditions: z
    .array(
      z.strictObject({
        name: z.string(),
        displayName: z.string().default(""),
        description: z.string().default(""),
        severity: z.enum(["page", "ticket"], { error: "must be page or ticket" }),
        threshold: z.number(),
        lookbackWindow: z.string(),
        alertAfter: z.string(),
      }),
    )
    .default([]),
  targets: z.array(z.strictObject({ name: z.string(), displayName: z.string().default(""), description: z.string().default(""), target: z.string() })).default([]),
});

export const alertingSchema = z.strictObject({
  page: severity.default(() => defaultAlerting().page),
  ticket: severity.default(() => defaultAlerting().ticket),
  name: z.string().nullable().default(null),
  labels: labels.default(() => ({})),
  annotations: labels.default(() => ({})),
  /** Channel names; empty means every channel of the team. */
  channels: z.array(z.string().min(1, "a channel name cannot be empty")).default(() => []),
  policies: z.array(policy).default(() => []),
}) satisfies z.ZodType<AlertingDef, unknown>;
