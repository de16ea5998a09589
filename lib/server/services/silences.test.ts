// Silences against a real database (docs/silences.md): made and ended by editors, audited, scoped to
// their team, refused with the field named; what the evaluator reads as in force.
import { describe, expect, it } from "vitest";
import { clockNow } from "../clock";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { createIncident } from "./incidents";
import { alertSuppressions, createSilence, endSilence, listSilences } from "./silences";
import { createIncidentSchema } from "../../schemas/incidents";

const MIN = 60_000;

async function world() {
  const t = await makeTeam(["admin", "editor", "viewer"]);
  await createService(t.members.editor, t.team.slug, { slug: "api", name: "API", description: "" });
  await createSli(t.members.editor, t.team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  await createSlo(t.members.editor, t.team.slug, "api", { slug: "main", name: "Main", description: "", sli: "ok", objective: "0.999", window: { kind: "rolling", days: 28 }, minEvents: 0 });
  return t;
}

describe("silences", () => {
  it("an editor silences an SLO for an hour, audited; it is in force for the evaluator; ending it is audited and takes it out", async () => {
    const w = await world();
    const now = clockNow();
    const made = await createSilence(w.members.editor, w.team.slug, { service: "api", slo: "main", reason: "planned failover test", endsAt: new Date(now.getTime() + 60 * MIN) });
    expect(made).toMatchObject({ service: { slug: "api" }, slo: { slug: "main" }, label: null, reason: "planned failover test", active: true, endedAt: null });
    expect(await prisma().auditLog.count({ where: { teamId: w.team.id, action: "silence.create", targetId: made.id } })).toBe(1);

    const slo = await prisma().slo.findFirstOrThrow({ where: { service: { teamId: w.team.id } } });
    const inForce = (await alertSuppressions(clockNow())).silences.filter((s) => s.teamId === w.team.id);
    expect(inForce).toEqual([expect.objectContaining({ id: made.id, sloId: slo.id, serviceId: slo.serviceId, label: null })]);

    const ended = await endSilence(w.members.editor, w.team.slug, made.id);
    expect(ended.active).toBe(false);
    expect(ended.endedAt).not.toBeNull();
    expect(await prisma().auditLog.count({ where: { teamId: w.team.id, action: "silence.end", targetId: made.id } })).toBe(1);
    expect((await alertSuppressions(clockNow())).silences.filter((s) => s.teamId === w.team.id)).toEqual([]);
    // Ending it again changes nothing and writes no second record.
    await endSilence(w.members.editor, w.team.slug, made.id);
    expect(await prisma().auditLog.count({ where: { teamId: w.team.id, action: "silence.end", targetId: made.id } })).toBe(1);
    expect((await listSilences(w.members.viewer, w.team.slug)).map((s) => s.id)).toEqual([made.id]);
  });

  it("a silence that has not begun, once ended, never begins", async () => {
    const w = await world();
    const now = clockNow();
    const later = await createSilence(w.members.editor, w.team.slug, { label: { key: "tier", value: "gold" }, reason: "weekend migration", startsAt: new Date(now.getTime() + 60 * MIN), endsAt: new Date(now.getTime() + 120 * MIN) });
    expect(later.active).toBe(false);
    const ended = await endSilence(w.members.editor, w.team.slug, later.id);
    expect(ended.endsAt).toBe(ended.startsAt);
    expect((await alertSuppressions(new Date(now.getTime() + 90 * MIN))).silences.filter((s) => s.teamId === w.team.id)).toEqual([]);
  });

  it("refuses viewers, tokens, other teams, unknown things and bad times, naming the field; nothing is stored", async () => {
    const w = await world();
    const other = await makeTeam(["admin"]);
    const token = await makeTokenActor(w.team.slug, w.members.admin, ["read"]);
    const endsAt = new Date(clockNow().getTime() + 60 * MIN);
    const input = { service: "api", slo: "main", reason: "maintenance", endsAt };
    await expect(createSilence(w.members.viewer, w.team.slug, input)).rejects.toMatchObject({ status: 403 });
    await expect(createSilence(token, w.team.slug, input)).rejects.toMatchObject({ status: 403 });
    await expect(createSilence(other.members.admin, w.team.slug, input)).rejects.toMatchObject({ status: 404 });
    await expect(createSilence(w.members.editor, w.team.slug, { ...input, slo: "nope" })).rejects.toMatchObject({ status: 404 });
    await expect(createSilence(w.members.editor, w.team.slug, { ...input, endsAt: new Date(clockNow().getTime() - MIN) })).rejects.toMatchObject({ status: 422, fields: { endsAt: expect.stringMatching(/future/) } });
    await expect(createSilence(w.members.editor, w.team.slug, { ...input, endsAt: new Date(clockNow().getTime() + 15 * 1440 * MIN) })).rejects.toMatchObject({ status: 422, fields: { endsAt: "a silence lasts at most 14 days" } });
    expect(await prisma().silence.count({ where: { teamId: w.team.id } })).toBe(0);
    const made = await createSilence(w.members.editor, w.team.slug, input);
    await expect(endSilence(other.members.admin, other.team.slug, made.id)).rejects.toMatchObject({ status: 404 });
    await expect(endSilence(w.members.viewer, w.team.slug, made.id)).rejects.toMatchObject({ status: 403 });
    await expect(listSilences(other.members.admin, w.team.slug)).rejects.toMatchObject({ status: 404 });
  });

  it("open incidents that name SLOs fold their alerts; a resolved one does not", async () => {
    const w = await world();
    const started = new Date(clockNow().getTime() - 10 * MIN).toISOString();
    const open = await createIncident(w.members.editor, w.team.slug, createIncidentSchema.parse({ title: "Checkout down", severity: "SEV1", startedAt: started, slos: ["api/main"] }));
    const slo = await prisma().slo.findFirstOrThrow({ where: { service: { teamId: w.team.id } } });
    const folded = (await alertSuppressions(clockNow())).incidents.filter((i) => i.sloIds.includes(slo.id));
    expect(folded.map((i) => i.id)).toEqual([open.id]);
    await prisma().incident.update({ where: { id: open.id }, data: { resolvedAt: clockNow() } });
    expect((await alertSuppressions(clockNow())).incidents.filter((i) => i.sloIds.includes(slo.id))).toEqual([]);
  });
});
