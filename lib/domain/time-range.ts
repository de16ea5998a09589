// The chart time ranges a reader picks on an SLO's page: presets that end now, the SLO's window,
// or a custom interval. Pure: `now` comes in.
export const rangePresets = ["6h", "1d", "7d", "window"] as const;
export type RangePreset = (typeof rangePresets)[number];
export type TimeRange = { preset: RangePreset } | { preset: "custom"; from: Date; to: Date };

const PRESET_MINUTES: Record<Exclude<RangePreset, "window">, number> = { "6h": 360, "1d": 1440, "7d": 7 * 1440 };

/** The interval to query; undefined bounds mean "the SLO's window so far" (the API's default). */
export function rangeBounds(r: TimeRange, now: Date): { from?: Date; to?: Date } {
  if (r.preset === "custom") return { from: r.from, to: r.to };
  if (r.preset === "window") return {};
  return { from: new Date(now.getTime() - PRESET_MINUTES[r.preset] * 60_000), to: now };
}
