// Recurrence against a real database (lib/domain/recurrence.ts; issue 18 "Closing the loop"): an
// SLO burns more than 5 % of its budget again while an action item from an earlier incident on it
// is open, and the item and the new incident point at each other, once, with a timeline note.
import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { createIncident, getIncident, refreshRecentIncidents } from "./incidents";
import { createPostmortem } from "./postmortems";
import { createActionItem, updateActionItem } from "./action-items";
import { ingestBatch } from "./ingest";
import { recurrencesOf } from "./recurrences";

const MIN = 60_000;
const now = new Date(Math.floor(Date.now() / MIN) * MIN);
const ago = (minutes: number) => new Date(now.getTime() - minutes * MIN);
const incident = (title: string, startedAt: Date, resolvedAt: Date | null, slos: string[]) => ({ title, severity: "SEV2" as const, status: resolvedAt ? ("resolved" as const) : ("active" as const), summary: "", startedAt, detectedAt: null, mitigatedAt: null, resolvedAt, slos, roles: {} });

describe("recurrence", () => {
  it("links an open follow-up of an earlier incident to the new incident that burned its SLO again, once, and never a closed one or another SLO's", async () => {
    const { team, members } = await makeTeam(["admin", "editor"]);
    const e = members.editor;
    await createService(e, team.slug, { slug: "api", name: "API", description: "" });
    await createSli(e, team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    await createSli(e, team.slug, "api", { slug: "fast", name: "Fast", description: "", kind: "request_ratio" });
    await createSlo(e, team.slug, "api", { slug: "main", name: "API availability", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
    await createSlo(e, team.slug, "api", { slug: "speed", name: "API speed", description: "", sli: "fast", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
    const token = await makeTokenActor(team.slug, members.admin, ["ingest"]);
    // Ten days of clean traffic on both SLIs (1,000 a minute, each hour's first minute), then an
    // hour at 10 % errors on "ok" only, two hours ago.
    const items = [];
    for (let h = 240; h > 3; h--) for (const sli of ["api/ok", "api/fast"]) items.push({ sli, minute: ago(h * 60).toISOString(), good: 1000, total: 1000 });
    for (let m = 120; m > 60; m--) items.push({ sli: "api/ok", minute: ago(m).toISOString(), good: 900, total: 1000 }, { sli: "api/fast", minute: ago(m).toISOString(), good: 1000, total: 1000 });
    await ingestBatch(token, { items }, now);

    const first = await createIncident(e, team.slug, incident("Checkout outage", ago(9 * 24 * 60), ago(9 * 24 * 60 - 30), ["api/main", "api/speed"]));
    const pm = await createPostmortem(e, team.slug, { incident: first.id, title: "Checkout outage" });
    const open = await createActionItem(e, pm.id, { title: "Add a circuit breaker", type: "prevent", priority: "P0", owner: null, dueDate: null, ticketUrl: null });
    const closed = await createActionItem(e, pm.id, { title: "Document the runbook", type: "process", priority: "P1", owner: null, dueDate: null, ticketUrl: null });
    await updateActionItem(e, closed.id, { status: "done" });

    // The speed SLO did not burn: no recurrence there.
    const calm = await createIncident(e, team.slug, incident("Slow pages", ago(120), ago(60), ["api/speed"]));
    expect(calm.recurrences).toEqual([]);

    const again = await createIncident(e, team.slug, incident("Checkout errors again", ago(120), ago(60), ["api/main"]));
    expect(again.impact[0]!.budgetSpent).toBeGreaterThan(0.05);
    expect(again.recurrences).toEqual([
      {
        actionItem: { id: open.id, title: "Add a circuit breaker", priority: "P0", status: "open", postmortemId: pm.id },
        earlierIncident: { id: first.id, title: "Checkout outage" },
        incident: { id: again.id, title: "Checkout errors again", startedAt: ago(120).toISOString() },
        slo: { service: "api", slug: "main", name: "API availability" },
        budgetSpent: again.impact[0]!.budgetSpent,
        detectedAt: expect.any(String),
      },
    ]);
    expect(again.timeline.map((t) => t.text)).toEqual([expect.stringMatching(/^Recurrence: action item "Add a circuit breaker" \(P0, open\) from the postmortem of "Checkout outage" is still open, and this incident has spent [\d,.]+% of API availability's error budget$/)]);
    // The item points back at the new incident.
    expect((await recurrencesOf({ actionItemId: open.id })).map((r) => r.incident.title)).toEqual(["Checkout errors again"]);

    // The evaluator's refresh finds it again and adds nothing.
    await refreshRecentIncidents(now);
    const reread = await getIncident(members.editor, team.slug, again.id);
    expect([reread.recurrences.length, reread.timeline.length]).toEqual([1, 1]);
    expect(await prisma().actionItemRecurrence.count({ where: { actionItemId: { in: [open.id, closed.id] } } })).toBe(1);
  });
});
