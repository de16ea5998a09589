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

/**
 * A duration given in minutes, in at most two units: "45s", "43m 12s", "5h 12m", "2d 4h".
 * Rounded down, so "budget left" never overstates; null (nothing burning) is "—".
 */
export function formatDuration(minutes: number | null): string {
  if (minutes === null || !Number.isFinite(minutes)) return "—";
  const seconds = Math.max(0, Math.floor(minutes * 60));
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return h ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return s ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}

/** A burn rate as "14.4×", "0.25×", "0×"; no data is "—". Two significant decimals at most. */
export function formatBurnRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return "—";
  const digits = rate >= 100 ? 0 : rate >= 10 ? 1 : 2;
  const fixed = rate.toFixed(digits);
  return `${fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed}×`;
}

/** An SLI (a fraction of good events) with enough digits to compare with nines: 0.99953 -> "99.953%". */
export function formatSli(sli: number | null): string {
  return sli === null ? "—" : formatPercent(sli, 3);
}

/**
 * Time to exhaustion in words: "exhausted", "not burning", "in 2d 4h", or, when the current rate
 * would not empty the budget before the window ends (a calendar window resets; a rolling one
 * drops its oldest events first), "not this window".
 * `minutesLeftInWindow`: until a calendar window's end; for rolling windows, the window's length.
 */
export function formatExhaustion(tteMinutes: number | null, budget: { state: "ok"; remaining: number } | { state: "no_data" }, minutesLeftInWindow: number): string {
  if (budget.state === "no_data") return "no data";
  if (budget.remaining <= 0) return "exhausted";
  if (tteMinutes === null) return "not burning";
  if (tteMinutes > minutesLeftInWindow) return "not this window";
  return `in ${formatDuration(tteMinutes)}`;
}

/** Where a freeze applies: the environment it names, or without one the policy's gated environments (docs/domain.md). */
export function formatFreezeEnvironment(environment: string | null): string {
  return environment ?? "every gated environment";
}

/** An instant as the reader's local date, e.g. "Nov 22, 2026". */
export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** An instant as the reader's local time of day, e.g. "11:38:05 AM". */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { timeStyle: "medium" });
}

/** An instant as the reader's local date and time, e.g. "Nov 22, 2026, 11:38 AM". */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A Prometheus SLI's sync progress in words: the last error, waiting, backfilling N of M days, or synced up to when. */
export function formatSyncProgress(sync: { lastError: string | null; backfill: "pending" | "backfilling" | "done"; daysDone: number; daysToDo: number | null; syncedUntil: string | null }): string {
  if (sync.lastError) return `Last sync failed: ${sync.lastError}`;
  if (sync.backfill === "pending") return "Waiting for the first sync";
  if (sync.backfill === "backfilling") return `Backfilling: ${sync.daysDone} of ${sync.daysToDo} days`;
  return `Synced up to ${sync.syncedUntil ? formatDateTime(sync.syncedUntil) : "now"}`;
}
