// Recurring exclusions (docs/exclusions.md): a maintenance window given as an RFC 5545 RRULE, a
// DTSTART as local date-time in an IANA zone, and a duration. Its occurrences become ordinary
// exclusions (lib/domain/exclusion.ts), so the SQL that counts stays as it is.
//
// The rule is evaluated on the wall clock of its zone: rrule.js expands it in "floating" time
// (local date-time written as UTC fields, no TZID), and each local start is then placed on the
// time line by RFC 5545 section 3.3.5, so "02:00 Europe/Berlin every Sunday" stays 02:00 local
// across DST. A duration is elapsed time: 120 minutes are 120 minutes, also across a change.
import * as rrule from "rrule";
import type { Options, Weekday } from "rrule";
import { tzOffset } from "@date-fns/tz";
import { isValidTimeZone } from "./window";

// rrule ships ES modules for bundlers and a UMD bundle as "main"; Node's own loader (tsx scripts)
// sees that bundle's exports only under `default`.
const { RRule } = (Reflect.get(rrule, "default") ?? rrule) as typeof rrule;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export const SCHEDULE_LIMITS = {
  /** Occurrences start within this many days ahead of now; later ones are made by a later run. */
  horizonDays: 90,
  /** At most this many occurrences in one materialisation (from DTSTART or the edit up to the horizon). */
  maxOccurrences: 500,
  maxRuleLength: 500,
  maxCount: 10_000,
  maxInterval: 1_000,
  maxDurationMinutes: 7 * 24 * 60,
  /**
   * Periods rrule.js may step through in one expansion. A rule whose days never match
   * (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) makes it step day by day to the year 9999 (13 s in a
   * measurement); this bound turns that into an error after about half a second. An hourly rule
   * reaches it about five years after its DTSTART.
   */
  maxPeriods: 50_000,
} as const;

const FREQS = { YEARLY: RRule.YEARLY, MONTHLY: RRule.MONTHLY, WEEKLY: RRule.WEEKLY, DAILY: RRule.DAILY, HOURLY: RRule.HOURLY } as const;
const DAYS = { MO: RRule.MO, TU: RRule.TU, WE: RRule.WE, TH: RRule.TH, FR: RRule.FR, SA: RRule.SA, SU: RRule.SU } as const;
type Freq = keyof typeof FREQS;
/** The parts of RFC 5545 section 3.3.10, in its order. */
const PARTS = ["FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"] as const;
type Part = (typeof PARTS)[number];

/** A local date and time on a wall clock: "2026-03-29T02:00" (minutes; no zone). */
export type LocalDateTime = string;

/** UNTIL as written: an instant (…Z), a local date-time, or a local date (every start on that day counts). */
export type Until = { kind: "utc"; at: Date } | { kind: "local"; wall: number } | { kind: "date"; wall: number };

/** A parsed rule: rrule.js options without DTSTART and UNTIL (those depend on the zone), and the normalised text. */
export type ParsedRule = { text: string; freq: Freq; options: Partial<Options>; until: Until | null };

export type RuleProblem = { part: Part | null; problem: string };

/**
 * Parses the text of an RRULE (with or without "RRULE:"), part by part, naming the part at fault.
 * Only one line of KEY=VALUE parts: a line break could smuggle other iCalendar properties in
 * (DTSTART, EXDATE, a second RRULE), so none is taken. FREQ=MINUTELY and SECONDLY are refused
 * (maintenance windows repeat hourly at most), as is BYSECOND (occurrences start on whole minutes).
 */
export function parseRule(input: string): { ok: true; rule: ParsedRule } | { ok: false; error: RuleProblem } {
  const fail = (part: Part | null, problem: string) => ({ ok: false as const, error: { part, problem } });
  if (input.length > SCHEDULE_LIMITS.maxRuleLength) return fail(null, `is ${input.length} characters long; use at most ${SCHEDULE_LIMITS.maxRuleLength}`);
  if (/[\r\n]/.test(input)) return fail(null, "must be one line: give only the RRULE's parts, e.g. FREQ=WEEKLY;BYDAY=SU (DTSTART and the zone have their own fields)");
  if (/[^\x21-\x7e]/.test(input.trim())) return fail(null, "may hold only KEY=VALUE parts separated by ';', without spaces or other characters");
  const body = input.trim().replace(/^RRULE:/i, "").replace(/;$/, "");
  if (!body) return fail(null, "Give a rule, e.g. FREQ=WEEKLY;BYDAY=SU");
  const seen = new Map<Part, string>();
  for (const raw of body.split(";")) {
    const eq = raw.indexOf("=");
    const key = (eq < 0 ? raw : raw.slice(0, eq)).toUpperCase();
    const value = eq < 0 ? "" : raw.slice(eq + 1).toUpperCase();
    if (key === "DTSTART" || key === "TZID") return fail(null, `${key} is not part of the rule: give the start and the time zone in their own fields`);
    if (!(PARTS as readonly string[]).includes(key)) return fail(null, `"${key || raw}" is not an RRULE part (RFC 5545: ${PARTS.join(", ")})`);
    const part = key as Part;
    if (seen.has(part)) return fail(part, "is given twice");
    if (!value) return fail(part, "has no value (write it as KEY=VALUE)");
    seen.set(part, value);
  }
  const freqText = seen.get("FREQ");
  if (!freqText) return fail("FREQ", "is required, e.g. FREQ=WEEKLY");
  if (freqText === "MINUTELY" || freqText === "SECONDLY") return fail("FREQ", `=${freqText} is refused: a maintenance window repeats hourly at most`);
  if (!(freqText in FREQS)) return fail("FREQ", `must be one of ${Object.keys(FREQS).join(", ")}`);
  const freq = freqText as Freq;
  const options: Partial<Options> = { freq: FREQS[freq] };
  let until: Until | null = null;

  for (const [part, value] of seen) {
    switch (part) {
      case "FREQ":
        break;
      case "UNTIL": {
        if (seen.has("COUNT")) return fail("UNTIL", "and COUNT may not both be given (RFC 5545)");
        const u = parseUntil(value);
        if (!u) return fail("UNTIL", "must be a date (20261231), a local date-time (20261231T235900) or a UTC one (20261231T235900Z)");
        until = u;
        break;
      }
      case "COUNT": {
        const n = integer(value, 1, SCHEDULE_LIMITS.maxCount);
        if (n === null) return fail("COUNT", `must be a whole number from 1 to ${SCHEDULE_LIMITS.maxCount.toLocaleString("en-US")}`);
        options.count = n;
        break;
      }
      case "INTERVAL": {
        const n = integer(value, 1, SCHEDULE_LIMITS.maxInterval);
        if (n === null) return fail("INTERVAL", `must be a whole number from 1 to ${SCHEDULE_LIMITS.maxInterval}`);
        options.interval = n;
        break;
      }
      case "BYSECOND":
        return fail("BYSECOND", "is refused: occurrences start on whole minutes");
      case "BYMINUTE":
      case "BYHOUR":
      case "BYMONTH": {
        const [lo, hi] = { BYMINUTE: [0, 59], BYHOUR: [0, 23], BYMONTH: [1, 12] }[part];
        const list = integers(value, lo!, hi!, false);
        if (!list) return fail(part, `must be a list of whole numbers from ${lo} to ${hi}, separated by commas`);
        options[part === "BYMINUTE" ? "byminute" : part === "BYHOUR" ? "byhour" : "bymonth"] = list;
        break;
      }
      case "BYMONTHDAY":
      case "BYYEARDAY":
      case "BYWEEKNO":
      case "BYSETPOS": {
        const hi = { BYMONTHDAY: 31, BYYEARDAY: 366, BYWEEKNO: 53, BYSETPOS: 366 }[part];
        const list = integers(value, 1, hi, true);
        if (!list) return fail(part, `must be a list of whole numbers from 1 to ${hi} or -${hi} to -1, separated by commas`);
        if (part === "BYMONTHDAY" && freq === "WEEKLY") return fail(part, "may not be used with FREQ=WEEKLY (RFC 5545)");
        if (part === "BYYEARDAY" && ["DAILY", "WEEKLY", "MONTHLY"].includes(freq)) return fail(part, `may not be used with FREQ=${freq} (RFC 5545)`);
        if (part === "BYWEEKNO" && freq !== "YEARLY") return fail(part, "may be used with FREQ=YEARLY only (RFC 5545)");
        options[{ BYMONTHDAY: "bymonthday", BYYEARDAY: "byyearday", BYWEEKNO: "byweekno", BYSETPOS: "bysetpos" }[part] as "bymonthday"] = list;
        break;
      }
      case "BYDAY": {
        const days: Weekday[] = [];
        for (const item of value.split(",")) {
          const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
          if (!m) return fail("BYDAY", `"${item}" is not a day: use MO, TU, WE, TH, FR, SA or SU, with an optional position such as 1SU or -1FR`);
          const day = DAYS[m[2] as keyof typeof DAYS];
          if (m[1] === undefined) {
            days.push(day);
            continue;
          }
          const n = Number(m[1]);
          if (n === 0 || Math.abs(n) > 53) return fail("BYDAY", `"${item}": the position must be 1 to 53 or -53 to -1`);
          if (freq !== "MONTHLY" && freq !== "YEARLY") return fail("BYDAY", `"${item}": a position (the first Sunday, 1SU) needs FREQ=MONTHLY or YEARLY (RFC 5545)`);
          if (freq === "MONTHLY" && Math.abs(n) > 5) return fail("BYDAY", `"${item}": a month has at most 5 of each day`);
          days.push(day.nth(n));
        }
        options.byweekday = days;
        break;
      }
      case "WKST": {
        if (!(value in DAYS)) return fail("WKST", "must be MO, TU, WE, TH, FR, SA or SU");
        options.wkst = DAYS[value as keyof typeof DAYS];
        break;
      }
    }
  }
  if (seen.has("BYSETPOS") && ![...seen.keys()].some((k) => k.startsWith("BY") && k !== "BYSETPOS")) return fail("BYSETPOS", "needs another BY part to pick from (RFC 5545)");
  const text = [...seen].map(([k, v]) => `${k}=${v}`).join(";");
  return { ok: true, rule: { text, freq, options, until } };
}

function integer(value: string, lo: number, hi: number): number | null {
  if (!/^\d{1,6}$/.test(value)) return null;
  const n = Number(value);
  return n >= lo && n <= hi ? n : null;
}

function integers(value: string, lo: number, hi: number, negative: boolean): number[] | null {
  const out: number[] = [];
  for (const item of value.split(",")) {
    if (!/^[+-]?\d{1,3}$/.test(item)) return null;
    const n = Number(item);
    const ok = (n >= lo && n <= hi) || (negative && n <= -lo && n >= -hi);
    if (!ok) return null;
    out.push(n);
  }
  return out;
}

function parseUntil(value: string): Until | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(wall);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  if (m[4] === undefined) return { kind: "date", wall: wall + DAY_MS - 1000 };
  return m[7] ? { kind: "utc", at: back } : { kind: "local", wall };
}

/** "2026-03-29T02:00" as wall-clock milliseconds (local fields written as UTC), or null when it is no such date. */
export function parseLocalDateTime(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(wall);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h <= 23 && mi <= 59 && y >= 1970 ? wall : null;
}

/** Wall-clock milliseconds as "2026-03-29T02:00". */
export function formatLocalDateTime(wall: number): LocalDateTime {
  return new Date(wall).toISOString().slice(0, 16);
}

/**
 * A local date-time of `timeZone` as an instant, by RFC 5545 section 3.3.5: a time that occurs
 * twice (the autumn change) is its first occurrence, the one before the change; a time that does
 * not occur (in the spring gap) is read with the offset before the gap, so 02:30 on the morning
 * clocks go from 02:00 to 03:00 is 03:30 of the new offset.
 */
export function localToInstant(wall: number, timeZone: string): { at: Date; shift: "gap" | "repeated" | null } {
  // Zone changes are days apart, so the offsets a day either side are the only candidates.
  const before = tzOffset(timeZone, new Date(wall - DAY_MS));
  const after = tzOffset(timeZone, new Date(wall + DAY_MS));
  const fits = [...new Set([before, after])].map((o) => wall - o * MINUTE_MS).filter((t) => tzOffset(timeZone, new Date(t)) * MINUTE_MS === wall - t);
  if (fits.length === 0) return { at: new Date(wall - before * MINUTE_MS), shift: "gap" };
  return { at: new Date(Math.min(...fits)), shift: fits.length > 1 ? "repeated" : null };
}

/** An instant as wall-clock milliseconds of `timeZone`. */
export function instantToLocal(at: Date, timeZone: string): number {
  return at.getTime() + tzOffset(timeZone, at) * MINUTE_MS;
}

export type ScheduleDefinition = {
  rule: string;
  dtstart: LocalDateTime;
  timeZone: string;
  durationMinutes: number;
  /**
   * EXDATE (RFC 5545 section 3.8.5.1): local starts the rule gives that are skipped, in the form of
   * DTSTART ("2026-12-27T02:00"). An exception matches the rule's own local start, before a DST
   * gap moves it, as an EXDATE with the DTSTART's TZID would.
   */
  exdates?: readonly LocalDateTime[];
};

/** At most this many exceptions per schedule: a rule with more wants rewriting. */
export const MAX_EXDATES = 100;

export type Occurrence = {
  startsAt: Date;
  endsAt: Date;
  /** The local start as the rule gives it ("2026-03-29T02:00"), before a gap moves it. */
  local: LocalDateTime;
  /** "gap": that local time did not occur and the start moved on; "repeated": it occurred twice, the first is taken. */
  shift: "gap" | "repeated" | null;
};

export type Expansion =
  | { ok: true; occurrences: Occurrence[] }
  | { ok: false; field: "rrule" | "dtstart" | "timeZone" | "durationMinutes"; problem: string };

/**
 * The occurrences whose start lies in (after, before): after null means from DTSTART. Pure:
 * `before` is the caller's horizon (now + SCHEDULE_LIMITS.horizonDays). More than
 * maxOccurrences, or a rule that steps through maxPeriods without reaching `before`, is an error.
 */
export function expandSchedule(def: ScheduleDefinition, range: { after: Date | null; before: Date }): Expansion {
  if (!isValidTimeZone(def.timeZone)) return { ok: false, field: "timeZone", problem: `"${def.timeZone}" is not an IANA time zone, e.g. Europe/Berlin` };
  const start = parseLocalDateTime(def.dtstart);
  if (start === null) return { ok: false, field: "dtstart", problem: "must be a local date and time such as 2026-03-01T02:00" };
  if (!Number.isInteger(def.durationMinutes) || def.durationMinutes < 1 || def.durationMinutes > SCHEDULE_LIMITS.maxDurationMinutes) {
    return { ok: false, field: "durationMinutes", problem: `must be a whole number of minutes from 1 to ${SCHEDULE_LIMITS.maxDurationMinutes} (7 days)` };
  }
  const parsed = parseRule(def.rule);
  if (!parsed.ok) return { ok: false, field: "rrule", problem: ruleProblemText(parsed.error) };
  const { options, until, freq } = parsed.rule;
  const unreachable = hourlyPhaseProblem(freq, options, start);
  if (unreachable) return { ok: false, field: "rrule", problem: unreachable };
  const untilWall = until === null ? null : until.kind === "utc" ? instantToLocal(until.at, def.timeZone) : until.wall;
  const rule = new RRule({ ...options, dtstart: new Date(start), until: untilWall === null ? null : new Date(untilWall) }, true);
  const exhausted = limitPeriods(rule, SCHEDULE_LIMITS.maxPeriods);
  // A local start more than a day past `before` cannot land before it (offsets are under 15 h).
  const stopWall = range.before.getTime() + DAY_MS;
  const out: Occurrence[] = [];
  const except = new Set(def.exdates ?? []);
  let tooMany = false;
  rule.all((d) => {
    if (d.getTime() > stopWall) return false;
    if (except.has(formatLocalDateTime(d.getTime()))) return true;
    const { at, shift } = localToInstant(d.getTime(), def.timeZone);
    if ((range.after === null || at > range.after) && at < range.before) {
      if (out.length === SCHEDULE_LIMITS.maxOccurrences) {
        tooMany = true;
        return false;
      }
      out.push({ startsAt: at, endsAt: new Date(at.getTime() + def.durationMinutes * MINUTE_MS), local: formatLocalDateTime(d.getTime()), shift });
    }
    return true;
  });
  if (tooMany) {
    return { ok: false, field: "rrule", problem: `gives more than ${SCHEDULE_LIMITS.maxOccurrences} occurrences up to ${SCHEDULE_LIMITS.horizonDays} days ahead; repeat less often` };
  }
  if (exhausted()) return { ok: false, field: "rrule", problem: "finds too few days: its BY parts match (almost) no date, e.g. BYMONTH=2;BYMONTHDAY=30; check them" };
  out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return { ok: true, occurrences: out };
}

/**
 * The exceptions that skip nothing: no occurrence of the rule (without its exceptions) starts at
 * that local time between DTSTART and `before`. A typo ("03:00" for a 02:00 window) would
 * otherwise pass in silence; exceptions after `before` cannot be checked yet and are not listed.
 */
export function unmatchedExdates(def: ScheduleDefinition, before: Date): LocalDateTime[] {
  const exdates = def.exdates ?? [];
  if (exdates.length === 0) return [];
  const r = expandSchedule({ ...def, exdates: [] }, { after: null, before });
  if (!r.ok) return [];
  const starts = new Set(r.occurrences.map((o) => o.local));
  const horizon = instantToLocal(before, def.timeZone);
  return exdates.filter((x) => !starts.has(x) && (parseLocalDateTime(x) ?? Infinity) < horizon);
}

/**
 * rrule.js steps period by period until the year 9999 when no day matches, and reads
 * `options.interval` once per period before it steps: reading 0 there ends the expansion. Returns
 * whether the bound was hit. (Held by the "never matches" cases in exclusion-schedule.test.ts.)
 */
function limitPeriods(rule: InstanceType<typeof RRule>, periods: number): () => boolean {
  const interval = rule.options.interval;
  let reads = 0;
  // Two reads per period: the check, then the step.
  const limited = { ...rule.options };
  Object.defineProperty(limited, "interval", { enumerable: true, get: () => (++reads > periods * 2 ? 0 : interval) });
  rule.options = limited;
  return () => reads > periods * 2;
}

/**
 * FREQ=HOURLY with INTERVAL and BYHOUR: rrule.js steps hour by hour until one is in BYHOUR, with
 * no end when none ever is (INTERVAL=2 from an even hour never reaches BYHOUR=3). The hours it
 * reaches are those congruent to DTSTART's hour modulo gcd(INTERVAL, 24).
 */
function hourlyPhaseProblem(freq: Freq, options: Partial<Options>, startWall: number): string | null {
  if (freq !== "HOURLY" || !options.byhour || (options.interval ?? 1) === 1) return null;
  const g = gcd(options.interval ?? 1, 24);
  const h0 = new Date(startWall).getUTCHours();
  const hours = Array.isArray(options.byhour) ? options.byhour : [options.byhour];
  return hours.some((h) => (((h - h0) % g) + g) % g === 0) ? null : `BYHOUR: every ${options.interval} hours from ${String(h0).padStart(2, "0")}:00 never falls on these hours`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function ruleProblemText(e: RuleProblem): string {
  return e.part ? `${e.part}${e.problem.startsWith("=") ? "" : " "}${e.problem}` : e.problem;
}

/**
 * The schedule in English: rrule.js's words for the rule, then the local time, the length and
 * the zone: "Every week on Sunday, at 02:00 for 2h (Europe/Berlin)".
 */
export function describeSchedule(def: ScheduleDefinition): string {
  const parsed = parseRule(def.rule);
  const start = parseLocalDateTime(def.dtstart);
  if (!parsed.ok || start === null) return def.rule;
  const words = new RRule({ ...parsed.rule.options, dtstart: new Date(start) }).toText();
  const until = parsed.rule.until;
  const ending = !until ? "" : `, until ${until.kind === "utc" ? `${until.at.toISOString().slice(0, 16).replace("T", " ")} UTC` : until.kind === "date" ? formatLocalDateTime(until.wall).slice(0, 10) : formatLocalDateTime(until.wall).replace("T", " ")}`;
  const time = formatLocalDateTime(start).slice(11);
  const exdates = def.exdates ?? [];
  const except = exdates.length === 0 ? "" : exdates.length <= 2 ? `, except ${exdates.map((x) => x.replace("T", " ")).join(" and ")}` : `, except on ${exdates.length} dates`;
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${ending}, at ${time} for ${minutesText(def.durationMinutes)} (${def.timeZone})${except}`;
}

function minutesText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h && m ? `${h} h ${m} min` : h ? `${h} h` : `${m} min`;
}

/** A label selector "key=value" over SLI and SLO labels, or null when it is not one. */
export function parseLabelSelector(selector: string): { key: string; value: string } | null {
  const m = /^([A-Za-z0-9]([A-Za-z0-9_./-]{0,61}[A-Za-z0-9])?)=([A-Za-z0-9_.-]{0,63})$/.exec(selector.trim());
  return m ? { key: m[1]!, value: m[3]! } : null;
}

/** Whether a thing with these labels is selected (SQL: the JSON path filter in lib/server/services/exclusion-schedules.ts). */
export function labelsMatch(labels: unknown, selector: { key: string; value: string }): boolean {
  return typeof labels === "object" && labels !== null && !Array.isArray(labels) && (labels as Record<string, unknown>)[selector.key] === selector.value;
}
