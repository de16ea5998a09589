// Deterministic generated data for the demo and for tests that need realistic traffic: the same
// seed gives the same minutes on every run.

/** mulberry32: a small deterministic PRNG returning numbers in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bad events among `total` at about `ratio`: binomial noise by its normal approximation (Box-Muller), never negative. */
export function noisyBad(rnd: () => number, total: number, ratio: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  return Math.max(0, Math.round(total * ratio + z * Math.sqrt(total * ratio * (1 - ratio))));
}
