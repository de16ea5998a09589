// Lets the catalog ask for a Prometheus sync at once (a new source, an SLO with a longer window)
// instead of waiting for the next per-minute tick. The job runner registers itself here when it
// starts; in a process that runs no jobs the request is dropped and the next tick of any replica
// picks the SLI up within a minute.
import { logger } from "../logger";

type Requester = (sliIds: string[]) => Promise<number>;
let requester: Requester | null = null;

export function setSyncRequester(fn: Requester | null) {
  requester = fn;
}

/** Queues a sync of these SLIs; never throws (the tick is the fallback). */
export function requestPrometheusSync(sliIds: string[]): void {
  if (!requester || sliIds.length === 0) return;
  requester(sliIds).catch((err: unknown) => logger().warn({ err, sli_ids: sliIds }, "could not queue a Prometheus sync; the next tick will"));
}
