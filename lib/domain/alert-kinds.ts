// The two alerts beside the burn-rate table, both opt-in per SLO (slos.alerting; docs/alerting.md):
// - no data: the SLI's source stopped (freshness.ts says stale or no_data). Absent data is not
//   "OK": a silent exporter would otherwise read as a perfect SLO. Notified when the data stops
//   and again when it is back.
// - budget below a level: the remaining budget crossed below a share (e.g. 25 %). Notified once
//   per crossing; it re-arms only once the budget is back at or above the level.
// The evaluator keeps the last seen data state and "below" flag (slo_alert_states) and asks here
// what changed; the messages go to the same channels as burn-rate alerts.
import type { AlertDetails } from "./alert-routing";
import type { RemainingBudget } from "./budget";
import type { Freshness } from "./freshness";
import { formatPercent } from "./format";
import type { ChatMessage } from "./notification";

export type DataState = Freshness["state"];

/** What a change of the data state means: "stopped" and "back" are notified, "seen" only recorded. */
export type DataChange = "stopped" | "back" | "seen" | null;

/**
 * From the last seen state (null: never looked) to the current one. The first look notifies only
 * when there is no current data (absent data is not OK); stale <-> no_data is the same outage.
 */
export function dataChange(last: DataState | null, now: DataState): DataChange {
  if (last === now) return null;
  const down = (s: DataState) => s !== "fresh";
  if (last === null) return down(now) ? "stopped" : "seen";
  if (!down(last) && down(now)) return "stopped";
  if (down(last) && !down(now)) return "back";
  return "seen";
}

/** Crossing below the level notifies ("below"); going back to or above it re-arms silently ("rearmed"). No data changes nothing. */
export function budgetCrossing(wasBelow: boolean, budget: RemainingBudget, percent: number): "below" | "rearmed" | null {
  if (budget.state !== "ok") return null;
  const below = budget.remaining < percent / 100;
  if (below && !wasBelow) return "below";
  if (!below && wasBelow) return "rearmed";
  return null;
}

/** The states these alerts record in the alert history (slo_alert_changes), beside page/ticket/ok/no_data. */
export const alertEventStates = ["data_stopped", "data_back", "budget_below", "budget_rearmed"] as const;
export type AlertEventState = (typeof alertEventStates)[number];

/** A no-data or budget-below alert for one SLO, as the outbox carries it. */
export type AlertEvent = {
  kind: "no_data" | "budget_below";
  /** firing: data stopped / budget crossed below; resolved: data back. */
  action: "firing" | "resolved";
  team: string;
  service: string;
  slo: string;
  sloName: string;
  sloId: string;
  at: string;
  /** Why, in a few words: the freshness reason, or the level crossed. */
  detail: string;
  remaining: number | null;
  url: string;
  alert?: AlertDetails | null;
};

export function alertEventHeadline(e: AlertEvent): string {
  if (e.kind === "no_data") return e.action === "firing" ? `NO DATA: ${e.sloName} (${e.service}) has no current data; its status cannot be trusted` : `Data back: ${e.sloName} (${e.service}) is receiving data again`;
  return `Budget low: ${e.sloName} (${e.service}) has ${e.remaining === null ? "no data on its" : formatPercent(e.remaining, 1)} budget left`;
}

export function alertEventChatMessage(e: AlertEvent): ChatMessage {
  const text = `${alertEventHeadline(e)}\n${e.detail} · team ${e.team}\n<${e.url}|Open in Burnrate>`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/**
 * PagerDuty Events API v2: the no-data alert triggers and resolves one incident per SLO
 * (dedup_key burnrate/<slo>/no_data); a budget crossing is a warning that triggers once per
 * crossing (its own dedup_key per crossing instant), resolved by people.
 */
export function alertEventPagerDuty(e: AlertEvent, routingKey: string): object[] {
  const dedup = e.kind === "no_data" ? `burnrate/${e.sloId}/no_data` : `burnrate/${e.sloId}/budget_below/${e.at}`;
  if (e.action === "resolved") return [{ routing_key: routingKey, event_action: "resolve", dedup_key: dedup }];
  return [
    {
      routing_key: routingKey,
      event_action: "trigger",
      dedup_key: dedup,
      payload: {
        summary: `${alertEventHeadline(e)}. ${e.detail}`.slice(0, 1024),
        source: `burnrate/${e.team}/${e.service}`,
        severity: e.kind === "no_data" ? "error" : "warning",
        timestamp: e.at,
        component: e.service,
        group: e.team,
        class: e.kind === "no_data" ? "slo-no-data" : "slo-budget-below",
        custom_details: { slo: e.slo, remaining_budget: e.remaining, ...(e.alert ? { alert: e.alert.name, labels: e.alert.labels, annotations: e.alert.annotations } : {}) },
      },
      links: [{ href: e.url, text: "Open in Burnrate" }],
    },
  ];
}
