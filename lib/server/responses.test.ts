// The services' answers are what the OpenAPI document says they are, without the system suite:
// at compile time, each service a route calls returns its operation's response schema's output
// type (`returns` below fails to compile otherwise); at run time, representative answers from a
// real database, sent through JSON as the routes send them, are checked with the same validator
// and document as the recorded responses of the system and e2e suites (testing/api-responses.ts).
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { checkResponse } from "./testing/api-responses";
import { makeTeam, makeTokenActor, makeUser } from "./testing/factories";
import { operations } from "./openapi";
import * as views from "../schemas/views";
import * as responses from "../schemas/responses";
import { archivedListSchema } from "../schemas/archive";
import { ingestResultSchema } from "../schemas/ingest";
import { createActionItemSchema, createIncidentSchema } from "../schemas/incidents";
import { createdTokenSchema, tokenSchema } from "../schemas/tokens";
import { createActionItem, myActionItems, teamActionItems, updateActionItem } from "./services/action-items";
import { archiveSlo, listArchived, restoreSlo } from "./services/archive";
import { createExclusion, createService, createSli, createSlo, getSlo, listExclusions, listServices, listSlis, listSlos, updateService, updateSlo } from "./services/catalog";
import { cancelFreeze, createFreeze, listFreezes } from "./services/freezes";
import { askGate, getDecision, listDecisions } from "./services/gate";
import { getGithub } from "./services/github";
import { addTimelineEntry, createIncident, getIncident, listIncidents, updateIncident } from "./services/incidents";
import { ingestBatch } from "./services/ingest";
import { describeActor } from "./services/me";
import { createChannel, listChannels } from "./services/notifications";
import { grantOverride, listOverrides, revokeOverride } from "./services/overrides";
import { getOverview, getService } from "./services/overview";
import { getServicePolicy, getTeamPolicy, policyHistory, putServicePolicy, putTeamPolicy } from "./services/policy";
import { createPostmortem, getPostmortem, listPostmortems, listTemplates, putTemplate, savePostmortem, searchPostmortems, transitionPostmortem } from "./services/postmortems";
import { checkReadiness } from "./services/readiness";
import { endAllSessionsFor, listSessions } from "./services/sessions";
import { getBudgetSpent, getSloStatus } from "./services/slo-status";
import { listTeamStatus } from "./services/team-status";
import { getSloSeries } from "./services/slo-series";
import { getDefinitionHistory } from "./services/definition-history";
import { createTeam, getTeam, listMembers, listTeams, updateMember, addMember } from "./services/teams";
import { createToken, listTokens, revokeToken } from "./services/tokens";
import { createUser, listUsers, updateUser } from "./services/users";

/** Compiles only when each function's answer fits the schema's output type. */
function returns<S extends z.ZodType>(_schema: S, ..._fns: ((...a: never[]) => Promise<z.output<S>>)[]) {}

returns(responses.readinessSchema, checkReadiness);
returns(responses.meSchema, describeActor);
returns(views.overviewSchema, getOverview);
returns(views.adminUserViewSchema.array(), listUsers);
returns(views.adminUserViewSchema, updateUser);
returns(responses.sessionUserSchema, createUser);
returns(views.sessionViewSchema.array(), listSessions);
returns(responses.endedSessionsSchema, endAllSessionsFor);
returns(responses.teamSummarySchema.array(), listTeams);
returns(responses.teamSummarySchema, createTeam);
returns(responses.teamAccessSchema, getTeam);
returns(responses.memberSchema.array(), listMembers);
returns(responses.memberSchema, addMember);
returns(responses.memberRoleSchema, updateMember);
returns(tokenSchema.array(), listTokens);
returns(createdTokenSchema, createToken);
returns(tokenSchema, revokeToken);
returns(views.channelViewSchema.array(), listChannels);
returns(views.channelViewSchema, createChannel);
returns(responses.teamStatusSchema, listTeamStatus);
returns(responses.serviceSchema.array(), listServices);
returns(responses.serviceSchema, createService, updateService);
returns(responses.serviceWithStandingSchema, getService);
returns(archivedListSchema, listArchived);
returns(views.sliViewSchema.array(), listSlis);
returns(views.sliViewSchema, createSli);
returns(views.sloViewSchema.array(), listSlos);
returns(views.sloViewSchema, createSlo, getSlo, updateSlo, archiveSlo, restoreSlo);
returns(views.sloSeriesSchema, getSloSeries);
returns(views.sloDetailSchema, getSloStatus);
returns(responses.budgetSpentSchema, getBudgetSpent);
returns(views.exclusionViewSchema.array(), listExclusions);
returns(views.exclusionViewSchema, createExclusion);
returns(ingestResultSchema, ingestBatch);
returns(views.gateDecisionViewSchema, askGate, getDecision);
returns(responses.decisionPageSchema, listDecisions);
returns(views.policyViewSchema, getTeamPolicy, putTeamPolicy, getServicePolicy, putServicePolicy);
returns(views.policyVersionViewSchema.array(), policyHistory);
returns(views.overrideViewSchema.array(), listOverrides);
returns(views.overrideViewSchema, grantOverride, revokeOverride);
returns(views.freezeViewSchema.array(), listFreezes);
returns(views.freezeViewSchema, createFreeze, cancelFreeze);
returns(views.githubIntegrationViewSchema, getGithub);
returns(views.incidentViewSchema.array(), listIncidents);
returns(views.incidentViewSchema, createIncident, getIncident, updateIncident);
returns(views.timelineEntryViewSchema, addTimelineEntry);
returns(responses.postmortemListItemSchema.array(), listPostmortems, searchPostmortems);
returns(views.postmortemViewSchema, createPostmortem, getPostmortem, savePostmortem, transitionPostmortem);
returns(views.templateViewSchema.array(), listTemplates);
returns(views.templateViewSchema, putTemplate);
returns(views.actionItemViewSchema, createActionItem, updateActionItem);
returns(responses.teamActionItemsSchema, teamActionItems);
returns(responses.myActionItemsSchema, myActionItems);

/** What is wrong with `result` as the success answer of `method path` (its JSON, as the route sends it). */
function problems(key: string, result: unknown) {
  const [method, path] = key.split(" ") as [string, string];
  const op = operations.find((o) => `${o.method} ${o.path}` === key);
  if (!op) throw new Error(`no operation ${key}`);
  const status = op.created ? 201 : 200;
  return checkResponse({ method, path: path.replace(/\{(\w+)\}/g, "x$1"), status, type: "application/json", body: JSON.parse(JSON.stringify(result)) as unknown, source: "responses.test" }).problems;
}

const at = new Date("2026-06-01T00:00:00Z");
const S = "/api/v1/teams/{team}/services/{service}";

describe("the services' answers match the OpenAPI document", () => {
  it("catalog, status, gate, incidents and postmortems of a real team", async () => {
    const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
    const t = team.slug;
    const { editor, admin, viewer } = members;
    const answers: [string, unknown][] = [];
    const keep = <T>(key: string, value: T) => (answers.push([key, value]), value);

    keep("post /api/v1/teams/{team}/services", await createService(editor, t, { slug: "api", name: "API", description: "" }));
    keep(`post ${S}/slis`, await createSli(editor, t, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" }));
    keep(`post ${S}/slos`, await createSlo(editor, t, "api", { slug: "main", name: "Main", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 }));
    keep(`post ${S}/slos`, await createSlo(editor, t, "api", { slug: "cal", name: "Calendar", description: "", sli: "ok", objective: "0.999", window: { kind: "calendar", unit: "month", timeZone: "Europe/Berlin" }, minEvents: 0 }));
    const ingest = await makeTokenActor(t, admin, ["ingest", "gate", "read"]);
    const items = Array.from({ length: 120 }, (_, i) => ({ sli: "api/ok", minute: new Date(at.getTime() - (i + 1) * 60_000).toISOString(), good: i < 30 ? 50 : 100, total: 100 }));
    keep("post /api/v1/ingest", await ingestBatch(ingest, { items }, at));
    keep("get /api/v1/teams/{team}/services", await listServices(viewer, t));
    keep(`get ${S}`, await getService(viewer, t, "api", at));
    keep(`get ${S}/slis`, await listSlis(viewer, t, "api"));
    keep(`get ${S}/slos`, await listSlos(viewer, t, "api"));
    keep(`get ${S}/slos/{slo}/status`, await getSloStatus(viewer, t, "api", "main", at));
    keep(`get ${S}/slos/{slo}/status`, await getSloStatus(viewer, t, "api", "cal", at));
    keep(`get ${S}/slos/{slo}/series`, await getSloSeries(viewer, t, "api", "main", {}, at));
    keep(`get ${S}/slos/{slo}/budget-spent`, await getBudgetSpent(viewer, t, "api", "main", new Date(at.getTime() - 3_600_000), at));
    keep("get /api/v1/teams/{team}/status", await listTeamStatus(ingest, t, at));
    keep(`post ${S}/exclusions`, await createExclusion(editor, t, "api", { kind: "maintenance", reason: "upgrade", startsAt: new Date("2026-05-31T10:00:00Z"), endsAt: new Date("2026-05-31T11:00:00Z") }));
    keep(`get ${S}/exclusions`, await listExclusions(viewer, t, "api"));
    keep("get /api/v1/overview", await getOverview(editor, at));

    keep("post /api/v1/teams/{team}/freezes", await createFreeze(admin, t, { service: null, environment: null, reason: "launch week", startsAt: new Date(Date.parse("2030-01-01T00:00:00Z")), endsAt: new Date("2030-01-02T00:00:00Z") }));
    keep("get /api/v1/teams/{team}/freezes", await listFreezes(viewer, t));
    const decision = keep("post /api/v1/gate", await askGate(ingest, { service: "api", environment: "production", version: "1.2.3", requester: "ci", changeType: "feature" }));
    keep("post /api/v1/gate", await askGate(ingest, { service: "unknown", environment: "production", version: "1", requester: "ci", changeType: "feature" }));
    keep("get /api/v1/teams/{team}/decisions", await listDecisions(viewer, t, { limit: 50 }));
    keep("get /api/v1/teams/{team}/decisions/{decision}", await getDecision(viewer, t, decision.decisionId));
    keep("get /api/v1/teams/{team}/policy", await getTeamPolicy(viewer, t));
    keep(`get ${S}/policy`, await getServicePolicy(viewer, t, "api"));
    keep("get /api/v1/teams/{team}/policy/history", await policyHistory(viewer, t));

    const incident = keep("post /api/v1/teams/{team}/incidents", await createIncident(editor, t, createIncidentSchema.parse({ title: "Outage", severity: "SEV2", startedAt: "2026-05-31T23:30:00Z", slos: ["api/main"] })));
    keep("get /api/v1/teams/{team}/incidents/{incident}", await getIncident(viewer, t, incident.id));
    keep("get /api/v1/teams/{team}/incidents", await listIncidents(viewer, t));
    const pm = keep("post /api/v1/teams/{team}/postmortems", await createPostmortem(editor, t, { incident: incident.id }));
    keep("post /api/v1/postmortems/{postmortem}/action-items", await createActionItem(editor, pm.id, createActionItemSchema.parse({ title: "Fix", type: "prevent", priority: "P1" })));
    keep("get /api/v1/postmortems/{postmortem}", await getPostmortem(viewer, pm.id));
    keep("get /api/v1/teams/{team}/postmortems", await listPostmortems(viewer, t));
    keep("get /api/v1/teams/{team}/action-items", await teamActionItems(viewer, t));
    keep("get /api/v1/teams/{team}/postmortem-templates", await listTemplates(viewer, t));
    keep("get /api/v1/teams/{team}/members", await listMembers(viewer, t));
    keep("get /api/v1/teams/{team}", await getTeam(ingest, t));
    keep("get /api/v1/me", await describeActor(ingest, null));
    keep("get /api/v1/teams/{team}/tokens", await listTokens(admin, t));
    keep("get /api/v1/teams/{team}/archived", await listArchived(viewer, t));
    // A changed objective: the SLO's history and its charts with a definition change.
    await updateSlo(editor, t, "api", "main", { objective: "0.995" });
    keep(`get ${S}/slos/{slo}/history`, await getDefinitionHistory(viewer, t, "api", "main"));
    keep(`get ${S}/slos/{slo}/series`, await getSloSeries(viewer, t, "api", "main", { definition: "current" }));

    const found = answers.flatMap(([key, value]) => problems(key, value));
    expect(found).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(40);
  });

  it("a person's answers: teams, sessions, the site admin's user list", async () => {
    const { actor: root } = await makeUser({ isSiteAdmin: true });
    const team = await createTeam(root, { slug: `r-${Date.now().toString(36)}`, name: "R" });
    const found = [
      ...problems("post /api/v1/teams", team),
      ...problems("get /api/v1/teams", await listTeams(root)),
      ...problems("get /api/v1/users", await listUsers(root)),
      ...problems("get /api/v1/me/action-items", await myActionItems(root)),
    ];
    expect(found).toEqual([]);
  });

  it("catches an answer that drifted from its schema: a missing field, a wrong type, an extra field", () => {
    expect(problems("get /api/v1/teams", [{ id: "1", slug: "a", name: "A" }]).join()).toContain("must have required property 'role'");
    expect(problems("get /api/v1/teams", [{ id: "1", slug: "a", name: "A", role: "owner" }]).join()).toContain("must be equal to one of the allowed values");
    expect(problems("get /api/v1/teams", [{ id: "1", slug: "a", name: "A", role: "admin", secret: "x" }]).join()).toContain("'secret'");
  });
});
