// The no-data and budget-below alerts (lib/domain/alert-kinds.ts) on a real database: each is sent
// once to the SLO's channels when it starts (and no-data again when the data is back), recorded in
// the alert history without touching the burn-rate firing periods. As in alert-routing.test.ts,
// only this file's SLOs are evaluated, and they are marked archived so other files' job runners
// leave them alone.
import { describe, expect, it } from "vitest";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "../services/catalog";
import { createChannel } from "../services/notifications";
import { ingestBatch } from "../services/ingest";
import { getSloStatus, statusesOf } from "../services/slo-status";
import { prisma } from "../db/client";
import type { Prisma } from "../../generated/prisma/client";
import { evaluateAlertEvents } from "./alert-evaluator";
import { defaultAlerting } from "../../domain/definitions";
import { clockNow } from "../clock";

const MIN = 60_000;
const loadOnly = (ids: string[]) =>
  prisma().slo.findMany({ where: { id: { in: ids } }, include: { sli: true, alertState: true, service: { include: { tierState: true, team: { include: { channels: true } } } } }, orderBy: { slug: "asc" } });

describe("no-data and budget-below alerts", () => {
  it("notify once per outage and per crossing, to the SLO's channels, and are kept in the history", async () => {
    const { team, members } = await makeTeam(["admin", "editor"]);
    await createService(members.editor, team.slug, { slug: "web", name: "Web", description: "" });
    await createSli(members.editor, team.slug, "web", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    const slo = async (slug: string) => (await createSlo(members.editor, team.slug, "web", { slug, name: `Web ${slug}`, description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 1 }, minEvents: 0 }))!;
    const now = new Date(Math.floor(clockNow().getTime() / MIN) * MIN);
    const nodata = await slo("nodata");
    const budget = await slo("budget");
    const quiet = await slo("quiet");
    const ops = await createChannel(members.admin, team.slug, { name: "ops", kind: "slack", url: "https://ops.invalid/hook" });
    const ids = [nodata.id, budget.id, quiet.id];
    await prisma().slo.updateMany({ where: { id: { in: ids } }, data: { archivedAt: now } });
    const d = defaultAlerting();
    const set = (id: string, v: object) => prisma().slo.update({ where: { id }, data: { alerting: { ...d, ...v } as Prisma.InputJsonValue } });
    await set(nodata.id, { noData: { enabled: true } });
    await set(budget.id, { budgetBelow: { enabled: true, percent: 25 } });

    // An hour at 2 % errors against a 1 % budget, ending 20 minutes ago: the budget is overspent
    // (remaining -1, below 25 %) and pushed data older than 15 minutes is stale (freshness.ts).
    const token = await makeTokenActor(team.slug, members.admin, ["ingest"]);
    const push = (from: number, n: number, good: number) =>
      ingestBatch(token, { items: Array.from({ length: n }, (_, i) => ({ sli: "web/ok", minute: new Date(now.getTime() - (from + i) * MIN).toISOString(), good, total: 100 })) }, now);
    await push(20, 60, 98);

    const evaluate = async (at: Date) => {
      const rows = await loadOnly(ids);
      return evaluateAlertEvents(at, rows, await statusesOf(rows, at));
    };
    const first = await evaluate(now);
    expect(first.map((x) => [x.channelId, x.event.slo, x.event.kind, x.event.action])).toEqual([
      [ops.id, "budget", "budget_below", "firing"],
      [ops.id, "nodata", "no_data", "firing"],
    ]);
    expect(first[1]!.event.detail).toMatch(/^no data pushed for 2\d minutes$/);
    // Nothing new: nothing sent again.
    expect(await evaluate(now)).toEqual([]);

    // Data is back (and still overspent): no-data resolves; the budget alert does not repeat.
    await push(1, 1, 98);
    const later = new Date(now.getTime() + MIN);
    expect((await evaluate(later)).map((x) => [x.event.slo, x.event.kind, x.event.action])).toEqual([["nodata", "no_data", "resolved"]]);

    const history = await prisma().sloAlertChange.findMany({ where: { sloId: { in: ids } }, orderBy: [{ at: "asc" }, { toState: "asc" }] });
    expect(history.map((h) => [h.sloId, h.fromState, h.toState])).toEqual([
      [budget.id, "budget_rearmed", "budget_below"],
      [nodata.id, "data_back", "data_stopped"],
      [nodata.id, "data_stopped", "data_back"],
    ]);
    // The history shows them; the burn-rate firing periods are not made of them.
    await prisma().slo.update({ where: { id: nodata.id }, data: { archivedAt: null } });
    const detail = await getSloStatus(members.editor, team.slug, "web", "nodata", later);
    expect(detail.alert.history.map((h) => h.to)).toEqual(["data_back", "data_stopped"]);
    expect(detail.alert.periods).toEqual([]);
    await prisma().slo.update({ where: { id: nodata.id }, data: { archivedAt: now } });

    // Neither alert on: nothing stored for the SLO.
    expect(await prisma().sloAlertState.findUnique({ where: { sloId: quiet.id } })).toBeNull();
  }, 60_000);
});
