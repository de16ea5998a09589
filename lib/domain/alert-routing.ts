// What an SLO's alert settings (AlertingDef, lib/domain/definitions.ts) do to its notifications.
// The evaluator (lib/server/jobs/alert-evaluator.ts) asks three questions here:
// - Which alert state is notified? The most severe firing row of the burn-rate table whose
//   severity is enabled (docs/domain.md: page rows 14.4x/1h and 6x/6h, ticket rows 3x/1d and
//   1x/3d). With page off, a fast burn that also trips a ticket row is a ticket, and one that
//   trips only page rows is no alert at all, as in Sloth, where `page_alert.disable` means the
//   page alert rule is never written. This state is what the evaluator stores and compares, so
//   turning a severity off or on later is itself a change it notifies.
// - Which channels? Those named in `channels`, or every channel of the team when it is empty.
// - What goes with the message? The alert name, and labels and annotations: the shared ones
//   with the severity's own on top (Sloth merges `page_alert.labels` over `alerting.labels`).
import type { AlertEvaluation, AlertState } from "./burn-rate";
import type { AlertingDef, Labels } from "./definitions";

export function notifiedAlertState(evaluation: AlertEvaluation, alerting: AlertingDef): AlertState {
  const fires = (severity: "page" | "ticket") => alerting[severity].enabled && evaluation.rules.some((r) => r.firing && r.severity === severity);
  if (fires("page")) return "page";
  if (fires("ticket")) return "ticket";
  // Rows of a disabled severity that fire: the SLO is burning, but no alert is set to say so.
  if (evaluation.state === "page" || evaluation.state === "ticket") return "ok";
  return evaluation.state;
}

/** The channels an alert of this SLO goes to: those named in `channels`, or all when none are named. */
export function alertChannels<C extends { name: string }>(channels: readonly C[], alerting: AlertingDef): C[] {
  if (alerting.channels.length === 0) return [...channels];
  const named = new Set(alerting.channels);
  return channels.filter((c) => named.has(c.name));
}

/** Name, labels and annotations sent with an alert (Slack text, PagerDuty custom_details). */
export type AlertDetails = { name: string | null; labels: Labels; annotations: Labels };

/**
 * The details of a change from `from` to `to`: those of the severity that fires, or, when the
 * alert resolves, of the one that ended. null when nothing was set, so messages stay as they were.
 */
export function alertDetailsOf(alerting: AlertingDef, from: AlertState, to: AlertState): AlertDetails | null {
  const severity = to === "page" || to === "ticket" ? to : from === "page" || from === "ticket" ? from : null;
  const own = severity ? alerting[severity] : { labels: {}, annotations: {} };
  const details = { name: alerting.name, labels: { ...alerting.labels, ...own.labels }, annotations: { ...alerting.annotations, ...own.annotations } };
  return details.name === null && Object.keys(details.labels).length === 0 && Object.keys(details.annotations).length === 0 ? null : details;
}
