// A local stand-in for Linear's GraphQL API (a service outside this machine's reach): POST
// /graphql with `Authorization: <API key>`, answering the operations ticket sync uses (and only
// those: the operation's name, its query's root field and its variables are checked) in the
// shapes Linear documents; and sending the Issue webhook back on every state change, signed
// `Linear-Signature: <hex HMAC-SHA256 of the body>` with `webhookTimestamp` in the body.
import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";

type State = { id: string; name: string; type: string; position: number; color: string };
export type LinearIssue = { id: string; identifier: string; title: string; description: string; stateId: string };

/** The root field each operation must select, and its variables' checks (returns a problem or null). */
const ROOT: Record<string, string> = { IssueCreate: "issueCreate(", TeamStates: "team(", IssueState: "issue(", IssueUpdate: "issueUpdate(" };

export class LinearStandIn {
  readonly states: State[];
  readonly issues = new Map<string, LinearIssue>();
  readonly operations: { name: string; variables: Record<string, unknown>; authorization: string }[] = [];
  readonly webhookAnswers: { status: number; body: string }[] = [];
  down = false;
  /** Webhooks being sent: `idle()` waits for them (they go out after the answer, as a tracker's do). */
  private sending = new Set<Promise<unknown>>();
  webhook: { url: string; secret: string } | null = null;
  private server!: http.Server;
  private next = 1;
  url = "";

  constructor(
    readonly apiKey: string,
    readonly teamId: string,
    readonly teamKey = "ENG",
  ) {
    // The states a new Linear team starts with.
    this.states = [
      ["Triage", "triage", "#FC7840"],
      ["Backlog", "backlog", "#bec2c8"],
      ["Todo", "unstarted", "#e2e2e2"],
      ["In Progress", "started", "#f2c94c"],
      ["Done", "completed", "#5e6ad2"],
      ["Canceled", "canceled", "#95a2b3"],
    ].map(([name, type, color], i) => ({ id: randomUUID(), name: name!, type: type!, position: i, color: color! }));
  }

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

  stateOf(id: string): State {
    return this.states.find((s) => s.id === this.issues.get(id)!.stateId)!;
  }

  /** Someone moves the issue in Linear; returns our endpoint's answer status. */
  async move(id: string, stateName: string): Promise<number> {
    const to = this.states.find((s) => s.name === stateName);
    if (!to) throw new Error(`no state ${stateName}`);
    return this.setState(this.issues.get(id)!, to);
  }

  /** The body of Linear's Issue `update` webhook (Linear docs, "Webhooks": data is the issue, updatedFrom its previous values). */
  issueUpdateBody(issue: LinearIssue, fromStateId: string, webhookTimestamp = Date.now()): string {
    const s = this.states.find((x) => x.id === issue.stateId)!;
    return JSON.stringify({
      action: "update",
      type: "Issue",
      createdAt: new Date(webhookTimestamp).toISOString(),
      organizationId: "2c3d7c53-5c8e-4c4b-8f6a-0c1b8a8e3f11",
      webhookId: "0f4f5e1c-8d1e-4a6b-9d8e-3f2a1b0c9d8e",
      webhookTimestamp,
      url: `https://linear.app/acme/issue/${issue.identifier}`,
      data: { id: issue.id, identifier: issue.identifier, title: issue.title, stateId: s.id, state: { id: s.id, name: s.name, type: s.type, color: s.color }, teamId: this.teamId },
      updatedFrom: { stateId: fromStateId, updatedAt: new Date(webhookTimestamp - 1000).toISOString() },
    });
  }

  sign(body: string, secret = this.webhook?.secret ?? ""): string {
    return createHmac("sha256", secret).update(body).digest("hex");
  }

  private async setState(issue: LinearIssue, to: State): Promise<number> {
    const from = issue.stateId;
    issue.stateId = to.id;
    if (!this.webhook) return 0;
    const body = this.issueUpdateBody(issue, from);
    const res = await fetch(this.webhook.url, { method: "POST", headers: { "content-type": "application/json; charset=utf-8", "linear-signature": this.sign(body), "linear-delivery": randomUUID(), "linear-event": "Issue" }, body });
    this.webhookAnswers.push({ status: res.status, body: await res.text() });
    return res.status;
  }

  private issueJson(i: LinearIssue) {
    const s = this.states.find((x) => x.id === i.stateId)!;
    return { id: i.id, identifier: i.identifier, url: `https://linear.app/acme/issue/${i.identifier}`, state: { type: s.type } };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let text = "";
    for await (const c of req) text += c;
    const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const error = (status: number, message: string, code: string) => send(status, { errors: [{ message, extensions: { code } }] });
    if (this.down) return res.writeHead(503).end("upstream connect error");
    if (req.method !== "POST" || req.url !== "/graphql") return res.writeHead(404).end();
    if (req.headers.authorization !== this.apiKey) return error(400, "Authentication required, not authenticated", "AUTHENTICATION_ERROR");
    const { operationName, query, variables = {} } = JSON.parse(text) as { operationName?: string; query?: string; variables?: Record<string, unknown> };
    const root = operationName ? ROOT[operationName] : undefined;
    if (!root || typeof query !== "string" || !query.includes(`${/Create|Update/.test(operationName!) ? "mutation" : "query"} ${operationName}(`) || !query.includes(root)) {
      return error(400, `Unknown operation ${String(operationName)}`, "GRAPHQL_VALIDATION_FAILED");
    }
    this.operations.push({ name: operationName!, variables, authorization: req.headers.authorization });
    const bad = (what: string) => error(400, `Variable "${what}" got invalid value`, "BAD_USER_INPUT");

    if (operationName === "IssueCreate") {
      const input = variables.input as { teamId?: unknown; title?: unknown; description?: unknown } | undefined;
      if (input?.teamId !== this.teamId) return bad("$input.teamId");
      if (typeof input.title !== "string" || !input.title) return bad("$input.title");
      if (input.description !== undefined && typeof input.description !== "string") return bad("$input.description");
      const todo = this.states.find((s) => s.type === "unstarted")!;
      const issue: LinearIssue = { id: randomUUID(), identifier: `${this.teamKey}-${this.next++}`, title: input.title, description: (input.description as string) ?? "", stateId: todo.id };
      this.issues.set(issue.id, issue);
      return send(200, { data: { issueCreate: { success: true, issue: this.issueJson(issue) } } });
    }
    if (operationName === "TeamStates") {
      if (variables.id !== this.teamId) return send(200, { data: null, errors: [{ message: "Entity not found: Team", extensions: { code: "INVALID_INPUT" } }] });
      return send(200, { data: { team: { states: { nodes: this.states.map(({ id, name, type, position }) => ({ id, name, type, position })) } } } });
    }
    const issue = typeof variables.id === "string" ? this.issues.get(variables.id) : undefined;
    if (!issue) return send(200, { data: null, errors: [{ message: "Entity not found: Issue", extensions: { code: "INVALID_INPUT" } }] });
    if (operationName === "IssueState") return send(200, { data: { issue: this.issueJson(issue) } });
    const to = this.states.find((s) => s.id === (variables.input as { stateId?: unknown } | undefined)?.stateId);
    if (!to) return bad("$input.stateId");
    send(200, { data: { issueUpdate: { success: true, issue: { ...this.issueJson({ ...issue, stateId: to.id }) } } } });
    const sent = this.setState(issue, to).finally(() => this.sending.delete(sent));
    this.sending.add(sent);
  }
}
