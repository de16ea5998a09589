// An SLO as the status engine and the gate see it: exact values, no database shapes. Rows become
// these in one mapping (lib/server/services/catalog.ts sloDefinitionOf); a row that cannot
// become one is an error for that SLO alone, never a silent default.
import type { Objective } from "./budget";
import type { AlertingDef } from "./definitions";
import type { SloWindow } from "./window";

export type SliDefinition = {
  id: string;
  kind: "request_ratio" | "latency" | "time_slice";
  source: "push" | "prometheus" | "composite";
  /**
   * Time-slice SLIs: slice length and how slices add up: count_good counts slices whose ratio meets
   * `target` (OpenSLO Timeslices); mean_ratio averages the slices' ratios and has no target
   * (RatioTimeslices). lib/domain/time-slice.ts.
   */
  timeSlice: { minutes: number; method: "count_good"; target: Objective } | { minutes: number; method: "mean_ratio"; target: null } | null;
  /** Prometheus sources: complete up to here, and the last sync's error. */
  syncedUntil: Date | null;
  lastSyncError: string | null;
};

export type SloDefinition = {
  id: string;
  serviceId: string;
  name: string;
  objective: Objective;
  window: SloWindow;
  /** Alert guard: a lookback window with fewer events does not fire. */
  minEvents: number;
  /** Which severities notify, where, and with what labels (lib/domain/alert-routing.ts). */
  alerting: AlertingDef;
  sli: SliDefinition;
};

/** A stored SLO or SLI that cannot be read as a definition; the message names the field. */
export class DefinitionError extends Error {}
