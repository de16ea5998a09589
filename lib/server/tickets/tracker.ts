// What ticket sync needs of a tracker, whichever it is: create an issue, read its status, move it
// into step with an action item. Every request goes through the outbound guard (the base URL is
// a team admin's choice); failures are told in our words, never with the tracker's answer or
// our credentials, and say whether trying again can help.
import type { ActionItemStatus } from "../../domain/postmortem";
import type { RemoteStatus } from "../../domain/ticket-sync";
import { OutboundError } from "../http/outbound";

/** An integration row: `provider` is "jira" or "linear" (a CHECK constraint holds it to those). */
export type TrackerSettings = { provider: string; baseUrl: string; email: string; apiToken: string; project: string; issueType: string };
export type IssueRef = { externalId: string; externalKey: string };
export type CreatedIssue = IssueRef & { url: string; remoteStatus: RemoteStatus };

export type Tracker = {
  /** Reads the project (Jira) or team (Linear) with these settings: what "Test connection" asks. */
  check(): Promise<void>;
  createIssue(title: string, description: string): Promise<CreatedIssue>;
  statusOf(issue: IssueRef): Promise<RemoteStatus>;
  /** Moves the issue into step with `item`; returns the tracker's status after. */
  moveTo(issue: IssueRef, item: ActionItemStatus): Promise<RemoteStatus>;
};

/**
 * A failure talking to a tracker. `retry`: whether the same request may succeed later (the
 * tracker down, slow, rate-limiting or failing) rather than never (refused credentials, a
 * workflow that does not allow the move): a retry is scheduled only for the former.
 */
export class TrackerError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
    this.name = "TrackerError";
  }
}

/** Our words for a failed request to `what` ("Jira POST /rest/api/3/issue"). */
export function trackerFailure(what: string, e: unknown): TrackerError {
  if (e instanceof TrackerError) return e;
  if (!(e instanceof OutboundError)) return new TrackerError(`${what}: the request failed`, true);
  if (e.kind === "status") {
    const s = e.status ?? 0;
    if (s === 401 || s === 403) return new TrackerError(`${what} was refused (HTTP ${s}): check the API token and its permissions`, false);
    if (s === 404) return new TrackerError(`${what}: not found (HTTP 404): check the project or team, and that the issue still exists`, false);
    return new TrackerError(`${what}: the tracker answered HTTP ${s}`, s === 408 || s === 429 || s >= 500);
  }
  // The guard refused the address, or the URL is malformed: no retry makes it reachable.
  return new TrackerError(`${what}: ${e.message}`, !(e.kind === "refused" || e.kind === "bad_url" || e.kind === "redirect"));
}
