import { parseObjective } from "./budget";
import type { SloWindow } from "./window";

// Formatting for people: "99.95%", "-12.5%", never NaN or 17 decimals.

/** A fraction as a percent with up to `digits` decimals, trailing zeros dropped (0.9995 -> "99.95%"). */
export function formatPercent(fraction: number, digits = 2): string {
  if (!Number.isFinite(fraction)) return "—";
  const p = fraction * 100;
  const fixed = p.toFixed(digits);
  const trimmed = fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
  return `${trimmed === "-0" ? "0" : trimmed}%`;
}

/** An objective string "0.999" as "99.9%", exactly (decimal arithmetic, no float rounding). */
export function formatObjective(objective: string): string {
  const { scaled } = parseObjective(objective); // objective x 10^8 = percent x 10^6
  const whole = scaled / 1_000_000n;
  const frac = (scaled % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `${whole}${frac ? `.${frac}` : ""}%`;
}

/** A count with thousands separators: 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "—";
}

/** "30 days rolling", "calendar month (Europe/Berlin)". */
export function formatWindow(w: SloWindow): string {
  if (w.kind === "rolling") return `${w.days} ${w.days === 1 ? "day" : "days"} rolling`;
  return `calendar ${w.unit}${w.timeZone === "UTC" ? "" : ` (${w.timeZone})`}`;
}
