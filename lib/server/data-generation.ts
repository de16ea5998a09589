// Generations: counters bumped on writes that change what a status reads, so a computed status
// can tell it is out of date.
// - In this process, per SLI (new data) and per service (exclusions): the gate's cache of
//   statuses (status-cache.ts) is never staler than this replica's own writes; other replicas'
//   writes reach it through its time-to-live.
// - Stored (slis.data_generation, services.data_generation): the status snapshots the evaluator
//   writes each minute (status-snapshots.ts) are keyed by them, so every replica sees a change.
//   Bumped after (or with) the write's commit: a status computed in between keeps the old
//   generation and is recomputed, never the other way round.
import { db } from "./db/client";
import { processGlobal } from "./process-global";

const generations = processGlobal("dataGenerations", () => new Map<string, number>());

export function bumpGeneration(ids: Iterable<string>) {
  for (const id of ids) generations.set(id, (generations.get(id) ?? 0) + 1);
}

export function generationOf(id: string): number {
  return generations.get(id) ?? 0;
}

/** SQL bumping the stored generation of the SLIs `$1` (run inside the transaction that wrote their data). */
export const BUMP_SLI_GENERATIONS_SQL = "UPDATE slis SET data_generation = data_generation + 1 WHERE id = ANY($1::uuid[])";

/** Services whose exclusions or policy changed, once the change is committed: both generations. */
export async function servicesChanged(ids: Iterable<string>): Promise<void> {
  const list = [...new Set(ids)];
  if (list.length === 0) return;
  bumpGeneration(list);
  await db().pool.query("UPDATE services SET data_generation = data_generation + 1 WHERE id = ANY($1::uuid[])", [list]);
}

/** Every service of a team (a team-wide policy changed), once the change is committed. */
export async function teamServicesChanged(teamId: string): Promise<void> {
  const { rows } = await db().pool.query<{ id: string }>("UPDATE services SET data_generation = data_generation + 1 WHERE team_id = $1 RETURNING id", [teamId]);
  bumpGeneration(rows.map((r) => r.id));
}
