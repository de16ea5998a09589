// Lets the catalog ask for a Prometheus sync at once (a new source, an SLO with a longer window)
// instead of waiting for the next per-minute tick. The job runner registers itself here when it
// starts; in a process that runs no jobs the request is dropped and the next tick of any replica
// picks the SLI up within a minute.
import { logger } from "../logger";
import { processGlobal } from "../process-global";

type Requester = (sliIds: string[]) => Promise<number>;
// Registered by the job runner in the launcher, used from Next's bundles: one per process.
const hook = processGlobal("syncRequester", () => ({ fn: null as Requester | null }));

export function setSyncRequester(fn: Requester | null) {
  hook.fn = fn;
}

/** Queues a sync of these SLIs; never throws (the tick is the fallback). */
export function requestPrometheusSync(sliIds: string[]): void {
  if (!hook.fn || sliIds.length === 0) return;
  hook.fn(sliIds).catch((err: unknown) => logger().warn({ err, sli_ids: sliIds }, "could not queue a Prometheus sync; the next tick will"));
}
