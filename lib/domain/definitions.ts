// SLO as code: a team's definitions as plain values, the meeting point of every file format
// (OpenSLO v1 and v1alpha in ./openslo.ts, Sloth in ./sloth.ts), the database (mapped in
// lib/server/services/definitions.ts) and the plan (./definitions-plan.ts). A parser turns files
// into a DefinitionSet or into problems; nothing here does I/O.
import type { SloWindow } from "./window";
import type { AlertRuleOverride } from "./burn-rate";

export type Labels = Record<string, string>;

/** The data source an SLI pulls from when its file names no server (Sloth's files never do). */
export const DEFAULT_DATA_SOURCE = "default";

/** A Prometheus-compatible server, named so SLIs can refer to it (OpenSLO `DataSource`). Never holds secrets. */
export type DataSourceDef = {
  name: string;
  displayName: string;
  description: string;
  /** The metric source type as written: Prometheus, Thanos, Mimir, VictoriaMetrics, Cortex. */
  type: string;
  url: string;
  labels: Labels;
};

/** Where an SLI's events come from. */
export type SliSourceDef =
  | { kind: "push" }
  | {
      kind: "prometheus";
      /** A DataSourceDef (or an existing data source of the team) by name, or null with `url` inline. */
      dataSource: string | null;
      url: string | null;
      /** PromQL returning events per 1-minute step: good or bad, and total. */
      goodQuery: string | null;
      badQuery: string | null;
      totalQuery: string | null;
      /** OpenSLO thresholdMetric: one value per minute, good when `value op threshold`. */
      threshold: { query: string; op: ThresholdOp; value: number } | null;
    }
  | {
      /** Materialised from member SLOs (docs/composite-slos.md): `service/slo` with weights, and the late-member rule. */
      kind: "composite";
      members: CompositeMemberDef[];
      maxDelayMinutes: number;
      whenDelayed: "ignore" | "count_as_good" | "count_as_bad";
    };

/** A member of a composite SLO: an SLO of the team by service and slug, and its weight (OpenSLO compositeWeight). */
export type CompositeMemberDef = { service: string; slo: string; weight: number };

export type ThresholdOp = "lt" | "lte" | "gt" | "gte";

export type SliDef = {
  slug: string;
  name: string;
  description: string;
  labels: Labels;
  kind: "request_ratio" | "latency" | "time_slice";
  latencyThresholdMs: number | null;
  /** Time-slice SLIs: slice length, the ratio a slice must meet, and how slices add up. */
  sliceMinutes: number | null;
  sliceTarget: string | null;
  /** count_good: good slices / slices (OpenSLO Timeslices); mean_ratio: mean of slice ratios (RatioTimeslices). */
  sliceMethod: "count_good" | "mean_ratio";
  source: SliSourceDef;
};

/** Alert settings of an SLO: which rows and severities notify, where, and its changes to the burn-rate table (docs/alerting.md). */
export type AlertingDef = {
  /** Page rows (14.4x/1h, 6x/6h) and ticket rows (3x/1d, 1x/3d) of the table, each on or off. */
  page: { enabled: boolean; labels: Labels; annotations: Labels };
  ticket: { enabled: boolean; labels: Labels; annotations: Labels };
  /** Alert name, labels and annotations shared by both severities (Sloth `alerting`). */
  name: string | null;
  labels: Labels;
  annotations: Labels;
  /** Channel names to notify; empty means every channel of the team. */
  channels: string[];
  /** OpenSLO alert policies as written, so an export writes them back (names, conditions, targets). */
  policies: AlertPolicyDef[];
  /** Per-row changes to the burn-rate table (effectiveAlertRules, lib/domain/burn-rate.ts); empty: the workbook's. */
  rules: AlertRuleOverride[];
  /** Notify when the SLI's data goes stale or stops, and when it is back (lib/domain/alert-kinds.ts). */
  noData: { enabled: boolean };
  /** Notify once when the remaining budget crosses below `percent` %, again only after it was back above. */
  budgetBelow: { enabled: boolean; percent: number };
};

export type AlertPolicyDef = {
  name: string;
  displayName: string;
  description: string;
  alertWhenBreaching: boolean;
  alertWhenResolved: boolean;
  alertWhenNoData: boolean;
  /** Burn-rate conditions, each one row of the table. */
  conditions: { name: string; displayName: string; description: string; severity: "page" | "ticket"; threshold: number; lookbackWindow: string; alertAfter: string }[];
  /** AlertNotificationTarget names; each becomes a channel name to notify. */
  targets: { name: string; displayName: string; description: string; target: string }[];
};

export type SloDef = {
  slug: string;
  name: string;
  description: string;
  labels: Labels;
  /** The slug of an SLI of the same service. */
  sli: string;
  /** Exact decimal string, e.g. "0.999". */
  objective: string;
  window: SloWindow;
  /** Calendar windows: the OpenSLO startTime as written (a window boundary), or null. */
  calendarStart: string | null;
  minEvents: number;
  alerting: AlertingDef;
  /**
   * Settings the file does not state, which an apply of it leaves as they are stored (a team may
   * have set them in Burnrate): a Sloth file has no field for any of them; an OpenSLO file states
   * them only in Burnrate's annotations. Only on sets parsed from files; the plan removes it.
   */
  keeps?: readonly KeptSetting[];
};

/** "tuning": the burn-rate rows, the no-data and the budget-below alerts; "channels": where alerts go; "minEvents": the low-traffic guard. */
export type KeptSetting = "tuning" | "channels" | "minEvents";

export type ServiceDef = { slug: string; name: string; description: string; labels: Labels; slis: SliDef[]; slos: SloDef[] };

export type DefinitionSet = { dataSources: DataSourceDef[]; services: ServiceDef[] };

/**
 * Why a file (or one of its documents) cannot be applied, in a sentence. `document` names it as
 * the file does ("SLO checkout-availability", Sloth's "SLO requests-availability"); `field` is the
 * path inside it ("spec.timeWindow[0].startTime"); `message` says what is wrong and what Burnrate
 * supports instead. A file with any problem changes nothing.
 */
export type DefinitionProblem = { file: string; document: string; field: string; message: string };

/** Something applied that will not work fully yet, e.g. a channel name no channel of the team has. */
export type DefinitionWarning = { file: string; document: string; message: string };

export type ParseResult = {
  set: DefinitionSet;
  problems: DefinitionProblem[];
  warnings: DefinitionWarning[];
  /** The file each service, SLI and SLO came from, by "service <slug>", "sli <service>/<slug>", "slo <service>/<slug>". */
  fileOf?: Record<string, string>;
};

export const defaultAlerting = (): AlertingDef => ({
  page: { enabled: true, labels: {}, annotations: {} },
  ticket: { enabled: true, labels: {}, annotations: {} },
  name: null,
  labels: {},
  annotations: {},
  channels: [],
  policies: [],
  rules: [],
  noData: { enabled: false },
  budgetBelow: { enabled: false, percent: 25 },
});

export const emptySet = (): DefinitionSet => ({ dataSources: [], services: [] });
