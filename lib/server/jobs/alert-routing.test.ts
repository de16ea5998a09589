// An SLO's alert settings decide which notifications its alert-state changes become: a team with
// two channels, SLOs routed to one of them, with page or both severities off, and one whose
// stored settings cannot be read. Only this file's SLOs are evaluated (evaluateAlertStates on
// them alone), so other files' SLOs and their changes are left to their own tests; and this
// file's SLOs are marked archived while it runs, which hides them from the job runners other
// files start (the evaluator loads unarchived SLOs only), so no other evaluation takes their
// changes first.
import { describe, expect, it } from "vitest";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "../services/catalog";
import { createChannel } from "../services/notifications";
import { ingestBatch } from "../services/ingest";
import { getSloStatus, statusesOf } from "../services/slo-status";
import { prisma } from "../db/client";
import type { Prisma } from "../../generated/prisma/client";
import { evaluateAlertStates } from "./alert-evaluator";
import { defaultAlerting, type AlertingDef } from "../../domain/definitions";
import { slackMessage } from "../../domain/notification";

const loadOnly = (ids: string[]) =>
  prisma().slo.findMany({ where: { id: { in: ids } }, include: { sli: true, alertState: true, service: { include: { tierState: true, team: { include: { channels: true } } } } }, orderBy: { slug: "asc" } });

describe("alert settings route notifications", () => {
  it("channels restrict delivery, a disabled severity sends nothing, labels and annotations go along, and unreadable settings send nothing", async () => {
    const { team, members } = await makeTeam(["admin", "editor"]);
    await createService(members.editor, team.slug, { slug: "web", name: "Web", description: "" });
    await createSli(members.editor, team.slug, "web", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    const slo = (slug: string) => createSlo(members.editor, team.slug, "web", { slug, name: `Web ${slug}`, description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const routed = (await slo("routed"))!;
    const noPage = (await slo("no-page"))!;
    const silent = (await slo("silent"))!;
    const broken = (await slo("broken"))!;
    const plain = (await slo("plain"))!;
    const ops = await createChannel(members.admin, team.slug, { name: "ops", kind: "slack", url: "https://ops.invalid/hook" });
    const payments = await createChannel(members.admin, team.slug, { name: "payments", kind: "slack", url: "https://payments.invalid/hook" });

    const ids = [routed.id, noPage.id, silent.id, broken.id, plain.id];
    await prisma().slo.updateMany({ where: { id: { in: ids } }, data: { archivedAt: now } });

    const d = defaultAlerting();
    const set = (id: string, alerting: AlertingDef | Record<string, unknown>) => prisma().slo.update({ where: { id }, data: { alerting: alerting as Prisma.InputJsonValue } });
    await set(routed.id, { ...d, channels: ["ops"], name: "WebHighErrorRate", labels: { category: "availability" }, annotations: { summary: "Web fails" }, page: { enabled: true, labels: { severity: "critical" }, annotations: {} } });
    await set(noPage.id, { ...d, page: { enabled: false, labels: {}, annotations: {} } });
    await set(silent.id, { ...d, page: { enabled: false, labels: {}, annotations: {} }, ticket: { enabled: false, labels: {}, annotations: {} } });
    await set(broken.id, { page: { enabled: "yes" } });

    // The last hour fails at 50 %: a burn rate of 50 against a 1 % budget trips every row of the
    // table (docs/domain.md "Multiwindow, multi-burn-rate alerts": 14.4, 6, 3 and 1 for 30 days), so the evaluated state is "page".
    const token = await makeTokenActor(team.slug, members.admin, ["ingest"]);
    await ingestBatch(token, { items: Array.from({ length: 60 }, (_, i) => ({ sli: "web/ok", minute: new Date(now.getTime() - (i + 1) * 60_000).toISOString(), good: 50, total: 100 })) }, now);

    const rows = await loadOnly(ids);
    const statuses = await statusesOf(rows, now);
    expect(statuses.map((s) => [s.alerts.state, s.error])).toEqual([
      ["no_data", "its definition cannot be read (alerting.page.enabled: must be true or false)"], // broken
      ["page", null], // no-page
      ["page", null], // plain
      ["page", null], // routed
      ["page", null], // silent
    ]);
    const sent = await evaluateAlertStates(now, rows, statuses);
    const to = (id: string) => sent.filter((x) => x.change.sloId === id).map((x) => [x.channelId, x.change.from, x.change.to]);

    // No channels named: every channel of the team.
    expect(to(plain.id)).toEqual([[ops.id, "ok", "page"], [payments.id, "ok", "page"]]);
    // Routed to "ops" only, with its alert name, labels and annotations (page labels over the shared ones).
    expect(to(routed.id)).toEqual([[ops.id, "ok", "page"]]);
    const change = sent.find((x) => x.change.sloId === routed.id)!.change;
    expect(change.alert).toEqual({ name: "WebHighErrorRate", labels: { category: "availability", severity: "critical" }, annotations: { summary: "Web fails" } });
    expect(slackMessage(change).text).toContain("\nAlert WebHighErrorRate · category=availability, severity=critical\nsummary: Web fails\n");
    // Page off: the ticket rows still fire, so a ticket, never a page.
    expect(to(noPage.id)).toEqual([[ops.id, "ok", "ticket"], [payments.id, "ok", "ticket"]]);
    // Both off, or settings that cannot be read: nothing.
    expect(to(silent.id)).toEqual([]);
    expect(to(broken.id)).toEqual([]);

    // What is stored is the notified state: the silent SLO never fired, and nothing was recorded for it.
    const states = await prisma().sloAlertState.findMany({ where: { sloId: { in: [routed.id, noPage.id, silent.id, broken.id] } } });
    expect(Object.fromEntries(states.map((s) => [s.sloId, s.state]))).toEqual({ [routed.id]: "page", [noPage.id]: "ticket" });
    expect(await prisma().sloAlertChange.count({ where: { sloId: { in: [silent.id, broken.id] } } })).toBe(0);

    // Turning page on again is itself a change that notifies: ticket -> page.
    await set(noPage.id, d);
    const again = await evaluateAlertStates(now, await loadOnly([noPage.id]), await statusesOf(await loadOnly([noPage.id]), now));
    expect(again.map((x) => [x.channelId, x.change.from, x.change.to])).toEqual([[ops.id, "ticket", "page"], [payments.id, "ticket", "page"]]);

    // The SLO page names the broken setting instead of alerting with defaults.
    await prisma().slo.update({ where: { id: broken.id }, data: { archivedAt: null } });
    expect((await getSloStatus(members.editor, team.slug, "web", "broken", now)).status.error).toMatch(/alerting\.page\.enabled: must be true or false/);
    // Another file's job runner may relay these messages; with the channels gone, a delivery does nothing.
    await prisma().notificationChannel.deleteMany({ where: { id: { in: [ops.id, payments.id] } } });
  });
});
