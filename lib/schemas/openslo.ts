// Validation of OpenSLO documents arriving for import (https://github.com/OpenSLO/OpenSLO, README.md
// is the spec): one schema per kind and apiVersion. They check shapes only and keep every field the
// conversion needs; what Burnrate can represent (metric source types, windows, alert conditions) is
// judged by lib/domain/openslo.ts, which says why in a sentence. Unknown fields are ignored, as
// OpenSLO leaves vendor fields to implementations.
import { z } from "zod";
import type { OsAlertCondition, OsAlertPolicy, OsDataSource, OsIndicator, OsMetadata, OsMetricSource, OsObjective, OsService, OsSlo, OsTarget } from "../domain/openslo";

const text = (max: number, what: string) => z.string({ error: (iss) => (iss.input === undefined || iss.input === null ? `Give ${what}` : `Give ${what} as text`) }).max(max, `Use at most ${max.toLocaleString("en-US")} characters for ${what}`);
// OpenSLO limits descriptions to 1,050 characters; Burnrate keeps up to 2,000.
const description = text(2000, "the description").nullish().transform((v) => v ?? "");
const labelValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/** metadata: name, displayName, labels (a string or a list of strings per key, as the spec allows), annotations. */
const metadata: z.ZodType<OsMetadata, unknown> = z.object({
  name: text(253, "the name").min(1, "Give the document a name"),
  displayName: text(200, "the display name").nullish().transform((v) => v ?? ""),
  labels: z
    .record(z.string(), z.union([labelValue, z.array(labelValue)]), { error: "Give labels as a mapping of names to a text or a list of texts" })
    .nullish()
    .transform((v) => v ?? {}),
  annotations: z
    .record(z.string(), labelValue, { error: "Give annotations as a mapping of names to texts" })
    .nullish()
    .transform((v) => v ?? {}),
});

const metricSource: z.ZodType<OsMetricSource, unknown> = z
  .object(
    {
      metricSource: z.object(
        {
          metricSourceRef: text(253, "the metricSourceRef").nullish().transform((v) => v ?? null),
          type: text(100, "the type").nullish().transform((v) => v ?? null),
          spec: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {}),
        },
        { error: "Give the metricSource with its type and spec" },
      ),
    },
    { error: "Give a metricSource" },
  )
  .transform((v) => v.metricSource);

const indicatorSpec = z.object(
  {
    description,
    ratioMetric: z
      .object({
        counter: z.boolean({ error: "Give counter as true or false" }).nullish().transform((v) => v ?? null),
        good: metricSource.nullish().transform((v) => v ?? null),
        bad: metricSource.nullish().transform((v) => v ?? null),
        total: metricSource.nullish().transform((v) => v ?? null),
        rawType: z.string().nullish().transform((v) => v ?? null),
        raw: metricSource.nullish().transform((v) => v ?? null),
      })
      .nullish()
      .transform((v) => v ?? null),
    thresholdMetric: metricSource.nullish().transform((v) => v ?? null),
  },
  { error: "Give the indicator's spec with a ratioMetric or a thresholdMetric" },
);

const indicator: z.ZodType<OsIndicator, unknown> = z.object({ metadata, spec: indicatorSpec.nullish().transform((v) => v ?? { description: "", ratioMetric: null, thresholdMetric: null }) });

const num = (what: string) => z.number({ error: `Give ${what} as a number` }).nullish().transform((v) => v ?? null);

const objective: z.ZodType<OsObjective, unknown> = z
  .object({
    displayName: text(200, "the display name").nullish(),
    name: text(200, "the name").nullish(),
    op: z.string().nullish().transform((v) => v ?? null),
    value: num("the value"),
    target: num("the target"),
    targetPercent: num("the targetPercent"),
    timeSliceTarget: num("the timeSliceTarget"),
    timeSliceWindow: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? null : String(v))),
    // Composite SLOs (docs/composite-slos.md): the objective's own indicator and its weight.
    indicator: indicator.nullish(),
    indicatorRef: text(253, "the indicatorRef").nullish(),
    compositeWeight: z.number({ error: "Give the compositeWeight as a number above 0" }).positive("Give the compositeWeight as a number above 0").nullish(),
  })
  .transform((o) => ({
    displayName: o.displayName ?? "",
    name: o.name ?? "",
    op: o.op,
    value: o.value,
    target: o.target,
    targetPercent: o.targetPercent,
    timeSliceTarget: o.timeSliceTarget,
    timeSliceWindow: o.timeSliceWindow,
    composite: (o.indicator ?? null) !== null || (o.indicatorRef ?? null) !== null || (o.compositeWeight ?? null) !== null,
    indicator: o.indicator ?? null,
    indicatorRef: o.indicatorRef ?? null,
    compositeWeight: o.compositeWeight ?? null,
  }));

const timeWindow = z.object({
  duration: z.union([z.string(), z.number()], { error: "Give the duration, e.g. 28d or 1M" }).transform(String),
  isRolling: z.boolean({ error: "Give isRolling as true or false" }).nullish().transform((v) => v ?? null),
  calendar: z
    .object({
      startTime: z.union([z.string(), z.date()], { error: "Give the startTime, e.g. 2024-01-01 00:00:00" }).transform((v) => (typeof v === "string" ? v : v.toISOString())),
      timeZone: text(100, "the time zone").nullish().transform((v) => v ?? "UTC"),
    })
    .nullish()
    .transform((v) => v ?? null),
});

const alertCondition: z.ZodType<OsAlertCondition, unknown> = z.object({
  metadata,
  spec: z.object({
    description,
    severity: text(100, "the severity").min(1, "Give the severity"),
    condition: z.object(
      {
        kind: z.string({ error: "Give the condition's kind: burnrate" }),
        op: z.string().nullish().transform((v) => v ?? null),
        threshold: z.number({ error: "Give the threshold (the burn rate) as a number" }),
        lookbackWindow: z.union([z.string(), z.number()], { error: "Give the lookbackWindow, e.g. 1h" }).transform(String),
        alertAfter: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? "" : String(v))),
      },
      { error: "Give the condition: kind burnrate, op, threshold, lookbackWindow and alertAfter" },
    ),
  }),
});

const target: z.ZodType<OsTarget, unknown> = z.object({
  metadata,
  spec: z.object({ description, target: text(200, "the target").min(1, "Give the target") }, { error: "Give the spec with its target" }),
});

const inlineKind = (kind: string) => z.literal(kind, { error: `Give kind: ${kind} for an inline ${kind}` });

const alertPolicySpec = z.object({
  description,
  alertWhenNoData: z.boolean().nullish().transform((v) => v ?? false),
  alertWhenResolved: z.boolean().nullish().transform((v) => v ?? false),
  alertWhenBreaching: z.boolean().nullish().transform((v) => v ?? false),
  conditions: z
    .array(
      z.union(
        [
          z.object({ conditionRef: text(253, "the conditionRef").min(1) }).transform((v) => ({ ref: v.conditionRef })),
          z.object({ kind: inlineKind("AlertCondition"), metadata, spec: z.unknown() }).transform((v, ctx) => {
            const r = alertCondition.safeParse(v);
            if (r.success) return { inline: r.data };
            for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
            return z.NEVER;
          }),
        ],
        { error: "Give each condition as conditionRef: <name> or an inline AlertCondition (kind, metadata, spec)" },
      ),
      { error: (iss) => (iss.input === undefined || iss.input === null ? "Give at least one condition (conditionRef or an inline AlertCondition)" : "Give the conditions as a list") },
    )
    .min(1, "Give at least one condition"),
  notificationTargets: z
    .array(
      z.union(
        [
          z.object({ targetRef: text(253, "the targetRef").min(1) }).transform((v) => ({ ref: v.targetRef })),
          z.object({ kind: inlineKind("AlertNotificationTarget"), metadata, spec: z.unknown() }).transform((v, ctx) => {
            const r = target.safeParse(v);
            if (r.success) return { inline: r.data };
            for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
            return z.NEVER;
          }),
        ],
        { error: "Give each notification target as targetRef: <name> or an inline AlertNotificationTarget (kind, metadata, spec)" },
      ),
      { error: "Give the notificationTargets as a list" },
    )
    .nullish()
    .transform((v) => v ?? []),
});

const alertPolicy: z.ZodType<OsAlertPolicy, unknown> = z.object({ metadata, spec: alertPolicySpec });

const sloSpec = z.object({
  description,
  service: text(253, "the service").min(1, "Give the service the SLO belongs to"),
  indicator: indicator.nullish().transform((v) => v ?? null),
  indicatorRef: text(253, "the indicatorRef").nullish().transform((v) => v ?? null),
  timeWindow: z.array(timeWindow, { error: "Give exactly one time window, e.g. [{ duration: 28d, isRolling: true }]" }).length(1, "Give exactly one time window"),
  budgetingMethod: z.string({ error: "Give the budgetingMethod: Occurrences, Timeslices or RatioTimeslices" }),
  objectives: z.array(objective, { error: "Give the objectives as a list" }).min(1, "Give at least one objective"),
  alertPolicies: z
    .array(
      z.union(
        [
          z.string().min(1).transform((ref) => ({ ref })),
          z.object({ alertPolicyRef: z.string().min(1) }).transform((v) => ({ ref: v.alertPolicyRef })),
          z.object({ kind: inlineKind("AlertPolicy"), metadata, spec: alertPolicySpec }).transform((v) => ({ inline: { metadata: v.metadata, spec: v.spec } })),
        ],
        { error: "Give each alert policy as its name, alertPolicyRef: <name>, or an inline AlertPolicy (kind, metadata, spec)" },
      ),
    )
    .nullish()
    .transform((v) => v ?? []),
});

const sloV1: z.ZodType<OsSlo, unknown> = z.object({ metadata, spec: sloSpec }).transform((v) => ({ ...v, alpha: false }));

const service: z.ZodType<OsService, unknown> = z.object({ metadata, spec: z.object({ description }).nullish().transform((v) => v ?? { description: "" }) });

const dataSource: z.ZodType<OsDataSource, unknown> = z.object({
  metadata,
  spec: z.object({
    description,
    type: text(100, "the type").min(1, "Give the type, e.g. Prometheus"),
    connectionDetails: z.record(z.string(), z.unknown(), { error: "Give the connectionDetails with the server's url" }).nullish().transform((v) => v ?? {}),
  }),
});

// --- openslo/v1alpha (what Sloth reads): one indicator per SLO, in the objectives' ratioMetrics or
// in spec.indicator.thresholdMetric; windows as count and unit. Converted to the v1 shape here, with
// the v1alpha field names kept for messages (OsSlo.alpha).
const alphaSource = z
  .object({
    source: text(100, "the source").min(1, "Give the source, e.g. prometheus"),
    queryType: z.string().nullish(),
    query: text(4000, "the query").min(1, "Give the query"),
  })
  .transform((v): OsMetricSource => ({ metricSourceRef: null, type: v.source, spec: { query: v.query, ...(v.queryType ? { queryType: v.queryType } : {}) } }));
const alphaRatio = z.object({
  counter: z.boolean().nullish(),
  incremental: z.boolean().nullish(),
  good: alphaSource.nullish(),
  bad: alphaSource.nullish(),
  total: alphaSource,
});
const alphaUnits: Record<string, string> = { Second: "s", Minute: "m", Hour: "h", Day: "d", Week: "w", Month: "M", Quarter: "Q", Year: "Y" };

const sloAlpha: z.ZodType<OsSlo, unknown> = z
  .object({
    metadata,
    spec: z.object({
      description,
      service: text(253, "the service").min(1, "Give the service the SLO belongs to"),
      indicator: z.object({ thresholdMetric: alphaSource }).nullish(),
      timeWindows: z
        .array(
          z.object({
            count: z.number({ error: "Give count as a whole number" }).int("Give count as a whole number").positive("Give count above 0"),
            unit: z.string({ error: "Give the unit: Day, Week, Month or Quarter" }),
            isRolling: z.boolean().nullish(),
            calendar: z.object({ startTime: z.union([z.string(), z.date()]).transform((v) => (typeof v === "string" ? v : v.toISOString())), timeZone: z.string().nullish() }).nullish(),
          }),
          { error: "Give exactly one time window in timeWindows" },
        )
        .length(1, "Give exactly one time window"),
      budgetingMethod: z.string({ error: "Give the budgetingMethod: Occurrences or Timeslices" }),
      objectives: z
        .array(z.record(z.string(), z.unknown(), { error: "Give each objective as a mapping" }), { error: "Give the objectives as a list" })
        .min(1, "Give at least one objective"),
    }),
  })
  .transform((v, ctx): OsSlo => {
    const objectives: OsObjective[] = [];
    v.spec.objectives.forEach((o, i) => {
      const r = objective.safeParse(o);
      if (r.success) objectives.push(r.data);
      else for (const issue of r.error.issues) ctx.addIssue({ code: "custom", path: ["spec", "objectives", i, ...issue.path], message: issue.message });
    });
    const ratios = v.spec.objectives.map((o, i) => {
      if (o.ratioMetrics === undefined || o.ratioMetrics === null) return null;
      const r = alphaRatio.safeParse(o.ratioMetrics);
      if (r.success) return r.data;
      for (const issue of r.error.issues) ctx.addIssue({ code: "custom", path: ["spec", "objectives", i, "ratioMetrics", ...issue.path], message: issue.message });
      return null;
    });
    const first = ratios[0] ?? null;
    if (ratios.some((r) => JSON.stringify(r) !== JSON.stringify(first)))
      ctx.addIssue({ code: "custom", path: ["spec", "objectives", 1, "ratioMetrics"], message: "Burnrate reads one indicator per SLO: objectives with different ratioMetrics must be separate SLO documents" });
    const w = v.spec.timeWindows[0]!;
    const ratioMetric = first && {
      counter: first.counter ?? first.incremental ?? null,
      good: first.good ?? null,
      bad: first.bad ?? null,
      total: first.total,
      rawType: null,
      raw: null,
    };
    return {
      alpha: true,
      metadata: v.metadata,
      spec: {
        description: v.spec.description,
        service: v.spec.service,
        indicator: { metadata: { name: v.metadata.name, displayName: v.metadata.displayName, labels: {}, annotations: {} }, spec: { description: "", ratioMetric, thresholdMetric: v.spec.indicator?.thresholdMetric ?? null } },
        indicatorRef: null,
        timeWindow: [
          {
            duration: `${w.count}${alphaUnits[w.unit] ?? ` ${w.unit}`}`,
            isRolling: w.isRolling ?? null,
            calendar: w.calendar ? { startTime: w.calendar.startTime, timeZone: w.calendar.timeZone ?? "UTC" } : null,
          },
        ],
        budgetingMethod: v.spec.budgetingMethod,
        objectives,
        alertPolicies: [],
      },
    };
  });

/** The schema of each kind Burnrate reads, by apiVersion. */
export const openSloSchemas = {
  "openslo/v1": { Service: service, SLI: indicator, SLO: sloV1, DataSource: dataSource, AlertPolicy: alertPolicy, AlertCondition: alertCondition, AlertNotificationTarget: target },
  "openslo/v1alpha": { Service: service, SLO: sloAlpha },
} as const;

export const MAX_OPENSLO_BYTES = 1024 * 1024;
