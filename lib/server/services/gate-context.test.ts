// The gate context against a real database: each SQL prefilter (gate-context.ts) held to the
// domain rule it stands for over a table of cases, the policy lookup, and a stored policy that
// cannot be read failing closed on every surface.
import { describe, expect, it } from "vitest";
import { defaultPolicy, freezeApplies, overrideApplies } from "../../domain/policy";
import { isOverdue, postmortemSatisfied, type ActionItemStatus, type Priority } from "../../domain/postmortem";
import { db, prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { ACTIVE_FREEZE_SQL, ACTIVE_OVERRIDE_SQL, OVERDUE_ACTION_ITEM_SQL, pickEffective, POSTMORTEM_MISSING_SQL } from "./gate-context";
import { askGate } from "./gate";
import { ingestBatch } from "./ingest";
import { getServicePage } from "./overview";
import { effectivePolicy, getTeamPolicy, putTeamPolicy } from "./policy";

const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

async function setup() {
  const { team, members } = await makeTeam(["admin", "editor"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  await createSli(members.editor, team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  await createSlo(members.editor, team.slug, "api", { slug: "main", name: "Main", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
  const service = await prisma().service.findFirstOrThrow({ where: { teamId: team.id, slug: "api" } });
  return { team, members, service };
}

describe("each SQL prefilter agrees with its domain rule", () => {
  it("ACTIVE_OVERRIDE_SQL is overrideApplies without the environment", async () => {
    const { team, service } = await setup();
    const cases = [
      { environment: null, expiresAt: at(60), revokedAt: null },
      { environment: "production", expiresAt: at(1), revokedAt: null },
      { environment: "staging", expiresAt: at(60), revokedAt: null },
      { environment: null, expiresAt: at(0), revokedAt: null }, // expires exactly now
      { environment: null, expiresAt: at(-1), revokedAt: null },
      { environment: null, expiresAt: at(60), revokedAt: at(-5) },
    ];
    const rows = [];
    for (const c of cases) rows.push(await prisma().gateOverride.create({ data: { teamId: team.id, serviceId: service.id, reason: "r", approvedBy: "a", ...c } }));
    const { rows: found } = await db().pool.query<{ id: string }>(`SELECT o.id FROM gate_overrides o WHERE o.service_id = $1 AND ${ACTIVE_OVERRIDE_SQL("o", "$2")}`, [service.id, now]);
    const sql = new Set(found.map((r) => r.id));
    for (const r of rows) expect(sql.has(r.id), JSON.stringify(r)).toBe(overrideApplies(r, r.environment ?? "production", now));
    expect(sql.size).toBe(3);
  });

  it("ACTIVE_FREEZE_SQL is freezeApplies without the environment", async () => {
    const { team } = await setup();
    const cases = [
      { environment: null, startsAt: at(-10), endsAt: at(10), cancelledAt: null },
      { environment: "staging", startsAt: at(-10), endsAt: at(10), cancelledAt: null },
      { environment: null, startsAt: at(0), endsAt: at(10), cancelledAt: null }, // starts exactly now
      { environment: null, startsAt: at(1), endsAt: at(10), cancelledAt: null },
      { environment: null, startsAt: at(-10), endsAt: at(0), cancelledAt: null }, // ended exactly now
      { environment: null, startsAt: at(-10), endsAt: at(10), cancelledAt: at(-1) },
    ];
    const rows = [];
    for (const c of cases) rows.push(await prisma().freeze.create({ data: { teamId: team.id, reason: "r", ...c } }));
    const { rows: found } = await db().pool.query<{ id: string }>(`SELECT f.id FROM freezes f WHERE f.team_id = $1 AND ${ACTIVE_FREEZE_SQL("f", "$2")}`, [team.id, now]);
    const sql = new Set(found.map((r) => r.id));
    for (const r of rows) expect(sql.has(r.id), JSON.stringify(r)).toBe(freezeApplies(r, defaultPolicy, r.environment ?? "production", now));
    expect(sql.size).toBe(3);
  });

  it("POSTMORTEM_MISSING_SQL is the negation of postmortemSatisfied", async () => {
    const { team } = await setup();
    const cases: ({ status: "draft" | "in_review" | "published"; items: Priority[] } | null)[] = [
      null, // no postmortem at all
      { status: "draft", items: ["P0"] },
      { status: "in_review", items: ["P0"] },
      { status: "published", items: [] },
      { status: "published", items: ["P1", "P2"] },
      { status: "published", items: ["P2", "P0"] },
    ];
    for (const c of cases) {
      const i = await prisma().incident.create({ data: { teamId: team.id, title: "i", severity: "SEV2", status: "resolved", startedAt: at(-60), postmortemRequired: true } });
      if (c) {
        const pm = await prisma().postmortem.create({ data: { teamId: team.id, incidentId: i.id, title: "pm", sections: [], status: c.status } });
        for (const priority of c.items) await prisma().actionItem.create({ data: { teamId: team.id, postmortemId: pm.id, title: "a", type: "prevent", priority } });
      }
      const { rows } = await db().pool.query<{ missing: boolean }>(`SELECT ${POSTMORTEM_MISSING_SQL("i")} AS missing FROM incidents i WHERE i.id = $1`, [i.id]);
      const domain = c ? postmortemSatisfied({ status: c.status, actionItems: c.items.map((priority) => ({ priority })) }) : postmortemSatisfied(null);
      expect(rows[0]!.missing, JSON.stringify(c)).toBe(!domain);
    }
  });

  it("OVERDUE_ACTION_ITEM_SQL is isOverdue on now's UTC date", async () => {
    const { team } = await setup();
    const i = await prisma().incident.create({ data: { teamId: team.id, title: "i", severity: "SEV2", status: "resolved", startedAt: at(-60) } });
    const pm = await prisma().postmortem.create({ data: { teamId: team.id, incidentId: i.id, title: "pm", sections: [] } });
    const day = (d: number) => new Date(Date.parse(now.toISOString().slice(0, 10)) + d * 86_400_000).toISOString().slice(0, 10);
    const cases: { status: ActionItemStatus; dueDate: string | null }[] = [
      { status: "open", dueDate: day(-1) },
      { status: "in_progress", dueDate: day(-30) },
      { status: "open", dueDate: day(0) }, // due today: not yet
      { status: "open", dueDate: day(1) },
      { status: "open", dueDate: null },
      { status: "done", dueDate: day(-5) },
      { status: "wont_do", dueDate: day(-5) },
    ];
    for (const c of cases) {
      const a = await prisma().actionItem.create({ data: { teamId: team.id, postmortemId: pm.id, title: "a", type: "prevent", priority: "P0", status: c.status, dueDate: c.dueDate ? new Date(c.dueDate) : null } });
      const { rows } = await db().pool.query<{ overdue: boolean }>(`SELECT coalesce(${OVERDUE_ACTION_ITEM_SQL("a", "$2")}, false) AS overdue FROM action_items a WHERE a.id = $1`, [a.id, now]);
      expect(rows[0]!.overdue, JSON.stringify(c)).toBe(isOverdue(c, now.toISOString().slice(0, 10)));
    }
  });

  it("the policy lookup takes each scope's latest version: the service's own, unless it went back to the team's", async () => {
    const { team, service } = await setup();
    const body = (caution: number) => ({ ...defaultPolicy, thresholds: { caution, freeze: 0.05 } });
    const add = (scope: string, version: number, b: unknown) => prisma().policyVersion.create({ data: { teamId: team.id, scope, serviceId: scope === "team" ? null : service.id, version, body: b === null ? undefined : (b as object) } });
    await add("team", 1, body(0.4));
    await add("team", 2, body(0.3));
    await add(service.id, 1, body(0.2));
    expect(await effectivePolicy(team.id, service.id)).toMatchObject({ scope: "service", version: 1, policy: { thresholds: { caution: 0.2 } }, problem: null });
    await add(service.id, 2, null); // back to the team's
    const viaSql = await effectivePolicy(team.id, service.id);
    expect(viaSql).toMatchObject({ scope: "team", version: 2, policy: { thresholds: { caution: 0.3 } } });
    const all = await prisma().policyVersion.findMany({ where: { teamId: team.id }, orderBy: { version: "desc" } });
    const latest = ["team", service.id].map((scope) => all.find((r) => r.scope === scope)!);
    expect(pickEffective(latest, service.id)).toEqual(viaSql);
  });
});

describe("fail closed: a stored policy that cannot be read", () => {
  it("denies feature deploys with the reason, shows the problem to admins, and a save clears it", async () => {
    const { team, members } = await setup();
    const ingest = await makeTokenActor(team.slug, members.admin, ["ingest"]);
    const gate = await makeTokenActor(team.slug, members.admin, ["gate"]);
    await ingestBatch(ingest, { items: [{ sli: "api/ok", minute: at(-2).toISOString(), good: 10_000, total: 10_000 }] });
    const ask = (changeType: "feature" | "security" = "feature") => askGate(gate, { service: "api", environment: "production", version: "v1", changeType, requester: "ci" });
    expect((await ask()).decision).toBe("allow");
    // A stored version that the schema refuses (written by hand, or by a release that read it differently): the
    // defaults would allow, so the gate must not fall back to them for feature deploys.
    await prisma().policyVersion.create({ data: { teamId: team.id, scope: "team", version: 1, body: { thresholds: { caution: 7, freeze: 0.1 } } } });
    const denied = await ask();
    expect(denied.decision).toBe("deny");
    expect(denied.reasons.at(-1)).toBe("the stored policy cannot be read (team policy version 1: thresholds.caution must be below 1 (100%)); feature deploys are denied until a team admin saves the policy again");
    expect((await ask("security")).decision).toBe("allow");
    const view = await getTeamPolicy(members.admin, team.slug);
    expect(view).toMatchObject({ scope: "team", version: 1, editVersion: 1, problem: "team policy version 1: thresholds.caution must be below 1 (100%)" });
    const page = await getServicePage(members.editor, team.slug, "api");
    expect(page.gate.standing).toMatchObject({ decision: "deny", policy: { problem: view.problem } });
    await putTeamPolicy(members.admin, team.slug, defaultPolicy, view.editVersion);
    expect((await ask()).decision).toBe("allow");
  });
});

describe("overdue P0 action items (issue 18: the policy may react to them)", () => {
  it("warns or denies feature deploys of the service whose incident's P0 item is overdue by more than the policy's days, and names the way through", async () => {
    const { team, members, service } = await setup();
    await createService(members.editor, team.slug, { slug: "other", name: "Other", description: "" });
    const ingest = await makeTokenActor(team.slug, members.admin, ["ingest"]);
    const gate = await makeTokenActor(team.slug, members.admin, ["gate"]);
    await ingestBatch(ingest, { items: [{ sli: "api/ok", minute: at(-2).toISOString(), good: 10_000, total: 10_000 }] });
    const ask = (svc = "api", changeType: "feature" | "reliability" = "feature") => askGate(gate, { service: svc, environment: "production", version: "v1", changeType, requester: "ci" });
    const slo = await prisma().slo.findFirstOrThrow({ where: { serviceId: service.id } });
    const incident = await prisma().incident.create({ data: { teamId: team.id, title: "Checkout outage", severity: "SEV1", status: "resolved", startedAt: at(-60 * 24 * 20), slos: { create: { sloId: slo.id } } } });
    const pm = await prisma().postmortem.create({ data: { teamId: team.id, incidentId: incident.id, title: "pm", sections: [], status: "published" } });
    const today = Date.parse(now.toISOString().slice(0, 10));
    const due = (days: number) => new Date(today - days * 86_400_000);
    // A P1 far overdue and a P0 overdue by 10 days; the gate names the P0.
    await prisma().actionItem.create({ data: { teamId: team.id, postmortemId: pm.id, title: "Tidy dashboards", type: "process", priority: "P1", dueDate: due(40) } });
    const item = await prisma().actionItem.create({ data: { teamId: team.id, postmortemId: pm.id, title: "Add a circuit breaker", type: "prevent", priority: "P0", dueDate: due(10) } });

    expect((await ask()).decision).toBe("allow"); // the default policy does not judge them
    const view = await getTeamPolicy(members.admin, team.slug);
    await putTeamPolicy(members.admin, team.slug, { ...defaultPolicy, overdueP0: { action: "warn", afterDays: 7 } }, view.editVersion);
    const warned = await ask();
    const text = `P0 action item "Add a circuit breaker" from the postmortem of "Checkout outage" is 10 days overdue (due ${due(10).toISOString().slice(0, 10)}); the policy warns about feature deploys while a P0 action item is more than 7 days overdue`;
    expect([warned.decision, warned.reasons.at(-1)]).toEqual(["warn", text]);
    expect(warned.toGetThrough?.because).toEqual([{ kind: "action_item", text, decision: "warn", item: { id: item.id, title: "Add a circuit breaker", dueDate: due(10).toISOString().slice(0, 10), postmortemId: pm.id, incidentTitle: "Checkout outage" } }]);
    expect(warned.toGetThrough?.steps[0]).toEqual({ kind: "action_item", text: `finish the P0 action item "Add a circuit breaker", or close it as won't do with the reason`, itemId: item.id, postmortemId: pm.id });
    // Other change types, and other services, are not held by it.
    expect((await ask("api", "reliability")).decision).toBe("allow");
    expect((await ask("other")).reasons.join(" ")).not.toContain("circuit breaker");

    await putTeamPolicy(members.admin, team.slug, { ...defaultPolicy, overdueP0: { action: "deny", afterDays: 10 } }, view.editVersion + 1);
    expect((await ask()).decision).toBe("allow"); // 10 days is not more than 10
    await putTeamPolicy(members.admin, team.slug, { ...defaultPolicy, overdueP0: { action: "deny", afterDays: 9 } }, view.editVersion + 2);
    expect((await ask()).decision).toBe("deny");
    // The service page's standing says the same as the gate.
    expect((await getServicePage(members.editor, team.slug, "api")).gate.standing).toMatchObject({ decision: "deny", because: expect.stringContaining("Add a circuit breaker") });
    await prisma().actionItem.update({ where: { id: item.id }, data: { status: "done" } });
    expect((await ask()).decision).toBe("allow");
  });
});
