"use client";
// One way to show a moment: <Time at={iso} /> renders <time dateTime> with the absolute time in
// the reader's zone, named, and how long ago or ahead it is; the full time is its title. It is a
// client component, so server and client components both use it: the server renders it with the
// zone read from the reader's cookie and its own clock (the layout hands both to
// ReaderTimeProvider), the browser then keeps "3 h ago" current and, on a first visit, stores
// its zone in the cookie and shows every time in it at once.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { DEFAULT_TIME_ZONE, formatDate, formatDateTime, formatFullDateTime, formatRelative, parseTimeZone, READER_TIME_ZONE_COOKIE } from "@/lib/domain/format";

type ReaderTime = { timeZone: string; now: Date | null };
const ReaderTimeContext = createContext<ReaderTime>({ timeZone: DEFAULT_TIME_ZONE, now: null });

/** How often relative times ("5 min ago") move on. */
const TICK_MS = 30_000;
/** A year: the zone cookie outlives sessions. */
const COOKIE_MAX_AGE_S = 365 * 86_400;

/** Holds the reader's zone and the current time for every <Time> below it. `now`: the server's clock when it rendered. */
export function ReaderTimeProvider({ timeZone, now, children }: { timeZone: string; now: string; children: ReactNode }) {
  const [zone, setZone] = useState(timeZone);
  const [current, setCurrent] = useState(() => new Date(now));
  useEffect(() => {
    const browserZone = parseTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
    if (browserZone !== timeZone) {
      document.cookie = `${READER_TIME_ZONE_COOKIE}=${encodeURIComponent(browserZone)}; path=/; max-age=${COOKIE_MAX_AGE_S}; samesite=lax`;
      setZone(browserZone);
    }
    setCurrent(new Date());
    const t = setInterval(() => setCurrent(new Date()), TICK_MS);
    return () => clearInterval(t);
  }, [timeZone]);
  return <ReaderTimeContext.Provider value={{ timeZone: zone, now: current }}>{children}</ReaderTimeContext.Provider>;
}

/** The reader's zone and the current time, for text that must be a string (a confirm dialog, a chart's label). */
export function useReaderTime(): { timeZone: string; now: Date } {
  const { timeZone, now } = useContext(ReaderTimeContext);
  return { timeZone, now: now ?? new Date() };
}

/**
 * A moment for people: "Dec 3, 14:05 CET (3 h ago)". `relative={false}` leaves out the relative
 * part (where the sentence already says it); `date` shows the day only.
 */
export function Time({ at, relative = true, date = false }: { at: string; relative?: boolean; date?: boolean }) {
  const { timeZone, now } = useContext(ReaderTimeContext);
  const absolute = date ? formatDate(at, timeZone, now ?? undefined) : formatDateTime(at, timeZone, now ?? undefined);
  const ago = relative && now ? formatRelative(at, now) : null;
  // The browser's ICU may name a zone differently from the server's: not worth a hydration error.
  return (
    <time dateTime={at} title={formatFullDateTime(at, timeZone)} suppressHydrationWarning>
      {ago ? `${absolute} (${ago})` : absolute}
    </time>
  );
}
