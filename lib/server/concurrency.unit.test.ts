import { describe, expect, it } from "vitest";
import { bulkhead, mapLimit } from "./concurrency";

describe("mapLimit", () => {
  it("keeps order and never exceeds the limit", async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(2);
  });
  it("handles an empty list", async () => expect(await mapLimit([], 4, async (x) => x)).toEqual([]));
});

describe("bulkhead", () => {
  const full = () => new Error("full");
  const gate = () => {
    let open!: () => void;
    const p = new Promise<void>((r) => (open = r));
    return { p, open };
  };

  it("runs at most `limit` at once, queues `queue` more in order, and refuses beyond", async () => {
    const b = bulkhead({ limit: 1, queue: 2, waitMs: 5_000, full });
    const g = gate();
    const order: number[] = [];
    const first = b.run(async () => (await g.p, order.push(1)));
    const second = b.run(async () => order.push(2));
    const third = b.run(async () => order.push(3));
    expect([b.running, b.waiting]).toEqual([1, 2]);
    await expect(b.run(async () => order.push(4))).rejects.toThrow("full");
    g.open();
    await Promise.all([first, second, third]);
    expect(order).toEqual([1, 2, 3]);
    expect([b.running, b.waiting]).toEqual([0, 0]);
  });

  it("a waiter gives up after waitMs, and a failing task frees its place", async () => {
    const b = bulkhead({ limit: 1, queue: 5, waitMs: 30, full });
    const g = gate();
    const holder = b.run(() => g.p);
    await expect(b.run(async () => "late")).rejects.toThrow("full");
    expect(b.waiting).toBe(0);
    g.open();
    await holder;
    await expect(b.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await b.run(async () => "next")).toBe("next");
  });
});
