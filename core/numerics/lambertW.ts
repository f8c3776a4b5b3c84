/**
 * The real branches of the Lambert W function, the inverse of w -> w e^w:
 * - {@link lambertW0}, the principal branch W0 on [-1/e, +inf) with values in [-1, +inf);
 * - {@link lambertWm1}, the lower branch W-1 on [-1/e, 0) with values in (-inf, -1].
 *
 * Method (docs/model.md, section "Lambert W"):
 * - near the branch point (x < -1/4) both branches are computed from the branch-point series in
 *   p = ±sqrt(2(1 + e x)) (Corless et al. 1996, "On the Lambert W function", eq. 4.22) and refined by
 *   Halley's iteration on an equation written in v = W + 1, so that the cancellation in w e^w + 1/e
 *   never enters the residual; 1 + e x is computed from x + 1/e with 1/e as a two-term (double-double)
 *   constant;
 * - elsewhere a logarithmic or asymptotic start (Winitzki 2003; Corless et al. 1996, eq. 4.19) is
 *   refined by the iteration of Fritsch, Shafer & Crowley 1973 (quartic convergence) on
 *   w + ln w = ln x.
 */

/** The double nearest to 1/e (it is larger than 1/e by about 1.24e-17). */
export const INV_E = 0.36787944117144233;

/** 1/e - INV_E: low part of the two-term split 1/e = INV_E + INV_E_LO (computed with 200-bit mpmath). */
const INV_E_LO = -1.2428753672788363e-17;

const EPS = Number.EPSILON;

/** Below this x the branch-point formulation is used (for both branches). */
const BRANCH_REGION_END = -0.25;

/**
 * Coefficients of W = -1 + sum_k mu_k p^k around the branch point, p = sqrt(2(1 + e x)) for W0 and
 * p = -sqrt(2(1 + e x)) for W-1 (Corless et al. 1996, eq. 4.22; re-derived here by series reversion
 * of (v - 1) e^v + 1 = p^2 / 2 with v = W + 1). Index k holds mu_k, k = 1..12.
 */
const BRANCH_SERIES: readonly number[] = [
  0,
  1,
  -1 / 3,
  11 / 72,
  -43 / 540,
  769 / 17280,
  -221 / 8505,
  680863 / 43545600,
  -1963 / 204120,
  226287557 / 37623398400,
  -5776369 / 1515591000,
  169709463197 / 69528040243200,
  -1118511313 / 709296588000,
];

/** (n - 1)/n! for n = 2..20: the Taylor coefficients of g(v) = (v - 1) e^v + 1 = sum_n (n - 1) v^n / n!. */
const G_SERIES: readonly number[] = (() => {
  const coefficients: number[] = [];
  let factorial = 1;
  for (let n = 2; n <= 20; n += 1) {
    factorial *= n;
    coefficients.push((n - 1) / factorial);
  }
  return coefficients;
})();

/**
 * g(v) = (v - 1) e^v + 1, which equals e (W e^W + 1/e) for W = v - 1. For |v| < 1/2 it is summed as
 * its Taylor series (the closed expression cancels there); elsewhere the closed expression is used.
 */
function branchResidualBase(v: number): number {
  if (Math.abs(v) < 0.5) {
    let sum = 0;
    for (let i = G_SERIES.length - 1; i >= 0; i -= 1) {
      sum = sum * v + G_SERIES[i];
    }
    return sum * v * v;
  }
  return (v - 1) * Math.exp(v) + 1;
}

/**
 * W near the branch point, x in [-1/e, -1/4): branch 0 (v >= 0) or branch -1 (v <= 0), v = W + 1.
 * Solves g(v) = 1 + e x with g from {@link branchResidualBase}, starting from the branch-point series.
 */
function nearBranchPoint(x: number, branch: 0 | -1): number {
  // x + INV_E is exact here (Sterbenz lemma: x and -INV_E are within a factor 2); adding the low part
  // gives x + 1/e to about one rounding. The double nearest -1/e lies just below -1/e: clamp it to 0.
  const distance = Math.max(0, x + INV_E + INV_E_LO);
  if (distance === 0) {
    return -1;
  }
  const target = Math.E * distance; // 1 + e x
  const p = (branch === 0 ? 1 : -1) * Math.sqrt(2 * target);
  let v = 0;
  for (let k = BRANCH_SERIES.length - 1; k >= 1; k -= 1) {
    v = (v + BRANCH_SERIES[k]) * p;
  }
  // Halley's iteration on g(v) - target, with g'(v) = v e^v and g''(v) = (1 + v) e^v.
  for (let iteration = 0; iteration < 8; iteration += 1) {
    const expV = Math.exp(v);
    const f = branchResidualBase(v) - target;
    const f1 = v * expV;
    const f2 = (1 + v) * expV;
    if (f1 === 0) {
      break;
    }
    const step = f / (f1 - (f * f2) / (2 * f1));
    v -= step;
    if (!(Math.abs(step) > 4 * EPS * Math.abs(v))) {
      break;
    }
  }
  return v - 1;
}

/**
 * Refines an estimate w of W(x) (x and w of the same sign, w away from -1) by the iteration of
 * Fritsch, Shafer & Crowley 1973 on w + ln w = ln x:
 * z = ln(x/w) - w, q = 2(1 + w)(1 + w + 2z/3), w <- w (1 + z/(1 + w) (q - z)/(q - 2z)).
 */
function fritschRefine(x: number, start: number): number {
  // For subnormal-range x the ratio x/w would lose digits: use ln|x| - ln|w| there instead.
  const tiny = Math.abs(x) < 1e-280;
  const logAbsX = tiny ? Math.log(Math.abs(x)) : 0;
  let w = start;
  for (let iteration = 0; iteration < 12; iteration += 1) {
    const z = (tiny ? logAbsX - Math.log(Math.abs(w)) : Math.log(x / w)) - w;
    const onePlusW = 1 + w;
    const q = 2 * onePlusW * (onePlusW + (2 * z) / 3);
    const relativeStep = (z / onePlusW) * ((q - z) / (q - 2 * z));
    w *= 1 + relativeStep;
    if (!(Math.abs(relativeStep) > 2 * EPS)) {
      break;
    }
  }
  return w;
}

function domainError(name: string, x: number, domain: string): RangeError {
  return new RangeError(`${name}: argument ${String(x)} is outside the domain ${domain}`);
}

/**
 * Principal branch W0 of the Lambert W function: the solution w >= -1 of w e^w = x.
 *
 * Domain [-1/e, +inf), where -1/e is represented by the double nearest to it (-{@link INV_E}, which
 * maps to exactly -1). W0(+Infinity) = +Infinity. Relative accuracy about 1e-15 on the whole domain.
 *
 * @param x - the argument, x >= -1/e
 * @returns W0(x)
 * @throws RangeError if x < -1/e or x is NaN
 */
export function lambertW0(x: number): number {
  if (!(x >= -INV_E)) {
    throw domainError('lambertW0', x, '[-1/e, +Infinity)');
  }
  if (x === Infinity) {
    return Infinity;
  }
  if (x < BRANCH_REGION_END) {
    return nearBranchPoint(x, 0);
  }
  const magnitude = Math.abs(x);
  if (magnitude < 1e-8) {
    // Taylor series W0(x) = x - x^2 + (3/2) x^3 - ... (Corless et al. 1996, eq. 3.1); the omitted
    // terms are below 1e-23 relative here. Also returns +-0 for +-0.
    return x * (1 - x * (1 - 1.5 * x));
  }
  let start: number;
  if (x < Math.E) {
    // Winitzki 2003: W0(x) ~ ln(1 + x) (1 - ln(1 + ln(1 + x)) / (2 + ln(1 + x))).
    const l = Math.log1p(x);
    start = l * (1 - Math.log1p(l) / (2 + l));
  } else {
    // Asymptotic expansion W ~ L1 - L2 + L2/L1, L1 = ln x, L2 = ln L1 (Corless et al. 1996, eq. 4.19).
    const l1 = Math.log(x);
    const l2 = Math.log(l1);
    start = l1 - l2 + l2 / l1;
  }
  return fritschRefine(x, start);
}

/**
 * Lower branch W-1 of the Lambert W function: the solution w <= -1 of w e^w = x.
 *
 * Domain [-1/e, 0), where -1/e is represented by the double nearest to it (-{@link INV_E}, which maps
 * to exactly -1). Relative accuracy about 1e-15 on the whole domain.
 *
 * @param x - the argument, -1/e <= x < 0
 * @returns W-1(x)
 * @throws RangeError if x is outside [-1/e, 0) or NaN
 */
export function lambertWm1(x: number): number {
  if (!(x >= -INV_E && x < 0)) {
    throw domainError('lambertWm1', x, '[-1/e, 0)');
  }
  if (x < BRANCH_REGION_END) {
    return nearBranchPoint(x, -1);
  }
  // Asymptotic start for x -> 0-: W-1 ~ L1 - L2 + L2/L1 with L1 = ln(-x), L2 = ln(-L1)
  // (Corless et al. 1996, eq. 4.19). L1 <= ln(1/4) < 0 here.
  const l1 = Math.log(-x);
  const l2 = Math.log(-l1);
  return fritschRefine(x, l1 - l2 + l2 / l1);
}
