// Alert-state changes and the messages they become: a Slack-compatible webhook body, a
// PagerDuty Events API v2 event (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/)
// and a plain-text email made from the chat message (the same words on every channel).
import type { AlertDetails } from "./alert-routing";
import type { AlertState } from "./burn-rate";
import { formatFreezeEnvironment, formatPercent } from "./format";
import { tiers, type Tier } from "./tier";

export type AlertChange = {
  team: string;
  service: string;
  slo: string;
  sloName: string;
  sloId: string;
  from: AlertState;
  to: AlertState;
  at: string;
  remaining: number | null;
  burnRate1h: number | null;
  url: string;
  /** The SLO's alert name, labels and annotations (alert-routing.ts alertDetailsOf); absent in messages queued before they existed. */
  alert?: AlertDetails | null;
};

const firing = (s: AlertState) => s === "page" || s === "ticket";
/** A state someone should hear about while it lasts: a page or a ticket. */
export const isFiring = firing;

/**
 * Which changes are worth a message: an alert starts, escalates, de-escalates or resolves.
 * Moves between "ok" and "no data" are not alerts and send nothing.
 */
export function isNotifiable(from: AlertState, to: AlertState): boolean {
  return from !== to && (firing(from) || firing(to));
}

function headline(c: AlertChange): string {
  if (firing(c.to)) return `${c.to === "page" ? "PAGE" : "Ticket"}: ${c.sloName} (${c.service}) is burning its error budget`;
  return `Resolved: ${c.sloName} (${c.service}) is no longer burning fast (${c.from} alert ended)`;
}

function details(c: AlertChange): string {
  const remaining = c.remaining === null ? "no data" : formatPercent(c.remaining, 1);
  const rate = c.burnRate1h === null ? "no data" : `${Math.round(c.burnRate1h * 10) / 10}x`;
  return `Remaining budget ${remaining} · 1h burn rate ${rate} · team ${c.team}`;
}

/** An alert change in one line (an incident's timeline entry for a change folded into it). */
export function alertChangeLine(c: AlertChange): string {
  return `${headline(c)}. ${details(c)}.`;
}

/** A Slack incoming-webhook body (also accepted by Mattermost and most chat webhooks). */
export type ChatMessage = { text: string; blocks: { type: "section"; text: { type: "mrkdwn"; text: string } }[] };

const chat = (text: string): ChatMessage => ({ text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] });

/** The alert's name and labels on one line, then one line per annotation (summary, runbook...). */
function alertLines(a: AlertDetails | null | undefined): string {
  if (!a) return "";
  const labels = Object.entries(a.labels).map(([k, v]) => `${k}=${v}`);
  const head = [a.name ? `Alert ${a.name}` : null, labels.length ? labels.join(", ") : null].filter(Boolean).join(" · ");
  const lines = [...(head ? [head] : []), ...Object.entries(a.annotations).map(([k, v]) => `${k}: ${v}`)];
  return lines.map((l) => `\n${l}`).join("");
}

export function slackMessage(c: AlertChange): ChatMessage {
  return chat(`${headline(c)}\n${details(c)}${alertLines(c.alert)}\n<${c.url}|Open in Burnrate>`);
}

/**
 * Channels that take team messages (gate notices, tier changes, overdue action items) as well as
 * alerts: chat webhooks and email. PagerDuty is for alerts only: a notice is not an incident.
 */
export const MESSAGE_CHANNEL_KINDS = ["slack", "email"] as const;
export const takesMessages = (kind: string) => (MESSAGE_CHANNEL_KINDS as readonly string[]).includes(kind);

export type EmailMessage = { subject: string; text: string };

/**
 * A chat message as a plain-text email: Slack's `<url|label>` links become "label: url" on their
 * own, `*bold*` marks are dropped, and the subject is the first line, one line of at most 150
 * characters (no CR or LF can reach a header), tagged so mail rules can sort it.
 */
export function emailOf(m: ChatMessage): EmailMessage {
  const text = m.text.replace(/<([^|<>\s]+)\|([^<>]+)>/g, "$2: $1").replace(/\*([^*\n]+)\*/g, "$1");
  const first = [...(text.split("\n")[0] ?? "")].map((ch) => (ch < " " || ch === "\u007f" ? " " : ch)).join("").replace(/ {2,}/g, " ").trim();
  const subject = first.length > 150 ? `${first.slice(0, 149)}…` : first;
  return { subject: `[Burnrate] ${subject}`, text: `${text}\n` };
}

/** A service moved between policy tiers: what the gate now does for its deploys. */
export type TierChange = { team: string; service: string; serviceName: string; from: Tier; to: Tier; slo: string | null; remaining: number | null; effect: string; url: string };

export function tierChangeMessage(c: TierChange): ChatMessage {
  const worse = tiers.indexOf(c.to) > tiers.indexOf(c.from);
  const left = c.remaining === null ? "" : ` (${c.slo}: ${formatPercent(c.remaining, 1)} of the error budget left)`;
  return chat(`${worse ? "Deploy gate tightened" : "Deploy gate eased"}: ${c.serviceName} (${c.team}) moved from ${c.from} to ${c.to}${left}.\n${c.effect}.\n<${c.url}|Open in Burnrate>`);
}

export type OverrideGranted = { team: string; service: { slug: string; name: string }; environment: string | null; reason: string; approvedBy: string; escalatedTo: string | null; expiresAt: string; grantedBy: string | null; url: string };

export function overrideMessage(o: OverrideGranted): ChatMessage {
  const by = o.escalatedTo ? `${o.approvedBy}, escalated to ${o.escalatedTo}` : o.approvedBy;
  return chat(
    `Deploy gate override granted for ${o.service.name} (${o.team}), ${o.environment ?? "every environment"}, until ${o.expiresAt}.\nApproved by ${by}${o.grantedBy ? `; granted by ${o.grantedBy}` : ""}. Reason: ${o.reason}\n<${o.url}|Open in Burnrate>`,
  );
}

export type OverrideEnded = { team: string; service: { slug: string; name: string }; endedBy: string | null; url: string };

export function overrideEndedMessage(o: OverrideEnded): ChatMessage {
  return chat(`Deploy gate override for ${o.service.name} (${o.team}) ended early${o.endedBy ? ` by ${o.endedBy}` : ""}: its deploys are judged by the policy again.\n<${o.url}|Open in Burnrate>`);
}

export type FreezeChange = {
  team: string;
  /** null: every service of the team. */
  service: { slug: string; name: string } | null;
  /** null: every gated environment. */
  environment: string | null;
  reason: string;
  startsAt: string;
  endsAt: string;
  by: string | null;
  url: string;
};

/** A freeze declared or cancelled: which services and environments, when, why, and by whom. */
export function freezeMessage(kind: "declared" | "cancelled", f: FreezeChange): ChatMessage {
  const scope = `${f.service ? f.service.name : "every service"} of ${f.team}, ${formatFreezeEnvironment(f.environment)}`;
  const head =
    kind === "declared"
      ? `Deploy freeze declared for ${scope}, from ${f.startsAt} until ${f.endsAt}${f.by ? ` by ${f.by}` : ""}. Feature deploys are denied while it lasts. Reason: ${f.reason}`
      : `Deploy freeze for ${scope} cancelled${f.by ? ` by ${f.by}` : ""}: deploys are judged by the budget again. It was: ${f.reason}`;
  return chat(`${head}\n<${f.url}|Open in Burnrate>`);
}

/**
 * PagerDuty Events API v2: one incident per SLO and severity (dedup_key), triggered when the
 * alert fires and resolved when it stops, so repeats never open a second incident.
 */
export function pagerDutyEvents(c: AlertChange, routingKey: string) {
  const key = (severity: "page" | "ticket") => `burnrate/${c.sloId}/${severity}`;
  const events: object[] = [];
  if (firing(c.from) && c.from !== c.to) events.push({ routing_key: routingKey, event_action: "resolve", dedup_key: key(c.from as "page" | "ticket") });
  if (firing(c.to)) {
    events.push({
      routing_key: routingKey,
      event_action: "trigger",
      dedup_key: key(c.to as "page" | "ticket"),
      payload: {
        summary: `${headline(c)}. ${details(c)}`.slice(0, 1024),
        source: `burnrate/${c.team}/${c.service}`,
        severity: c.to === "page" ? "critical" : "warning",
        timestamp: c.at,
        component: c.service,
        group: c.team,
        class: "slo-burn-rate",
        custom_details: {
          slo: c.slo,
          remaining_budget: c.remaining,
          burn_rate_1h: c.burnRate1h,
          ...(c.alert ? { alert: c.alert.name, labels: c.alert.labels, annotations: c.alert.annotations } : {}),
        },
      },
      links: [{ href: c.url, text: "Open in Burnrate" }],
    });
  }
  return events;
}

export type OverdueItem = { team: string; title: string; priority: string; dueDate: string; owner: string | null; postmortem: string; url: string };

/** An action item went overdue: sent once per item per day to the team's chat channels. */
export function overdueMessage(i: OverdueItem): ChatMessage {
  return chat(`Overdue action item (${i.priority}, due ${i.dueDate}): ${i.title}\nOwner: ${i.owner ?? "nobody yet"} · from the postmortem "${i.postmortem}" · team ${i.team}\n<${i.url}|Open in Burnrate>`);
}
