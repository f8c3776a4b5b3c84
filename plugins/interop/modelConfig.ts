import type { FirstspikeConfig, IfCurrExpParamsConfig, ProjectionConfig, PopulationConfig } from '../../core/config/index.ts';
import type { LifParams } from '../../core/lif/params.ts';
import type { LayeredModel } from '../learning/model.ts';

/*
 * A trained model as a simulate config (`firstspike export config`): the network of modelToNetwork
 * (plugins/learning/model.ts) written out in the config format, with one sample's input spike times, so
 * that `firstspike simulate` runs exactly what `evaluate` runs for that sample: the same populations and
 * projection names in the same order (all-to-all, zero delay, weights as [pre][post] matrices in the
 * model's row-major order), the model's substrate and its options, the training seed, and the duration
 * of a trial (the preset's tMax; the engine, like the layered runner, processes events at t < duration).
 * Times are in the model's units (tau_syn = 1 ms).
 */

export interface ModelConfigOptions {
  /** Input spike times (length layerSizes[0]); NaN, Infinity or null: no spike. */
  readonly inputTimes: readonly (number | null)[];
  /** Trial length (tau_syn units): the config's duration. */
  readonly trialLength: number;
  readonly substrate: string;
  readonly substrateOptions: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** Sampling step of membrane traces of every layer (ms); undefined: no traces. */
  readonly traceDtMs?: number;
}

function pynnParams(p: LifParams): IfCurrExpParamsConfig {
  return {
    tau_m: p.tauMemMs,
    tau_syn_E: p.tauSynExcMs,
    tau_syn_I: p.tauSynInhMs,
    cm: p.capacitanceNf,
    v_rest: p.vRestMv,
    v_reset: p.vResetMv,
    v_thresh: p.vThreshMv,
    tau_refrac: p.tauRefracMs,
    i_offset: p.iOffsetNa,
  };
}

/** Rows `from`..`from + count - 1` of a row-major weight array with `size` columns, as a matrix. */
function rows(w: Float64Array, from: number, count: number, size: number): number[][] {
  return Array.from({ length: count }, (_, r) => Array.from(w.subarray((from + r) * size, (from + r + 1) * size)));
}

/** The config of `model` with one sample's inputs (see the module comment). */
export function modelConfig(model: LayeredModel, options: ModelConfigOptions): FirstspikeConfig {
  const n0 = model.layerSizes[0];
  if (options.inputTimes.length !== n0) {
    throw new RangeError(`the model has ${n0} inputs but ${options.inputTimes.length} input times were given`);
  }
  const populations: PopulationConfig[] = [
    {
      name: 'input',
      type: 'spike_source_array',
      size: n0,
      spike_times: options.inputTimes.map((t) => (t !== null && Number.isFinite(t) ? [t] : [])),
    },
  ];
  const projections: ProjectionConfig[] = [];
  const layerNames: string[] = [];
  let below = 'input';
  for (let l = 1; l < model.layerSizes.length; l++) {
    const size = model.layerSizes[l];
    const nBelow = model.layerSizes[l - 1];
    const bias = model.biasTimes[l - 1];
    const w = model.weights[l - 1];
    if (bias !== null) populations.push({ name: `bias${l}`, type: 'spike_source_array', size: 1, spike_times: [[bias]] });
    const name = `layer${l}`;
    layerNames.push(name);
    populations.push({ name, type: 'IF_curr_exp', size, params: pynnParams(model.neuron), initial_v: model.neuron.vRestMv });
    projections.push({ name: `${below}->${name}`, source: below, target: name, connector: { type: 'all_to_all' }, weight: rows(w, 0, nBelow, size), delay: 0 });
    if (bias !== null) {
      projections.push({ name: `bias${l}->${name}`, source: `bias${l}`, target: name, connector: { type: 'all_to_all' }, weight: rows(w, nBelow, 1, size), delay: 0 });
    }
    below = name;
  }
  const substrate = Object.keys(options.substrateOptions).length === 0 ? options.substrate : { name: options.substrate, ...options.substrateOptions };
  return {
    seed: options.seed,
    duration: options.trialLength,
    substrate,
    populations,
    projections,
    record: {
      spikes: populations.map((p) => p.name),
      ...(options.traceDtMs === undefined ? {} : { v: layerNames.map((population) => ({ population, dt: options.traceDtMs as number })) }),
    },
  };
}
