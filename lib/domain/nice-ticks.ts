// Axis ticks at round values (96.3 %, not 96.334 %): the "nice numbers" of Heckbert, "Nice
// Numbers for Graph Labels", Graphics Gems (1990): a tick step of 1, 2, 2.5 or 5 times a power
// of ten, and an axis that starts and ends on a tick. Pure; charts.tsx only draws what it returns.

export type NiceAxis = {
  /** The axis' bounds: multiples of `step` that contain [min, max]. */
  domain: [number, number];
  /** Every multiple of `step` from domain[0] to domain[1]. */
  ticks: number[];
  step: number;
  /** Decimals a tick needs to be printed exactly (0.001 -> 3). */
  decimals: number;
};

const MULTIPLES = [1, 2, 2.5, 5, 10] as const;

/** The smallest step of 1, 2, 2.5 or 5 x 10^k that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) throw new RangeError(`a tick step must be positive, got ${raw}`);
  const power = Math.floor(Math.log10(raw));
  const base = 10 ** power;
  const m = MULTIPLES.find((x) => x * base >= raw * (1 - 1e-12))!;
  return round(m * base, decimalsOf(m * base));
}

/** Decimals needed to print multiples of `step` exactly: 0.25 -> 2, 5 -> 0, 0.0005 -> 4. */
export function decimalsOf(step: number): number {
  for (let d = 0; d <= 15; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-9 * 10 ** d) return d;
  return 15;
}

const round = (v: number, decimals: number) => Number(v.toFixed(decimals));

/**
 * At most `maxTicks` ticks (at least 2) at round values covering [min, max]. A flat series
 * (min = max) gets an axis around its value; the result never holds NaN.
 */
export function niceAxis(min: number, max: number, maxTicks = 6): NiceAxis {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`an axis needs finite bounds, got ${min} and ${max}`);
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    [min, max] = [min - pad, max + pad];
  }
  const intervals = Math.max(1, Math.floor(maxTicks) - 1);
  let step = niceStep((max - min) / intervals);
  // Rounding the bounds out can add an interval: take the next step until it fits.
  for (;;) {
    const lo = Math.floor(min / step + 1e-9) * step;
    const hi = Math.ceil(max / step - 1e-9) * step;
    const n = Math.round((hi - lo) / step);
    if (n <= intervals) {
      const decimals = decimalsOf(step);
      const ticks = Array.from({ length: n + 1 }, (_, i) => round(lo + i * step, decimals));
      return { domain: [ticks[0]!, ticks[n]!], ticks, step, decimals };
    }
    step = niceStep(step * 1.0000001);
  }
}

/** Tick steps of a time axis, in minutes: round on a clock and a calendar (30 and 90 days stand for months and quarters). */
export const TIME_TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2 * 1440, 7 * 1440, 14 * 1440, 30 * 1440, 90 * 1440] as const;

/**
 * Ticks of a time axis over [from, to] (epoch ms) at round times of the reader's clock (03:00,
 * 06:00, midnight), at most `maxTicks`, with the finest step of TIME_TICK_STEPS that fits.
 * Weekly ticks fall on Mondays. `utcOffsetMinutes`: the reader's offset from UTC at `from` (Berlin in winter: 60); a daylight
 * saving change inside the range shifts later ticks by that hour, which a glance forgives.
 */
export function niceTimeTicks(from: number, to: number, maxTicks: number, utcOffsetMinutes: number): number[] {
  if (!(to > from)) return [from];
  const minutes = (to - from) / 60_000;
  const step = TIME_TICK_STEPS.find((s) => Math.floor(minutes / s) + 1 <= maxTicks) ?? TIME_TICK_STEPS.at(-1)!;
  const ms = step * 60_000;
  // Weeks start on Monday (ISO 8601); the epoch was a Thursday, 1970-01-05 a Monday.
  const offset = utcOffsetMinutes * 60_000 - (step % (7 * 1440) === 0 ? 4 * 86_400_000 : 0);
  const out: number[] = [];
  for (let t = Math.ceil((from + offset) / ms) * ms - offset; t <= to; t += ms) out.push(t);
  return out;
}
