// Ticket sync (docs/ticket-sync.md): how an action item's status and a Jira or Linear issue's
// status correspond, both ways. Pure: the service reads the trackers and hands their words here.
//
// Sources:
// - Jira Cloud REST v3, "Issues" and "Get transitions": every status belongs to one of three
//   status categories, whose keys are `new` (To Do), `indeterminate` (In Progress) and `done`;
//   a transition's `to.statusCategory.key` names the category it leads to.
//   https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/
// - Linear GraphQL API, WorkflowState.type: `triage`, `backlog`, `unstarted`, `started`,
//   `completed` or `canceled`; each team has its own states, ordered by `position`.
//   https://linear.app/developers/graphql
import type { ActionItemStatus } from "./postmortem";

export const ticketProviders = ["jira", "linear"] as const;
export type TicketProvider = (typeof ticketProviders)[number];

export const jiraCategories = ["new", "indeterminate", "done"] as const;
export type JiraCategory = (typeof jiraCategories)[number];
export const linearStateTypes = ["triage", "backlog", "unstarted", "started", "completed", "canceled"] as const;
export type LinearStateType = (typeof linearStateTypes)[number];
/** A tracker's own status word: a Jira status category key or a Linear state type. */
export type RemoteStatus = JiraCategory | LinearStateType;

/**
 * The one table, as data. `fromRemote`: what a tracker status makes of the action item.
 * `toRemote`: which tracker statuses count as "the same" as an item status; the first is the one
 * we move the issue to. Jira has no separate "won't do" category (its "Won't Do" is a resolution
 * of a done-category status), so a won't-do item is `done` in Jira, and a Jira issue that is done
 * leaves a won't-do item as it is.
 *
 * | action item  | Jira category   | Linear state type            |
 * |--------------|-----------------|------------------------------|
 * | open         | new             | unstarted, backlog, triage   |
 * | in_progress  | indeterminate   | started                      |
 * | done         | done            | completed                    |
 * | wont_do      | done            | canceled                     |
 */
export const STATUS_TABLE: Record<ActionItemStatus, { jira: readonly JiraCategory[]; linear: readonly LinearStateType[] }> = {
  open: { jira: ["new"], linear: ["unstarted", "backlog", "triage"] },
  in_progress: { jira: ["indeterminate"], linear: ["started"] },
  done: { jira: ["done"], linear: ["completed"] },
  wont_do: { jira: ["done"], linear: ["canceled"] },
};

const FROM_JIRA: Record<JiraCategory, ActionItemStatus> = { new: "open", indeterminate: "in_progress", done: "done" };
const FROM_LINEAR: Record<LinearStateType, ActionItemStatus> = { triage: "open", backlog: "open", unstarted: "open", started: "in_progress", completed: "done", canceled: "wont_do" };

export function isRemoteStatus(provider: TicketProvider, s: string): s is RemoteStatus {
  return provider === "jira" ? (jiraCategories as readonly string[]).includes(s) : (linearStateTypes as readonly string[]).includes(s);
}

/** Whether the item's status and the tracker's already say the same (so nothing is to be done either way). */
export function inStep(provider: TicketProvider, item: ActionItemStatus, remote: RemoteStatus): boolean {
  return (STATUS_TABLE[item][provider] as readonly string[]).includes(remote);
}

/**
 * What a tracker's status change asks of the item: its new status, or null when the item already
 * agrees (an echo of our own change, a replayed webhook, or "done" in Jira for a won't-do item).
 */
export function itemStatusFor(provider: TicketProvider, remote: RemoteStatus, current: ActionItemStatus): ActionItemStatus | null {
  if (inStep(provider, current, remote)) return null;
  return provider === "jira" ? FROM_JIRA[remote as JiraCategory] : FROM_LINEAR[remote as LinearStateType];
}

export type JiraTransition = { id: string; name: string; category: string };

/** Transition names that mean "closed without doing it" (Jira's default workflows call it "Won't Do"). */
const WONT_DO_NAME = /won'?t|cancel|reject|declin|obsolete/i;

/**
 * The Jira transition that brings the issue in step with the item, from those the issue offers
 * now; null when none leads to the category (a workflow that forbids it from here). A won't-do
 * item prefers a transition named like "Won't Do" among those into `done`.
 */
export function chooseJiraTransition(item: ActionItemStatus, transitions: readonly JiraTransition[]): JiraTransition | null {
  const target = STATUS_TABLE[item].jira[0]!;
  const into = transitions.filter((t) => t.category === target);
  if (item === "wont_do") return into.find((t) => WONT_DO_NAME.test(t.name)) ?? into[0] ?? null;
  if (item === "done") return into.find((t) => !WONT_DO_NAME.test(t.name)) ?? into[0] ?? null;
  return into[0] ?? null;
}

export type LinearState = { id: string; name: string; type: string; position: number };

/**
 * The Linear workflow state to move the issue to: of the team's states, one of the first type in
 * the item's row that the team has (open: unstarted before backlog before triage), lowest
 * position first (the board's leftmost column of that type); null when the team has none.
 */
export function chooseLinearState(item: ActionItemStatus, states: readonly LinearState[]): LinearState | null {
  for (const type of STATUS_TABLE[item].linear) {
    const of = states.filter((s) => s.type === type).sort((a, b) => a.position - b.position);
    if (of[0]) return of[0];
  }
  return null;
}

/** The reason a won't-do set from the tracker carries (an item that is won't do must say why). */
export function wontDoReasonFrom(provider: TicketProvider, key: string): string {
  return `Canceled in ${provider === "jira" ? "Jira" : "Linear"} (${key})`;
}

/** Retry delays for pushing a status to a tracker that failed: 30 s doubling to at most 1 hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3_600, 30 * 2 ** Math.max(0, attempts - 1));
}

/** Linear's advice: refuse a webhook whose webhookTimestamp is more than a minute from our clock (a replay). */
export const LINEAR_WEBHOOK_MAX_AGE_MS = 60_000;

export function linearTimestampProblem(webhookTimestamp: number, now: Date): string | null {
  const age = now.getTime() - webhookTimestamp;
  if (!Number.isFinite(webhookTimestamp)) return "webhookTimestamp is missing";
  if (Math.abs(age) > LINEAR_WEBHOOK_MAX_AGE_MS) return `webhookTimestamp is ${Math.round(age / 1000)} s from our clock: more than 60 s, refused as a replay`;
  return null;
}

/** A tracker's status word for people: Jira's category names (To Do, In Progress, Done), Linear's state types. */
export function formatRemoteStatus(provider: TicketProvider, s: string): string {
  if (provider === "jira") return ({ new: "To Do", indeterminate: "In Progress", done: "Done" } as Record<string, string>)[s] ?? s;
  return ({ triage: "Triage", backlog: "Backlog", unstarted: "Unstarted", started: "Started", completed: "Completed", canceled: "Canceled" } as Record<string, string>)[s] ?? s;
}

export const formatProvider = (p: TicketProvider) => (p === "jira" ? "Jira" : "Linear");
