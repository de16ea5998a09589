// Error-budget arithmetic (docs/domain.md "Terms"). Objectives arrive as decimal strings ("0.999")
// and are kept as an exact fraction of 10^8, so 1 - 0.999 is exactly 0.001 rather than
// 0.0010000000000000009; counts are integers. Only the final ratio is a float.

const SCALE = 100_000_000n; // objectives have at most 8 decimal places (numeric(9,8) in the schema)

export type Objective = { /** objective x 10^8 */ scaled: bigint; text: string };

/** Parses "0.999" (or "99.9%") into an exact objective; throws on anything outside (0, 1). */
export function parseObjective(input: string): Objective {
  const text = input.trim();
  const percent = text.endsWith("%");
  const m = /^(\d+)(?:\.(\d+))?$/.exec(percent ? text.slice(0, -1) : text);
  if (!m) throw new RangeError(`objective "${input}" is not a decimal number`);
  const digits = (m[2] ?? "").replace(/0+$/, "");
  const places = digits.length + (percent ? 2 : 0);
  if (places > 8) throw new RangeError(`objective "${input}" has more than 8 decimal places`);
  const scaled = (BigInt(m[1] ?? "0") * 10n ** BigInt(digits.length) + BigInt(digits || "0")) * 10n ** BigInt(8 - places);
  if (scaled <= 0n || scaled >= SCALE) throw new RangeError(`objective "${input}" must be between 0 and 1 (exclusive)`);
  return { scaled, text };
}

/** (1 - objective) x 10^8: the error budget as an exact integer. */
export function budgetUnits(o: Objective): number {
  return Number(SCALE - o.scaled);
}

export const OBJECTIVE_SCALE = Number(SCALE);

/** The objective as a fraction, for charts ("0.999" -> 0.999); the exact value stays in `scaled`. */
export function objectiveRatio(o: Objective): number {
  return Number(o.scaled) / Number(SCALE);
}

/** Error budget as a fraction of events: 1 - objective. */
export function budgetFraction(o: Objective): number {
  return Number(SCALE - o.scaled) / Number(SCALE);
}

/** Allowed bad events = (1 - objective) x valid events (Google's 99.9% of 1,000,000 -> 1,000). */
export function allowedBadEvents(o: Objective, total: number): number {
  return Number((SCALE - o.scaled) * BigInt(total)) / Number(SCALE);
}

/** Budget expressed in time: (1 - objective) x window minutes (99.9% over 30 d -> 43.2 min). */
export function budgetMinutes(o: Objective, windowMinutes: number): number {
  return Number((SCALE - o.scaled) * BigInt(windowMinutes)) / Number(SCALE);
}

/**
 * The most events one SLI may count in one minute (pushed or pulled). Every number Burnrate
 * derives is a sum of minutes over at most LONGEST_SUMMED_MINUTES (a 400-day chart range; SLO
 * windows are at most 366 days), and JavaScript numbers are exact integers only up to 2^53 - 1:
 * 10^10 x 576,000 = 5.76 x 10^15 < 9.007 x 10^15, so every window sum stays exact. 10^10 a
 * minute is 166 million events a second for one SLI, above any single service's traffic.
 * docs/domain.md "Bounds".
 */
export const MAX_EVENTS_PER_MINUTE = 10_000_000_000;
export const LONGEST_SUMMED_MINUTES = 400 * 1440;

export type RemainingBudget = { state: "no_data" } | { state: "ok"; remaining: number; sli: number };

/**
 * Remaining budget = 1 - bad / allowed bad (may be negative once the SLO is breached).
 * No valid events means nothing was spent, and it is reported as "no data", never NaN.
 */
export function computeRemainingBudget(o: Objective, good: number, total: number): RemainingBudget {
  if (!Number.isFinite(good) || !Number.isSafeInteger(total) || good < 0 || good > total) {
    throw new RangeError(`invalid counts good=${good} total=${total}`);
  }
  if (total === 0) return { state: "no_data" };
  if (!Number.isInteger(good)) {
    // RatioTimeslices: good is a sum of slice ratios (lib/domain/time-slice.ts), so the exact
    // integer arithmetic below does not apply; the same formula in floating point.
    const allowed = budgetFraction(o) * total;
    return { state: "ok", remaining: 1 - (total - good) / allowed, sli: good / total };
  }
  const bad = BigInt(total - good);
  const allowedScaled = (SCALE - o.scaled) * BigInt(total); // allowed bad x 10^8
  const remaining = Number(allowedScaled - bad * SCALE) / Number(allowedScaled);
  return { state: "ok", remaining, sli: good / total };
}
