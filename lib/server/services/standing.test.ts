// One decision, computed once: in every state a service can be in (each budget tier, no data, a
// manual freeze, a postmortem hold, an override and its expiry), every surface that shows its
// tier or verdict (the service page, the gate page, the overview, the team page's list, the
// service's JSON, /metrics and the tier notifications) says what the gate answers.
import { describe, expect, it } from "vitest";
import { formatUtc } from "../../domain/format";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { evaluateServiceTiers } from "../jobs/alert-evaluator";
import { createService, createSli, createSlo } from "./catalog";
import { createFreeze } from "./freezes";
import { askGate, previewTeamGate } from "./gate";
import { createIncident } from "./incidents";
import { ingestBatch } from "./ingest";
import { renderMetrics } from "./metrics";
import { grantOverride } from "./overrides";
import { getOverview, getService, getServicePage } from "./overview";
import { statusesOf } from "./slo-status";

const MIN = 60_000;

async function setup() {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  await createSli(members.editor, team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  await createSlo(members.editor, team.slug, "api", { slug: "main", name: "Main", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
  const ingest = await makeTokenActor(team.slug, members.admin, ["ingest"]);
  const gate = await makeTokenActor(team.slug, members.admin, ["gate"]);
  const read = await makeTokenActor(team.slug, members.admin, ["read"]);
  // Three hours ago: outside every alert lookback that pages, so only the budget moves.
  const minute = new Date(Math.floor(Date.now() / MIN) * MIN - 3 * 60 * MIN);
  /** One bucket of 10,000 events at 99 %: remaining = 1 - bad / 100 (docs/domain.md: 1 - bad / allowed bad). */
  const setRemaining = (remaining: number) => ingestBatch(ingest, { items: [{ sli: "api/ok", minute: minute.toISOString(), good: 10_000 - Math.round((1 - remaining) * 100), total: 10_000 }] });
  return { team, members, gate, read, minute, setRemaining };
}

type World = Awaited<ReturnType<typeof setup>>;

/** What each surface says of service "api": tier and feature-deploy decision. */
async function surfaces(w: World) {
  const { team, members } = w;
  const gate = await askGate(w.gate, { service: "api", environment: "production", version: "v1", changeType: "feature", requester: "ci" });
  const page = (await getServicePage(members.viewer, team.slug, "api")).gate.standing;
  const preview = (await previewTeamGate(members.viewer, team.slug)).find((r) => r.service.slug === "api")!.standing;
  const overview = (await getOverview(members.viewer)).teams.find((t) => t.slug === team.slug)!.services.find((s) => s.slug === "api")!.standing;
  const json = (await getService(w.read, team.slug, "api")).standing;
  const metrics = await renderMetrics(w.read);
  const one = (name: string, label: string) => new RegExp(`^${name}\\{team="${team.slug}",service="api",(?:environment="production",)?${label}="(\\w+)"\\} 1$`, "m").exec(metrics)?.[1];
  // The evaluator records the tier it would announce, from the same evaluation.
  const slos = await prisma().slo.findMany({ where: { service: { teamId: team.id } }, include: { sli: true, alertState: true, service: { include: { tierState: true, team: { include: { channels: true } } } } }, orderBy: [{ serviceId: "asc" }, { slug: "asc" }] });
  await evaluateServiceTiers(new Date(), slos, await statusesOf(slos, new Date()));
  const recorded = (await prisma().serviceTierState.findFirstOrThrow({ where: { service: { teamId: team.id } } })).tier;
  return {
    gate: [gate.tier, gate.decision],
    servicePage: [page.tier, page.decision],
    gatePage: [preview.tier, preview.decision],
    overview: [overview.tier, overview.decision],
    serviceJson: [json.tier, json.decision],
    metrics: [one("burnrate_service_tier", "tier"), one("burnrate_service_feature_deploy", "decision")],
    notifications: [recorded, gate.decision],
    reasons: [gate.reasons, page.reasons, preview.reasons, overview.reasons, json.reasons],
  };
}

async function expectAgreement(w: World, tier: string, decision: string) {
  const s = await surfaces(w);
  for (const surface of ["gate", "servicePage", "gatePage", "overview", "serviceJson", "metrics", "notifications"] as const) {
    expect(s[surface], surface).toEqual([tier, decision]);
  }
  // In the same words, too.
  for (const r of s.reasons.slice(1)) expect(r).toEqual(s.reasons[0]);
  return s.reasons[0]!;
}

describe("every surface agrees with the gate", () => {
  it("through the budget tiers and with no data (docs/domain.md policy table)", async () => {
    const w = await setup();
    await expectAgreement(w, "no_data", "warn");
    for (const [remaining, tier, decision] of [
      [0.8, "normal", "allow"],
      [0.3, "caution", "warn"],
      [0.05, "freeze", "deny"],
      [-0.2, "halted", "deny"],
    ] as const) {
      await w.setRemaining(remaining);
      await expectAgreement(w, tier, decision);
    }
  });

  it("during a manual freeze, and with an override until it expires", async () => {
    const w = await setup();
    await w.setRemaining(0.9);
    const freeze = await createFreeze(w.members.admin, w.team.slug, { service: null, environment: null, reason: "holiday freeze", startsAt: new Date(Date.now() - MIN), endsAt: new Date(Date.now() + 3_600_000) });
    const reasons = await expectAgreement(w, "freeze", "deny");
    expect(reasons).toContain(`manual freeze until ${formatUtc(new Date(freeze.endsAt))}: holiday freeze`);
    const o = await grantOverride(w.members.admin, w.team.slug, { service: "api", environment: null, reason: "launch agreed", approvedBy: "Dana", escalatedTo: null, expiresAt: new Date(Date.now() + 3_600_000) });
    await expectAgreement(w, "freeze", "allow");
    await prisma().gateOverride.update({ where: { id: o.id }, data: { expiresAt: new Date(Date.now() - 1000) } }); // it expired
    await expectAgreement(w, "freeze", "deny");
  });

  it("while a required postmortem holds feature deploys, with a link to the incident", async () => {
    const w = await setup();
    await w.setRemaining(0.7); // 30 of 100 allowed bad events, all inside the incident: 30 % spent, more than 20 %
    const incident = await createIncident(w.members.editor, w.team.slug, {
      title: "Checkout errors",
      severity: "SEV2",
      status: "resolved",
      summary: "",
      startedAt: w.minute,
      detectedAt: null,
      mitigatedAt: null,
      resolvedAt: new Date(w.minute.getTime() + MIN),
      slos: ["api/main"],
      roles: {},
    });
    expect(incident.postmortemRequired).toBe(true);
    const reasons = await expectAgreement(w, "normal", "deny");
    expect(reasons.at(-1)).toBe('feature deploys wait for the postmortem of "Checkout errors" (published with a P0 action item)');
    expect((await getServicePage(w.members.viewer, w.team.slug, "api")).gate.standing.postmortemHold).toEqual({ incidentId: incident.id, incidentTitle: "Checkout errors" });
  });
});
