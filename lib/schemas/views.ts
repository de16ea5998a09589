// Shapes of the API's responses that pages read too: one definition for server and browser.
// Each is a zod schema and its type is the schema's output, so the services that build a view,
// the OpenAPI document (lib/server/openapi.ts, `response`) and the recorded-response check of the
// test suites (lib/server/testing/api-responses.ts) describe the same thing.
import { z } from "zod";
import { changeTypes, gateDecisions, type Policy } from "../domain/policy";
import { alertBadges } from "../domain/risk";
import { tiers } from "../domain/tier";
import { incidentRoles } from "../domain/postmortem";
import type { SloWindow } from "../domain/window";
import type { IntegrityKind } from "../domain/sli-integrity";

/** An instant as JSON carries it (Date.prototype.toISOString). */
export const instant = z.iso.datetime({ offset: true });
const nullableInstant = instant.nullable();
const named = z.object({ slug: z.string(), name: z.string() });

export const tierSchema = z.enum(tiers);
export const gateDecisionSchema = z.enum(gateDecisions);
export const changeTypeSchema = z.enum(changeTypes);
export const alertStateSchema = z.enum(["page", "ticket", "ok", "no_data"]);
const severity = z.enum(["page", "ticket"]);

export const sloWindowViewSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("rolling"), days: z.number() }),
  z.object({ kind: z.literal("calendar"), unit: z.enum(["week", "month", "quarter"]), timeZone: z.string() }),
]) satisfies z.ZodType<SloWindow>;

/** The policy as stored and shown (lib/schemas/policy.ts policySchema is the one that edits it). */
export const storedPolicySchema = z.object({
  thresholds: z.object({ caution: z.number(), freeze: z.number() }),
  allowed: z.object({ freeze: z.array(changeTypeSchema), halted: z.array(changeTypeSchema) }),
  cautionFeatures: z.enum(["warn", "deny"]),
  noData: gateDecisionSchema,
  unknownService: gateDecisionSchema,
  unknownEnvironment: gateDecisionSchema,
  environments: z.object({ gated: z.array(z.string()), ungated: z.array(z.string()) }),
  missingPostmortemBlocksFeatures: z.boolean(),
  maxOverrideHours: z.number(),
  selfApproval: z.boolean(),
  overdueP0: z.object({ action: z.enum(["off", "warn", "deny"]), afterDays: z.number() }),
}) satisfies z.ZodType<Policy>;

export const sloViewSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  sli: z.object({ id: z.string(), slug: z.string(), kind: z.string() }),
  objective: z.string(),
  window: sloWindowViewSchema,
  minEvents: z.number(),
  createdAt: instant,
  updatedAt: instant,
  /** When it was archived (lib/domain/archive.ts), or null while live. */
  archivedAt: nullableInstant,
});
export type SloView = z.infer<typeof sloViewSchema>;

const remainingBudgetSchema = z.discriminatedUnion("state", [z.object({ state: z.literal("no_data") }), z.object({ state: z.literal("ok"), remaining: z.number(), sli: z.number() })]);
const ruleEvaluationSchema = z.object({
  /** The row of the burn-rate table (0-3); the SLO's alert settings may have changed it (docs/alerting.md). */
  tier: z.number(),
  /** The row is on; `notifies`: on, and its severity too. */
  enabled: z.boolean(),
  notifies: z.boolean(),
  /** The workbook's row for this period, beside the effective values. */
  workbook: z.object({ severity, longMinutes: z.number(), shortMinutes: z.number(), budgetPercent: z.number(), factor: z.number() }),
  severity,
  longMinutes: z.number(),
  shortMinutes: z.number(),
  budgetPercent: z.number(),
  factor: z.number(),
  longBurnRate: z.number().nullable(),
  shortBurnRate: z.number().nullable(),
  longAbove: z.boolean(),
  shortAbove: z.boolean(),
  firing: z.boolean(),
  lowTraffic: z.boolean(),
});
const lookbackKeys = ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "window"] as const;
const freshnessSchema = z.object({ state: z.enum(["fresh", "stale", "no_data"]), lastDataAt: nullableInstant, reason: z.string().nullable() });
// The kinds as a literal (a type import only: the domain module carries the PromQL parser, which
// the browser bundle does not need); the check below fails to compile if the two lists differ.
const integrityKindList = ["good_over_total", "negative_counts", "raw_counter", "denominator_collapse", "short_coverage", "member_late"] as const;
const sameKinds: [IntegrityKind[], (typeof integrityKindList)[number][]] = [[] as (typeof integrityKindList)[number][], [] as IntegrityKind[]];
void sameKinds;
/** lib/domain/sli-integrity.ts Integrity: "uncertain" with one finding per reason the numbers may be wrong (docs/integrity.md). */
export const integritySchema = z.object({
  state: z.enum(["ok", "uncertain"]),
  findings: z.array(
    z.object({
      kind: z.enum(integrityKindList),
      reason: z.string(),
      /** When the evidence begins; null for a property of the definition (a query). */
      since: nullableInstant,
    }),
  ),
}).describe(
  'Whether the SLO\'s numbers can be trusted (docs/integrity.md): "uncertain" when the source gave more good than total events or negative counts, a query reads a raw counter, the last hour\'s events fell below 10 % of that hour\'s usual volume, or the data covers less than the window; each finding has a reason sentence.',
);

/** lib/domain/slo-status.ts SloStatus as JSON: instants as ISO strings. */
export const sloStatusViewSchema = z.object({
  at: instant,
  windowStart: instant,
  windowEnd: instant,
  good: z.number(),
  total: z.number(),
  sli: z.number().nullable(),
  budget: remainingBudgetSchema,
  badEvents: z.number(),
  allowedBadEvents: z.number(),
  budgetMinutes: z.number(),
  spentMinutes: z.number().nullable(),
  leftMinutes: z.number().nullable(),
  burnRates: z.object(Object.fromEntries(lookbackKeys.map((k) => [k, z.number().nullable()])) as Record<(typeof lookbackKeys)[number], z.ZodNullable<z.ZodNumber>>),
  alerts: z.object({ state: alertStateSchema, rules: z.array(ruleEvaluationSchema) }),
  timeToExhaustionMinutes: z.number().nullable(),
  exhaustionHorizonMinutes: z.number(),
  tier: tierSchema,
  freshness: freshnessSchema,
  integrity: integritySchema,
  error: z.string().nullable(),
});
export type SloStatusView = z.infer<typeof sloStatusViewSchema>;

/** The part of an SLO's status a list row shows (the whole status is on the SLO's own endpoint). */
export const overviewStatusViewSchema = sloStatusViewSchema.pick({ sli: true, budget: true, tier: true, total: true, timeToExhaustionMinutes: true, exhaustionHorizonMinutes: true, integrity: true, error: true }).extend({
  alerts: z.object({ state: alertStateSchema }),
  freshness: freshnessSchema.pick({ state: true, lastDataAt: true }),
  burnRate1h: z.number().nullable(),
});
export type OverviewStatusView = z.infer<typeof overviewStatusViewSchema>;

export const overviewRowSchema = z.object({
  team: named,
  service: named,
  slo: sloViewSchema.pick({ id: true, slug: true, name: true, objective: true, window: true }),
  /** The grouped SLO this row is a member of (docs/grouped-slos.md): its slug, name, label and this member's value. */
  group: z.object({ slug: z.string(), name: z.string(), key: z.string(), value: z.string() }).nullable(),
  status: overviewStatusViewSchema,
  badge: z.enum(alertBadges),
  /** When the alert firing now began (lib/domain/alert-history.ts); null when none fires. */
  firingSince: nullableInstant,
  /** Remaining budget at the end of each UTC day of the window so far (null: no events yet). */
  sparkline: z.array(z.number().nullable()),
});
export type OverviewRow = z.infer<typeof overviewRowSchema>;

/** An object with its instants as ISO strings, as JSON carries them. */
const blockerSlo = z.object({ id: z.string(), slug: z.string().optional(), name: z.string() });
export const gateBlockerViewSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("budget"), text: z.string(), decision: gateDecisionSchema, slo: blockerSlo, tier: tierSchema }),
  z.object({ kind: z.literal("freeze"), text: z.string(), decision: gateDecisionSchema, freeze: z.object({ id: z.string(), endsAt: instant, reason: z.string() }) }),
  z.object({ kind: z.literal("postmortem"), text: z.string(), decision: gateDecisionSchema, incident: z.object({ incidentId: z.string().optional(), incidentTitle: z.string() }) }),
  z.object({ kind: z.literal("policy"), text: z.string(), decision: gateDecisionSchema }),
  z.object({ kind: z.literal("action_item"), text: z.string(), decision: gateDecisionSchema, item: z.object({ id: z.string(), title: z.string(), dueDate: z.string(), postmortemId: z.string(), incidentTitle: z.string() }) }),
  z.object({ kind: z.literal("analysis"), text: z.string(), decision: gateDecisionSchema, analysisId: z.string() }),
  z.object({ kind: z.enum(["unknown_service", "no_data", "environment"]), text: z.string(), decision: gateDecisionSchema }),
]);
export const wayStepViewSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("change_types"), text: z.string(), changeTypes: z.array(changeTypeSchema) }),
  z.object({ kind: z.literal("freeze_ends"), text: z.string(), freezeId: z.string(), endsAt: instant }),
  z.object({ kind: z.literal("budget"), text: z.string(), slo: blockerSlo, remaining: z.number(), target: z.number(), needed: z.number(), etaMinutes: z.number().nullable(), resetsAt: nullableInstant }),
  z.object({ kind: z.literal("postmortem"), text: z.string(), incidentId: z.string().nullable(), incidentTitle: z.string() }),
  z.object({ kind: z.literal("action_item"), text: z.string(), itemId: z.string(), postmortemId: z.string() }),
  z.object({ kind: z.literal("policy"), text: z.string() }),
  z.object({ kind: z.literal("setup"), text: z.string() }),
  z.object({ kind: z.literal("override"), text: z.string(), admins: z.array(z.string()), maxHours: z.number(), escalation: z.boolean() }),
]);
/**
 * lib/domain/way-through.ts WayThrough as JSON: `because`, each rule that denied or warned (with
 * what it names: the SLO, the freeze, the incident), and `steps`, what the policy lets through now.
 */
export const wayThroughViewSchema = z.object({ decision: z.enum(["warn", "deny"]), because: z.array(gateBlockerViewSchema), steps: z.array(wayStepViewSchema) });
export type WayThroughView = z.infer<typeof wayThroughViewSchema>;

/**
 * A service's standing: the deploy gate's answer now for a feature deploy to the policy's first
 * gated environment (lib/domain/policy.ts serviceStanding). Every surface shows this one.
 */
export const serviceStandingViewSchema = z.object({
  environment: z.string(),
  changeType: z.literal("feature"),
  decision: gateDecisionSchema,
  tier: tierSchema,
  /** "Feature deploys to production are denied" */
  headline: z.string(),
  reasons: z.array(z.string()),
  /** The one reason that settled it (one of `reasons`), for one-line summaries. */
  because: z.string(),
  decidingSlo: z.object({ id: z.string(), name: z.string() }).nullable(),
  freeze: z.object({ id: z.string(), reason: z.string(), endsAt: instant }).nullable(),
  override: z.object({ id: z.string(), reason: z.string(), approvedBy: z.string(), expiresAt: instant }).nullable(),
  postmortemHold: z.object({ incidentId: z.string(), incidentTitle: z.string() }).nullable(),
  /** The policy judged by; `problem`: it could not be read, and feature deploys are denied until it is saved again. */
  policy: z.object({ scope: z.enum(["default", "team", "service"]), version: z.number(), problem: z.string().nullable() }),
  /** Why a feature deploy is not allowed now and every way through (null when it is allowed). */
  toGetThrough: wayThroughViewSchema.nullable(),
});
export type ServiceStandingView = z.infer<typeof serviceStandingViewSchema>;

export const overrideViewSchema = z.object({
  id: z.string(),
  /** Set where overrides of several teams are listed together (the overview). */
  team: z.string().optional(),
  service: named,
  environment: z.string().nullable(),
  reason: z.string(),
  approvedBy: z.string(),
  escalatedTo: z.string().nullable(),
  expiresAt: instant,
  grantedBy: z.string().nullable(),
  createdAt: instant,
  revokedAt: nullableInstant,
  active: z.boolean(),
});
export type OverrideView = z.infer<typeof overrideViewSchema>;

export const freezeViewSchema = z.object({
  id: z.string(),
  team: z.string().optional(),
  service: named.nullable(),
  environment: z.string().nullable(),
  reason: z.string(),
  startsAt: instant,
  endsAt: instant,
  createdBy: z.string().nullable(),
  cancelledAt: nullableInstant,
  active: z.boolean(),
});
export type FreezeView = z.infer<typeof freezeViewSchema>;

/** Each service with its standing: what the gate answers now for a feature deploy, and why. */
export const overviewTeamSchema = z.object({ slug: z.string(), name: z.string(), role: z.string(), services: z.array(named.extend({ standing: serviceStandingViewSchema })) });
export type OverviewTeam = z.infer<typeof overviewTeamSchema>;
export const overviewSchema = z.object({
  at: instant,
  /** Active overrides and manual freezes of the caller's teams, shown while they last. */
  gate: z.object({ overrides: z.array(overrideViewSchema), freezes: z.array(freezeViewSchema) }),
  teams: z.array(overviewTeamSchema),
  slos: z.array(overviewRowSchema),
  /** Over all the SLOs matching the filters, not only this page's. */
  /** firing: a page or ticket alert; burning: no alert, but the budget is spent or runs out this window. */
  summary: z.object({ slos: z.number(), firing: z.number(), burning: z.number() }),
  /** False for a server-rendered first paint that carries only the rows it shows. */
  complete: z.boolean(),
  /** `slos` is this page of the rows matching the filters; total counts them all, all counts the caller's SLOs before any filter. */
  page: z.object({ number: z.number(), size: z.number(), total: z.number(), pages: z.number(), all: z.number() }),
});
export type Overview = z.infer<typeof overviewSchema>;

export const syncProgressViewSchema = z.object({
  backfillFrom: nullableInstant,
  syncedUntil: nullableInstant,
  lastSyncAt: nullableInstant,
  lastError: z.string().nullable(),
  daysDone: z.number(),
  daysToDo: z.number().nullable(),
  backfill: z.enum(["pending", "backfilling", "done"]),
});
export type SyncProgressView = z.infer<typeof syncProgressViewSchema>;

export const sliViewSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  kind: z.enum(["request_ratio", "latency", "time_slice"]),
  source: z.enum(["push", "prometheus", "composite"]),
  latencyThresholdMs: z.number().nullable(),
  sliceMinutes: z.number().nullable(),
  sliceTarget: z.string().nullable(),
  prometheus: z
    .object({
      /** The SLI's own server; null when a data source gives it (dataSourceId) or none is set yet. */
      url: z.string().nullable(),
      /** The team's data source whose URL and Authorization header the SLI's queries use. */
      dataSourceId: z.string().nullable(),
      goodQuery: z.string().nullable(),
      badQuery: z.string().nullable(),
      totalQuery: z.string().nullable(),
      cohortLabel: z.string().nullable(),
      hasAuthHeader: z.boolean(),
      sync: syncProgressViewSchema,
      /** A latency SLI from a histogram: what goodQuery and totalQuery were generated from (docs/histograms.md). */
      histogram: z.object({ type: z.enum(["classic", "native"]), metric: z.string(), matchers: z.string(), thresholdSeconds: z.number(), le: z.string().nullable() }).nullable(),
      /** A threshold SLI (OpenSLO thresholdMetric): each minute is good when `value op threshold` holds. */
      threshold: z.object({ query: z.string(), op: z.enum(["lt", "lte", "gt", "gte"]), value: z.number() }).nullable(),
    })
    .nullable(),
  createdAt: instant,
  /** An edit sends it back as baseUpdatedAt (PATCH …/slis/{sli}). */
  updatedAt: instant,
  archivedAt: nullableInstant,
});
export type SliView = z.infer<typeof sliViewSchema>;

/** History entries: burn-rate states, and the no-data and budget-below alerts (lib/domain/alert-kinds.ts). */
const alertHistoryStateSchema = z.enum(["page", "ticket", "ok", "no_data", "data_stopped", "data_back", "budget_below", "budget_rearmed"]);
export const sloAlertChangeViewSchema = z.object({ from: alertHistoryStateSchema, to: alertHistoryStateSchema, at: instant, burnRates: z.record(z.string(), z.number().nullable()), remaining: z.number().nullable() });
export type SloAlertChangeView = z.infer<typeof sloAlertChangeViewSchema>;

/** GET .../slos/{slo}/status */
export const sloDetailSchema = z.object({
  /** `role`: the caller's access to the team (a role, "site-admin" or "token"). */
  team: z.object({ slug: z.string(), name: z.string(), role: z.string() }),
  service: named,
  slo: sloViewSchema,
  sli: sliViewSchema,
  status: sloStatusViewSchema,
  burndown: z.array(z.object({ at: instant, remaining: z.number().nullable(), ideal: z.number() })),
  /** The alert's history (lib/domain/alert-history.ts): since when the current alert fires, its changes newest first, and the periods it fired. */
  alert: z.object({ firingSince: nullableInstant, history: z.array(sloAlertChangeViewSchema), periods: z.array(z.object({ start: instant, end: nullableInstant, severity })) }),
});
export type SloDetail = z.infer<typeof sloDetailSchema>;

/** GET .../slos/{slo}/series */
export const sloSeriesSchema = z.object({
  from: instant,
  to: instant,
  stepMinutes: z.number(),
  /**
   * Per step (starting at `at`): events, the SLI, the step's own burn rate, and the objective it is
   * judged by (the SLO version in force at the step's start, or the current one when `definition`
   * is "current"); sli and burnRate are null without events.
   */
  points: z.array(z.object({ at: instant, good: z.number(), bad: z.number(), total: z.number(), sli: z.number().nullable(), burnRate: z.number().nullable(), objective: z.number() })),
  /** How history was read: with the definitions in force at the time (default), or all of it with the current one. */
  definition: z.enum(["as-it-was", "current"]),
  /** Changes of the SLO's or its SLI's definition within the range (lib/domain/definition-history.ts), oldest first. */
  definitionChanges: z.array(z.object({ kind: z.enum(["sli", "slo"]), subject: z.string(), version: z.number(), at: instant, changes: z.array(z.string()) })),
  /**
   * The burn rate of each alert rule's long window (1 h, 6 h, 1 d, 3 d) at each step's end, as the
   * evaluator computes it, and each rule's threshold for the SLO's compliance period
   * (lib/domain/burn-rate-series.ts). `rates[i]` belongs to `windows[i]`. `unavailable`: why there
   * are no points (a time-slice SLI whose slices do not fit the range's steps).
   */
  burnRates: z.object({
    windows: z.array(z.object({ severity, longMinutes: z.number(), budgetPercent: z.number(), factor: z.number() })),
    points: z.array(z.object({ at: instant, rates: z.array(z.number().nullable()) })),
    unavailable: z.string().nullable(),
  }),
  /** The periods the alert fired, cut to [from, to] (lib/domain/alert-history.ts firingPeriodsWithin); one still firing ends at `to`. */
  firing: z.array(z.object({ start: instant, end: instant, severity })),
  exclusions: z.array(z.object({ id: z.string(), kind: z.string(), reason: z.string(), startsAt: instant, endsAt: instant })),
  incidents: z.array(z.object({ id: z.string(), title: z.string(), severity: z.string(), startsAt: instant, endsAt: instant })),
});
export type SloSeries = z.infer<typeof sloSeriesSchema>;

/** GET .../slos/{slo}/history: the versions of the SLO and of its SLI, newest first. */
export const definitionHistorySchema = z.object({
  versions: z.array(
    z.object({
      kind: z.enum(["sli", "slo"]),
      /** The SLO's or the SLI's slug. */
      subject: z.string(),
      version: z.number(),
      validFrom: instant,
      /** Measured fields that differ from the previous version (empty for the first). */
      changed: z.array(z.string()),
      /** The changes in words: "objective: 99.9% → 99.5%". */
      changes: z.array(z.string()),
      /** Who made the change (a person's name or "token NAME"); null when unknown. */
      by: z.string().nullable(),
      sourceRef: z.string().nullable(),
      /** The measured fields of this version (lib/domain/definition-history.ts SliMeasure or SloMeasure). */
      definition: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type DefinitionHistoryView = z.infer<typeof definitionHistorySchema>;

/** POST /api/v1/teams/{team}/prometheus-test */
export const prometheusTestResultSchema = z.union([
  z.object({ ok: z.literal(true), from: instant, to: instant, minutes: z.number(), minutesWithData: z.number(), good: z.number(), total: z.number(), sli: z.number().nullable() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type PrometheusTestResult = z.infer<typeof prometheusTestResultSchema>;

/**
 * POST /teams/{team}/prometheus-histogram-buckets: the bounds a histogram has on the server (the
 * `le` texts of a classic one, as the server writes them; the schema of an exponential native
 * one, whose bounds are 2^(k * 2^-schema)), and, given a threshold, whether it is one of them.
 */
export const histogramBucketsSchema = z.union([
  z.object({
    ok: z.literal(true),
    type: z.enum(["classic", "native"]),
    bounds: z.array(z.string()),
    schema: z.number().nullable(),
    threshold: z
      .object({
        seconds: z.number(),
        matches: z.boolean(),
        /** Why it does not, naming the nearest bounds ("0.3 s lies between the buckets 0.25 and 0.5; pick one of them"). */
        message: z.string().nullable(),
        lower: z.string().nullable(),
        upper: z.string().nullable(),
        goodQuery: z.string().nullable(),
        totalQuery: z.string().nullable(),
      })
      .nullable(),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type HistogramBuckets = z.infer<typeof histogramBucketsSchema>;

/** sli: the slug of the one SLI it applies to, or null for every SLI of the service. scheduleId: the recurring exclusion it is an occurrence of (docs/exclusions.md). */
export const exclusionViewSchema = z.object({ id: z.string(), sli: z.string().nullable(), kind: z.string(), reason: z.string(), startsAt: instant, endsAt: instant, createdById: z.string().nullable(), createdAt: instant, scheduleId: z.string().nullable() });
export type ExclusionView = z.infer<typeof exclusionViewSchema>;

/** The policy in force for a team or a service; `inherited`: the service uses the team's. */
export const policyViewSchema = z.object({
  policy: storedPolicySchema,
  scope: z.enum(["default", "team", "service"]),
  version: z.number(),
  /** The latest version of the scope being edited (0: none yet): what a save names as `baseVersion`. */
  editVersion: z.number(),
  /** The stored version could not be read: shown to admins, and the gate denies feature deploys until it is saved again. */
  problem: z.string().nullable(),
  inherited: z.boolean(),
  updatedAt: nullableInstant,
  updatedBy: z.string().nullable(),
});
export type PolicyView = z.infer<typeof policyViewSchema>;
/** One stored version; `policy` null: the service went back to the team's policy. */
export const policyVersionViewSchema = z.object({ id: z.string(), scope: z.enum(["team", "service"]), service: z.string().nullable(), version: z.number(), policy: storedPolicySchema.nullable(), createdAt: instant, createdBy: z.string().nullable() });
export type PolicyVersionView = z.infer<typeof policyVersionViewSchema>;

/** The service page: its SLOs with status, its SLIs and exclusions. */
export const servicePageSchema = z.object({
  at: instant,
  team: z.object({ slug: z.string(), name: z.string(), role: z.string() }),
  service: z.object({ slug: z.string(), name: z.string(), description: z.string(), githubRepository: z.string().nullable(), updatedAt: instant, archivedAt: nullableInstant }),
  slos: z.array(overviewRowSchema),
  slis: z.array(sliViewSchema),
  exclusions: z.array(exclusionViewSchema),
  /** The service's standing (the gate's answer now for a feature deploy) and the policy it is judged by. */
  gate: z.object({ standing: serviceStandingViewSchema, policy: policyViewSchema }),
});
export type ServicePage = z.infer<typeof servicePageSchema>;

/** A notification channel as listed: where it goes, never the secret URL or key. */
export const channelViewSchema = z.object({ id: z.string(), name: z.string(), kind: z.string(), destination: z.string(), createdAt: instant });
export type ChannelView = z.infer<typeof channelViewSchema>;

/** What the gate's answer rested on, stored with the decision. */
export const gateNumbersSchema = z.object({
  /** When the SLOs' numbers were computed (the gate reuses them for a few seconds). */
  at: nullableInstant,
  decidingSlo: z
    .object({
      slug: z.string(),
      name: z.string(),
      objective: z.string(),
      remainingBudget: z.number().nullable(),
      burnRates: z.record(z.string(), z.number().nullable()),
      alertState: z.string(),
      timeToExhaustionMinutes: z.number().nullable(),
    })
    .nullable(),
  slos: z.array(z.object({ slug: z.string(), name: z.string(), remainingBudget: z.number().nullable(), tier: tierSchema })),
  override: z.object({ id: z.string(), reason: z.string(), approvedBy: z.string(), escalatedTo: z.string().nullable(), expiresAt: instant }).nullable(),
  freeze: z.object({ id: z.string(), reason: z.string(), endsAt: instant }).nullable(),
  /** What would have let it through at the time (decisions stored before this existed have none). */
  toGetThrough: wayThroughViewSchema.nullable().optional(),
  /** The canary analysis the request named: its verdict and reasons when asked (docs/deploy-verification.md). */
  analysis: z.object({ id: z.string(), verdict: z.enum(["running", "pass", "fail", "inconclusive", "cancelled"]), reasons: z.array(z.string()), url: z.string() }).nullable().optional(),
});
export type GateNumbers = z.infer<typeof gateNumbersSchema>;

export const gateDecisionViewSchema = z.object({
  decisionId: z.string(),
  decision: gateDecisionSchema,
  tier: tierSchema,
  reasons: z.array(z.string()),
  team: z.string(),
  /** null: the service named in the request is not known. */
  service: named.nullable(),
  serviceName: z.string(),
  environment: z.string(),
  version: z.string(),
  commit: z.string().nullable(),
  changeType: changeTypeSchema,
  requester: z.string(),
  link: z.string().nullable(),
  source: z.enum(["api", "github"]),
  numbers: gateNumbersSchema,
  policy: z.object({ scope: z.string(), version: z.number() }),
  decidedAt: instant,
  url: z.string(),
  /** Denied or warned: why, and what would let it through (as decided; null for an allow). */
  toGetThrough: wayThroughViewSchema.nullable(),
});
export type GateDecisionView = z.infer<typeof gateDecisionViewSchema>;

export const githubIntegrationViewSchema = z.object({ configured: z.boolean(), appId: z.string().nullable(), apiUrl: z.string().nullable(), defaultChangeType: changeTypeSchema.nullable(), webhookUrl: z.string(), updatedAt: nullableInstant });
export type GithubIntegrationView = z.infer<typeof githubIntegrationViewSchema>;

export const sectionViewSchema = z.object({ key: z.string(), title: z.string(), body: z.string(), prompt: z.string().optional() });
export type Section = z.infer<typeof sectionViewSchema>;

export const actionItemViewSchema = z.object({
  id: z.string(),
  postmortem: z.object({ id: z.string(), title: z.string() }),
  team: z.string(),
  title: z.string(),
  type: z.string(),
  priority: z.string(),
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** A day (YYYY-MM-DD). */
  dueDate: z.string().nullable(),
  status: z.string(),
  wontDoReason: z.string().nullable(),
  ticketUrl: z.string().nullable(),
  createdAt: instant,
  completedAt: nullableInstant,
});
export type ActionItemView = z.infer<typeof actionItemViewSchema>;

export const incidentImpactSchema = z.object({ service: named, slo: named, budgetSpent: z.number().nullable(), badEvents: z.number(), totalEvents: z.number() });
export type IncidentImpact = z.infer<typeof incidentImpactSchema>;
/** One incident in the list across the caller's teams (/incidents): its team, and the stored postmortem flag instead of a recomputed impact. */
export const myIncidentViewSchema = z.object({
  id: z.string(),
  team: named,
  title: z.string(),
  severity: z.string(),
  status: z.string(),
  startedAt: instant,
  resolvedAt: nullableInstant,
  postmortemRequired: z.boolean(),
  postmortem: z.object({ id: z.string(), status: z.string() }).nullable(),
});
export type MyIncidentView = z.infer<typeof myIncidentViewSchema>;

export const timelineEntryViewSchema = z.object({ id: z.string(), at: instant, kind: z.string(), text: z.string() });
/** An incident that burned an SLO again while an action item from an earlier incident on it was open (lib/domain/recurrence.ts). */
export const recurrenceViewSchema = z.object({
  actionItem: z.object({ id: z.string(), title: z.string(), priority: z.string(), status: z.string(), postmortemId: z.string() }),
  /** The incident whose postmortem the item came from. */
  earlierIncident: z.object({ id: z.string(), title: z.string() }).nullable(),
  /** The incident that burned the SLO again. */
  incident: z.object({ id: z.string(), title: z.string(), startedAt: instant }),
  slo: z.object({ service: z.string(), slug: z.string(), name: z.string() }),
  /** The share of the SLO's error budget the new incident had spent when the link was made. */
  budgetSpent: z.number(),
  detectedAt: instant,
});
export type RecurrenceView = z.infer<typeof recurrenceViewSchema>;
export const incidentViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.string(),
  status: z.string(),
  summary: z.string(),
  startedAt: instant,
  detectedAt: nullableInstant,
  mitigatedAt: nullableInstant,
  resolvedAt: nullableInstant,
  /** Each role's person; null (or absent) when nobody holds it. */
  roles: z.partialRecord(z.enum(incidentRoles), z.string().nullable()),
  impact: z.array(incidentImpactSchema),
  postmortemRequired: z.boolean(),
  postmortem: z.object({ id: z.string(), status: z.string() }).nullable(),
  timeline: z.array(timelineEntryViewSchema),
  /** Open action items of earlier incidents on these SLOs that this one recurred on. */
  recurrences: z.array(recurrenceViewSchema),
  /** The version an edit names as `baseUpdatedAt`. */
  updatedAt: instant,
});
export type IncidentView = z.infer<typeof incidentViewSchema>;

export const postmortemViewSchema = z.object({
  id: z.string(),
  team: z.string(),
  teamName: z.string(),
  title: z.string(),
  status: z.enum(["draft", "in_review", "published"]),
  sections: z.array(sectionViewSchema),
  revision: z.number(),
  incident: incidentViewSchema.nullable(),
  reviews: z.array(z.object({ reviewer: z.string().nullable(), decision: z.string(), comment: z.string(), at: instant })),
  actionItems: z.array(actionItemViewSchema),
  updatedAt: instant,
  updatedBy: z.string().nullable(),
  publishedAt: nullableInstant,
  /** The sections and title can be edited: the caller edits this team's postmortems and it is not published. */
  canEdit: z.boolean(),
  /** The caller is an editor of the team: reviews, and adds and edits action items even once published. */
  teamEditor: z.boolean(),
  /** A team admin may reopen a published postmortem for corrections (audited). */
  canReopen: z.boolean(),
  /** What stops the caller approving and publishing it now, and what to look at first (lib/domain/postmortem.ts publishCheck). */
  publishCheck: z.object({ blocking: z.array(z.string()), warnings: z.array(z.string()) }),
});
export type PostmortemView = z.infer<typeof postmortemViewSchema>;

/** A postmortem template; id null: the built-in blameless one. */
export const templateViewSchema = z.object({ id: z.string().nullable(), name: z.string(), sections: z.array(z.object({ key: z.string(), title: z.string(), prompt: z.string() })), updatedAt: nullableInstant });
export type TemplateView = z.infer<typeof templateViewSchema>;

/** A live browser session of a person (sessions list; site admins see anyone's). */
export const sessionViewSchema = z.object({
  id: z.string(),
  method: z.enum(["password", "oidc"]),
  userAgent: z.string(),
  address: z.string(),
  createdAt: instant,
  lastSeenAt: instant,
  expiresAt: instant,
  /** The session this list was asked from. */
  current: z.boolean(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

/** A person as site admins see them: whether they can sign in, and how many sessions are open. */
export const adminUserViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isSiteAdmin: z.boolean(),
  disabled: z.boolean(),
  /** Until when failed sign-ins lock the account (null: not locked now). */
  lockedUntil: nullableInstant,
  /** When the last lock began (kept after it ends). */
  lastLockedAt: nullableInstant,
  sessions: z.number(),
});
export type AdminUserView = z.infer<typeof adminUserViewSchema>;
