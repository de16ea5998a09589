// An SLO page's chart range as it appears in the URL: ?range=6h|1d|7d|window, or ?from=&to=
// (custom). Anything malformed falls back to the default, so an old link still opens.
import { z } from "zod";
import { searchParam, type SearchParams } from "./common";
import { rangePresets, type TimeRange } from "../domain/time-range";
import { bothDates } from "./catalog";

export const DEFAULT_RANGE: TimeRange = { preset: "1d" };

const custom = z
  .object({ from: z.iso.datetime({ offset: true }).transform((v) => new Date(v)), to: z.iso.datetime({ offset: true }).transform((v) => new Date(v)) })
  .refine((v) => {
    const d = bothDates(v.from, v.to);
    return d !== null && d[1] > d[0] && d[1].getTime() - d[0].getTime() <= 400 * 86_400_000;
  });

export function parseTimeRange(params: SearchParams): TimeRange {
  const get = (k: string) => searchParam(params, k);
  const c = custom.safeParse({ from: get("from"), to: get("to") });
  if (c.success) return { preset: "custom", ...c.data };
  const preset = z.enum(rangePresets).safeParse(get("range"));
  return preset.success ? { preset: preset.data } : DEFAULT_RANGE;
}

/** The URL parameters of a range (none for the default). */
export function timeRangeParams(r: TimeRange): Record<string, string> {
  if (r.preset === "custom") return { from: r.from.toISOString(), to: r.to.toISOString() };
  return r.preset === DEFAULT_RANGE.preset ? {} : { range: r.preset };
}
