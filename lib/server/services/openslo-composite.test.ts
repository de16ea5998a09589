// A composite SLO through SLO as code on a real database (docs/composite-slos.md): the OpenSLO
// file's objectives become member SLOs and the composite with weights and its late rule; export,
// import into another team and export again give the same file; a second import changes nothing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTeam } from "../testing/factories";
import { exportOpenSlo, importOpenSlo } from "./openslo";
import { getComposite } from "./composites";
import { createComposite } from "./composites";
import { createService, createSli, createSlo } from "./catalog";
import { applyDefinitionFiles, planDefinitionFiles } from "./definitions";

const file = readFileSync(join(__dirname, "testdata/openslo/burnrate/checkout-journey.yaml"), "utf8");

describe("OpenSLO composite SLOs", () => {
  it("imports members and weights, and round-trips through export", async () => {
    const a = await makeTeam(["editor", "viewer"]);
    expect(await importOpenSlo(a.members.editor, a.team.slug, file)).toEqual({ dataSources: 0, services: 1, slis: 3, slos: 3 });
    const view = await getComposite(a.members.viewer, a.team.slug, "checkout", "checkout-journey");
    expect(view.members.map((m) => [m.slo, m.weight, m.objective])).toEqual([
      ["checkout-journey-cart", 1, "0.99"],
      ["checkout-journey-payment", 2, "0.999"],
    ]);
    expect([view.slo.objective, view.maxDelayMinutes, view.whenDelayed]).toEqual(["0.995", 15, "count_as_bad"]);
    const yaml = await exportOpenSlo(a.members.viewer, a.team.slug);
    const b = await makeTeam(["editor"]);
    await importOpenSlo(b.members.editor, b.team.slug, yaml);
    expect(await exportOpenSlo(b.members.editor, b.team.slug)).toBe(yaml);
    await importOpenSlo(b.members.editor, b.team.slug, yaml);
    expect(await exportOpenSlo(b.members.editor, b.team.slug)).toBe(yaml);
  });

  it("a composite made in the app over another service's SLO exports and imports as it was", async () => {
    const a = await makeTeam(["editor", "viewer"]);
    const e = a.members.editor;
    for (const svc of ["cart", "payments"]) {
      await createService(e, a.team.slug, { slug: svc, name: svc, description: "" });
      await createSli(e, a.team.slug, svc, { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
      await createSlo(e, a.team.slug, svc, { slug: "ok-99", name: "OK", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 28 }, minEvents: 0 });
    }
    await createComposite(e, a.team.slug, "cart", {
      slug: "journey", name: "Journey", description: "", objective: "0.995", window: { kind: "rolling", days: 28 }, minEvents: 0,
      members: [{ slo: "ok-99", weight: 1 }, { service: "payments", slo: "ok-99", weight: 3 }], maxDelayMinutes: 5, whenDelayed: "ignore",
    });
    const yaml = await exportOpenSlo(a.members.viewer, a.team.slug);
    const b = await makeTeam(["editor", "viewer"]);
    await importOpenSlo(b.members.editor, b.team.slug, yaml);
    expect(await exportOpenSlo(b.members.editor, b.team.slug)).toBe(yaml);
    const view = await getComposite(b.members.viewer, b.team.slug, "cart", "journey");
    expect(view.members.map((m) => `${m.service}/${m.slo} ×${m.weight}`)).toEqual(["cart/ok-99 ×1", "payments/ok-99 ×3"]);
  });
});

/** A composite SLO document whose one objective names an existing SLO through Burnrate's members annotation. */
const compositeOver = (slug: string, member: { service: string; slo: string }) => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${slug}
  annotations:
    burnrate.dev/composite-objective: "0.995"
    burnrate.dev/composite-members: '[${JSON.stringify(member)}]'
spec:
  service: cart
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Member
      target: 0.99
      compositeWeight: 1
`;

describe("SLO as code: composite members checked at plan time (docs/composite-slos.md)", () => {
  async function team() {
    const a = await makeTeam(["editor", "viewer"]);
    const e = a.members.editor;
    await createService(e, a.team.slug, { slug: "cart", name: "cart", description: "" });
    await createSli(e, a.team.slug, "cart", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    await createSlo(e, a.team.slug, "cart", { slug: "ok-99", name: "OK", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 28 }, minEvents: 0 });
    const composite = (slug: string, member: string) =>
      createComposite(e, a.team.slug, "cart", { slug, name: slug, description: "", objective: "0.995", window: { kind: "rolling", days: 28 }, minEvents: 0, members: [{ slo: member, weight: 1 }], maxDelayMinutes: 10, whenDelayed: "ignore" });
    return { ...a, composite };
  }
  const files = (content: string) => ({ files: [{ name: "journey.yaml", content }], prune: false });
  const field = "journey.yaml: SLO cart/journey: metadata.annotations.burnrate.dev/composite-members[0]";

  it("a member named by neither the files nor the team is refused by the plan, naming file, document and field", async () => {
    const t = await team();
    const input = files(compositeOver("journey", { service: "cart", slo: "nope" }));
    const refused = { status: 422, fields: { [field]: expect.stringMatching(/^Member cart\/nope is an SLO neither these files nor the team define/) } };
    await expect(planDefinitionFiles(t.members.editor, t.team.slug, input)).rejects.toMatchObject(refused);
    await expect(applyDefinitionFiles(t.members.editor, t.team.slug, input)).rejects.toMatchObject(refused);
    // The team's own SLO is a member it may name.
    const ok = await applyDefinitionFiles(t.members.editor, t.team.slug, files(compositeOver("journey", { service: "cart", slo: "ok-99" })));
    expect(ok.applied).toBe(true);
    expect((await getComposite(t.members.viewer, t.team.slug, "cart", "journey")).members.map((m) => m.slo)).toEqual(["ok-99"]);
  });

  it("an apply that would close a cycle through the members annotation is refused, naming the path", async () => {
    const t = await team();
    // Stored: journey ⊃ ok-99 and outer ⊃ journey. The files make journey ⊃ outer: journey → outer → journey.
    await t.composite("journey", "ok-99");
    await t.composite("outer", "journey");
    const input = files(compositeOver("journey", { service: "cart", slo: "outer" }));
    const refused = { status: 422, fields: { [field]: "A composite cannot contain itself, directly or through another composite: cart/journey → cart/outer → cart/journey" } };
    await expect(planDefinitionFiles(t.members.editor, t.team.slug, input)).rejects.toMatchObject(refused);
    await expect(applyDefinitionFiles(t.members.editor, t.team.slug, input)).rejects.toMatchObject(refused);
    // Directly: the composite naming itself.
    await expect(planDefinitionFiles(t.members.editor, t.team.slug, files(compositeOver("journey", { service: "cart", slo: "journey" })))).rejects.toMatchObject({
      status: 422,
      fields: { [field]: "A composite cannot contain itself, directly or through another composite: cart/journey → cart/journey" },
    });
    // Nothing was applied: journey still has its stored member.
    expect((await getComposite(t.members.viewer, t.team.slug, "cart", "journey")).members.map((m) => m.slo)).toEqual(["ok-99"]);
  });
});
