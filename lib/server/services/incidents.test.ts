import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor, makeUser } from "../testing/factories";
import { createIncident, listMyIncidents, updateIncident } from "./incidents";
import { createService, createSli, createSlo } from "./catalog";
import { archiveSlo } from "./archive";

const at = (iso: string) => new Date(iso);
const input = (title: string, startedAt: string) => ({ title, severity: "SEV3" as const, status: "active" as const, summary: "", startedAt: at(startedAt), detectedAt: null, mitigatedAt: null, resolvedAt: null, slos: [], roles: {} });

describe("incidents across my teams", () => {
  it("lists the incidents of every team I am in, newest first, and never a stranger's", async () => {
    const a = await makeTeam(["editor", "viewer"]);
    const b = await makeTeam(["editor"]);
    const stranger = await makeTeam(["editor"]);
    // The viewer of team a is also a viewer of team b.
    await prisma().membership.create({ data: { teamId: b.team.id, userId: a.members.viewer.userId, role: "viewer" } });
    await createIncident(a.members.editor, a.team.slug, input("A: checkout down", "2026-11-01T10:00:00Z"));
    await createIncident(b.members.editor, b.team.slug, input("B: search slow", "2026-11-02T10:00:00Z"));
    await createIncident(stranger.members.editor, stranger.team.slug, input("Stranger: secret outage", "2026-11-03T10:00:00Z"));

    const mine = await listMyIncidents(a.members.viewer);
    expect(mine.map((i) => [i.team.slug, i.title])).toEqual([
      [b.team.slug, "B: search slow"],
      [a.team.slug, "A: checkout down"],
    ]);
    expect(mine[0]).toMatchObject({ severity: "SEV3", status: "active", startedAt: "2026-11-02T10:00:00.000Z", postmortemRequired: false, postmortem: null });
    // Each member sees their own team only.
    expect((await listMyIncidents(a.members.editor)).map((i) => i.title)).toEqual(["A: checkout down"]);
    expect((await listMyIncidents(stranger.members.editor)).map((i) => i.title)).toEqual(["Stranger: secret outage"]);
  });

  it("a site admin sees the teams they belong to; a person in no team and a token see nothing", async () => {
    const a = await makeTeam(["admin"]);
    await createIncident(a.members.admin, a.team.slug, input("A: queue backlog", "2026-11-04T10:00:00Z"));
    const { actor: admin } = await makeUser({ isSiteAdmin: true });
    expect((await listMyIncidents(admin)).map((i) => i.title)).not.toContain("A: queue backlog");
    const { actor: loner } = await makeUser();
    expect(await listMyIncidents(loner)).toEqual([]);
    const token = await makeTokenActor(a.team.slug, a.members.admin, ["read"]);
    await expect(listMyIncidents(token)).rejects.toMatchObject({ status: 403 });
  });
});

describe("incidents and archived SLOs", () => {
  it("an archived SLO cannot be newly linked, but stays linked where it already was", async () => {
    const { team, members } = await makeTeam(["editor"]);
    const e = members.editor;
    await createService(e, team.slug, { slug: "api", name: "API", description: "" });
    await createSli(e, team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    for (const slug of ["main", "spare"]) await createSlo(e, team.slug, "api", { slug, name: slug, description: "", sli: "ok", objective: "0.99900000", window: { kind: "rolling", days: 28 }, minEvents: 0 });
    const linked = await createIncident(e, team.slug, { ...input("API errors", "2026-11-05T10:00:00Z"), slos: ["api/main"] });
    await archiveSlo(e, team.slug, "api", "main", {});
    await archiveSlo(e, team.slug, "api", "spare", {});

    await expect(createIncident(e, team.slug, { ...input("More errors", "2026-11-06T10:00:00Z"), slos: ["api/spare"] })).rejects.toMatchObject({
      status: 422,
      fields: { "slos.0": 'SLO "api/spare" is archived: restore it to link it to an incident' },
    });
    // Re-saving the incident that already names the archived SLO keeps it; adding another archived one is refused.
    await expect(updateIncident(e, team.slug, linked.id, { slos: ["api/main"] })).resolves.toMatchObject({ id: linked.id });
    await expect(updateIncident(e, team.slug, linked.id, { slos: ["api/main", "api/spare"] })).rejects.toMatchObject({ status: 422, fields: { "slos.1": expect.stringContaining("archived") } });
  });
});
