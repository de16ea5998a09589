// Jira Cloud REST API v3 (developer.atlassian.com/cloud/jira/platform/rest/v3):
// - POST /rest/api/3/issue { fields: { project: { key }, summary, issuetype: { name }, description (ADF) } } -> 201 { id, key, self }
// - GET /rest/api/3/issue/{key}?fields=status -> { fields: { status: { statusCategory: { key } } } }
// - GET /rest/api/3/issue/{key}/transitions -> { transitions: [{ id, name, to: { statusCategory: { key } } }] }
// - POST /rest/api/3/issue/{key}/transitions { transition: { id } } -> 204
// - GET /rest/api/3/project/{key} -> { id, key, name } (404: no such project, or not visible to the account)
// Basic auth with the account's email and an API token ("Basic auth for REST APIs").
import { chooseJiraTransition, isRemoteStatus, type JiraCategory } from "../../domain/ticket-sync";
import { outboundRequest, type OutboundPolicy } from "../http/outbound";
import { TrackerError, trackerFailure, type Tracker, type TrackerSettings } from "./tracker";

const TIMEOUT_MS = 10_000;
/** Jira's answers here are small JSON; a larger one is not Jira. */
const MAX_ANSWER_BYTES = 512 * 1024;

/** A plain-text description as an Atlassian Document Format document: one paragraph per line. */
export function adfOf(text: string) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  return { type: "doc", version: 1, content: lines.map((l) => ({ type: "paragraph", content: [{ type: "text", text: l }] })) };
}

export function jiraTracker(s: TrackerSettings, policy: OutboundPolicy): Tracker {
  const auth = `Basic ${Buffer.from(`${s.email}:${s.apiToken}`).toString("base64")}`;
  const call = async (method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> => {
    const what = `Jira ${method} ${path.replace(/\?.*$/, "")}`;
    try {
      const r = await outboundRequest(`${s.baseUrl}${path}`, {
        ...policy,
        method,
        headers: { authorization: auth, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: TIMEOUT_MS,
        maxBytes: MAX_ANSWER_BYTES,
      });
      return r.text ? (JSON.parse(r.text) as unknown) : null;
    } catch (e) {
      if (e instanceof SyntaxError) throw new TrackerError(`${what}: the answer is not JSON (is the base URL a Jira site?)`, false);
      throw trackerFailure(what, e);
    }
  };
  const category = (answer: unknown, what: string): JiraCategory => {
    const key = (answer as { fields?: { status?: { statusCategory?: { key?: unknown } } } } | null)?.fields?.status?.statusCategory?.key;
    if (typeof key !== "string" || !isRemoteStatus("jira", key)) throw new TrackerError(`${what}: the answer has no status category`, false);
    return key as JiraCategory;
  };
  const statusOf = async (issue: { externalKey: string }) => category(await call("GET", `/rest/api/3/issue/${encodeURIComponent(issue.externalKey)}?fields=status`), "Jira GET issue");

  return {
    async check() {
      const project = (await call("GET", `/rest/api/3/project/${encodeURIComponent(s.project)}`)) as { key?: unknown } | null;
      if (project?.key !== s.project) throw new TrackerError(`Jira GET /rest/api/3/project: the answer is not project ${s.project}`, false);
    },
    async createIssue(title, description) {
      const created = (await call("POST", "/rest/api/3/issue", {
        fields: { project: { key: s.project }, summary: title, issuetype: { name: s.issueType || "Task" }, description: adfOf(description) },
      })) as { id?: unknown; key?: unknown } | null;
      if (typeof created?.key !== "string" || (typeof created.id !== "string" && typeof created.id !== "number")) throw new TrackerError("Jira POST /rest/api/3/issue: the answer has no issue id and key", false);
      const ref = { externalId: String(created.id), externalKey: created.key };
      return { ...ref, url: `${s.baseUrl}/browse/${encodeURIComponent(created.key)}`, remoteStatus: await statusOf(ref) };
    },
    statusOf,
    async moveTo(issue, item) {
      const path = `/rest/api/3/issue/${encodeURIComponent(issue.externalKey)}/transitions`;
      const offered = ((await call("GET", path)) as { transitions?: { id?: unknown; name?: unknown; to?: { statusCategory?: { key?: unknown } } }[] } | null)?.transitions ?? [];
      const transitions = offered.map((t) => ({ id: String(t.id), name: String(t.name ?? ""), category: String(t.to?.statusCategory?.key ?? "") }));
      const pick = chooseJiraTransition(item, transitions);
      if (!pick) throw new TrackerError(`Jira offers no transition of ${issue.externalKey} into a status for "${item}" from its current status: move it in Jira, or change the workflow`, false);
      await call("POST", path, { transition: { id: pick.id } });
      return pick.category as JiraCategory;
    },
  };
}
