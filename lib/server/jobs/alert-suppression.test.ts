// Silences and incident folding in the evaluator (docs/silences.md): a silenced or folded change is
// recorded (with what took it) but not sent; a folded one goes on the incident's timeline; when
// the silence ends or the incident resolves while the SLO still burns, the state is sent once.
// As in alert-routing.test.ts, only this file's SLOs are evaluated, and they are marked archived
// while it runs so no other file's job runner evaluates them first.
import { describe, expect, it } from "vitest";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "../services/catalog";
import { createChannel } from "../services/notifications";
import { createIncident } from "../services/incidents";
import { ingestBatch } from "../services/ingest";
import { createSilence, endSilence } from "../services/silences";
import { statusesOf } from "../services/slo-status";
import { prisma } from "../db/client";
import { evaluateAlertStates } from "./alert-evaluator";
import { createIncidentSchema } from "../../schemas/incidents";

const MIN = 60_000;
const loadOnly = (ids: string[]) =>
  prisma().slo.findMany({ where: { id: { in: ids } }, include: { sli: true, alertState: true, service: { include: { tierState: true, team: { include: { channels: true } } } } }, orderBy: { slug: "asc" } });

describe("silences and incidents in the evaluator", () => {
  it("silenced and folded changes are recorded, not sent; each is sent once what held it ends while the SLO still burns", async () => {
    const { team, members } = await makeTeam(["admin", "editor"]);
    await createService(members.editor, team.slug, { slug: "web", name: "Web", description: "" });
    await createSli(members.editor, team.slug, "web", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    const slo = (slug: string) => createSlo(members.editor, team.slug, "web", { slug, name: `Web ${slug}`, description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
    const now = new Date(Math.floor(Date.now() / MIN) * MIN);
    const silenced = (await slo("silenced"))!;
    const labelled = (await slo("labelled"))!;
    const folded = (await slo("folded"))!;
    const plain = (await slo("plain"))!;
    const ids = [silenced.id, labelled.id, folded.id, plain.id];
    const incident = await createIncident(members.editor, team.slug, createIncidentSchema.parse({ title: "Web errors", severity: "SEV2", startedAt: new Date(now.getTime() - 30 * MIN).toISOString(), slos: ["web/folded"] }));
    await prisma().slo.updateMany({ where: { id: { in: ids } }, data: { archivedAt: now } });
    await prisma().slo.update({ where: { id: labelled.id }, data: { labels: { tier: "gold" } } });
    const ops = await createChannel(members.admin, team.slug, { name: "ops", kind: "slack", url: "https://ops.invalid/hook" });

    const silence = await createSilence(members.editor, team.slug, { service: "web", slo: "silenced", reason: "failover drill", startsAt: new Date(now.getTime() - MIN), endsAt: new Date(Date.now() + 60 * MIN) });
    const byLabel = await createSilence(members.editor, team.slug, { label: { key: "tier", value: "gold" }, reason: "gold tier migration", startsAt: new Date(now.getTime() - MIN), endsAt: new Date(Date.now() + 60 * MIN) });

    // The last hour fails at 50 %: every row of the table fires (docs/domain.md, "Multiwindow,
    // multi-burn-rate alerts": 14.4, 6, 3 and 1 for 30 days against a burn rate of 50), a page.
    const token = await makeTokenActor(team.slug, members.admin, ["ingest"]);
    await ingestBatch(token, { items: Array.from({ length: 60 }, (_, i) => ({ sli: "web/ok", minute: new Date(now.getTime() - (i + 1) * MIN).toISOString(), good: 50, total: 100 })) }, now);

    const evaluate = async (at: Date) => {
      const rows = await loadOnly(ids);
      return (await evaluateAlertStates(at, rows, await statusesOf(rows, at))).map((d) => [d.channelId, d.change.slo, d.change.from, d.change.to]);
    };
    // Only the SLO nothing holds is sent.
    expect(await evaluate(now)).toEqual([[ops.id, "plain", "ok", "page"]]);
    const changes = await prisma().sloAlertChange.findMany({ where: { sloId: { in: ids } }, orderBy: { sloId: "asc" } });
    const took = Object.fromEntries(changes.map((c) => [c.sloId, [c.toState, c.silenceId, c.foldedIncidentId]]));
    expect(took).toEqual({
      [silenced.id]: ["page", silence.id, null],
      [labelled.id]: ["page", byLabel.id, null],
      [folded.id]: ["page", null, incident.id],
      [plain.id]: ["page", null, null],
    });
    // The incident's timeline has the change the incident took.
    const entries = await prisma().timelineEntry.findMany({ where: { incidentId: incident.id, kind: "alert" } });
    expect(entries.map((e) => e.text)).toEqual([expect.stringMatching(/^PAGE: Web folded \(web\) is burning its error budget\. Remaining budget .* 1h burn rate 50x/)]);

    // A minute later nothing changed and everything held is still held: nothing is sent.
    const later = new Date(now.getTime() + MIN);
    expect(await evaluate(later)).toEqual([]);

    // The drill's silence ends, the incident resolves: both SLOs still burn, so each is sent once.
    await endSilence(members.editor, team.slug, silence.id);
    await prisma().incident.update({ where: { id: incident.id }, data: { resolvedAt: later } });
    const after = new Date(now.getTime() + 2 * MIN);
    expect((await evaluate(after)).sort()).toEqual([
      [ops.id, "folded", "page", "page"],
      [ops.id, "silenced", "page", "page"],
    ].sort());
    expect(await evaluate(new Date(now.getTime() + 3 * MIN))).toEqual([]);
    // The label's silence still holds: nothing for that SLO yet.
    expect((await prisma().sloAlertState.findUniqueOrThrow({ where: { sloId: labelled.id } })).unsent).toBe(true);
    // Another file's job runner may relay these messages; with the channel gone, a delivery does nothing.
    await prisma().notificationChannel.deleteMany({ where: { id: ops.id } });
  });
});
