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
