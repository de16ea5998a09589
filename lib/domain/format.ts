import { TZDate, tzOffset } from "@date-fns/tz";
import { format } from "date-fns";
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

/** A count for an axis label: 12,000 as "12K", 2,500,000 as "2.5M" (tooltips show it whole). */
export function formatCompactCount(n: number): string {
  return Number.isFinite(n) ? new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(n) : "—";
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
 * When the budget runs out, in words: "already spent", "not burning", "in 2d 4h", or, when the
 * current rate would not empty the budget before the window ends (a calendar window resets; a
 * rolling one drops its oldest events first), "after this window".
 * `minutesLeftInWindow`: until a calendar window's end; for rolling windows, the window's length.
 */
export function formatExhaustion(tteMinutes: number | null, budget: { state: "ok"; remaining: number } | { state: "no_data" }, minutesLeftInWindow: number): string {
  if (budget.state === "no_data") return "no data";
  if (budget.remaining <= 0) return "already spent";
  if (tteMinutes === null) return "not burning";
  if (tteMinutes > minutesLeftInWindow) return "after this window";
  return `in ${formatDuration(tteMinutes)}`;
}

/** A postmortem's status for people: "Draft", "In review", "Published". */
export function formatPostmortemStatus(status: string): string {
  return ({ draft: "Draft", in_review: "In review", published: "Published" } as Record<string, string>)[status] ?? status.replace(/_/g, " ");
}

/** An action item's status for people: "Open", "In progress", "Done", "Won't do" (stored as wont_do). */
export function formatActionItemStatus(status: string): string {
  return ({ open: "Open", in_progress: "In progress", done: "Done", wont_do: "Won't do" } as Record<string, string>)[status] ?? status.replace(/_/g, " ");
}

/** A team access for people: "viewer", "editor", "admin", "site admin (every team)" for site-admin. */
export function formatRole(access: string): string {
  return access === "site-admin" ? "site admin (every team)" : access;
}

/** Where a freeze applies: the environment it names, or without one the policy's gated environments (docs/domain.md). */
export function formatFreezeEnvironment(environment: string | null): string {
  return environment ?? "every gated environment";
}

// Moments for people, in the reader's time zone, named ("Dec 3, 14:05 CET"), with relative time
// ("3 h ago", "in 2 days") where it helps. The zone comes in as an argument (the server reads
// the reader's from a cookie, lib/server/reader-time-zone.ts); zone arithmetic is date-fns's.

/** The cookie that carries the reader's IANA time zone (set by the browser, components/reader-time.tsx). */
export const READER_TIME_ZONE_COOKIE = "burnrate-tz";
/** The zone used when the reader's is unknown or not one this runtime knows. */
export const DEFAULT_TIME_ZONE = "UTC";

let knownZones: Set<string> | undefined;
/**
 * A time zone from outside (a cookie, a browser) as one this runtime knows, else UTC: it must be
 * in Intl.supportedValuesOf("timeZone") (the canonical IANA names), or an alias of one
 * ("Asia/Calcutta" is "Asia/Kolkata"), or UTC (which the list leaves out).
 */
export function parseTimeZone(value: string | null | undefined): string {
  if (!value || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return DEFAULT_TIME_ZONE;
  if (value === "UTC" || value === "Etc/UTC" || value === "Etc/GMT") return "UTC";
  knownZones ??= new Set(Intl.supportedValuesOf("timeZone"));
  if (knownZones.has(value)) return value;
  try {
    const canonical = new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
    return knownZones.has(canonical) ? canonical : DEFAULT_TIME_ZONE;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

const zoneNames = new Map<string, string>();
/**
 * The zone's name at that moment, as people write it: an abbreviation where English has one
 * ("CET" and "CEST", "EST", "UTC"; CLDR has Europe's only in en-GB, America's only in en-US),
 * else the zone itself ("(Asia/Tokyo)"): "GMT+9" would not say whose time it is.
 */
export function formatZoneName(at: Date, timeZone: string): string {
  const hour = Math.floor(at.getTime() / 3_600_000); // DST changes fall on whole hours
  const key = `${timeZone}@${hour}`;
  const cached = zoneNames.get(key);
  if (cached) return cached;
  let name = `(${timeZone})`;
  for (const locale of ["en-US", "en-GB"]) {
    const short = tzName(timeZone, at, "short", locale);
    if (/^[A-Z]{2,5}$/.test(short)) {
      name = short;
      break;
    }
  }
  if (zoneNames.size > 5_000) zoneNames.clear();
  zoneNames.set(key, name);
  return name;
}

function tzName(timeZone: string, at: Date, style: "short" | "long", locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

function zoned(iso: string | Date, timeZone: string): TZDate | null {
  const d = new TZDate(typeof iso === "string" ? Date.parse(iso) : iso.getTime(), timeZone);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A date, the year only when it is not this year's (in the reader's zone): "Dec 3", "Dec 3, 2025". */
function dayOf(d: TZDate, now: Date | undefined, timeZone: string): string {
  const sameYear = now !== undefined && zoned(now, timeZone)?.getFullYear() === d.getFullYear();
  return format(d, sameYear ? "MMM d" : "MMM d, yyyy");
}

/** An instant as a date and time in the reader's zone, named: "Dec 3, 14:05 CET"; the year when it is not `now`'s. */
export function formatDateTime(iso: string, timeZone: string, now?: Date): string {
  const d = zoned(iso, timeZone);
  return d ? `${dayOf(d, now, timeZone)}, ${format(d, "HH:mm")} ${formatZoneName(d, timeZone)}` : "—";
}

/** An instant as the date it falls on in the reader's zone: "Dec 3", or "Dec 3, 2025" in another year than `now`'s. */
export function formatDate(iso: string, timeZone: string, now?: Date): string {
  const d = zoned(iso, timeZone);
  return d ? dayOf(d, now, timeZone) : "—";
}

/** An instant as a time of day in the reader's zone, with seconds, named: "14:05:32 CET". */
export function formatTime(iso: string, timeZone: string): string {
  const d = zoned(iso, timeZone);
  return d ? `${format(d, "HH:mm:ss")} ${formatZoneName(d, timeZone)}` : "—";
}

/** All of it, for a tooltip: "Thursday, December 3, 2026, 14:05:32 Central European Standard Time (Europe/Berlin)". */
export function formatFullDateTime(iso: string, timeZone: string): string {
  const d = zoned(iso, timeZone);
  return d ? `${format(d, "EEEE, MMMM d, yyyy, HH:mm:ss")} ${tzName(timeZone, d, "long", "en-US")} (${timeZone})` : "—";
}

/**
 * How long ago or ahead an instant is, rounded down to its largest unit: "just now", "5 min ago",
 * "3 h ago", "in 2 days", "1 day ago", "in 3 months", "2 years ago". Elapsed time, so no zone.
 */
export function formatRelative(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  if (!Number.isFinite(ms)) return "—";
  const s = Math.abs(ms) / 1000;
  if (s < 45) return "just now";
  const minutes = Math.floor(s / 60);
  const hours = Math.floor(s / 3600);
  const days = Math.floor(s / 86_400);
  const amount =
    s < 3600 ? `${Math.max(1, minutes)} min` : hours < 24 ? `${hours} h` : days < 60 ? plural(days, "day") : days < 730 ? plural(Math.floor(days / 30.4375), "month") : plural(Math.floor(days / 365.25), "year");
  return ms < 0 ? `${amount} ago` : `in ${amount}`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/**
 * A time axis's tick in the reader's zone: times within two days, day and hour up to ten days
 * (else two ticks on one day read the same), days beyond.
 */
export function formatAxisTime(t: number, spanMs: number, timeZone: string): string {
  const d = zoned(new Date(t), timeZone);
  if (!d) return "";
  const day = 86_400_000;
  return format(d, spanMs <= 2 * day ? "HH:mm" : spanMs <= 10 * day ? "MMM d, HH:00" : "MMM d");
}

/** A datetime-local field's value for an instant, in the reader's zone: "2026-12-03T14:05". */
export function formatDateTimeInput(iso: string | Date, timeZone: string): string {
  const d = zoned(iso, timeZone);
  return d ? format(d, "yyyy-MM-dd'T'HH:mm") : "";
}

/** A datetime-local field's value ("2026-12-03T14:05"), read in the reader's zone, as an ISO instant; null when it is not one. */
export function parseDateTimeInput(value: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const t = new TZDate(y, mo - 1, d, h, mi, s, timeZone);
  return Number.isNaN(t.getTime()) || t.getMonth() !== mo - 1 ? null : new Date(t.getTime()).toISOString();
}

/**
 * An instant in words for texts that outlive the page they were made for (gate reasons, CI logs,
 * GitHub comments): "Dec 24, 2026, 00:00 UTC". Never an ISO string; pages show times in the
 * reader's zone instead.
 */
export function formatUtc(at: Date): string {
  return `${format(new TZDate(at.getTime(), "UTC"), "MMM d, yyyy, HH:mm")} UTC`;
}

const changeTypePlurals = { feature: "feature deploys", reliability: "reliability fixes", "p0-fix": "P0 fixes", security: "security fixes", config: "config changes", rollback: "rollbacks" } as const;

/** Change types in words, as a list: ["reliability", "p0-fix"] -> "reliability fixes and P0 fixes". */
export function formatChangeTypes(types: readonly (keyof typeof changeTypePlurals)[]): string {
  const words = types.map((t) => changeTypePlurals[t]);
  return words.length <= 1 ? (words[0] ?? "nothing") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** A zone's offset from UTC in minutes at instant `t` (Berlin in winter: 60), for time-axis ticks at round local times. */
export function utcOffsetMinutes(t: number, timeZone: string): number {
  return tzOffset(timeZone, new Date(t));
}

/** A Prometheus SLI's sync progress in words: the last error, waiting, backfilling N of M days, or synced up to when. */
export function formatSyncProgress(sync: { lastError: string | null; backfill: "pending" | "backfilling" | "done"; daysDone: number; daysToDo: number | null; syncedUntil: string | null }, timeZone: string): string {
  if (sync.lastError) return `Last sync failed: ${sync.lastError}`;
  if (sync.backfill === "pending") return "Waiting for the first sync";
  if (sync.backfill === "backfilling") return `Backfilling: ${sync.daysDone} of ${sync.daysToDo} days`;
  return `Synced up to ${sync.syncedUntil ? formatDateTime(sync.syncedUntil, timeZone) : "now"}`;
}

// Canary analyses (docs/canary-judge.md): the judge's numbers for people.

/** A summary score (0-100, Kayenta's scale) with at most one decimal: 87.5, 100; no score is "—". */
export function formatScore(score: number | null): string {
  if (score === null || !Number.isFinite(score)) return "—";
  const fixed = score.toFixed(1);
  return fixed.endsWith(".0") ? fixed.slice(0, -2) : fixed;
}

/** A p-value at two significant digits; below 0.0001 as "< 0.0001" (the judge's own wording). */
export function formatPValue(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return "—";
  return p < 0.0001 ? "< 0.0001" : String(Number(p.toPrecision(2)));
}

/** A difference of two error ratios in percentage points, signed: 0.0123 -> "+1.23 pp". */
export function formatPointShift(d: number | null): string {
  if (d === null || !Number.isFinite(d)) return "—";
  const p = formatPercent(Math.abs(d), 3).replace("%", "");
  return `${p === "0" ? "±" : d > 0 ? "+" : "−"}${p} pp`;
}
