// The deploy gate answers on every deploy's critical path, so it reuses a service's SLOs and
// their computed statuses for a few seconds (GATE_STATUS_MAX_AGE_SECONDS) instead of reading a
// 30-day window per call. The key holds the SLOs' definition signature (ids and update times,
// read fresh on every call) and the data generation of the service (exclusions) and of each of
// its SLIs, so this replica's own writes and any edit are seen at once; other replicas' pushes
// reach it within the age limit (plus one refresh). Concurrent misses for one key share one computation.
import { LRUCache } from "lru-cache";
import type { SloStatus } from "../../domain/slo-status";
import { getConfig } from "../config";
import { generationOf } from "../data-generation";
import { processGlobal } from "../process-global";
import type { findSlo } from "./catalog";
import { statusesOf } from "./slo-status";
import { clockNow } from "../clock";

export type SloWithSli = Awaited<ReturnType<typeof findSlo>>;
export type ServiceStatuses = { at: Date; slos: SloWithSli[]; statuses: SloStatus[] };
type Loader = () => Promise<SloWithSli[]>;

// One cache per process: the gate's fast path (the launcher) and Next's bundles share it.
const holder = processGlobal("statusCache", () => ({ cache: undefined as LRUCache<string, ServiceStatuses, Loader> | undefined }));

async function compute(load: Loader): Promise<ServiceStatuses> {
  const slos = await load();
  const at = clockNow();
  return { at, slos, statuses: await statusesOf(slos, at) };
}

/**
 * A service's SLOs (in the order `load` gives) and their statuses now, at most the configured
 * age old. `signature` must change whenever an SLO or SLI definition of the service does.
 */
export async function currentStatuses(serviceId: string, signature: string, sliIds: readonly string[], load: Loader): Promise<ServiceStatuses> {
  const ttlMs = getConfig().GATE_STATUS_MAX_AGE_SECONDS * 1000;
  if (ttlMs === 0) return compute(load);
  // An expired entry is served once more while it refreshes in the background, so no caller
  // waits for a 30-day recomputation; a changed key (an edit, new data here) always recomputes.
  holder.cache ??= new LRUCache<string, ServiceStatuses, Loader>({ max: 5000, ttl: ttlMs, allowStale: true, fetchMethod: (_k, _stale, { context }) => compute(context) });
  const key = `${serviceId}:${generationOf(serviceId)}|${signature}|${sliIds.map(generationOf).join(",")}`;
  return (await holder.cache.fetch(key, { context: load }))!;
}
