// A pull's progress on an SLI or a grouped SLO (backfilled from, synced up to, the last attempt
// and its error) is bookkeeping, not an edit: it is written without touching updated_at, the
// version an edit names (baseUpdatedAt). Prisma's @updatedAt would move it at every minute's
// sync: an edit form open for a minute would be refused as stale, and reset under the typing.
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";

export type SyncProgress = { backfillFrom?: Date | null; syncedUntil?: Date | null; lastSyncAt?: Date; lastSyncError?: string | null };

const columns = { backfillFrom: "backfill_from", syncedUntil: "synced_until", lastSyncAt: "last_sync_at", lastSyncError: "last_sync_error" } as const;

function assignments(p: SyncProgress): Prisma.Sql {
  const given = (Object.keys(columns) as (keyof SyncProgress)[]).filter((k) => p[k] !== undefined);
  if (!given.length) throw new Error("no sync progress to record");
  return Prisma.join(given.map((k) => Prisma.sql`${Prisma.raw(columns[k])} = ${p[k]}`));
}

/** One SLI's progress. */
export async function recordSliSync(sliId: string, p: SyncProgress): Promise<void> {
  await prisma().$executeRaw`UPDATE slis SET ${assignments(p)} WHERE id = ${sliId}::uuid`;
}

/** A grouped SLO's progress, and its live members' (each reads fresh or stale as a Prometheus SLI does). */
export async function recordGroupSync(groupId: string, group: Omit<SyncProgress, "backfillFrom">, members: SyncProgress): Promise<void> {
  await prisma().$executeRaw`UPDATE slo_groups SET ${assignments(group)} WHERE id = ${groupId}::uuid`;
  await prisma().$executeRaw`UPDATE slis SET ${assignments(members)} WHERE group_id = ${groupId}::uuid AND archived_at IS NULL`;
}
