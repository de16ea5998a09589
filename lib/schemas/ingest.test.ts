import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_EVENTS_PER_MINUTE } from "../domain/budget";
import { ingestItemSchema, parseIngestItem } from "./ingest";

/** A parse result as comparable data: the item (minute as epoch ms) or the first problem. */
function outcome(r: ReturnType<typeof parseIngestItem>) {
  if (r.success) return { ok: { ...r.data, minute: r.data.minute.getTime() } };
  const issue = r.error.issues[0]!;
  return { problem: { field: issue.path.join("."), message: issue.message } };
}

// Minutes near the edges of the fast path: good ones, days a month lacks, hour 24, seconds,
// fractions, offsets, lowercase z, and junk.
const alignedMinute = fc
  .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true })
  .map((d) => new Date(Math.floor(d.getTime() / 60_000) * 60_000).toISOString());
const minute = fc.oneof(
  alignedMinute,
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }))
    .chain(([y, mo, d, h, mi, s]) => {
      const p = (n: number, w = 2) => String(n).padStart(w, "0");
      const base = `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}`;
      return fc.constantFrom(`${base}Z`, `${base}.000Z`, `${base}.0Z`, `${base}.5Z`, `${base}+00:00`, `${base}-05:30`, `${base}z`, base);
    }),
  fc.constantFrom("2026-02-29T00:00:00Z", "2028-02-29T00:00:00Z", "2026-04-31T10:00:00Z", "2026-01-01T24:00:00Z", "", "now", "2026-11-22"),
  fc.string(),
  fc.integer(),
);
const count = fc.oneof(
  fc.nat({ max: 2000 }),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(-0, 0.5, 1e21, MAX_EVENTS_PER_MINUTE, MAX_EVENTS_PER_MINUTE + 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity, "10", null, true),
);
const sli = fc.oneof(
  fc.constantFrom("checkout/availability", " checkout/availability", "checkout/availability\u00a0", "", " ", "x".repeat(200), "x".repeat(201)),
  fc.uuid(),
  fc.string({ maxLength: 8 }),
  fc.integer(),
);
// A plain, valid item: what agents send, and what the fast path must take.
const valid = fc
  .tuple(fc.constantFrom("checkout/availability", "00000000-0000-7000-8000-000000000000"), alignedMinute, fc.nat({ max: 1e9 }), fc.nat({ max: 1e9 }), fc.boolean())
  .map(([s, m, a, b, asBad]) => ({ sli: s, minute: m, [asBad ? "bad" : "good"]: Math.min(a, b), total: Math.max(a, b) }));
// Any mix of fields, each possibly wrong.
const mixed = fc.record({ sli, minute, good: count, bad: count, total: count, extra: fc.anything() }, { requiredKeys: [] });
// A valid item with one field changed, added or removed: the near misses.
const nearMiss = fc
  .tuple(valid, fc.constantFrom("sli", "minute", "good", "bad", "total", "extra"), fc.oneof(sli, minute, count, fc.anything()), fc.boolean())
  .map(([v, key, value, remove]): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...v };
    if (remove) delete copy[key];
    else copy[key] = value;
    return copy;
  });
// Grouped SLO items (docs/grouped-slos.md): a fifth key, labels, right or wrong.
const labels = fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { minKeys: 1, maxKeys: 9 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.anything(), { maxKeys: 2 }), fc.anything());
const labelled = fc.tuple(valid, labels).map(([v, l]) => ({ ...v, labels: l }));
const anyInput = fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: labelled }, { weight: 4, arbitrary: nearMiss }, { weight: 2, arbitrary: mixed }, { weight: 1, arbitrary: fc.anything() });

describe("push items: the fast path gives the schema's answer (docs/domain.md's ingestion rules)", () => {
  it("accepts exactly what the schema accepts, with the same item, on 20,000 generated inputs", () => {
    let accepted = 0;
    fc.assert(
      fc.property(anyInput, (raw) => {
        const fast = outcome(parseIngestItem(raw));
        expect(fast).toEqual(outcome(ingestItemSchema.safeParse(raw)));
        if ("ok" in fast) accepted++;
      }),
      { numRuns: 20_000 },
    );
    // The generator must reach both answers often enough for the comparison to mean something.
    expect(accepted).toBeGreaterThan(5_000);
  });

  it("takes bad counts as good = total - bad and rejects counts above total", () => {
    expect(parseIngestItem({ sli: "a/b", minute: "2026-11-22T10:15:00Z", bad: 3, total: 10 })).toEqual({
      success: true,
      data: { sli: "a/b", minute: new Date("2026-11-22T10:15:00Z"), total: 10, good: 7 },
    });
    expect(outcome(parseIngestItem({ sli: "a/b", minute: "2026-11-22T10:15:00Z", good: 11, total: 10 }))).toEqual({ problem: { field: "good", message: "good must not exceed total" } });
    expect(outcome(parseIngestItem({ sli: "a/b", minute: "2026-02-30T10:15:00Z", good: 1, total: 10 }))).toMatchObject({ problem: { field: "minute" } });
    expect(outcome(parseIngestItem({ sli: "a/b", minute: "2026-11-22T10:15:30Z", good: 1, total: 10 }))).toEqual({ problem: { field: "minute", message: "minute must be aligned to a whole minute (seconds = 0)" } });
  });
});

describe("counts are bounded so that every window sum stays exact (docs/domain.md, Bounds)", () => {
  it("accepts 10^10 events in a minute and refuses one more, naming the field", () => {
    const item = (total: number, good: number) => ({ sli: "checkout/availability", minute: "2026-11-22T10:15:00Z", good, total });
    expect(parseIngestItem(item(MAX_EVENTS_PER_MINUTE, MAX_EVENTS_PER_MINUTE)).success).toBe(true);
    expect(outcome(parseIngestItem(item(MAX_EVENTS_PER_MINUTE + 1, 0)))).toEqual({ problem: { field: "total", message: "total must be at most 10,000,000,000 events per minute (sums over a window must stay exact)" } });
    expect(outcome(parseIngestItem({ sli: "a/b", minute: "2026-11-22T10:15:00Z", bad: 2 ** 53, total: 2 ** 53 }))).toMatchObject({ problem: { field: "bad" } });
  });
});
