import type { NeuronStateArrays } from '../substrate/dynamics.ts';
import type { LifConstants } from './constants.ts';
import { I_EXC, I_INH, V, propagateFree, propagationScratch } from './propagator.ts';
import { crossingExcluded } from './thresholdCrossing.ts';

const scratch = propagationScratch();
let active = new Int32Array(64);

/** The generic per-neuron steps the sweep falls back to (lifDynamics' own methods). */
export interface GenericSteps {
  nextSpikeTime(s: NeuronStateArrays, k: LifConstants, i: number, tLimit: number): number;
  advanceTo(s: NeuronStateArrays, k: LifConstants, i: number, t: number): void;
  receive(s: NeuronStateArrays, k: LifConstants, i: number, w: number): void;
}

/**
 * The layered first-spike sweep of the exact LIF dynamics (NeuronDynamics.firstSpikes): input by input,
 * every neuron that has not fired yet. When the O(1) bound of the threshold search already rules out a
 * crossing before the next input (most steps), the neuron is propagated and given its input inline; every
 * other step takes the generic path. Both do the same arithmetic as the generic sweep, so spike times are
 * bitwise the same; neurons sharing tau_m and an interval share one exponential (see propagator.ts).
 */
export function lifFirstSpikes(
  generic: GenericSteps,
  s: NeuronStateArrays,
  k: LifConstants,
  base: number,
  size: number,
  timesMs: Float64Array,
  rows: Int32Array,
  m: number,
  weights: Float64Array,
  tMaxMs: number,
  out: Float64Array,
): void {
  if (active.length < size) active = new Int32Array(size);
  const list = active;
  for (let n = 0; n < size; n++) {
    out[n] = Infinity;
    list[n] = n;
  }
  const vMv = s.vMv;
  const iExc = s.iExcNa;
  const iInh = s.iInhNa;
  const lastMs = s.lastMs;
  let live = size;
  let tPrev = 0;
  for (let q = 0; q <= m && live > 0; q++) {
    const tIn = q < m ? timesMs[q] : tMaxMs;
    const row = q < m ? rows[q] : 0;
    const h = tIn - tPrev;
    let kept = 0;
    for (let a = 0; a < live; a++) {
      const n = list[a];
      const i = base + n;
      if (lastMs[i] === tPrev && crossingExcluded(k, i, vMv[i], iExc[i], iInh[i], h)) {
        if (q === m) continue;
        propagateFree(k, i, vMv[i], iExc[i], iInh[i], h, scratch);
        vMv[i] = scratch[V];
        const w = weights[row + n];
        if (w >= 0) {
          iExc[i] = scratch[I_EXC] + w;
          iInh[i] = scratch[I_INH];
        } else {
          iExc[i] = scratch[I_EXC];
          iInh[i] = scratch[I_INH] + w;
        }
        lastMs[i] = tIn;
        list[kept++] = n;
        continue;
      }
      const tc = generic.nextSpikeTime(s, k, i, tIn);
      if (tc < tIn || (q < m && tc === tIn)) {
        out[n] = tc;
        continue;
      }
      if (q === m) continue;
      generic.advanceTo(s, k, i, tIn);
      generic.receive(s, k, i, weights[row + n]);
      list[kept++] = n;
    }
    live = kept;
    tPrev = tIn;
  }
}
