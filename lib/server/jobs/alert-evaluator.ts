// Every minute: evaluate each SLO's burn-rate alert state and, when it changed, queue one
// message per channel of its team. The state swap (a compare-and-set) and the queueing happen
// in one transaction: overlapping evaluations (two replicas, a slow run) send one message per
// change, and a crash in between sends none rather than losing the state change.
import type { PoolClient } from "pg";
import { isNotifiable, type AlertChange } from "../../domain/notification";
import type { AlertState } from "../../domain/burn-rate";
import { prisma, withTransaction } from "../db/client";
import { getConfig } from "../config";
import { statusesOf } from "../services/slo-status";

export type Delivery = { channelId: string; change: AlertChange };
/** Queues a delivery on the given connection, inside the caller's transaction. */
export type Enqueue = (client: PoolClient, d: Delivery) => Promise<void>;

export async function evaluateAlertStates(enqueue: Enqueue, now = new Date()): Promise<Delivery[]> {
  const slos = await prisma().slo.findMany({ include: { sli: true, alertState: true, service: { include: { team: { include: { channels: true } } } } } });
  const sent: Delivery[] = [];
  const statuses = await statusesOf(slos, now);
  for (const [i, slo] of slos.entries()) {
    const status = statuses[i]!;
    const to = status.alerts.state;
    const from = (slo.alertState?.state ?? "ok") as AlertState;
    if (from === to) continue;
    const team = slo.service.team;
    const change: AlertChange = {
      team: team.slug,
      service: slo.service.slug,
      slo: slo.slug,
      sloName: slo.name,
      sloId: slo.id,
      from,
      to,
      at: now.toISOString(),
      remaining: status.budget.state === "ok" ? status.budget.remaining : null,
      burnRate1h: status.burnRates["1h"],
      url: `${getConfig().publicUrl}/teams/${team.slug}`,
    };
    await withTransaction(async (client) => {
      const swap = await client.query(
        `INSERT INTO slo_alert_states (slo_id, state, changed_at) VALUES ($1, $2, $3)
         ON CONFLICT (slo_id) DO UPDATE SET state = EXCLUDED.state, changed_at = EXCLUDED.changed_at
         WHERE slo_alert_states.state = $4`,
        [slo.id, to, now, from],
      );
      // rowCount 0: another evaluation moved this SLO first, and it sends the message.
      if (swap.rowCount === 1 && isNotifiable(from, to)) {
        for (const ch of team.channels) {
          const d = { channelId: ch.id, change };
          await enqueue(client, d);
          sent.push(d);
        }
      }
    });
  }
  return sent;
}
