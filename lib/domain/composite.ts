// Composite SLOs (docs/composite-slos.md): an SLO made of other SLOs with weights (OpenSLO v1
// `compositeWeight`, default 1; Nobl9 composite SLOs 2.0, weights normalised). The composite's
// minute buckets are materialised from its members' minutes by the rule here, once, so the
// status engine, burn rates, alerts and charts read a composite like any SLO (architecture rule 1).
// Pure: the service layer (lib/server/services/composites.ts) gathers the minutes and the instant.
import { MINUTE_MS } from "./window";

export const whenDelayedModes = ["ignore", "count_as_good", "count_as_bad"] as const;
/** What a member with no data for a minute past the delay bound counts as (Nobl9: Ignore, CountAsGood, CountAsBad). */
export type WhenDelayed = (typeof whenDelayedModes)[number];
export const DEFAULT_MAX_DELAY_MINUTES = 10;
export const MAX_MAX_DELAY_MINUTES = 1440;

/**
 * One member's minute. `state`: "data" = the member's data covers the minute and it has events;
 * "no_events" = its data covers the minute but nothing happened (no burn to weigh: the member
 * sits out like a quiet minute); "missing" = its data does not reach the minute yet (late).
 */
export type MemberMinute = {
  id: string;
  weight: number;
  objective: number;
  state: "data" | "no_events" | "missing";
  good: number;
  total: number;
};

export type CompositeMinute = {
  good: number;
  total: number;
  /** The weight-normalised burn rate of the minute (0 when nothing counted). */
  burn: number;
  /** Members that were missing this minute (counted per whenDelayed). */
  missing: string[];
};

/**
 * The composite's minute from its members' minutes.
 *
 *   b_m = e_m / (1 − o_m), e_m = bad_m / total_m            (burn rate, docs/domain.md "burn rate")
 *   b   = Σ w_m·b_m / Σ w_m over members that count         (weights normalised, as Nobl9 does)
 *   e_c = min(1, b·(1 − o_c))                                (the error ratio that burns the composite's budget at b)
 *   total = Σ total_m of members with events, bad = round(total·e_c) (half up), good = total − bad
 *
 * A member counts when it has events, or when it is missing and whenDelayed is count_as_good
 * (b_m = 0) or count_as_bad (e_m = 1, so b_m = 1/(1 − o_m)). A missing member adds no events (we
 * do not invent traffic), so a minute where no member has events has total 0 and is empty.
 * Returns null when the minute has no events at all (no bucket is written).
 */
export function compositeMinute(members: readonly MemberMinute[], compositeObjective: number, whenDelayed: WhenDelayed): CompositeMinute | null {
  let weighted = 0;
  let weights = 0;
  let total = 0;
  const missing: string[] = [];
  for (const m of members) {
    if (m.state === "missing") {
      missing.push(m.id);
      if (whenDelayed === "ignore") continue;
      const e = whenDelayed === "count_as_bad" ? 1 : 0;
      weighted += m.weight * (e / (1 - m.objective));
      weights += m.weight;
      continue;
    }
    if (m.state === "no_events" || m.total <= 0) continue;
    const e = Math.min(1, Math.max(0, (m.total - m.good) / m.total));
    weighted += m.weight * (e / (1 - m.objective));
    weights += m.weight;
    total += m.total;
  }
  if (total <= 0) return null;
  const burn = weights > 0 ? weighted / weights : 0;
  const errorRatio = Math.min(1, burn * (1 - compositeObjective));
  // Half up, with a small tolerance so 0.5 that floats store as 0.49999999 still rounds up.
  const bad = Math.min(total, Math.floor(total * errorRatio + 0.5 + 1e-9));
  return { good: total - bad, total, burn, missing };
}

/**
 * Up to which minute (exclusive) the composite can be materialised at `now`: every minute that
 * all members' data covers, and beyond that every minute older than the delay bound (those are
 * computed with the late members per whenDelayed). `memberThrough` is each member's data-covers-
 * until instant (exclusive; null = no data yet). Never past the current, unfinished minute.
 */
export function materialisableUntil(memberThrough: readonly (Date | null)[], now: Date, maxDelayMinutes: number): Date {
  const currentMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const bound = currentMinute - maxDelayMinutes * MINUTE_MS;
  const all = memberThrough.length === 0 ? currentMinute : Math.min(...memberThrough.map((d) => (d ? Math.floor(d.getTime() / MINUTE_MS) * MINUTE_MS : -Infinity)));
  return new Date(Math.min(currentMinute, Math.max(bound, all)));
}

/**
 * Would making `compositeId` contain `memberIds` close a cycle? `edges` maps each composite SLO id
 * to its members' ids as stored. Returns the cycle as a list of ids (composite first) or null.
 */
export function findCycle(edges: ReadonlyMap<string, readonly string[]>, compositeId: string, memberIds: readonly string[]): string[] | null {
  const seen = new Set<string>();
  const walk = (id: string, path: string[]): string[] | null => {
    if (id === compositeId) return [...path, id];
    if (seen.has(id)) return null;
    seen.add(id);
    for (const next of edges.get(id) ?? []) {
      const found = walk(next, [...path, id]);
      if (found) return found;
    }
    return null;
  };
  for (const m of memberIds) {
    const found = walk(m, [compositeId]);
    if (found) return found;
  }
  return null;
}

export const WHEN_DELAYED_WORDS: Record<WhenDelayed, string> = {
  ignore: "left out (counted as missing)",
  count_as_good: "counted as good",
  count_as_bad: "counted as bad",
};

/** The late rule in one sentence, for the SLO page and the API. */
export function describeLateRule(maxDelayMinutes: number, whenDelayed: WhenDelayed): string {
  return `A member's minute is waited for up to ${maxDelayMinutes} minute${maxDelayMinutes === 1 ? "" : "s"}; after that a member still without data is ${WHEN_DELAYED_WORDS[whenDelayed]} for that minute, and the minute is recomputed if its data arrives later.`;
}

/** "member X late/missing for N minutes in the window, counted as …" */
export function describeMissing(memberName: string, minutes: number, whenDelayed: WhenDelayed): string {
  return `Member ${memberName} was late or missing for ${minutes} minute${minutes === 1 ? "" : "s"} in the window, ${WHEN_DELAYED_WORDS[whenDelayed]}.`;
}
