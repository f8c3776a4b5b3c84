import { LIF_PARAM_FIELDS, type LifParamArrays, type LifParams } from '../../../core/lif/params.ts';
import { neuronStateArrays, type NeuronStateArrays } from '../../../core/substrate/dynamics.ts';
import { describeParams } from '../../describeNetwork.ts';
import type { NeuronCase } from '../../arbitraries/neuronCase.ts';

/** Per-neuron parameter arrays from a list of parameter sets. */
export function paramArraysOf(list: readonly LifParams[]): LifParamArrays {
  const out = { size: list.length } as { size: number } & Record<(typeof LIF_PARAM_FIELDS)[number], Float64Array>;
  for (const f of LIF_PARAM_FIELDS) out[f] = Float64Array.from(list, (p) => p[f]);
  return out;
}

/** State arrays holding the cases' states, all at time `lastMs`. */
export function loadStates(cases: readonly NeuronCase[], lastMs: number): NeuronStateArrays {
  const s = neuronStateArrays(cases.length);
  cases.forEach((c, j) => {
    s.vMv[j] = c.vMv;
    s.iExcNa[j] = c.iExcNa;
    s.iInhNa[j] = c.iInhNa;
    s.lastMs[j] = lastMs;
    s.refractoryUntilMs[j] = c.refractoryLeftMs > 0 ? lastMs + c.refractoryLeftMs : -Infinity;
  });
  return s;
}

/** A deep copy of state arrays. */
export function copyStates(s: NeuronStateArrays): NeuronStateArrays {
  return {
    size: s.size,
    vMv: s.vMv.slice(),
    iExcNa: s.iExcNa.slice(),
    iInhNa: s.iInhNa.slice(),
    lastMs: s.lastMs.slice(),
    refractoryUntilMs: s.refractoryUntilMs.slice(),
  };
}

const FIELDS = ['vMv', 'iExcNa', 'iInhNa', 'lastMs', 'refractoryUntilMs'] as const;

/** The first difference (bitwise, NaN equal to NaN) between two states, for neurons `which`, or null. */
export function stateDifference(a: NeuronStateArrays, b: NeuronStateArrays, which: (j: number) => boolean = () => true): string | null {
  for (let j = 0; j < a.size; j++) {
    if (!which(j)) continue;
    for (const f of FIELDS) {
      if (!Object.is(a[f][j], b[f][j])) return `neuron ${j}: ${f} ${a[f][j]} -> ${b[f][j]}`;
    }
  }
  return null;
}

/** One neuron's state as text. */
export function describeState(s: NeuronStateArrays, i: number): string {
  return `V=${s.vMv[i]} mV, I_E=${s.iExcNa[i]} nA, I_I=${s.iInhNa[i]} nA at lastMs=${s.lastMs[i]} ms, refractory until ${s.refractoryUntilMs[i]} ms`;
}

export { describeParams };
