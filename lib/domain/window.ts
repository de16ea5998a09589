// Compliance windows (docs/domain.md "Terms"): rolling (the last N days) or calendar (this ISO
// week, month or quarter in an IANA time zone). "A month" is a calendar month, not 30 days.
// Buckets are identified by their start minute; a window covers the buckets whose start lies
// in [start, end), and `end` is the instant evaluated (`at`), never later.
import { TZDate } from "@date-fns/tz";
import { addMonths, addQuarters, addWeeks, startOfMonth, startOfQuarter, startOfWeek } from "date-fns";

export const MINUTE_MS = 60_000;

export type SloWindow =
  | { kind: "rolling"; days: number }
  | { kind: "calendar"; unit: "week" | "month" | "quarter"; timeZone: string };

export type WindowSpan = {
  /** First instant of the window (inclusive). */
  start: Date;
  /** The instant evaluated (exclusive bound on bucket starts). */
  end: Date;
  /** Length of the whole compliance period in minutes (for a calendar window, the full period, not the elapsed part). */
  periodMinutes: number;
  /** When the period ends: at + 0 for rolling windows, the start of the next period for calendar windows. */
  periodEnd: Date;
};

/** The compliance window that `at` falls in. */
export function complianceWindow(w: SloWindow, at: Date): WindowSpan {
  if (w.kind === "rolling") {
    const periodMinutes = w.days * 24 * 60;
    return { start: new Date(at.getTime() - periodMinutes * MINUTE_MS), end: at, periodMinutes, periodEnd: at };
  }
  const local = new TZDate(at.getTime(), w.timeZone);
  const [start, next] =
    w.unit === "week"
      ? [startOfWeek(local, { weekStartsOn: 1 }), (d: TZDate) => addWeeks(d, 1)]
      : w.unit === "month"
        ? [startOfMonth(local), (d: TZDate) => addMonths(d, 1)]
        : [startOfQuarter(local), (d: TZDate) => addQuarters(d, 1)];
  const periodEnd = next(start);
  return {
    start: new Date(start.getTime()),
    end: at,
    periodMinutes: Math.round((periodEnd.getTime() - start.getTime()) / MINUTE_MS),
    periodEnd: new Date(periodEnd.getTime()),
  };
}

/** Nominal length used to scale alert factors: rolling N days, or the current calendar period. */
export function windowMinutes(w: SloWindow, at: Date): number {
  return complianceWindow(w, at).periodMinutes;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Floors an instant to its minute: the bucket it belongs to. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
}

export const HOUR_MS = 60 * MINUTE_MS;
export type Range = { from: number; to: number }; // [from, to) in ms since the epoch

/**
 * Splits [from, to) for reading pre-aggregated hours: whole UTC hours in `hours`, the minutes
 * before the first and after the last whole hour in `minutes`. Reading the minute buckets of
 * `minutes` plus the hourly sums of `hours` counts every minute of the range exactly once.
 */
export function splitByHours(from: number, to: number): { minutes: Range[]; hours: Range | null } {
  if (to <= from) return { minutes: [], hours: null };
  const h1 = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const h2 = Math.floor(to / HOUR_MS) * HOUR_MS;
  if (h1 >= h2) return { minutes: [{ from, to }], hours: null };
  const minutes = [
    ...(from < h1 ? [{ from, to: h1 }] : []),
    ...(h2 < to ? [{ from: h2, to }] : []),
  ];
  return { minutes, hours: { from: h1, to: h2 } };
}

export const DAY_MS = 24 * HOUR_MS;

/**
 * Splits [from, to) one level further than splitByHours: whole UTC days in `days`, the whole
 * hours before the first and after the last whole day in `hours`, the minute edges in `minutes`.
 */
export function splitByDays(from: number, to: number): { minutes: Range[]; hours: Range[]; days: Range | null } {
  const { minutes, hours } = splitByHours(from, to);
  if (!hours) return { minutes, hours: [], days: null };
  const d1 = Math.ceil(hours.from / DAY_MS) * DAY_MS;
  const d2 = Math.floor(hours.to / DAY_MS) * DAY_MS;
  if (d1 >= d2) return { minutes, hours: [hours], days: null };
  const edges = [...(hours.from < d1 ? [{ from: hours.from, to: d1 }] : []), ...(d2 < hours.to ? [{ from: d2, to: hours.to }] : [])];
  return { minutes, hours: edges, days: { from: d1, to: d2 } };
}
export const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday; Mondays fall 4 days after each multiple of a week. */
const MONDAY_OFFSET_MS = 4 * 24 * HOUR_MS;

/** Start (Monday 00:00 UTC) of the ISO week holding `t`: the bounds of the minute-data partitions. */
export function isoWeekStart(t: number): number {
  return Math.floor((t - MONDAY_OFFSET_MS) / WEEK_MS) * WEEK_MS + MONDAY_OFFSET_MS;
}
