/** Maps with at most `limit` calls in flight, keeping the input order (status of many SLOs). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export type Bulkhead = {
  /** Runs `fn` when one of the `limit` places is free; throws `full()` when `queue` callers already wait, or after waiting `waitMs`. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
};

/**
 * A bulkhead: at most `limit` tasks at once, at most `queue` more waiting (each for at most
 * `waitMs`), and a refusal beyond, so one kind of expensive work cannot take every database
 * connection or core from the rest (searches beside the deploy gate).
 */
export function bulkhead(opts: { limit: number; queue: number; waitMs: number; full: () => Error }): Bulkhead {
  let running = 0;
  const waiters: { go: () => void; timer: NodeJS.Timeout }[] = [];
  const release = () => {
    running--;
    const next = waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.go();
    }
  };
  return {
    get running() {
      return running;
    },
    get waiting() {
      return waiters.length;
    },
    async run(fn) {
      if (running >= opts.limit) {
        if (waiters.length >= opts.queue) throw opts.full();
        await new Promise<void>((resolve, reject) => {
          const w = {
            go: () => resolve(),
            timer: setTimeout(() => {
              waiters.splice(waiters.indexOf(w), 1);
              reject(opts.full());
            }, opts.waitMs),
          };
          waiters.push(w);
        });
      }
      running++;
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
