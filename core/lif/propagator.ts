import type { LifConstants } from './constants.ts';

/**
 * Slots of the scratch array filled by {@link propagateFree}: membrane potential (mV), excitatory and
 * inhibitory synaptic current (nA), dV/dt (mV/ms) and d2V/dt2 (mV/ms^2), all at the requested time.
 */
export const V = 0;
export const I_EXC = 1;
export const I_INH = 2;
export const DV_DT = 3;
export const D2V_DT2 = 4;

/** A scratch array with the five slots above. */
export function propagationScratch(): Float64Array {
  return new Float64Array(5);
}

/** Slots of the array filled by {@link intervalFactors}. */
export const DECAY_MEM = 0;
export const DECAY_EXC = 1;
export const KERNEL_EXC = 2;
export const DECAY_INH = 3;
export const KERNEL_INH = 4;

// The last e^{-a t} computed, with its a and t. Neurons that share tau_m and are advanced over the same
// interval (a layer sweeping the same input spikes) reuse it: the value is bitwise the one exp would give.
// Kept in a Float64Array, not in module-level `let`s: a double written to a module variable is boxed (a heap
// allocation per write in this V8), and these are written on every propagation.
// Slots: a, t, e^{-a t}, and e^{-a t} - 1 when the memo was formed by the one-transcendental case below (else NaN).
const memo = new Float64Array([NaN, NaN, NaN, NaN]);
const MEMO_RATE = 0;
const MEMO_TIME = 1;
const MEMO_DECAY = 2;
const MEMO_MINUS_ONE = 3;

/**
 * tau_syn_E = tau_syn_I = tau_m / 2 exactly (b = 2a, so b - a = a) and a t <= 0.5: e^{-a t} - 1 by one expm1,
 * and e^{-a t} = 1 + that (relative rounding below 2 ulp while e^{-a t} >= e^{-0.5}), which then also gives
 * e^{-b t} and K (the expm1 branch of the factors with its argument (b - a) t = a t). Otherwise NaN, and the
 * caller takes exp. Memoised with the plain e^{-a t}.
 */
function minusOneRatioTwo(a: number, dE: number, dI: number, t: number): number {
  if (dE !== a || dI !== a || !(a * t <= 0.5)) return NaN;
  if (a === memo[MEMO_RATE] && t === memo[MEMO_TIME] && memo[MEMO_MINUS_ONE] === memo[MEMO_MINUS_ONE]) return memo[MEMO_MINUS_ONE];
  const m = Math.expm1(-a * t);
  memo[MEMO_RATE] = a;
  memo[MEMO_TIME] = t;
  memo[MEMO_DECAY] = 1 + m;
  memo[MEMO_MINUS_ONE] = m;
  return m;
}

/**
 * The factors of the free propagation of neuron `i` over `t` ms (docs/design.md section 1): e^{-a t}, e^{-b_E t},
 * K_E(t), e^{-b_I t}, K_I(t), into the slots above. For |b - a| t <= 0.5, e^{-b t} is formed as
 * e^{-a t} (1 + expm1(-(b - a) t)) so that one exp serves both terms and K keeps full accuracy; otherwise both
 * exponentials are taken directly. Neurons with the same constants get bitwise the same factors.
 */
export function intervalFactors(k: LifConstants, i: number, t: number, out: Float64Array): void {
  const a = k.rateMem[i];
  const dE = k.rateDiffExc[i];
  const dI = k.rateDiffInh[i];
  const m2 = minusOneRatioTwo(a, dE, dI, t);
  let ea: number;
  if (m2 === m2) ea = 1 + m2;
  else if (a === memo[MEMO_RATE] && t === memo[MEMO_TIME] && memo[MEMO_MINUS_ONE] !== memo[MEMO_MINUS_ONE]) ea = memo[MEMO_DECAY];
  else {
    ea = Math.exp(-a * t);
    memo[MEMO_RATE] = a;
    memo[MEMO_TIME] = t;
    memo[MEMO_DECAY] = ea;
    memo[MEMO_MINUS_ONE] = NaN;
  }

  let eE: number;
  let kE: number;
  const xE = dE * t;
  if (xE === 0) {
    eE = ea;
    kE = t * ea;
  } else if (xE > 0.5 || xE < -0.5) {
    // well separated: the difference formula has no cancellation
    eE = Math.exp(-k.rateExc[i] * t);
    kE = (ea - eE) / dE;
  } else {
    const m = m2 === m2 ? m2 : Math.expm1(-xE);
    eE = ea + ea * m;
    kE = (ea * -m) / dE;
  }

  let eI: number;
  let kI: number;
  if (dI === dE) {
    eI = eE;
    kI = kE;
  } else {
    const xI = dI * t;
    if (xI === 0) {
      eI = ea;
      kI = t * ea;
    } else if (xI > 0.5 || xI < -0.5) {
      eI = Math.exp(-k.rateInh[i] * t);
      kI = (ea - eI) / dI;
    } else {
      const m = Math.expm1(-xI);
      eI = ea + ea * m;
      kI = (ea * -m) / dI;
    }
  }
  out[DECAY_MEM] = ea;
  out[DECAY_EXC] = eE;
  out[KERNEL_EXC] = kE;
  out[DECAY_INH] = eI;
  out[KERNEL_INH] = kI;
}

/**
 * Exact free evolution (no spike, no refractoriness) of neuron `i` from (v0, iExc0, iInh0) over `t` ms
 * (docs/design.md section 1): I(t) = I0 e^{-b t}, V(t) = c + (v0 - c) e^{-a t} + (I_E0 K_E(t) + I_I0 K_I(t)) / C_m,
 * with K the kernel of constants.ts. Writes V, currents and the first two derivatives of V into `out`.
 * The factors are formed inline exactly as {@link intervalFactors} forms them (kept inline: this is the
 * hottest function of the engine; test/layeredRunner.test.ts checks the two agree bit for bit).
 */
export function propagateFree(
  k: LifConstants,
  i: number,
  v0: number,
  iExc0: number,
  iInh0: number,
  t: number,
  out: Float64Array,
): void {
  const a = k.rateMem[i];
  const dE = k.rateDiffExc[i];
  const dI = k.rateDiffInh[i];
  const c = k.vAsymptoteMv[i];
  const invC = k.invCapacitance[i];
  const m2 = minusOneRatioTwo(a, dE, dI, t);
  let ea: number;
  if (m2 === m2) ea = 1 + m2;
  else if (a === memo[MEMO_RATE] && t === memo[MEMO_TIME] && memo[MEMO_MINUS_ONE] !== memo[MEMO_MINUS_ONE]) ea = memo[MEMO_DECAY];
  else {
    ea = Math.exp(-a * t);
    memo[MEMO_RATE] = a;
    memo[MEMO_TIME] = t;
    memo[MEMO_DECAY] = ea;
    memo[MEMO_MINUS_ONE] = NaN;
  }

  let eE: number;
  let kE: number;
  const xE = dE * t;
  if (xE === 0) {
    eE = ea;
    kE = t * ea;
  } else if (xE > 0.5 || xE < -0.5) {
    // well separated: the difference formula has no cancellation
    eE = Math.exp(-k.rateExc[i] * t);
    kE = (ea - eE) / dE;
  } else {
    const m = m2 === m2 ? m2 : Math.expm1(-xE);
    eE = ea + ea * m;
    kE = (ea * -m) / dE;
  }

  let eI: number;
  let kI: number;
  if (dI === dE) {
    eI = eE;
    kI = kE;
  } else {
    const xI = dI * t;
    if (xI === 0) {
      eI = ea;
      kI = t * ea;
    } else if (xI > 0.5 || xI < -0.5) {
      // well separated: the difference formula has no cancellation
      eI = Math.exp(-k.rateInh[i] * t);
      kI = (ea - eI) / dI;
    } else {
      const m = Math.expm1(-xI);
      eI = ea + ea * m;
      kI = (ea * -m) / dI;
    }
  }

  const iE = iExc0 * eE;
  const iI = iInh0 * eI;
  const v = c + (v0 - c) * ea + invC * (iExc0 * kE + iInh0 * kI);
  // dV/dt from the ODE C dV/dt = g_l (c - V) + I_E + I_I, written without forming c - V: once V has
  // relaxed to within rounding of c, a (c - V) loses its sign. With K' = e^{-b t} - a K:
  const dv = -a * (v0 - c) * ea + invC * (iExc0 * (eE - a * kE) + iInh0 * (eI - a * kI));
  out[V] = v;
  out[I_EXC] = iE;
  out[I_INH] = iI;
  out[DV_DT] = dv;
  out[D2V_DT2] = -a * dv - invC * (k.rateExc[i] * iE + k.rateInh[i] * iI);
}
