/**
 * The paper's loss over output first-spike times t_k (units of tau_syn; Göltz, Kriener et al. 2021):
 * cross-entropy of p_k = softmax(-t_k / xi) for the label, plus alpha (exp(t_label / beta) - 1), which
 * pushes the label neuron to spike early. A silent non-label output uses `silentTime` in the loss and gets
 * no gradient; a silent label neuron gives the fixed loss SILENT_LABEL_LOSS and no gradient at all (as
 * fastAndDeep does), leaving its recovery to weight bumping.
 */
export interface LossOptions {
  /** Softmax temperature xi (tau_syn units). Default 0.2. */
  readonly xi: number;
  /** Regulariser weight alpha. Default 0.005. */
  readonly alpha: number;
  /** Regulariser time scale beta (tau_syn units). Default 1. */
  readonly beta: number;
}

export const DEFAULT_LOSS: LossOptions = { xi: 0.2, alpha: 0.005, beta: 1 };

/** Loss of a sample whose label neuron did not spike. */
export const SILENT_LABEL_LOSS = 100;

/**
 * Loss of one sample; writes dL/dt_k into `dLdt` (0 for silent outputs). `silentTime` stands in for
 * the time of a silent output (larger than any real spike time).
 */
export function ttfsLoss(
  times: ArrayLike<number>,
  label: number,
  options: LossOptions,
  silentTime: number,
  dLdt: Float64Array,
): number {
  const n = times.length;
  if (!Number.isFinite(times[label])) {
    dLdt.fill(0, 0, n);
    return SILENT_LABEL_LOSS;
  }
  let minT = Infinity;
  for (let k = 0; k < n; k++) minT = Math.min(minT, Number.isFinite(times[k]) ? times[k] : silentTime);
  let z = 0;
  for (let k = 0; k < n; k++) {
    const t = Number.isFinite(times[k]) ? times[k] : silentTime;
    z += Math.exp(-(t - minT) / options.xi); // shifted for stability
  }
  const tLabel = Number.isFinite(times[label]) ? times[label] : silentTime;
  const logP = -(tLabel - minT) / options.xi - Math.log(z);
  const reg = Math.exp(tLabel / options.beta);
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(times[k])) {
      dLdt[k] = 0;
      continue;
    }
    const p = Math.exp(-(times[k] - minT) / options.xi) / z;
    // d(-log p_label)/dt_k = (delta_k,label - p_k) / xi ; d(alpha e^{t/beta})/dt = alpha/beta e^{t/beta}
    dLdt[k] = ((k === label ? 1 : 0) - p) / options.xi + (k === label ? (options.alpha / options.beta) * reg : 0);
  }
  return -logP + options.alpha * (reg - 1);
}

/** The predicted class: the earliest output spike; -1 if no output spiked (a silent winner is wrong). */
export function predictedClass(times: ArrayLike<number>): number {
  let best = -1;
  let bestT = Infinity;
  for (let k = 0; k < times.length; k++) {
    if (times[k] < bestT) {
      bestT = times[k];
      best = k;
    }
  }
  return best;
}
