// The alert settings of an SLO as stored in `slos.alerting` (JSON; prisma/schema.prisma) and as
// the definitions model carries them (AlertingDef, lib/domain/definitions.ts). Absent fields take
// the defaults of defaultAlerting(), so the column's default `{}` means "page and ticket on, every
// channel". A stored value that does not parse is an error for that SLO (catalog.ts
// alertingOf), never replaced by the defaults.
import { z } from "zod";
import { defaultAlerting, type AlertingDef } from "../domain/definitions";
import { alertRuleProblems, lookbacks, type Lookback } from "../domain/burn-rate";

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

const windowName = z.enum(Object.keys(lookbacks) as [Lookback, ...Lookback[]], { error: `must be one of the windows Burnrate counts: ${Object.keys(lookbacks).join(", ")}` });
const positive = (what: string) => z.number({ error: `must be a number (${what})` }).gt(0, `must be above 0 (${what})`);

/** One row's overrides (lib/domain/burn-rate.ts AlertRuleOverride); an empty object keeps the workbook's row. */
export const alertRuleOverrideSchema = z.strictObject({
  enabled: z.boolean({ error: "must be true or false" }).optional(),
  long: windowName.optional(),
  short: windowName.optional(),
  factor: positive("the burn rate both windows must exceed").optional(),
  budgetPercent: positive("the share of the budget spent when it fires").max(100, "must be at most 100").optional(),
});

/** The table's overrides, row by row, checked together (short < long needs both). */
export const alertRulesSchema = z
  .array(alertRuleOverrideSchema)
  .max(4, "the table has 4 rows")
  .superRefine((rules, ctx) => {
    for (const p of alertRuleProblems(rules)) ctx.addIssue({ code: "custom", message: p.message, path: p.field.replace(/^rules/, "").split(/[.[\]]+/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k)) });
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
  rules: alertRulesSchema.default(() => []),
  noData: z.strictObject({ enabled: z.boolean({ error: "must be true or false" }).default(false) }).default(() => defaultAlerting().noData),
  budgetBelow: z
    .strictObject({
      enabled: z.boolean({ error: "must be true or false" }).default(false),
      percent: z.number({ error: "must be a number" }).gt(0, "must be above 0 %").lt(100, "must be below 100 %").default(25),
    })
    .default(() => defaultAlerting().budgetBelow),
}) satisfies z.ZodType<AlertingDef, unknown>;
