// The periods an error-budget review covers (docs/reviews.md "Periods"): a calendar month,
// quarter or ISO week (Monday first) in the team's time zone, or any [from, to) of local days up
// to MAX_REVIEW_DAYS long. Each has a previous period to compare with: the calendar period before,
// or the same number of days just before a custom one. Pure: `now` comes in.
import { TZDate } from "@date-fns/tz";
import { addDays, addMonths, addQuarters, addWeeks, getISOWeek, getISOWeekYear, isWeekend, setISOWeek, startOfISOWeek, startOfMonth, startOfQuarter } from "date-fns";

/** The longest custom review: a little over a year, the same bound as chart ranges (docs/domain.md "Bounds"). */
export const MAX_REVIEW_DAYS = 400;

export type ReviewPeriodKind = "month" | "quarter" | "week" | "custom";
export type ReviewPeriod = {
  kind: ReviewPeriodKind;
  /** "2026-11", "2026-Q4", "2026-W47" or "2026-11-03_2026-11-20" (local days, the end excluded). */
  key: string;
  /** "November 2026", "Q4 2026", "Week 47 of 2026", "3 Nov 2026 – 19 Nov 2026". */
  label: string;
  from: Date;
  to: Date;
  timeZone: string;
};

/** A period that cannot be read, with the query field it came from. */
export class PeriodError extends Error {
  constructor(
    readonly field: "period" | "from" | "to",
    message: string,
  ) {
    super(message);
  }
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const instant = (d: TZDate) => new Date(d.getTime());
const pad = (n: number) => String(n).padStart(2, "0");
const localDay = (d: TZDate) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

function monthPeriod(start: TZDate): ReviewPeriod {
  return { kind: "month", key: `${start.getFullYear()}-${pad(start.getMonth() + 1)}`, label: `${MONTHS[start.getMonth()]} ${start.getFullYear()}`, from: instant(start), to: instant(addMonths(start, 1)), timeZone: start.timeZone! };
}
function quarterPeriod(start: TZDate): ReviewPeriod {
  const q = Math.floor(start.getMonth() / 3) + 1;
  return { kind: "quarter", key: `${start.getFullYear()}-Q${q}`, label: `Q${q} ${start.getFullYear()}`, from: instant(start), to: instant(addQuarters(start, 1)), timeZone: start.timeZone! };
}
function weekPeriod(start: TZDate): ReviewPeriod {
  const y = getISOWeekYear(start);
  const w = getISOWeek(start);
  return { kind: "week", key: `${y}-W${pad(w)}`, label: `Week ${w} of ${y}`, from: instant(start), to: instant(addWeeks(start, 1)), timeZone: start.timeZone! };
}
function customPeriod(start: TZDate, end: TZDate): ReviewPeriod {
  const last = addDays(end, -1);
  const short = (d: TZDate) => `${d.getDate()} ${MONTHS[d.getMonth()]!.slice(0, 3)} ${d.getFullYear()}`;
  return { kind: "custom", key: `${localDay(start)}_${localDay(end)}`, label: `${short(start)} – ${short(last)}`, from: instant(start), to: instant(end), timeZone: start.timeZone! };
}

/** Local midnight of a "YYYY-MM-DD" day in `timeZone`, or null when it is no calendar day. */
function parseDay(text: string, timeZone: string): TZDate | null {
  const m = DAY.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new TZDate(y, mo - 1, d, timeZone);
  return t.getFullYear() === y && t.getMonth() === mo - 1 && t.getDate() === d ? t : null;
}

/** The calendar month before the one `now` falls in: the default review. */
export function lastMonth(now: Date, timeZone: string): ReviewPeriod {
  return monthPeriod(addMonths(startOfMonth(new TZDate(now.getTime(), timeZone)), -1));
}

/** The calendar period of `kind` that contains `at`. */
export function periodContaining(kind: Exclude<ReviewPeriodKind, "custom">, at: Date, timeZone: string): ReviewPeriod {
  const local = new TZDate(at.getTime(), timeZone);
  return kind === "month" ? monthPeriod(startOfMonth(local)) : kind === "quarter" ? quarterPeriod(startOfQuarter(local)) : weekPeriod(startOfISOWeek(local));
}

/**
 * Reads a period key ("2026-11", "2026-Q4", "2026-W47", "2026-11-03_2026-11-20"), or a custom
 * from/to of local days (to excluded); neither gives last month. Errors name the field.
 */
export function resolvePeriod(q: { period?: string; from?: string; to?: string }, timeZone: string, now: Date): ReviewPeriod {
  if (q.period !== undefined && (q.from !== undefined || q.to !== undefined)) throw new PeriodError("period", "give either period or from and to, not both");
  if (q.from !== undefined || q.to !== undefined) return customOf(q.from, q.to, timeZone);
  if (q.period === undefined || q.period === "") return lastMonth(now, timeZone);
  const p = q.period.trim();
  let m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw new PeriodError("period", `"${p}" has no month ${m[2]}: give a month as YYYY-MM, e.g. 2026-11`);
    return monthPeriod(new TZDate(Number(m[1]), month - 1, 1, timeZone));
  }
  m = /^(\d{4})-Q([1-4])$/i.exec(p);
  if (m) return quarterPeriod(new TZDate(Number(m[1]), (Number(m[2]) - 1) * 3, 1, timeZone));
  m = /^(\d{4})-W(\d{2})$/i.exec(p);
  if (m) {
    const [y, w] = [Number(m[1]), Number(m[2])];
    // 4 January is always in ISO week 1; a year has 52 or 53 weeks.
    const start = startOfISOWeek(setISOWeek(new TZDate(y, 0, 4, timeZone), w));
    if (w < 1 || getISOWeekYear(start) !== y || getISOWeek(start) !== w) throw new PeriodError("period", `${y} has no ISO week ${w}`);
    return weekPeriod(new TZDate(start.getTime(), timeZone));
  }
  m = /^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$/.exec(p);
  if (m) return customOf(m[1], m[2], timeZone, "period");
  throw new PeriodError("period", `"${p}" is not a period: give a month (2026-11), a quarter (2026-Q4), an ISO week (2026-W47), or from and to as dates`);
}

function customOf(fromText: string | undefined, toText: string | undefined, timeZone: string, field?: "period"): ReviewPeriod {
  if (!fromText) throw new PeriodError(field ?? "from", "give the first day as YYYY-MM-DD");
  if (!toText) throw new PeriodError(field ?? "to", "give the day after the last as YYYY-MM-DD");
  const start = parseDay(fromText, timeZone);
  if (!start) throw new PeriodError(field ?? "from", `"${fromText}" is not a date as YYYY-MM-DD`);
  const end = parseDay(toText, timeZone);
  if (!end) throw new PeriodError(field ?? "to", `"${toText}" is not a date as YYYY-MM-DD`);
  if (end <= start) throw new PeriodError(field ?? "to", "must be after from (to is the day after the last day reviewed)");
  if (end.getTime() > addDays(start, MAX_REVIEW_DAYS).getTime()) throw new PeriodError(field ?? "to", `a review covers at most ${MAX_REVIEW_DAYS} days`);
  return customPeriod(start, end);
}

/** The period to compare with: the calendar period before, or as many days just before a custom one. */
export function previousPeriod(p: ReviewPeriod): ReviewPeriod {
  const start = new TZDate(p.from.getTime(), p.timeZone);
  if (p.kind === "month") return monthPeriod(addMonths(start, -1));
  if (p.kind === "quarter") return quarterPeriod(addQuarters(start, -1));
  if (p.kind === "week") return weekPeriod(addWeeks(start, -1));
  const end = new TZDate(p.to.getTime(), p.timeZone);
  const days = Math.round((end.getTime() - start.getTime()) / 86_400_000); // whole local days (DST shifts round away)
  return customPeriod(addDays(start, -days), start);
}

/** The first Monday-to-Friday day of the period, as a local "YYYY-MM-DD" (public holidays are not known). */
export function firstWorkingDay(p: ReviewPeriod): string {
  let d = new TZDate(p.from.getTime(), p.timeZone);
  while (isWeekend(d)) d = addDays(d, 1);
  return localDay(d);
}

/** The local day of `at` in `timeZone`, "YYYY-MM-DD". */
export function localDayOf(at: Date, timeZone: string): string {
  return localDay(new TZDate(at.getTime(), timeZone));
}

/** Local hour from which the review notice is posted on the period's first working day. */
export const REVIEW_NOTICE_HOUR = 9;
/** Days after the first working day in which a notice missed (the app was down) is still posted. */
export const REVIEW_NOTICE_GRACE_DAYS = 3;

/**
 * The period whose review to announce at `now` in `timeZone`, or null: last month, from 09:00 on
 * this month's first working day, and for a few days after in case the app was down then.
 */
export function reviewNoticeDue(now: Date, timeZone: string): ReviewPeriod | null {
  const month = periodContaining("month", now, timeZone);
  const first = firstWorkingDay(month);
  const local = new TZDate(now.getTime(), timeZone);
  const today = localDay(local);
  const last = localDay(addDays(parseDay(first, timeZone)!, REVIEW_NOTICE_GRACE_DAYS));
  const due = (today === first && local.getHours() >= REVIEW_NOTICE_HOUR) || (today > first && today <= last);
  return due ? previousPeriod(month) : null;
}
