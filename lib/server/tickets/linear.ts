// Linear's GraphQL API (linear.app/developers/graphql): one endpoint, POST {baseUrl}/graphql with
// `Authorization: <API key>` (personal API keys go without "Bearer"). The operations used:
// - issueCreate(input: { teamId, title, description }) { success issue { id identifier url state { type } } }
// - team(id) { states { nodes { id name type position } } }: the team's workflow states
// - issue(id) { state { type } }
// - issueUpdate(id, input: { stateId }) { success issue { state { type } } }
import { chooseLinearState, isRemoteStatus, type LinearStateType } from "../../domain/ticket-sync";
import { outboundRequest, type OutboundPolicy } from "../http/outbound";
import { TrackerError, trackerFailure, type Tracker, type TrackerSettings } from "./tracker";

const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 1024 * 1024;

export const LINEAR_OPERATIONS = {
  IssueCreate: `mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url state { type } } } }`,
  TeamStates: `query TeamStates($id: String!) { team(id: $id) { states { nodes { id name type position } } } }`,
  IssueState: `query IssueState($id: String!) { issue(id: $id) { id state { type } } }`,
  IssueUpdate: `mutation IssueUpdate($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success issue { id state { type } } } }`,
} as const;

type Issue = { id?: unknown; identifier?: unknown; url?: unknown; state?: { type?: unknown } };

export function linearTracker(s: TrackerSettings, policy: OutboundPolicy): Tracker {
  const call = async <T>(operationName: keyof typeof LINEAR_OPERATIONS, variables: Record<string, unknown>): Promise<T> => {
    const what = `Linear ${operationName}`;
    let answer: { data?: T | null; errors?: unknown[] };
    try {
      const r = await outboundRequest(`${s.baseUrl}/graphql`, {
        ...policy,
        method: "POST",
        headers: { authorization: s.apiToken, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ operationName, query: LINEAR_OPERATIONS[operationName], variables }),
        timeoutMs: TIMEOUT_MS,
        maxBytes: MAX_ANSWER_BYTES,
      });
      answer = JSON.parse(r.text) as typeof answer;
    } catch (e) {
      if (e instanceof SyntaxError) throw new TrackerError(`${what}: the answer is not JSON (is the base URL Linear's API?)`, false);
      throw trackerFailure(what, e);
    }
    // GraphQL errors come with HTTP 200; their text is Linear's, so only their number is told.
    if (answer.errors?.length || !answer.data) throw new TrackerError(`${what}: Linear answered with ${answer.errors?.length ?? 0} GraphQL error(s): check the API key and the team id`, false);
    return answer.data;
  };
  const typeOf = (issue: Issue | null | undefined, what: string): LinearStateType => {
    const t = issue?.state?.type;
    if (typeof t !== "string" || !isRemoteStatus("linear", t)) throw new TrackerError(`${what}: the answer has no workflow state type`, false);
    return t as LinearStateType;
  };

  return {
    async check() {
      // The team's workflow states: the key works, the team exists, and moving issues will work.
      const d = await call<{ team?: { states?: { nodes?: unknown[] } } | null }>("TeamStates", { id: s.project });
      if (!d.team?.states?.nodes?.length) throw new TrackerError(`Linear TeamStates: team ${s.project} has no workflow states, or the key cannot see it`, false);
    },
    async createIssue(title, description) {
      const d = await call<{ issueCreate?: { success?: boolean; issue?: Issue } }>("IssueCreate", { input: { teamId: s.project, title, description } });
      const issue = d.issueCreate?.issue;
      if (!d.issueCreate?.success || typeof issue?.id !== "string" || typeof issue.identifier !== "string" || typeof issue.url !== "string") {
        throw new TrackerError("Linear IssueCreate: the issue was not created", false);
      }
      return { externalId: issue.id, externalKey: issue.identifier, url: issue.url, remoteStatus: typeOf(issue, "Linear IssueCreate") };
    },
    async statusOf(issue) {
      const d = await call<{ issue?: Issue }>("IssueState", { id: issue.externalId });
      return typeOf(d.issue, "Linear IssueState");
    },
    async moveTo(issue, item) {
      const d = await call<{ team?: { states?: { nodes?: { id?: unknown; name?: unknown; type?: unknown; position?: unknown }[] } } }>("TeamStates", { id: s.project });
      const states = (d.team?.states?.nodes ?? []).map((n) => ({ id: String(n.id), name: String(n.name ?? ""), type: String(n.type ?? ""), position: Number(n.position ?? 0) }));
      const target = chooseLinearState(item, states);
      if (!target) throw new TrackerError(`the Linear team has no workflow state for "${item}"`, false);
      const u = await call<{ issueUpdate?: { success?: boolean; issue?: Issue } }>("IssueUpdate", { id: issue.externalId, input: { stateId: target.id } });
      if (!u.issueUpdate?.success) throw new TrackerError(`Linear IssueUpdate: ${issue.externalKey} was not moved`, true);
      return typeOf(u.issueUpdate.issue, "Linear IssueUpdate");
    },
  };
}
