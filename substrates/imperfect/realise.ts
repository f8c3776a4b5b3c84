import { copyLifParamArrays } from '../../core/lif/params.ts';
import type { Network, Population } from '../../core/network/network.ts';
import { normalDraw } from '../../core/rng.ts';
import type { RealiseContext } from '../../core/substrate/substrate.ts';
import { attachQuirks, type Bss2NeuronQuirks } from '../bss2/dynamics.ts';
import { FAULT_DEAD, FAULT_NONE, FAULT_SPONTANEOUS } from '../bss2/chip.ts';
import { attachTrialThresholds, type Bss2TrialThresholds } from '../bss2/trials.ts';
import type { ImperfectOptions } from './options.ts';
import { NEURON_DEAD, NEURON_STUCK_ON, drawNeuronVariation, type NeuronVariation } from './variation.ts';
import { quantiseWeights } from './weights.ts';
import { plainQuirks } from './dynamics.ts';

/**
 * The network as the imperfect substrate realises it (docs/substrates/imperfect.md): per-neuron
 * fixed-pattern variation of tau_m, tau_syn, v_thresh, v_rest and v_reset (chip seed), the chip-wide
 * tau_m / tau_syn ratio error, this realisation's threshold noise, quantised weights, and dead and stuck-on
 * neurons (filed for the dynamics' `prepare`). Source spike times are as given. Does not modify `network`.
 */
export function realiseImperfect(network: Network, context: RealiseContext, o: ImperfectOptions): Network {
  let size = 0;
  for (const p of network.populations) if (p.kind === 'lif') size += p.size;
  const variation = drawNeuronVariation(context, o, size);
  const noise = new Float64Array(size);
  if (o.thresholdNoise !== 0) {
    const stream = context.trialStream('imperfect/thresholdNoise');
    for (let j = 0; j < size; j++) noise[j] = o.thresholdNoise * normalDraw(stream);
  }
  const thresholds = o.thresholdNoise === 0 ? null : emptyThresholds(size);
  let slot = 0;
  const populations: Population[] = network.populations.map((p) => {
    if (p.kind !== 'lif') return p;
    const params = copyLifParamArrays(p.params);
    const initialVMv = p.initialVMv.slice();
    for (let n = 0; n < p.size; n++) {
      const j = slot + n;
      const span = p.params.vThreshMv[n] - p.params.vRestMv[n];
      if (o.thresholdSpread !== 0 || o.thresholdNoise !== 0) {
        params.vThreshMv[n] += span * (variation.thresholdShift[j] + noise[j]);
      }
      if (o.leakSpread !== 0) {
        params.vRestMv[n] += span * variation.leakShift[j];
        initialVMv[n] += span * variation.leakShift[j];
      }
      if (o.resetSpread !== 0) params.vResetMv[n] += span * variation.resetShift[j];
      if (o.tauMemSpread !== 0) params.tauMemMs[n] *= variation.tauMemFactor[j];
      if (o.tauRatioError !== 0) params.tauMemMs[n] *= 1 + o.tauRatioError;
      if (o.tauSynSpread !== 0) {
        params.tauSynExcMs[n] *= variation.tauSynFactor[j];
        params.tauSynInhMs[n] *= variation.tauSynFactor[j];
      }
      if (thresholds !== null) {
        thresholds.nominal[j] = p.params.vThreshMv[n];
        thresholds.span[j] = span;
        thresholds.shift[j] = variation.thresholdShift[j];
        thresholds.current[j] = params.vThreshMv[n];
      }
    }
    slot += p.size;
    return { ...p, params, initialVMv };
  });

  const rounding = o.weightBits !== null && o.weightRounding === 'stochastic' ? context.trialStream('imperfect/weightRounding') : null;
  const projections =
    o.weightBits === null
      ? network.projections
      : network.projections.map((proj) => {
          const weights = proj.synapses.weights.slice();
          quantiseWeights(weights, o.weightBits!, o.weightRange, o.weightRounding, rounding);
          return { ...proj, synapses: { ...proj.synapses, weights } };
        });

  const realised: Network = { ...network, populations, projections };
  attachQuirks(realised, faultQuirks(variation));
  if (thresholds !== null) attachTrialThresholds(realised, thresholds);
  return realised;
}

function emptyThresholds(size: number): Bss2TrialThresholds {
  return {
    size,
    nominal: new Float64Array(size),
    span: new Float64Array(size),
    shift: new Float64Array(size),
    current: new Float64Array(size),
  };
}

/** The faults of the neurons as quirks of the dynamics (no other quirk: see plainQuirks). */
function faultQuirks(variation: NeuronVariation): Bss2NeuronQuirks {
  const fault = new Uint8Array(variation.size);
  for (let j = 0; j < variation.size; j++) {
    const f = variation.fault[j];
    fault[j] = f === NEURON_DEAD ? FAULT_DEAD : f === NEURON_STUCK_ON ? FAULT_SPONTANEOUS : FAULT_NONE;
  }
  return plainQuirks(variation.size, fault);
}
