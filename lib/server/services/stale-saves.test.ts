// No lost updates: an edit names the version it started from; a save after someone else's is a
// 409 that says what changed since, and nothing is written. Policies, services, SLOs, incidents
// and templates (postmortems have their own revision test in postmortems.test.ts).
import { describe, expect, it } from "vitest";
import { defaultPolicy } from "../../domain/policy";
import { prisma } from "../db/client";
import { makeTeam } from "../testing/factories";
import { createService, createSli, createSlo, updateService, updateSlo } from "./catalog";
import { createIncident, updateIncident } from "./incidents";
import { getServicePage } from "./overview";
import { getServicePolicy, getTeamPolicy, putServicePolicy, putTeamPolicy } from "./policy";
import { listTemplates, putTemplate } from "./postmortems";

async function setup() {
  const { team, members } = await makeTeam(["admin", "editor"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  await createSli(members.editor, team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  const slo = (await createSlo(members.editor, team.slug, "api", { slug: "main", name: "Main", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 }))!;
  return { team, members, slo };
}

describe("a stale save is refused, saying what changed, and changes nothing", () => {
  it("policies: a form opened before a stricter save cannot revert it", async () => {
    const { team, members } = await setup();
    const opened = await getTeamPolicy(members.admin, team.slug);
    expect(opened).toMatchObject({ scope: "default", editVersion: 0 });
    // Someone saves a stricter policy first.
    const strict = await putTeamPolicy(members.admin, team.slug, { ...defaultPolicy, cautionFeatures: "deny" }, opened.editVersion);
    expect(strict).toMatchObject({ version: 1, editVersion: 1 });
    // The stale form tries to save the defaults back.
    await expect(putTeamPolicy(members.admin, team.slug, defaultPolicy, opened.editVersion)).rejects.toMatchObject({
      status: 409,
      fields: { baseVersion: "is 1 now" },
      message: expect.stringContaining("a policy of its own was set"),
    });
    // From version 1, a save names the settings that changed since.
    await putTeamPolicy(members.admin, team.slug, { ...defaultPolicy, cautionFeatures: "deny", maxOverrideHours: 8 }, 1);
    await expect(putTeamPolicy(members.admin, team.slug, defaultPolicy, 1)).rejects.toMatchObject({ status: 409, message: expect.stringContaining("longest override: 24 h → 8 h") });
    expect((await getTeamPolicy(members.admin, team.slug)).policy).toMatchObject({ cautionFeatures: "deny", maxOverrideHours: 8 });

    // A service's own policy, and going back to the team's, name their base too.
    const own = await getServicePolicy(members.admin, team.slug, "api");
    expect(own).toMatchObject({ inherited: true, editVersion: 0 });
    await putServicePolicy(members.admin, team.slug, "api", defaultPolicy, 0);
    await expect(putServicePolicy(members.admin, team.slug, "api", null, 0)).rejects.toMatchObject({ status: 409 });
    expect(await putServicePolicy(members.admin, team.slug, "api", null, 1)).toMatchObject({ inherited: true, editVersion: 2 });
  });

  it("services, SLOs, incidents and templates", async () => {
    const { team, members, slo } = await setup();
    const page = await getServicePage(members.editor, team.slug, "api");
    const base = new Date(page.service.updatedAt);
    await updateService(members.admin, team.slug, "api", { name: "Orders API", baseUpdatedAt: base });
    await expect(updateService(members.editor, team.slug, "api", { description: "stale", baseUpdatedAt: base })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/: name changed/) });
    expect((await prisma().service.findFirstOrThrow({ where: { teamId: team.id } })).description).toBe("");

    const sloBase = new Date(slo.updatedAt);
    await updateSlo(members.admin, team.slug, "api", "main", { objective: "0.999", baseUpdatedAt: sloBase });
    await expect(updateSlo(members.editor, team.slug, "api", "main", { name: "stale", baseUpdatedAt: sloBase })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("objective") });

    const incident = await createIncident(members.editor, team.slug, { title: "Outage", severity: "SEV2", status: "active", summary: "", startedAt: new Date(Date.now() - 3_600_000), detectedAt: null, mitigatedAt: null, resolvedAt: null, slos: [], roles: {} });
    const iBase = new Date(incident.updatedAt);
    await updateIncident(members.admin, team.slug, incident.id, { severity: "SEV1", baseUpdatedAt: iBase });
    await expect(updateIncident(members.editor, team.slug, incident.id, { status: "resolved", baseUpdatedAt: iBase })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("severity changed") });
    expect((await prisma().incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe("active");

    const sections = [{ key: "what", title: "What happened", prompt: "" }];
    await putTemplate(members.admin, team.slug, { name: "Short", sections });
    const t = (await listTemplates(members.admin, team.slug)).find((x) => x.name === "Short")!;
    await putTemplate(members.admin, team.slug, { name: "Short", sections: [...sections, { key: "next", title: "Next", prompt: "" }], baseUpdatedAt: new Date(t.updatedAt!) });
    await expect(putTemplate(members.admin, team.slug, { name: "Short", sections, baseUpdatedAt: new Date(t.updatedAt!) })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/: sections changed\./) });
  });
});
