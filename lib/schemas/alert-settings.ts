// An SLO's alert settings as the SLO page edits them (docs/alerting.md), the backtest's request,
// and both answers. Stored in `slos.alerting` (lib/schemas/alerting.ts) and `slos.min_events`.
import { z } from "zod";
import { alertRulesSchema } from "./alerting";
import { baseUpdatedAt, minEventsSchema } from "./catalog";

const onOff = z.strictObject({ enabled: z.boolean({ error: "must be true or false" }) });

/** What the settings form sends: the rows' overrides, the severities, the low-traffic guard and the two extra alert kinds. */
export const alertSettingsInputSchema = z.strictObject({
  rules: alertRulesSchema,
  page: onOff,
  ticket: onOff,
  minEvents: minEventsSchema,
  noData: onOff,
  budgetBelow: z.strictObject({
    enabled: z.boolean({ error: "must be true or false" }),
    percent: z.number({ error: "must be a number" }).gt(0, "must be above 0 %").lt(100, "must be below 100 %"),
  }),
  baseUpdatedAt,
});
export type AlertSettingsInput = z.infer<typeof alertSettingsInputSchema>;

/** Settings to try in the backtest: the same fields; none of them is stored. */
export const proposedAlertSettingsSchema = alertSettingsInputSchema.omit({ baseUpdatedAt: true, noData: true, budgetBelow: true });

const instant = (what: string) => z.iso.datetime({ offset: true, error: `must be an ISO 8601 instant (${what})` }).transform((v) => new Date(v));

export const alertBacktestInputSchema = z.strictObject({
  /** Default: the compliance window ending now. At most the window plus the longest lookback (3 d). */
  from: instant("the range's start").optional(),
  to: instant("the range's end").optional(),
  proposed: proposedAlertSettingsSchema.optional(),
  /** A firing is noise when it overlaps no incident widened by this margin. */
  noiseMarginMinutes: z.number({ error: "must be a number of minutes" }).int("must be whole minutes").min(0, "cannot be negative").max(1440, "is at most 1,440 minutes").default(60),
});
export type AlertBacktestInput = z.infer<typeof alertBacktestInputSchema>;

const window = z.object({ minutes: z.number(), name: z.string() });
const effectiveRuleView = z.object({
  tier: z.number(),
  severity: z.enum(["page", "ticket"]),
  enabled: z.boolean(),
  notifies: z.boolean(),
  long: window,
  short: window,
  factor: z.number(),
  budgetPercent: z.number(),
  workbook: z.object({ long: window, short: window, factor: z.number(), budgetPercent: z.number() }),
  reason: z.string(),
});

export const alertSettingsViewSchema = z.object({
  periodMinutes: z.number(),
  /** The windows a row may use: the lookbacks Burnrate counts. */
  windows: z.array(window),
  rules: z.array(effectiveRuleView),
  /** The stored overrides, as the form edits them. */
  overrides: alertRulesSchema,
  page: onOff,
  ticket: onOff,
  minEvents: z.number(),
  noData: onOff,
  budgetBelow: z.object({ enabled: z.boolean(), percent: z.number() }),
  shortWindowReason: z.string(),
  updatedAt: z.string(),
});
export type AlertSettingsView = z.infer<typeof alertSettingsViewSchema>;

const firing = z.object({ tier: z.number(), severity: z.enum(["page", "ticket"]), longMinutes: z.number(), shortMinutes: z.number(), factor: z.number(), start: z.string(), end: z.string().nullable(), noise: z.boolean() });
const reportView = z.object({
  rules: z.array(effectiveRuleView),
  firings: z.array(firing),
  incidents: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      startedAt: z.string(),
      endedAt: z.string(),
      delays: z.array(z.object({ tier: z.number(), severity: z.enum(["page", "ticket"]), delayMinutes: z.number().nullable() })),
      firstAlertMinutes: z.number().nullable(),
    }),
  ),
  unalerted: z.object({ badEvents: z.number(), budgetShare: z.number().nullable() }),
  badEvents: z.number(),
  noise: z.number(),
});
export const alertBacktestViewSchema = z.object({
  from: z.string(),
  to: z.string(),
  minutes: z.number(),
  noiseMarginMinutes: z.number(),
  current: reportView,
  proposed: reportView.nullable(),
  comparison: z
    .object({
      firings: z.object({ current: z.number(), proposed: z.number() }),
      noise: z.object({ current: z.number(), proposed: z.number() }),
      unalertedBudgetShare: z.object({ current: z.number().nullable(), proposed: z.number().nullable() }),
      incidents: z.array(z.object({ id: z.string(), title: z.string(), current: z.number().nullable(), proposed: z.number().nullable(), change: z.number().nullable() })),
    })
    .nullable(),
});
export type AlertBacktestView = z.infer<typeof alertBacktestViewSchema>;
