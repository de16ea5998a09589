// A local stand-in for Jira Cloud (a service outside this machine's reach), answering the REST v3
// endpoints ticket sync uses in the shapes Atlassian documents, and sending signed webhooks back:
// - POST /rest/api/3/issue { fields: { project: { key }, summary, issuetype: { name }, description (ADF) } } -> 201 { id, key, self }
// - GET /rest/api/3/issue/{key}?fields=status; GET and POST /rest/api/3/issue/{key}/transitions
// - basic auth (email:API token); a wrong one is 401
// - on every status change, `jira:issue_updated` with `issue.fields.status.statusCategory.key` and
//   a `changelog`, signed `X-Hub-Signature: sha256=<hex>` (admin webhooks with a secret)
// Statuses and transitions are those of Jira's default software workflow.
import { createHmac } from "node:crypto";
import http from "node:http";

type Status = { id: string; name: string; category: "new" | "indeterminate" | "done" };
const STATUSES: Status[] = [
  { id: "10000", name: "To Do", category: "new" },
  { id: "10001", name: "In Progress", category: "indeterminate" },
  { id: "10003", name: "Won't Do", category: "done" },
  { id: "10002", name: "Done", category: "done" },
];
/** One global transition into each status, as the default workflow has ("any status may move to"). */
const TRANSITION_OF: Record<string, string> = { "10000": "11", "10001": "21", "10002": "31", "10003": "41" };
const CATEGORY_NAME = { new: "To Do", indeterminate: "In Progress", done: "Done" } as const;

export type JiraIssue = { id: string; key: string; summary: string; issueType: string; description: unknown; statusId: string };
type Received = { method: string; path: string; authorization: string };

export class JiraStandIn {
  readonly issues = new Map<string, JiraIssue>();
  readonly requests: Received[] = [];
  /** Answers of our endpoint to the webhooks sent. */
  readonly webhookAnswers: { status: number; body: string }[] = [];
  /** While true, every request is answered 503 (a tracker outage). */
  down = false;
  /** Webhooks being sent: `idle()` waits for them (they go out after the answer, as a tracker's do). */
  private sending = new Set<Promise<unknown>>();
  webhook: { url: string; secret: string } | null = null;
  private server!: http.Server;
  private next = 1;
  url = "";

  constructor(
    readonly email: string,
    readonly token: string,
    readonly project: string,
  ) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  async idle(): Promise<void> {
    while (this.sending.size) await Promise.all([...this.sending]);
  }

  stop = () => new Promise<void>((r) => this.server.close(() => r()));

  statusOf(key: string): Status {
    return STATUSES.find((s) => s.id === this.issues.get(key)!.statusId)!;
  }

  /** Someone moves the issue in Jira: its status changes and the webhook is sent; returns our answer's status. */
  async move(key: string, statusName: string): Promise<number> {
    const to = STATUSES.find((s) => s.name === statusName);
    if (!to) throw new Error(`no status ${statusName}`);
    return this.transition(this.issues.get(key)!, to);
  }

  /** The body Jira sends for `jira:issue_updated` (Jira Cloud docs, "Webhooks": example payload). */
  issueUpdatedBody(issue: JiraIssue, from: Status, timestamp = Date.now()): string {
    const to = STATUSES.find((s) => s.id === issue.statusId)!;
    return JSON.stringify({
      timestamp,
      webhookEvent: "jira:issue_updated",
      issue_event_type_name: "issue_generic",
      user: { accountId: "5b10ac8d82e05b22cc7d4ef5", displayName: "Ada" },
      issue: {
        id: issue.id,
        self: `${this.url}/rest/api/3/issue/${issue.id}`,
        key: issue.key,
        fields: { summary: issue.summary, issuetype: { name: issue.issueType }, project: { key: this.project }, status: this.statusJson(to) },
      },
      changelog: { id: String(this.next++), items: [{ field: "status", fieldtype: "jira", from: from.id, fromString: from.name, to: to.id, toString: to.name }] },
    });
  }

  sign(body: string, secret = this.webhook?.secret ?? ""): string {
    return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  }

  private statusJson(s: Status) {
    return { self: `${this.url}/rest/api/3/status/${s.id}`, id: s.id, name: s.name, statusCategory: { id: { new: 2, indeterminate: 4, done: 3 }[s.category], key: s.category, name: CATEGORY_NAME[s.category] } };
  }

  private async transition(issue: JiraIssue, to: Status): Promise<number> {
    const from = STATUSES.find((s) => s.id === issue.statusId)!;
    issue.statusId = to.id;
    if (!this.webhook) return 0;
    const body = this.issueUpdatedBody(issue, from);
    const res = await fetch(this.webhook.url, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature": this.sign(body), "x-atlassian-webhook-identifier": String(this.next++) }, body });
    this.webhookAnswers.push({ status: res.status, body: await res.text() });
    return res.status;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let text = "";
    for await (const c of req) text += c;
    const url = new URL(req.url ?? "/", this.url);
    this.requests.push({ method: req.method ?? "", path: url.pathname, authorization: req.headers.authorization ?? "" });
    const json = (status: number, body?: unknown) => res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" }).end(body === undefined ? undefined : JSON.stringify(body));
    const refuse = (status: number, message: string) => json(status, { errorMessages: [message], errors: {} });
    if (this.down) return refuse(503, "Service Unavailable");
    if (req.headers.authorization !== `Basic ${Buffer.from(`${this.email}:${this.token}`).toString("base64")}`) return refuse(401, "Client must be authenticated to access this resource.");

    if (req.method === "POST" && url.pathname === "/rest/api/3/issue") {
      const f = (JSON.parse(text) as { fields?: Record<string, unknown> }).fields ?? {};
      const errors: Record<string, string> = {};
      if ((f.project as { key?: unknown } | undefined)?.key !== this.project) errors.project = "valid project is required";
      if (typeof f.summary !== "string" || !f.summary) errors.summary = "You must specify a summary of the issue.";
      if (typeof (f.issuetype as { name?: unknown } | undefined)?.name !== "string") errors.issuetype = "Specify an issue type";
      const d = f.description as { type?: unknown; version?: unknown; content?: unknown } | undefined;
      if (d !== undefined && (d.type !== "doc" || d.version !== 1 || !Array.isArray(d.content))) errors.description = "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
      if (Object.keys(errors).length) return json(400, { errorMessages: [], errors });
      const n = this.next++;
      const issue: JiraIssue = { id: String(10000 + n), key: `${this.project}-${n}`, summary: f.summary as string, issueType: (f.issuetype as { name: string }).name, description: d, statusId: "10000" };
      this.issues.set(issue.key, issue);
      return json(201, { id: issue.id, key: issue.key, self: `${this.url}/rest/api/3/issue/${issue.id}` });
    }
    const project = /^\/rest\/api\/3\/project\/([^/]+)$/.exec(url.pathname);
    if (project && req.method === "GET") {
      const key = decodeURIComponent(project[1]!);
      return key === this.project ? json(200, { id: "10000", key, name: "Operations", projectTypeKey: "software" }) : refuse(404, `No project could be found with key '${key}'.`);
    }
    const m = /^\/rest\/api\/3\/issue\/([^/]+)(\/transitions)?$/.exec(url.pathname);
    const issue = m ? this.issues.get(decodeURIComponent(m[1]!)) : undefined;
    if (m && !issue) return refuse(404, "Issue does not exist or you do not have permission to see it.");
    if (issue && !m![2] && req.method === "GET") return json(200, { id: issue.id, key: issue.key, fields: { status: this.statusJson(this.statusOf(issue.key)) } });
    if (issue && m![2] && req.method === "GET") {
      const offered = STATUSES.filter((s) => s.id !== issue.statusId).map((s) => ({ id: TRANSITION_OF[s.id], name: s.name, to: this.statusJson(s), hasScreen: false, isGlobal: true }));
      return json(200, { expand: "transitions", transitions: offered });
    }
    if (issue && m![2] && req.method === "POST") {
      const id = (JSON.parse(text) as { transition?: { id?: unknown } }).transition?.id;
      const to = STATUSES.find((s) => TRANSITION_OF[s.id] === id && s.id !== issue.statusId);
      if (!to) return json(400, { errorMessages: [`Transition id '${String(id)}' is not valid for this issue.`], errors: {} });
      json(204);
      const sent = this.transition(issue, to).finally(() => this.sending.delete(sent));
      this.sending.add(sent);
      return;
    }
    refuse(404, "Not found");
  }
}
