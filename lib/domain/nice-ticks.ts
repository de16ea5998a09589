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
