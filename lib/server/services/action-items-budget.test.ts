// Closing the loop (docs/reviews.md): action items ranked by the budget their incidents spent, and an
// item's own page with its incident's impact per SLO. Each test its own team.
import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { upsertBuckets } from "../sli-data";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { getActionItem, teamActionItems } from "./action-items";
import { createService, createSli, createSlo } from "./catalog";
import { createIncident } from "./incidents";

const MIN = 60_000;
const now = new Date("2026-12-04T12:00:00Z");

async function world() {
  const t = await makeTeam(["admin", "editor", "viewer"]);
  const e = t.members.editor;
  await createService(e, t.team.slug, { slug: "api", name: "API", description: "" });
  const sli = await createSli(e, t.team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  await createSlo(e, t.team.slug, "api", { slug: "main", name: "Main", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 28 }, minEvents: 0 });
  // 100 minutes of 100 events from 1 Nov 00:00; minutes 10-19 have 2 bad each (20 bad), minutes 50-54 have 1 bad each (5 bad).
  // The 28-day window at each incident's end holds 10,000 events: 1 % of them, 100, may fail.
  const start = Date.parse("2026-11-01T00:00:00Z");
  await upsertBuckets(Array.from({ length: 100 }, (_, k) => ({ sliId: sli.id, minute: new Date(start + k * MIN), good: 100 - (k >= 10 && k < 20 ? 2 : k >= 50 && k < 55 ? 1 : 0), total: 100 })));
  const incident = async (title: string, from: number, to: number) =>
    createIncident(e, t.team.slug, { title, severity: "SEV2", status: "resolved", summary: "", slos: ["api/main"], roles: {}, startedAt: new Date(start + from * MIN), detectedAt: null, mitigatedAt: null, resolvedAt: new Date(start + to * MIN) });
  // The big one: minutes 10-19, 20 bad of 100 allowed = 20 %; the small one: minutes 50-54, 5 bad = 5 % (window sums read at each end).
  const big = await incident("Big outage", 10, 20);
  const small = await incident("Small blip", 50, 55);
  const pm = async (incidentId: string | null, title: string) => prisma().postmortem.create({ data: { teamId: t.team.id, incidentId, title, sections: [] } });
  const [pBig, pSmall, pNone] = [await pm(big.id, "Big"), await pm(small.id, "Small"), await pm(null, "Process")];
  const item = (postmortemId: string, title: string, due: string) => prisma().actionItem.create({ data: { teamId: t.team.id, postmortemId, title, type: "prevent", priority: "P1", dueDate: new Date(`${due}T00:00:00Z`) } });
  const items = { small: await item(pSmall.id, "Fix the blip", "2026-12-01"), none: await item(pNone.id, "Write a runbook", "2026-12-02"), big: await item(pBig.id, "Fix the outage", "2026-12-03") };
  return { ...t, items, big };
}

describe("action items and the budget their incidents spent", () => {
  it("sorts by budget spent, most first, items without an incident last; by due date otherwise", async () => {
    const w = await world();
    const byDue = await teamActionItems(w.members.viewer, w.team.slug, now);
    expect(byDue.items.map((i) => i.title)).toEqual(["Fix the blip", "Write a runbook", "Fix the outage"]);
    const byBudget = await teamActionItems(w.members.viewer, w.team.slug, now, "budget");
    expect(byBudget.sort).toBe("budget");
    expect(byBudget.items.map((i) => [i.title, i.incident?.title ?? null])).toEqual([["Fix the outage", "Big outage"], ["Fix the blip", "Small blip"], ["Write a runbook", null]]);
    // Budget spent = bad in the incident / (window events x (1 - 0.99)): the window ending at 00:20 holds minutes 0-19 (2,000 events, 20 allowed): 20 / 20 = 100 %;
    // the one ending at 00:55 holds minutes 0-54 (5,500 events, 55 allowed): 5 / 55.
    expect(byBudget.items[0]!.budgetSpent).toBeCloseTo(1, 12);
    expect(byBudget.items[1]!.budgetSpent).toBeCloseTo(5 / 55, 12);
    expect(byBudget.items[2]!.budgetSpent).toBeNull();
  });

  it("an item's page shows its incident's impact per SLO; other teams get not found", async () => {
    const w = await world();
    const d = await getActionItem(w.members.viewer, w.items.big.id, now);
    expect(d.incident).toMatchObject({ id: w.big.id, title: "Big outage", impact: [{ service: { slug: "api" }, slo: { slug: "main" }, badEvents: 20, totalEvents: 1000 }] });
    expect(d.budgetSpent).toBeCloseTo(1, 12);
    expect((await getActionItem(w.members.viewer, w.items.none.id, now)).incident).toBeNull();
    const other = await makeTeam(["admin"]);
    await expect(getActionItem(other.members.admin, w.items.big.id, now)).rejects.toMatchObject({ status: 404 });
    const token = await makeTokenActor(w.team.slug, w.members.admin, ["read"]);
    expect((await getActionItem(token, w.items.big.id, now)).item.title).toBe("Fix the outage");
  });
});
