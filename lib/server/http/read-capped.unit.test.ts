// A refused request body is read on (and dropped) within bounds before the 413, so a client
// still sending reads the answer rather than a reset; an upstream's answer is never read on.
import { describe, expect, it } from "vitest";
import { dropBody, readCapped } from "./read-capped";

/** A stream of `n` chunks of `size` bytes that counts how many were pulled. */
function counted(n: number, size: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled === n) return c.close();
      pulled++;
      c.enqueue(new Uint8Array(size).fill(120));
    },
  });
  return { stream, pulled: () => pulled };
}
const MB = 1024 * 1024;

describe("readCapped", () => {
  it("reads a body within its cap", async () => {
    const s = counted(3, 10);
    expect(await readCapped(s.stream, 30, () => new Error("too large"))).toBe("x".repeat(30));
  });

  it("without linger stops at the cap (an upstream's 10 GB answer is not read on)", async () => {
    const s = counted(1000, MB);
    await expect(readCapped(s.stream, 2 * MB, () => new Error("too large"))).rejects.toThrow("too large");
    expect(s.pulled()).toBeLessThanOrEqual(4);
  });

  it("with linger reads the rest of a refused body, up to its byte bound", async () => {
    const small = counted(5, MB);
    await expect(readCapped(small.stream, MB, () => new Error("too large"), { bytes: 16 * MB, ms: 2_000 })).rejects.toThrow("too large");
    expect(small.pulled()).toBe(5); // all of it: the client finished sending
    const huge = counted(1000, MB);
    await expect(readCapped(huge.stream, MB, () => new Error("too large"), { bytes: 4 * MB, ms: 2_000 })).rejects.toThrow("too large");
    expect(huge.pulled()).toBeGreaterThanOrEqual(5);
    expect(huge.pulled()).toBeLessThanOrEqual(8);
  });

  it("dropBody gives up on a sender that stalls, after its time bound", async () => {
    let pulled = 0;
    const stalled = new ReadableStream<Uint8Array>({ pull: (c) => (pulled++ === 0 ? c.enqueue(new Uint8Array(10)) : new Promise(() => undefined)) });
    const t = performance.now();
    await dropBody(stalled, { bytes: MB, ms: 200 });
    expect(performance.now() - t).toBeGreaterThanOrEqual(150);
    expect(performance.now() - t).toBeLessThan(2_000);
  });
});
