// The deploy gate answers on every deploy's critical path, so it reuses a service's computed SLO
// statuses for a few seconds (GATE_STATUS_MAX_AGE_SECONDS) instead of reading a 30-day window
// per call. The key holds each SLO's definition time and the data generation of its SLI and of
// the service (exclusions), so this replica's own writes and edits are seen at once. Concurrent
// misses for one key share one computation (lru-cache's fetch).
import { LRUCache } from "lru-cache";
import type { SloStatus } from "../../domain/slo-status";
import { getConfig } from "../config";
import { generationOf } from "../data-generation";
import type { findSlo } from "./catalog";
import { statusesOf } from "./slo-status";

type SloWithSli = Awaited<ReturnType<typeof findSlo>>;
export type ServiceStatuses = { at: Date; statuses: SloStatus[] };

let cache: LRUCache<string, ServiceStatuses, readonly SloWithSli[]> | undefined;

function getCache(ttlMs: number) {
  cache ??= new LRUCache<string, ServiceStatuses, readonly SloWithSli[]>({
    max: 5000,
    ttl: ttlMs,
    fetchMethod: async (_key, _stale, { context }) => {
      const at = new Date();
      return { at, statuses: await statusesOf(context, at) };
    },
  });
  return cache;
}

/** Statuses of a service's SLOs now, at most GATE_STATUS_MAX_AGE_SECONDS old. */
export async function currentStatuses(serviceId: string, slos: readonly SloWithSli[]): Promise<ServiceStatuses> {
  const ttlMs = getConfig().GATE_STATUS_MAX_AGE_SECONDS * 1000;
  if (ttlMs === 0 || slos.length === 0) {
    const at = new Date();
    return { at, statuses: await statusesOf(slos, at) };
  }
  const key = `${serviceId}:${generationOf(serviceId)}|${slos.map((s) => `${s.id}:${s.updatedAt.getTime()}:${s.sli.updatedAt.getTime()}:${generationOf(s.sliId)}`).join(",")}`;
  const hit = await getCache(ttlMs).fetch(key, { context: slos });
  return hit!;
}
