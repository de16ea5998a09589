// A counter per SLI (new data) and per service (exclusions) that this process bumps on every
// write it makes, so caches of computed statuses in this process are never staler than its own
// writes. Writes by other replicas reach a cache through its time-to-live instead.
import { processGlobal } from "./process-global";

const generations = processGlobal("dataGenerations", () => new Map<string, number>());

export function bumpGeneration(ids: Iterable<string>) {
  for (const id of ids) generations.set(id, (generations.get(id) ?? 0) + 1);
}

export function generationOf(id: string): number {
  return generations.get(id) ?? 0;
}
