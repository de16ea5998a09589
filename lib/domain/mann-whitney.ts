// The two-sample, two-sided Wilcoxon rank-sum (Mann-Whitney U) test with the Hodges-Lehmann
// shift and its confidence interval, computed as R's wilcox.test(x, y, conf.int = TRUE) does
// (R's src/library/stats/R/wilcox.test.R), which Kayenta ported for its canary judge
// (kayenta-mannwhitney/.../MannWhitney.scala). docs/canary-judge.md "The test".
//
// - exact (both samples under 50 and no ties, unless told otherwise): p-value from the exact null
//   distribution of W, interval from its quantiles over the sorted pairwise differences,
//   estimate = their median;
// - otherwise: normal approximation with the tie-corrected variance and the continuity
//   correction; the interval and the estimate are the shifts d where the standardised statistic
//   of (x - d, y) crosses the normal quantiles, found with Brent's zeroin at R's uniroot
//   tolerance (1e-4), as R and Kayenta do.
// The shift is x - y: a positive estimate means x (the canary) lies above y (the baseline).

export type RankSumOptions = {
  /** Confidence level of the interval, in (0, 1). R's default is 0.95; Kayenta's judge uses 0.98. */
  confidence?: number;
  /** true: exact; false: normal approximation; null/undefined: R's rule (both samples < 50 and no ties). */
  exact?: boolean | null;
  /** Continuity correction in the normal approximation (R's default, true). */
  correct?: boolean;
};

export type RankSumResult = {
  /** R's W: the rank sum of x minus n_x (n_x + 1) / 2, i.e. the number of pairs with x above y (ties count half). */
  w: number;
  pValue: number;
  /** Hodges-Lehmann estimate of the location shift x - y. */
  estimate: number;
  confidenceInterval: { lower: number; upper: number };
  /** The level the interval achieves (the exact distribution is discrete; R warns when it falls short). */
  confidence: number;
  method: "exact" | "normal";
  ties: boolean;
  nx: number;
  ny: number;
};

/** R's uniroot default in wilcox.test (tol.root = 1e-4), kept so intervals match R's digits. */
const ROOT_TOLERANCE = 1e-4;
const EXACT_LIMIT = 50;

export function wilcoxonRankSum(xIn: readonly number[], yIn: readonly number[], options: RankSumOptions = {}): RankSumResult {
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError("confidence must be between 0 and 1 (exclusive)");
  // R drops non-finite values before anything else.
  const x = xIn.filter(Number.isFinite);
  const y = yIn.filter(Number.isFinite);
  if (x.length === 0) throw new RangeError("not enough (finite) x observations");
  if (y.length === 0) throw new RangeError("not enough (finite) y observations");
  const nx = x.length;
  const ny = y.length;
  const correct = options.correct ?? true;

  const pooled = [...x, ...y];
  const { ranks, tieSizes } = averageRanks(pooled);
  const ties = tieSizes.some((t) => t > 1);
  let rankSumX = 0;
  for (let i = 0; i < nx; i++) rankSumX += ranks[i]!;
  const w = rankSumX - (nx * (nx + 1)) / 2;
  const exact = (options.exact ?? (nx < EXACT_LIMIT && ny < EXACT_LIMIT)) && !ties;
  const alpha = 1 - confidence;

  if (exact) {
    const dist = wilcoxDistribution(nx, ny);
    const half = (nx * ny) / 2;
    const p = w > half ? upperTail(dist, w) : lowerTail(dist, w);
    const diffs = pairwiseDifferences(x, y);
    let qu = quantileW(dist, alpha / 2);
    if (qu === 0) qu = 1;
    const ql = nx * ny - qu;
    const achievedAlpha = 2 * lowerTail(dist, Math.trunc(qu) - 1);
    return {
      w,
      pValue: Math.min(2 * p, 1),
      estimate: median(diffs),
      confidenceInterval: { lower: diffs[qu - 1]!, upper: diffs[ql]! },
      // R lowers the reported level when the discrete distribution cannot reach the one asked for.
      confidence: achievedAlpha - alpha > alpha / 2 ? 1 - achievedAlpha : confidence,
      method: "exact",
      ties,
      nx,
      ny,
    };
  }

  const sigma = tieCorrectedSigma(nx, ny, tieSizes);
  const z0 = w - (nx * ny) / 2;
  const z = (z0 - (correct ? Math.sign(z0) * 0.5 : 0)) / sigma;
  const pValue = sigma === 0 ? 1 : Math.min(1, 2 * Math.min(pnorm(z), pnorm(-z)));
  const { lower, upper, estimate } = approximateInterval(x, y, alpha, correct);
  return { w, pValue, estimate, confidenceInterval: { lower, upper }, confidence, method: "normal", ties, nx, ny };
}

/**
 * R's asymptotic interval: W(d) is the standardised statistic of (x - d, y), a step function
 * falling in d; each bound is where it crosses a normal quantile, the estimate where it crosses 0
 * (without the continuity correction, as R). When both samples are constant every shift but one
 * ties all observations; that shift is then the estimate and both bounds (the limit Kayenta
 * reaches by adding tiny Gaussian noise, here without randomness).
 */
function approximateInterval(x: number[], y: number[], alpha: number, correct: boolean): { lower: number; upper: number; estimate: number } {
  // Loops, not Math.min(...x): a spread of a long series would overflow the call stack.
  const muMin = extreme(x, Math.min) - extreme(y, Math.max);
  const muMax = extreme(x, Math.max) - extreme(y, Math.min);
  if (muMin === muMax) return { lower: muMin, upper: muMin, estimate: muMin };
  const standardised = (d: number, withCorrection: boolean) => shiftStatistic(x, y, d, withCorrection);
  const wMin = standardised(muMin, correct);
  const wMax = standardised(muMax, correct);
  const root = (zq: number): number => {
    const fLower = wMin - zq;
    if (fLower <= 0) return muMin;
    const fUpper = wMax - zq;
    if (fUpper >= 0) return muMax;
    return zeroin(muMin, muMax, fLower, fUpper, (d) => standardised(d, correct) - zq, ROOT_TOLERANCE);
  };
  const lower = root(qnorm(1 - alpha / 2));
  const upper = root(qnorm(alpha / 2));
  const fLower0 = standardised(muMin, false);
  const fUpper0 = standardised(muMax, false);
  const estimate = zeroin(muMin, muMax, fLower0, fUpper0, (d) => standardised(d, false), ROOT_TOLERANCE);
  return { lower, upper, estimate };
}

/**
 * R's W(d) in the asymptotic interval (Kayenta's wilcoxonDiff with zq = 0): the statistic of
 * (x - d, y), centred and divided by its tie-corrected sd, with the continuity correction if asked.
 */
export function shiftStatistic(x: readonly number[], y: readonly number[], d: number, correct: boolean): number {
  const nx = x.length;
  const ny = y.length;
  const { ranks, tieSizes } = averageRanks([...x.map((v) => v - d), ...y]);
  let sum = 0;
  for (let i = 0; i < nx; i++) sum += ranks[i]!;
  const dz = sum - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
  const sigma = tieCorrectedSigma(nx, ny, tieSizes);
  if (sigma === 0) throw new RangeError("cannot compute confidence interval when all observations are tied");
  return (dz - (correct ? Math.sign(dz) * 0.5 : 0)) / sigma;
}

function extreme(values: readonly number[], pick: (a: number, b: number) => number): number {
  let v = values[0]!;
  for (const w of values) v = pick(v, w);
  return v;
}

/** sd of W under H0 with ties: sqrt(nx ny / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1)))). */
function tieCorrectedSigma(nx: number, ny: number, tieSizes: number[]): number {
  const n = nx + ny;
  let tieTerm = 0;
  for (const t of tieSizes) tieTerm += t * t * t - t;
  return Math.sqrt(((nx * ny) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
}

/** Average ranks (1-based, ties share the mean rank, as R's rank()) and the size of each tie group. */
export function averageRanks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieSizes };
}

/** Sorted x_i - y_j for every pair (the Walsh-style differences the exact interval reads). */
function pairwiseDifferences(x: number[], y: number[]): number[] {
  const diffs: number[] = [];
  for (const a of x) for (const b of y) diffs.push(a - b);
  return diffs.sort((a, b) => a - b);
}

function median(sorted: number[]): number {
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * P(W = k) for k = 0..nx ny under H0 without ties: the rank sum of a random nx-subset of 1..N,
 * counted by a knapsack over the ranks (ways[c][s]: subsets of size c with rank sum s), then
 * divided by C(N, nx). Counts stay below C(98, 49) ~ 2.5e28, well inside a double's range.
 */
function wilcoxDistribution(nx: number, ny: number): number[] {
  const n = nx + ny;
  const maxSum = (nx * (2 * n - nx + 1)) / 2;
  const ways: Float64Array[] = Array.from({ length: nx + 1 }, () => new Float64Array(maxSum + 1));
  ways[0]![0] = 1;
  for (let r = 1; r <= n; r++) {
    for (let c = Math.min(r, nx); c >= 1; c--) {
      const into = ways[c]!;
      const from = ways[c - 1]!;
      for (let s = maxSum; s >= r; s--) into[s]! += from[s - r]!;
    }
  }
  const offset = (nx * (nx + 1)) / 2;
  const counts = Array.from({ length: nx * ny + 1 }, (_, k) => ways[nx]![k + offset]!);
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / total);
}

function lowerTail(dist: number[], q: number): number {
  let p = 0;
  for (let k = 0; k <= Math.floor(q) && k < dist.length; k++) p += dist[k]!;
  return Math.min(p, 1);
}

/** P(W >= q), summed from the top so small tails keep their precision. */
function upperTail(dist: number[], q: number): number {
  let p = 0;
  for (let k = dist.length - 1; k >= Math.ceil(q) && k >= 0; k--) p += dist[k]!;
  return Math.min(p, 1);
}

/** R's qwilcox: the smallest q with P(W <= q) >= p (with R's 10 eps fuzz against rounding). */
function quantileW(dist: number[], p: number): number {
  const target = p - 10 * Number.EPSILON;
  let cumulative = 0;
  for (let k = 0; k < dist.length; k++) {
    cumulative += dist[k]!;
    if (cumulative >= target) return k;
  }
  return dist.length - 1;
}

/**
 * Brent's root finder as R's R_zeroin2 (src/library/stats/src/zeroin.c) and Kayenta's
 * BrentSolver.java: f(a) and f(b) given, stops when the bracket is within tol, at most 1000 steps.
 * The same steps as R give the same digits for a step function such as W(d).
 */
export function zeroin(ax: number, bx: number, faIn: number, fbIn: number, f: (v: number) => number, tol: number): number {
  let a = ax;
  let b = bx;
  let fa = faIn;
  let fb = fbIn;
  let c = a;
  let fc = fa;
  if (fa === 0) return a;
  if (fb === 0) return b;
  for (let iteration = 0; iteration <= 1000; iteration++) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolAct = 2 * Number.EPSILON * Math.abs(b) + tol / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= tolAct || fb === 0) return b;
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      // Interpolation: secant when only two points are known, inverse quadratic otherwise.
      let p: number;
      let q: number;
      const cb = c - b;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qa = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1));
        q = (qa - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs((prevStep * q) / 2)) newStep = p / q;
    }
    if (Math.abs(newStep) < tolAct) newStep = newStep > 0 ? tolAct : -tolAct;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return b;
}

/**
 * Standard normal distribution function to near machine precision, from erfc: the positive
 * series erf(t) = 2/sqrt(pi) e^{-t^2} sum 2^n t^{2n+1} / (1 3 5 ... (2n+1)) below t = 2, and the
 * continued fraction of erfc (modified Lentz) above it; no table of fitted coefficients.
 */
export function pnorm(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const t = Math.abs(z) / Math.SQRT2;
  const tail = 0.5 * erfc(t); // P(Z > |z|)
  return z >= 0 ? 1 - tail : tail;
}

function erfc(t: number): number {
  if (t === Infinity) return 0;
  if (t < 2) {
    let term = t;
    let sum = t;
    for (let n = 1; n < 200; n++) {
      term *= (2 * t * t) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-t * t) * sum;
  }
  // erfc(t) = e^{-t^2}/sqrt(pi) * 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + 2/(t + ...)))))
  const tiny = 1e-300;
  let f = t;
  let cc = t;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const an = k / 2;
    d = t + an * d;
    d = d === 0 ? tiny : d;
    cc = t + an / cc;
    cc = cc === 0 ? tiny : cc;
    d = 1 / d;
    const delta = cc * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-t * t) / Math.sqrt(Math.PI) / f;
}

/** Normal quantile: bisection to a bracket, then Newton on pnorm (exact to the last digits). */
export function qnorm(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return Number.NaN;
  }
  if (p > 0.5) return -qnorm(1 - p);
  let lo = -40;
  let hi = 0;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (pnorm(mid) < p) lo = mid;
    else hi = mid;
  }
  let z = (lo + hi) / 2;
  for (let i = 0; i < 5; i++) {
    const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    if (density === 0) break;
    const step = (pnorm(z) - p) / density;
    z -= step;
    if (Math.abs(step) < 1e-16 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}
