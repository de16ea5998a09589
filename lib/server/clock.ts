// The time every replica agrees on: PostgreSQL's. Each process measures how far its own clock
// is from the database's (once at start, then every minute) and applies that offset, so a
// replica whose clock is minutes off still judges overrides, freezes, "future" minutes, the
// evaluator's minute and session expiry by the same clock as the others, without a round trip
// per request. The periodic jobs' slots and pg-boss's leases are timed inside PostgreSQL
// (jobs/runner.ts).
import type pg from "pg";
import type { Logger } from "pino";

const key = Symbol.for("burnrate.clock");
type Holder = { [key]?: { offsetMs: number } };
/** On globalThis: the launcher and Next's bundles share one offset. */
const state = () => ((globalThis as Holder)[key] ??= { offsetMs: 0 });

/** A skew this large is worth an operator's attention: NTP is not doing its job. */
const WARN_SKEW_MS = 10_000;

/** Now, by the database's clock (to within half a round trip, once synchronised). */
export function clockNow(): Date {
  return new Date(Date.now() + state().offsetMs);
}

/** Measures the database clock's offset from this process's, midway through one round trip, and keeps it. */
export async function syncClock(pool: pg.Pool): Promise<number> {
  const t0 = Date.now();
  const { rows } = await pool.query<{ ms: number }>("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms");
  const t1 = Date.now();
  const offsetMs = Math.round(rows[0]!.ms - (t0 + t1) / 2);
  state().offsetMs = offsetMs;
  return offsetMs;
}

/** Synchronises now and every `everyMs`; a failed attempt keeps the last offset. Returns a stop function. */
export async function keepClockInSync(pool: pg.Pool, log: Logger, everyMs = 60_000): Promise<() => void> {
  let warned = false;
  const once = async () => {
    try {
      const offsetMs = await syncClock(pool);
      if (Math.abs(offsetMs) >= WARN_SKEW_MS && !warned) {
        warned = true;
        log.warn({ offset_ms: offsetMs }, "this machine's clock differs from the database's; Burnrate keeps the database's time");
      }
    } catch (err) {
      log.warn({ err }, "could not read the database's clock; keeping the last offset");
    }
  };
  await once();
  const timer = setInterval(() => void once(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
