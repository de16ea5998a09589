// The notification outbox: every message (an alert state change, a tier change, an override, a
// freeze, an overdue action item) is written here in the same transaction as the change that
// causes it, so it exists exactly when the change does. Whichever replica runs jobs moves the
// rows to the job queue (pg-boss, which retries each delivery with backoff) in one transaction:
// a row leaves the outbox only as a queued job. A replica with jobs off still writes its rows.
import type { PoolClient } from "pg";
import { MESSAGE_CHANNEL_KINDS, type ChatMessage } from "../../domain/notification";
import type { Prisma } from "../../generated/prisma/client";
import { withTransaction } from "../db/client";
import type { Delivery } from "./alert-evaluator";

type Tx = Prisma.TransactionClient;

/** Writes deliveries on the caller's connection, inside its transaction. */
export async function writeOutbox(client: PoolClient, deliveries: readonly Delivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  await client.query(
    `INSERT INTO notification_outbox (channel_id, payload) SELECT * FROM unnest($1::uuid[], $2::jsonb[])`,
    [deliveries.map((d) => d.channelId), deliveries.map((d) => JSON.stringify(d))],
  );
}

/**
 * One message for each channel of the team that takes messages (MESSAGE_CHANNEL_KINDS: chat and
 * email; PagerDuty is for alerts), written in the caller's Prisma transaction; returns how many.
 */
export async function outboxTeamMessage(tx: Tx, teamId: string, message: ChatMessage): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO notification_outbox (channel_id, payload)
    SELECT c.id, jsonb_build_object('channelId', c.id, 'message', ${JSON.stringify(message)}::jsonb)
    FROM notification_channels c WHERE c.team_id = ${teamId}::uuid AND c.kind::text = ANY(${[...MESSAGE_CHANNEL_KINDS]})`;
}

/** Queues one delivery on the given connection (pg-boss's send, in the same transaction). */
export type QueueOn = (client: PoolClient, d: Delivery) => Promise<void>;

/**
 * Moves up to `limit` rows, oldest first, from the outbox to the queue (which keeps no order
 * between deliveries either: each is retried on its own). Rows another replica is
 * moving are skipped, not waited for; a failure rolls back both the deletes and the sends.
 */
export async function relayOutbox(queueOn: QueueOn, limit = 200): Promise<number> {
  return withTransaction(async (client) => {
    const { rows } = await client.query<{ payload: Delivery }>(
      `DELETE FROM notification_outbox o USING (
         SELECT id FROM notification_outbox ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED) batch
       WHERE o.id = batch.id RETURNING o.payload`,
      [limit],
    );
    for (const r of rows) await queueOn(client, r.payload);
    return rows.length;
  });
}
