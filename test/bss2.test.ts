import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { realiseContext, simulate, type SimulationResult } from '../core/engine/simulate.ts';
import { lifParamArrays, type LifParams } from '../core/lif/params.ts';
import type { LifPopulation, Network } from '../core/network/network.ts';
import { neuronStateArrays } from '../core/substrate/dynamics.ts';
import type { RealiseContext } from '../core/substrate/substrate.ts';
import { ForwardBackward, emptySampleResult } from '../plugins/learning/forwardBackward.ts';
import { TTFS_NEURON } from '../plugins/learning/presets.ts';
import {
  BSS2_ALL_OFF,
  FAULT_DEAD,
  FAULT_SPONTANEOUS,
  bss2Constants,
  bss2CostEstimate,
  bss2Dynamics,
  bss2Observation,
  attachedQuirks,
  bss2Substrate,
  defaultQuirks,
  drawChipWeightScale,
  drawEfficacyColumn,
  drawNeuronMismatch,
  fpgaCycle,
  integerWeight,
  quantisedWeight,
  refractoryTick,
  refractoryTicks,
  resolveBss2Options,
} from '../substrates/bss2/index.ts';
import { idealSubstrate } from '../substrates/ideal/index.ts';
import { lifPop, projection, runOnSubstrate, smallNetworkArb, sourcePop } from './helpers/networks.ts';
import { layeredModel } from './helpers/layeredModels.ts';
import { meanSd } from './helpers/statistics.ts';

// ---- helpers --------------------------------------------------------------------------------------------

function runOn(substrate: 'ideal' | 'bss2', network: Network, durationMs: number, options: Record<string, unknown> = {}, trial = 0, membrane = false): SimulationResult {
  return substrate === 'ideal'
    ? runOnSubstrate(idealSubstrate, 'ideal', network, durationMs, options, trial, membrane)
    : runOnSubstrate(bss2Substrate, 'bss2', network, durationMs, options, trial, membrane);
}

function contextFor(options: Record<string, unknown>, trial = 0, seed = 17): RealiseContext {
  return realiseContext({ network: { populations: [], projections: [] }, durationMs: 1, seed, substrate: { name: 'bss2', options }, recording: {} }, trial);
}

function realise(network: Network, options: Record<string, unknown>, trial = 0): Network {
  return bss2Substrate.realise(network, contextFor(options, trial));
}

function lifOf(network: Network, index: number): LifPopulation {
  const p = network.populations[index];
  if (p.kind !== 'lif') throw new Error('not a LIF population');
  return p;
}

function spikeTimes(result: SimulationResult, population = 1, neuron = 0): number[] {
  const s = result.spikes;
  const out: number[] = [];
  for (let k = 0; k < s.timeMs.length; k++) if (s.population[k] === population && s.neuron[k] === neuron) out.push(s.timeMs[k]);
  return out;
}

/** Sample mean within 4 standard errors of `mean` and sample sd within 4 standard errors (sd / sqrt(2n)) of `sd`. */
function expectMoments(xs: ArrayLike<number>, mean: number, sd: number): void {
  const m = meanSd(xs);
  expect(Math.abs(m.mean - mean)).toBeLessThan((4 * sd) / Math.sqrt(m.n));
  expect(Math.abs(m.sd - sd)).toBeLessThan((4 * sd) / Math.sqrt(2 * m.n));
}

/** One LIF neuron in units of tau (tau_m = tau_s = 1, C = 1, rest = reset = 0, threshold 1) driven by an offset current. */
function tonicNeuron(asymptote: number, tauRefrac: number): Network {
  const params: LifParams = { ...TTFS_NEURON, tauRefracMs: tauRefrac, iOffsetNa: asymptote };
  return { populations: [sourcePop('in', [[]]), lifPop('n', 1, params)], projections: [] };
}

const LAYERED_OPTIONS = { ...BSS2_ALL_OFF };

// ---- everything off = ideal -------------------------------------------------------------------------------

describe('bss2 with every effect off equals ideal', () => {
  it('identical spike times and membrane traces on random small networks (general engine)', () => {
    let spikes = 0;
    fc.assert(
      fc.property(smallNetworkArb, fc.nat({ max: 3 }), (network, trial) => {
        const ideal = runOn('ideal', network, 40, {}, trial, true);
        const bss2 = runOn('bss2', network, 40, BSS2_ALL_OFF, trial, true);
        expect(Array.from(bss2.spikes.timeMs)).toEqual(Array.from(ideal.spikes.timeMs));
        expect(Array.from(bss2.spikes.population)).toEqual(Array.from(ideal.spikes.population));
        expect(Array.from(bss2.spikes.neuron)).toEqual(Array.from(ideal.spikes.neuron));
        bss2.traces.forEach((tr, q) => expect(Array.from(tr.vMv)).toEqual(Array.from(ideal.traces[q].vMv)));
        spikes += ideal.spikes.timeMs.length;
      }),
      { numRuns: 150, seed: 2024 },
    );
    expect(spikes).toBeGreaterThan(500); // the property saw plenty of spikes
  });

  it('identical first-spike times on layered TTFS networks through the learning plugin (LayeredRunner)', () => {
    let spikes = 0;
    fc.assert(
      fc.property(
        fc.constantFrom([1, 1], [2, 1]),
        fc.boolean(),
        fc.array(fc.integer({ min: -500, max: 2500 }).map((k) => k / 1000), { minLength: 64, maxLength: 64 }),
        fc.array(fc.integer({ min: 0, max: 3000 }).map((k) => k / 1000), { minLength: 6, maxLength: 6 }),
        ([tauM, tauS], bias, weights, inputs) => {
          const neuron = { ...TTFS_NEURON, tauMemMs: tauM, tauSynExcMs: tauS, tauSynInhMs: tauS };
          const model = { ...layeredModel(weights, [6, 7, 3], bias), neuron };
          const out: Float64Array[][] = [];
          for (const [substrate, options] of [
            [idealSubstrate, {}],
            [bss2Substrate, LAYERED_OPTIONS],
          ] as const) {
            const fb = new ForwardBackward(model);
            fb.realise(substrate, contextFor(options));
            fb.forward(inputs, 0, emptySampleResult());
            out.push([fb.layerTimes(1).slice(), fb.layerTimes(2).slice()]);
          }
          expect(Array.from(out[1][0])).toEqual(Array.from(out[0][0]));
          expect(Array.from(out[1][1])).toEqual(Array.from(out[0][1]));
          spikes += out[0][0].filter((t) => t < Infinity).length + out[0][1].filter((t) => t < Infinity).length;
        },
      ),
      { numRuns: 100, seed: 99 },
    );
    expect(spikes).toBeGreaterThan(300);
  });

  it('the default options do change the spike times of such networks', () => {
    // weights within the chip's range at the default normalisation (|w| <= 2.1 / 1.52 = 1.38); the peak
    // 1.3 (1.3 e^{-1.3} + 1.1 e^{-1.1} + 0.9 e^{-0.9}) = 1.41 at t = 2.3 clears every threshold shift drawn here
    const network: Network = {
      populations: [sourcePop('in', [[1], [1.2], [1.4]]), lifPop('n', 1, TTFS_NEURON)],
      projections: [projection('in->n', 0, 1, 3, 0, [[0, 0, 1.3], [1, 0, 1.3], [2, 0, 1.3]])],
    };
    const ideal = spikeTimes(runOn('ideal', network, 10));
    const bss2 = spikeTimes(runOn('bss2', network, 10));
    expect(ideal.length).toBe(1);
    expect(bss2.length).toBe(1);
    expect(Math.abs(bss2[0] - ideal[0])).toBeGreaterThan(1e-3);
  });
});

// ---- options ---------------------------------------------------------------------------------------------

describe('bss2 options', () => {
  const invalid: [Record<string, unknown>, RegExp][] = [
    [{ chipseed: 1 }, /^\/substrate\/chipseed: unknown option for substrate 'bss2' \(known: chipSeed, /],
    [{ chipSeed: -1 }, /^\/substrate\/chipSeed: must be an integer >= 0/],
    [{ chipSeed: 1.5 }, /^\/substrate\/chipSeed: must be an integer >= 0/],
    [{ weightScale: 'x' }, /^\/substrate\/weightScale: must be a number > 0 \(got 'x'\)/],
    [{ weightScale: 0 }, /^\/substrate\/weightScale: must be a number > 0 \(got 0\)/],
    [{ hardwareTimePerUnitUs: Infinity }, /^\/substrate\/hardwareTimePerUnitUs: must be a finite number/],
    [{ weightQuantisation: 1 }, /^\/substrate\/weightQuantisation: must be true or false \(got 1\)/],
    [{ mismatchScale: -0.5 }, /^\/substrate\/mismatchScale: must be a number >= 0/],
    [{ mismatch: 0.03 }, /^\/substrate\/mismatch: must be an object/],
    [{ mismatch: { treshold: 0.03 } }, /^\/substrate\/mismatch\/treshold: unknown mismatch option \(known: threshold, /],
    [{ mismatch: { tauMem: -0.1 } }, /^\/substrate\/mismatch\/tauMem: must be a number >= 0/],
    [{ noise: { jitterNs: 'x' } }, /^\/substrate\/noise\/jitterNs: must be a number >= 0/],
    [{ refractoryClockScale: 16 }, /^\/substrate\/refractoryClockScale: must be an integer >= 0 and <= 15 \(got 16\)/],
    [{ holdoffTicks: 2.5 }, /^\/substrate\/holdoffTicks: must be an integer >= 0 and <= 15/],
    [{ tauResetUs: NaN }, /^\/substrate\/tauResetUs: must be a number >= 0 \(got NaN\)/],
    [{ synapticCurrentCap: 0 }, /^\/substrate\/synapticCurrentCap: must be a number > 0/],
    [{ synapticCurrentCap: 'off' }, /^\/substrate\/synapticCurrentCap: must be a number > 0/],
    [{ deadFraction: 1.2 }, /^\/substrate\/deadFraction: must be a number >= 0 and <= 1/],
    [{ deadFraction: 0.6, spontaneousFraction: 0.6 }, /^\/substrate\/spontaneousFraction: deadFraction \+ spontaneousFraction must be <= 1/],
    [{ checkSize: 'no' }, /^\/substrate\/checkSize: must be true or false/],
    [{ readoutLatencyNs: NaN }, /^\/substrate\/readoutLatencyNs: must be a number \(got NaN\)$/],
    [{ readoutLatencyNs: -Infinity }, /^\/substrate\/readoutLatencyNs: must be a finite number \(got -Infinity\)$/],
  ];
  it.each(invalid)('rejects %j', (options, message) => {
    expect(() => bss2Substrate.validateOptions(options)).toThrow(message);
  });

  it('a run with a bad option fails before anything is simulated, naming the option', () => {
    const network = tonicNeuron(2, 0.1);
    expect(() => runOn('bss2', network, 1, { chipSeed: 1, tauReset: 0.5 })).toThrow(/^\/substrate\/tauReset: unknown option/);
  });

  it('accepts every documented option, null and Infinity as "no cap", and fills in the defaults', () => {
    expect(() => bss2Substrate.validateOptions(BSS2_ALL_OFF)).not.toThrow();
    expect(() => bss2Substrate.validateOptions({ synapticCurrentCap: Infinity, mismatch: { threshold: 0 }, noise: {} })).not.toThrow();
    const o = resolveBss2Options({});
    expect(o.chipSeed).toBe(0);
    expect(o.hardwareTimePerUnitUs).toBe(6);
    expect(o.preset).toBe('default');
    expect(o.weightScale).toBeNull();
    // fastAndDeep: 63/30 = 2.1 at c = g_l (threshold - E_l) = 4 (1.08 - 0.70) = 1.52: 2.1 / (e 1.52)
    expect(o.fullScalePsp).toBeCloseTo(2.1 / (Math.E * 1.52), 15);
    expect(o.mismatch).toEqual({
      threshold: 0.03,
      thresholdOffset: 0.05,
      tauMem: 0.05,
      tauSynExc: 0.05,
      tauSynInh: 0.05,
      gain: 0.05,
      efficacy: 0.05,
      efficacyRow: 0,
      chipWeightScale: 0.08,
      leak: 0,
      reset: 0,
    });
    expect(o.noise).toEqual({ thresholdBatch: 0.015, thresholdSample: 0, membrane: 0, jitterNs: 60, jitterReachesNetwork: true });
    expect(o.readoutLatencyNs).toBe(80);
    expect(o.refractoryClockScale).toBe(3);
    expect(o.holdoffTicks).toBe(1);
    expect(o.tauResetUs).toBe(0.5);
    // the default cap is 63 inputs at the neuron's largest weight: 63 x 63 / weightScale, per neuron, with the
    // TTFS neuron's derived scale 63 (1/e) / (1 x 2.1/(e 1.52)) = 30 x 1.52 = 45.6: 3969 / 45.6 = 87.04
    expect(o.synapticCurrentCap).toBeUndefined();
    const one: Network = { populations: [sourcePop('in', [[1]]), lifPop('n', 1, TTFS_NEURON)], projections: [] };
    expect(attachedQuirks(realise(one, {}))!.capExc[0]).toBeCloseTo(3969 / 45.6, 12);
    expect(attachedQuirks(realise(one, { weightScale: 10 }))!.capInh[0]).toBeCloseTo(396.9, 12);
    expect(resolveBss2Options({ mismatch: { gain: 0.1 } }).mismatch.efficacy).toBe(0.05); // partial override
    expect(resolveBss2Options({ synapticCurrentCap: null }).synapticCurrentCap).toBeNull();
  });
});

// ---- weights ---------------------------------------------------------------------------------------------

describe('6-bit signed weights', () => {
  it('rounds to integer / weightScale (halves away from zero) and clips at +-63 / weightScale', () => {
    expect(integerWeight(0.51, 30)).toBe(15); // round(15.3)
    expect(quantisedWeight(0.51, 30)).toBe(0.5);
    expect(integerWeight(-0.51, 30)).toBe(-15);
    expect(integerWeight(0.55, 30)).toBe(17); // 16.5 -> 17
    expect(integerWeight(-0.55, 30)).toBe(-17); // symmetric
    expect(integerWeight(0.01, 30)).toBe(0); // 0.3 LSB -> no synapse
    expect(quantisedWeight(2.5, 30)).toBe(63 / 30); // clipped at 2.1
    expect(quantisedWeight(-7, 30)).toBe(-63 / 30);
    expect(quantisedWeight(1, 10)).toBe(1);
  });

  it('realise rounds the network weights (only), and a weight sign picks the row: its neuron gain', () => {
    const network: Network = {
      populations: [sourcePop('in', [[1], [2]]), lifPop('n', 2, TTFS_NEURON)],
      projections: [projection('in->n', 0, 1, 2, 0, [[0, 0, 0.51], [0, 1, -0.51], [1, 0, 3], [1, 1, 0.01]])],
    };
    // an explicit scale of 30 (the old fastAndDeep value, without the threshold distance): LSB = 1/30
    const q = realise(network, { ...BSS2_ALL_OFF, weightQuantisation: true, weightScale: 30 }).projections[0].synapses.weights;
    expect(Array.from(q)).toEqual([0.5, -0.5, 63 / 30, 0]);
    expect(Array.from(network.projections[0].synapses.weights)).toEqual([0.51, -0.51, 3, 0.01]); // untouched
    // gain mismatch only: excitatory weights get the neuron's excitatory gain, inhibitory ones its inhibitory gain
    const options = { ...BSS2_ALL_OFF, weightQuantisation: true, weightScale: 30, mismatchScale: 1, mismatch: { threshold: 0, thresholdOffset: 0, tauMem: 0, tauSynExc: 0, tauSynInh: 0, efficacy: 0, chipWeightScale: 0, gain: 0.05 } };
    const g = realise(network, { ...options, chipSeed: 4 }).projections[0].synapses.weights;
    const m = drawNeuronMismatch(contextFor({}), resolveBss2Options({ ...options, chipSeed: 4 }), 2);
    expect(g[0]).toBe(0.5 * m.gainExc[0]);
    expect(g[1]).toBe(-0.5 * m.gainInh[1]);
    expect(g[2]).toBe((63 / 30) * m.gainExc[0]);
    expect(g[3]).toBe(0);
    expect(m.gainExc[0]).not.toBe(m.gainInh[0]);
  });

  it('the learning plugin keeps float weights: realise rounds only the copy it runs', () => {
    const model = layeredModel([0.51, -0.33, 1.7, 0.02], [2, 2], false);
    const before = model.weights.map((w) => w.slice());
    const fb = new ForwardBackward(model);
    fb.realise(bss2Substrate, contextFor({ ...BSS2_ALL_OFF, weightQuantisation: true }));
    expect(model.weights.map((w) => Array.from(w))).toEqual(before.map((w) => Array.from(w)));
  });

  it('synapse efficacy and the chip-wide scale multiply the quantised weight', () => {
    const network: Network = {
      populations: [sourcePop('in', [[1], [2], [3]]), lifPop('n', 2, TTFS_NEURON)],
      projections: [projection('in->n', 0, 1, 3, 0, [[0, 0, 1], [1, 0, 1], [2, 1, -1]])],
    };
    const options = { ...BSS2_ALL_OFF, weightQuantisation: true, mismatchScale: 1, chipSeed: 9, mismatch: { threshold: 0, thresholdOffset: 0, tauMem: 0, tauSynExc: 0, tauSynInh: 0, gain: 0 } };
    const w = realise(network, options).projections[0].synapses.weights;
    const o = resolveBss2Options(options);
    const ctx = contextFor({});
    const scale = drawChipWeightScale(ctx, o);
    const col0 = drawEfficacyColumn(ctx, o, 0, 3);
    const col1 = drawEfficacyColumn(ctx, o, 1, 3);
    // default normalisation: weight scale 45.6 for the TTFS neuron, so w = 1 is round(45.6) = 46 LSB = 46/45.6
    const w1 = 46 / 45.6;
    expect(w[0]).toBeCloseTo(w1 * (scale * 1 * col0[0]), 14);
    expect(w[1]).toBeCloseTo(w1 * (scale * 1 * col0[1]), 14);
    expect(w[2]).toBeCloseTo(-w1 * (scale * 1 * col1[2]), 14);
  });
});

// ---- time stamps -----------------------------------------------------------------------------------------

describe('time stamps on the 125 MHz FPGA clock', () => {
  const cycle = 0.008 / 6; // 8 ns in model units at 6 us per unit

  it('one cycle is 8 ns of hardware time', () => {
    expect(fpgaCycle(resolveBss2Options({}))).toBeCloseTo(cycle, 15);
    expect(fpgaCycle(resolveBss2Options({ hardwareTimePerUnitUs: 1 }))).toBeCloseTo(0.008, 15);
  });

  it('realise rounds source spike times to the nearest cycle', () => {
    const network: Network = { populations: [sourcePop('in', [[0.0101, 1, 2.00061]]), lifPop('n', 1, TTFS_NEURON)], projections: [] };
    const src = realise(network, { ...BSS2_ALL_OFF, quantiseInputTimes: true }).populations[0];
    if (src.kind !== 'source') throw new Error('source expected');
    // 0.0101 / cycle = 7.575 -> 8; 1 / cycle = 750 -> 750; 2.00061 / cycle = 1500.4575 -> 1500
    expect(Array.from(src.spikeTimesMs[0])).toEqual([8 * cycle, 750 * cycle, 1500 * cycle]);
    expect(src.spikeTimesMs[0][1]).toBeCloseTo(1, 14);
  });

  it('recorded spike times are time stamps: floor to the cycle grid, after the read-out latency', () => {
    const ctx = contextFor({});
    const stampOnly = bss2Observation(ctx, resolveBss2Options({ ...BSS2_ALL_OFF, quantiseOutputTimes: true }));
    expect(stampOnly.spikeTime(1, 0, 0.9999)).toBe(749 * cycle); // 749.925 cycles
    expect(stampOnly.spikeTime(1, 0, 750 * cycle)).toBe(750 * cycle); // an exact multiple stays
    expect(stampOnly.spikeTime(1, 0, 0.0013)).toBe(0); // 0.975 cycles
    const withLatency = bss2Observation(ctx, resolveBss2Options({ ...BSS2_ALL_OFF, quantiseOutputTimes: true, readoutLatencyNs: 80 }));
    // 1 + 80 ns = 1 + 10 cycles exactly
    expect(withLatency.spikeTime(1, 0, 1)).toBeCloseTo(760 * cycle, 14);
    expect(withLatency.spikeTime(1, 0, 1)).toBe(Math.floor((1 + 0.08 / 6) / cycle + 1e-9) * cycle);
  });

  it('jitter: N(0, 60 ns) per recorded spike from the trial stream; reproducible per trial, another trial differs', () => {
    const o = resolveBss2Options({ ...BSS2_ALL_OFF, noiseScale: 1, readoutLatencyNs: 80 });
    const obs = bss2Observation(contextFor({}, 2), o);
    const xs = Float64Array.from({ length: 20000 }, () => obs.spikeTime(1, 0, 10));
    expectMoments(xs, 10 + 0.08 / 6, 0.06 / 6);
    const again = bss2Observation(contextFor({}, 2), o);
    expect(Array.from({ length: 5 }, () => again.spikeTime(1, 0, 10))).toEqual(Array.from(xs.slice(0, 5)));
    const other = bss2Observation(contextFor({}, 3), o);
    expect(other.spikeTime(1, 0, 10)).not.toBe(xs[0]);
  });

  it('the network sees exact times: observation changes the record, not the spikes downstream neurons get', () => {
    const network: Network = {
      populations: [sourcePop('in', [[1]]), lifPop('a', 1, TTFS_NEURON), lifPop('b', 1, { ...TTFS_NEURON, vThreshMv: 0.3 })],
      projections: [projection('in->a', 0, 1, 1, 0, [[0, 0, 3]]), projection('a->b', 1, 2, 1, 0.5, [[0, 0, 2]])],
    };
    const exact = runOn('bss2', network, 20, BSS2_ALL_OFF);
    // jitter on, threshold noise off: the realised network is the same
    // (simulate never calls `transmit`, so the jitter stays in the record even with jitterReachesNetwork)
    const observing = { ...BSS2_ALL_OFF, readoutLatencyNs: 80, noiseScale: 1, noise: { thresholdBatch: 0 }, quantiseOutputTimes: true };
    const observed = runOn('bss2', network, 20, observing);
    const latency = 0.08 / 6;
    for (const pop of [1, 2]) {
      const t = spikeTimes(exact, pop)[0];
      const r = spikeTimes(observed, pop)[0];
      expect(r).toBeGreaterThan(t + latency - 5 * 0.01 - fpgaCycle(resolveBss2Options({})));
      expect(r).not.toBe(t);
      expect(Math.abs(r - (t + latency))).toBeLessThan(6 * 0.01);
    }
    // b fires at the same exact time in both runs: read off its membrane trace instead of its record
    const trace = (o: Record<string, unknown>) =>
      Array.from(
        simulate(
          { network, durationMs: 20, seed: 17, substrate: { name: 'bss2', options: o }, recording: { membrane: [{ population: 2, indices: [0], dtMs: 0.05 }] } },
          { substrate: bss2Substrate },
        ).traces[0].vMv,
      );
    expect(trace(observing)).toEqual(trace(BSS2_ALL_OFF));
  });
});

// ---- refractory counter, holdoff, relaxing reset ------------------------------------------------------------

describe('refractory counter, reset holdoff and relaxing reset', () => {
  const tick = 0.064 / 6; // 64 ns (clock scale 3) in model units
  const quirksOnly = { ...BSS2_ALL_OFF, refractoryQuantisation: true, holdoffTicks: 1, tauResetUs: 0.5 };

  it('a 64 ns tick; the counter holds floor(tau_refrac / tick) + 1 ticks (calix), at least holdoff + 1, at most 255', () => {
    expect(refractoryTick(resolveBss2Options({}))).toBeCloseTo(tick, 15);
    expect(refractoryTick(resolveBss2Options({ refractoryClockScale: 0 }))).toBeCloseTo(0.008 / 6, 15);
    expect(refractoryTicks(0.1, tick)).toBe(10); // 9.375 -> 9 + 1
    expect(refractoryTicks(10 * tick, tick)).toBe(11); // an exact multiple gets its extra holdoff bit too
    expect(refractoryTicks(0, tick, 2)).toBe(2);
    expect(refractoryTicks(1000, tick)).toBe(255);
    const realised = (tauRefrac: number, o: Record<string, unknown> = quirksOnly) => lifOf(realise(tonicNeuron(2, tauRefrac), o), 1).params.tauRefracMs[0];
    expect(realised(0.1)).toBe(10 * tick);
    expect(realised(1000)).toBe(255 * tick); // 16.32 us: clipped
    expect(realised(0.01, { ...quirksOnly, holdoffTicks: 4 })).toBe(5 * tick);
    expect(realised(0.1, BSS2_ALL_OFF)).toBe(0.1);
  });

  // A neuron driven to the asymptote c = 2 (threshold 1, tau_m = tau_s = 1 unit) fires tonically. From rest the
  // first spike is at ln(c / (c - 1)). After a spike (V = 1): the reset phase of (ticks - holdoff) ticks relaxes
  // V to v_reset = 0, V_E = e^{-T_reset / tau_reset}; the holdoff evolves freely, V_R = c + (V_E - c) e^{-h};
  // then V = c + (V_R - c) e^{-t} reaches 1 after ln((c - V_R) / (c - 1)).
  function expectedSpikes(c: number, period: number, holdoff: number, tauReset: number, count: number): number[] {
    const resetPhase = period - holdoff;
    const vE = tauReset === 0 ? 0 : Math.exp(-resetPhase / tauReset);
    const vR = c + (vE - c) * Math.exp(-holdoff);
    const isi = vR >= 1 ? period : period + Math.log((c - vR) / (c - 1));
    const first = Math.log(c / (c - 1));
    return Array.from({ length: count }, (_, k) => first + k * isi);
  }

  it('tonic firing: spike times follow the quantised period, the holdoff and the relaxing reset (analytic)', () => {
    const sim = spikeTimes(runOn('bss2', tonicNeuron(2, 0.1), 5, quirksOnly));
    const expected = expectedSpikes(2, 10 * tick, tick, 0.5 / 6, sim.length);
    expect(sim.length).toBeGreaterThan(5);
    sim.forEach((t, k) => expect(Math.abs(t - expected[k])).toBeLessThan(1e-9));
    // the ideal neuron fires less often: its reset clamps V to 0 for the whole period, while the relaxing
    // reset leaves V at e^{-1.152} = 0.32 when the holdoff begins
    const ideal = spikeTimes(runOn('ideal', tonicNeuron(2, 0.1), 5));
    const idealExpected = expectedSpikes(2, 0.1, 0, 0, ideal.length);
    ideal.forEach((t, k) => expect(Math.abs(t - idealExpected[k])).toBeLessThan(1e-9));
    expect(sim.length).toBeGreaterThan(ideal.length);
  });

  it('ideal clamp (tauResetUs 0) with the holdoff: V is free only in the last tick', () => {
    const sim = spikeTimes(runOn('bss2', tonicNeuron(3, 0.2), 5, { ...quirksOnly, tauResetUs: 0 }));
    const ticks = Math.floor(0.2 / tick) + 1; // 19
    const expected = expectedSpikes(3, ticks * tick, tick, 0, sim.length);
    expect(sim.length).toBeGreaterThan(5);
    sim.forEach((t, k) => expect(Math.abs(t - expected[k])).toBeLessThan(1e-9));
  });

  it('V above threshold when the holdoff ends: the neuron fires exactly then, every period', () => {
    // c = 20 and a 15-tick holdoff: V climbs past the threshold during the holdoff (V_R = 20 (1 - e^{-15 tick}) = 2.96)
    const sim = spikeTimes(runOn('bss2', tonicNeuron(20, 0.1), 2, { ...quirksOnly, tauResetUs: 0, holdoffTicks: 15 }));
    const period = 16 * tick; // max(floor(0.1 / tick) + 1, 15 + 1) ticks
    const first = Math.log(20 / 19);
    expect(sim.length).toBeGreaterThan(8);
    sim.forEach((t, k) => expect(Math.abs(t - (first + k * period))).toBeLessThan(1e-12));
  });

  it('membrane during the reset phase relaxes to v_reset with tau_reset, then evolves freely in the holdoff', () => {
    const params = lifParamArrays(1, { ...TTFS_NEURON, iOffsetNa: 2, tauRefracMs: 10 * tick });
    const quirks = { ...defaultQuirks(params) };
    const k = bss2Constants(params, quirks);
    const s = neuronStateArrays(1);
    s.vMv[0] = 1;
    s.lastMs[0] = 3;
    bss2Dynamics.fire(s, k, 0);
    expect(s.refractoryUntilMs[0]).toBe(3 + 10 * tick);
    const tauReset = 0.5 / 6;
    for (const dt of [0, 0.01, 0.05, 9 * tick]) expect(bss2Dynamics.membranePotentialAt(s, k, 0, 3 + dt)).toBeCloseTo(Math.exp(-dt / tauReset), 13);
    const vE = Math.exp(-(9 * tick) / tauReset);
    const h = 0.5 * tick;
    expect(bss2Dynamics.membranePotentialAt(s, k, 0, 3 + 9 * tick + h)).toBeCloseTo(2 + (vE - 2) * Math.exp(-h), 13);
    // an input in the reset phase does not move V there, but drives it in the holdoff: here past the
    // threshold, so the neuron fires exactly when the holdoff ends
    const kicked = { ...s, vMv: s.vMv.slice(), iExcNa: s.iExcNa.slice(), iInhNa: s.iInhNa.slice(), lastMs: s.lastMs.slice() };
    bss2Dynamics.advanceTo(kicked, k, 0, 3 + 5 * tick);
    bss2Dynamics.receive(kicked, k, 0, 1000);
    expect(bss2Dynamics.membranePotentialAt(kicked, k, 0, 3 + 9 * tick)).toBeCloseTo(vE, 12);
    // the default cap: 63 x 63 / 45.6 (the TTFS neuron's derived weight scale, 30 x 1.52)
    const cap = (63 * 63) / 45.6;
    expect(kicked.iExcNa[0]).toBeCloseTo(cap, 12);
    expect(bss2Dynamics.membranePotentialAt(kicked, k, 0, 3 + 9.5 * tick)).toBeLessThan(1);
    // free LIF in the holdoff from 3 + 9 tick (tau_m = tau_s = 1, C = 1, offset current 2): with the current
    // I0 = cap e^{-4 tick} there (decayed since 3 + 5 tick), V(h) = 2 + (vE - 2) e^{-h} + I0 h e^{-h}
    const i0 = cap * Math.exp(-4 * tick);
    const vEnd = 2 + (vE - 2) * Math.exp(-tick) + i0 * tick * Math.exp(-tick);
    expect(bss2Dynamics.membranePotentialAt(kicked, k, 0, 3 + 10 * tick)).toBeCloseTo(vEnd, 12);
    expect(vEnd).toBeGreaterThan(1.1);
    expect(bss2Dynamics.nextSpikeTime(kicked, k, 0, 10)).toBe(3 + 10 * tick);
    // a weaker input in the holdoff leaves V below threshold there: the crossing comes later, in the free phase
    bss2Dynamics.advanceTo(s, k, 0, 3 + 9.5 * tick);
    bss2Dynamics.receive(s, k, 0, 100);
    const t = bss2Dynamics.nextSpikeTime(s, k, 0, 10);
    expect(bss2Dynamics.membranePotentialAt(s, k, 0, 3 + 10 * tick)).toBeLessThan(1);
    expect(t).toBeGreaterThan(3 + 10 * tick);
    expect(bss2Dynamics.membranePotentialAt(s, k, 0, t)).toBeGreaterThanOrEqual(1 - 1e-12); // another composition path: rounding
    expect(bss2Dynamics.membranePotentialAt(s, k, 0, t - 1e-9)).toBeLessThan(1);
  });
});

// ---- synaptic current cap, faults, size ------------------------------------------------------------------------

describe('saturating synaptic input', () => {
  it('three simultaneous inputs of 1 with a cap of 1.5 act like one input of 1.5 (closed form t e^{-t} = 1/3)', () => {
    const neuron = { ...TTFS_NEURON, vThreshMv: 0.5 };
    const network: Network = {
      populations: [sourcePop('in', [[1], [1], [1]]), lifPop('n', 1, neuron)],
      projections: [projection('in->n', 0, 1, 3, 0, [[0, 0, 1], [1, 0, 1], [2, 0, 1]])],
    };
    const t = spikeTimes(runOn('bss2', network, 10, { ...BSS2_ALL_OFF, synapticCurrentCap: 1.5 }))[0];
    // V(t) = 1.5 (t - 1) e^{-(t - 1)} = 0.5: the rising root of x e^{-x} = 1/3, by bisection
    let lo = 0;
    let hi = 1;
    for (let it = 0; it < 200; it++) {
      const mid = 0.5 * (lo + hi);
      if (mid * Math.exp(-mid) < 1 / 3) lo = mid;
      else hi = mid;
    }
    expect(Math.abs(t - (1 + hi))).toBeLessThan(1e-9);
    const uncapped = spikeTimes(runOn('bss2', network, 10, BSS2_ALL_OFF))[0];
    expect(uncapped).toBeLessThan(t - 0.1);
  });

  it('the cap also bounds |inhibitory current| and never lowers a current already above it', () => {
    const params = lifParamArrays(1, TTFS_NEURON);
    const quirks = { ...defaultQuirks(params), capExc: Float64Array.of(2), capInh: Float64Array.of(1) };
    const k = bss2Constants(params, quirks);
    const s = neuronStateArrays(1);
    bss2Dynamics.receive(s, k, 0, 1.5);
    bss2Dynamics.receive(s, k, 0, 1.5);
    expect(s.iExcNa[0]).toBe(2);
    bss2Dynamics.receive(s, k, 0, -0.7);
    bss2Dynamics.receive(s, k, 0, -0.7);
    expect(s.iInhNa[0]).toBe(-1);
    s.iExcNa[0] = 3;
    bss2Dynamics.receive(s, k, 0, 0.5);
    expect(s.iExcNa[0]).toBe(3);
  });
});

describe('faulty neurons', () => {
  const tick = 0.064 / 6;
  it('fault fractions per chip: dead and spontaneous slots in the configured proportions, fixed by the chip seed', () => {
    const o = resolveBss2Options({ deadFraction: 0.2, spontaneousFraction: 0.1, chipSeed: 21 });
    const f = drawNeuronMismatch(contextFor({}), o, 10000).fault;
    const dead = f.filter((x) => x === FAULT_DEAD).length / f.length;
    const spont = f.filter((x) => x === FAULT_SPONTANEOUS).length / f.length;
    expect(Math.abs(dead - 0.2)).toBeLessThan(4 * Math.sqrt((0.2 * 0.8) / 10000));
    expect(Math.abs(spont - 0.1)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / 10000));
    expect(Array.from(drawNeuronMismatch(contextFor({}), o, 10000).fault)).toEqual(Array.from(f));
  });

  it('dead neurons never fire; spontaneous ones fire at the first tick and then every refractory period', () => {
    const strong = tonicNeuron(5, 0.1);
    expect(spikeTimes(runOn('bss2', strong, 3, { ...BSS2_ALL_OFF, deadFraction: 1 }))).toEqual([]);
    const quiet = tonicNeuron(0, 0.1); // no drive at all
    const sim = spikeTimes(runOn('bss2', quiet, 1, { ...BSS2_ALL_OFF, refractoryQuantisation: true, spontaneousFraction: 1 }));
    const period = 10 * tick;
    expect(sim.length).toBe(Math.floor((1 - tick) / period) + 1);
    sim.forEach((t, k) => expect(Math.abs(t - (tick + k * period))).toBeLessThan(1e-12));
    // in the layered first-spike runner a spontaneous neuron's first spike is the first tick
    const model = layeredModel([0], [2, 3], false);
    const fb = new ForwardBackward(model);
    fb.realise(bss2Substrate, contextFor({ ...BSS2_ALL_OFF, spontaneousFraction: 1 }));
    fb.forward([1, 2], 0, emptySampleResult());
    expect(Array.from(fb.layerTimes(1))).toEqual([tick, tick, tick]);
  });
});

describe('size limits', () => {
  const wide = (neurons: number, inputs: number): Network => ({
    populations: [sourcePop('in', Array.from({ length: inputs }, () => [1])), lifPop('hidden', neurons, TTFS_NEURON)],
    projections: [projection('in->hidden', 0, 1, inputs, 0, Array.from({ length: inputs }, (_, j) => [j, neurons - 1, 0.1] as [number, number, number]))],
  });

  it('256 logical neurons of 256 inputs fit (the paper\'s 256 -> 246 -> 10)', () => {
    const model = layeredModel([0.1], [256, 246, 10], false);
    const fb = new ForwardBackward(model);
    expect(() => fb.realise(bss2Substrate, contextFor({}))).not.toThrow();
  });

  it('more neurons or more inputs than the chip has: an error naming the limit; checkSize false lifts it', () => {
    expect(() => realise(wide(257, 1), {})).toThrow(/^bss2: the network has 257 LIF neurons, more than the 256 logical neurons of one BrainScaleS-2 chip \(512 neuron circuits, 2 per logical neuron\); set the substrate option checkSize: false/);
    expect(() => realise(wide(3, 300), {})).toThrow(/^bss2: neuron 2 of population 'hidden' has 300 inputs, more than the 256 signed inputs of a logical neuron/);
    expect(() => realise(wide(257, 300), { checkSize: false })).not.toThrow();
    expect(() => runOn('bss2', wide(3, 300), 5, {})).toThrow(/has 300 inputs/);
  });
});

// ---- mismatch statistics ---------------------------------------------------------------------------------------

describe('fixed-pattern mismatch', () => {
  const N = 10000;

  it('over 10,000 slots the drawn figures match the configured means and spreads (4 standard errors)', () => {
    const o = resolveBss2Options({ chipSeed: 12 });
    const m = drawNeuronMismatch(contextFor({}), o, N);
    expectMoments(m.thresholdShift, 0.05, 0.03);
    expectMoments(m.tauMemFactor, 1, 0.05);
    expectMoments(m.tauSynExcFactor, 1, 0.05);
    expectMoments(m.tauSynInhFactor, 1, 0.05);
    expectMoments(m.gainExc, 1, 0.05);
    expectMoments(m.gainInh, 1, 0.05);
    const efficacies = new Float64Array(N);
    for (let c = 0; c < 100; c++) efficacies.set(drawEfficacyColumn(contextFor({}), o, c, 100), c * 100);
    expectMoments(efficacies, 1, 0.05);
    // independent quantities are uncorrelated
    const a = meanSd(m.tauMemFactor);
    const b = meanSd(m.tauSynExcFactor);
    let cov = 0;
    for (let j = 0; j < N; j++) cov += (m.tauMemFactor[j] - a.mean) * (m.tauSynExcFactor[j] - b.mean);
    expect(Math.abs(cov / (N - 1) / (a.sd * b.sd))).toBeLessThan(4 / Math.sqrt(N));
    // per-quantity scaling: mismatchScale 2 doubles the same deviations
    const twice = drawNeuronMismatch(contextFor({}), resolveBss2Options({ chipSeed: 12, mismatchScale: 2 }), 50);
    for (let j = 0; j < 50; j++) expect(twice.tauMemFactor[j] - 1).toBeCloseTo(2 * (m.tauMemFactor[j] - 1), 14);
  });

  it('the same chip seed gives the same chip bitwise, another seed another chip', () => {
    const draw = (chipSeed: number) => drawNeuronMismatch(contextFor({}), resolveBss2Options({ chipSeed }), 300);
    const a = draw(5);
    const b = draw(5);
    const c = draw(6);
    for (const key of ['thresholdShift', 'tauMemFactor', 'tauSynExcFactor', 'tauSynInhFactor', 'gainExc', 'gainInh'] as const) {
      expect(Array.from(b[key])).toEqual(Array.from(a[key]));
      expect(Array.from(c[key])).not.toEqual(Array.from(a[key]));
    }
    // a different master seed (other runs, other trials) does not change the chip
    const other = drawNeuronMismatch(contextFor({}, 3, 999), resolveBss2Options({ chipSeed: 5 }), 300);
    expect(Array.from(other.thresholdShift)).toEqual(Array.from(a.thresholdShift));
  });

  it('the chip-wide weight scale varies from chip to chip with sd 8%', () => {
    const scales = Float64Array.from({ length: 3000 }, (_, seed) => drawChipWeightScale(contextFor({}), resolveBss2Options({ chipSeed: seed })));
    expectMoments(scales, 1, 0.08);
  });

  it('realise places neurons in population order on slots 0..N-1: a slot is the same neuron whatever the network', () => {
    const options = { chipSeed: 8, noiseScale: 0 };
    const o = resolveBss2Options(options);
    const m = drawNeuronMismatch(contextFor({}), o, 30);
    const one: Network = { populations: [sourcePop('in', [[1]]), lifPop('a', 30, TTFS_NEURON)], projections: [] };
    const two: Network = { populations: [lifPop('a', 10, TTFS_NEURON), sourcePop('in', [[1]]), lifPop('b', 5, { ...TTFS_NEURON, vThreshMv: 2 })], projections: [] };
    const r1 = lifOf(realise(one, options), 1).params;
    const r2 = realise(two, options);
    for (let j = 0; j < 30; j++) {
      expect(r1.vThreshMv[j]).toBe(1 + 1 * m.thresholdShift[j]);
      expect(r1.tauMemMs[j]).toBe(1 * m.tauMemFactor[j]);
      expect(r1.tauSynInhMs[j]).toBe(1 * m.tauSynInhFactor[j]);
    }
    for (let j = 0; j < 10; j++) expect(lifOf(r2, 0).params.vThreshMv[j]).toBe(r1.vThreshMv[j]);
    for (let j = 0; j < 5; j++) expect(lifOf(r2, 2).params.vThreshMv[j]).toBe(2 + 2 * m.thresholdShift[10 + j]);
  });

  it('trial-to-trial threshold noise: sd 1.5% of (threshold - leak), new each trial, the same for a repeated trial', () => {
    const network: Network = { populations: [lifPop('a', 5000, TTFS_NEURON)], projections: [] };
    const options = { ...BSS2_ALL_OFF, noiseScale: 1 };
    const t0 = lifOf(realise(network, options, 0), 0).params.vThreshMv;
    expectMoments(t0, 1, 0.015);
    expect(Array.from(lifOf(realise(network, options, 0), 0).params.vThreshMv)).toEqual(Array.from(t0));
    expect(lifOf(realise(network, options, 1), 0).params.vThreshMv[0]).not.toBe(t0[0]);
  });

  it('realise does not modify its argument', () => {
    const network: Network = {
      populations: [sourcePop('in', [[0.0101]]), lifPop('a', 3, TTFS_NEURON)],
      projections: [projection('p', 0, 1, 1, 0, [[0, 0, 0.51], [0, 2, -0.2]])],
    };
    const before = JSON.stringify(network, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
    realise(network, { chipSeed: 1, deadFraction: 0.5 });
    expect(JSON.stringify(network, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v))).toBe(before);
  });
});

// ---- cost estimate -----------------------------------------------------------------------------------------------

describe('cost estimate', () => {
  it("the paper's run: 10,000 images at a fixed 8 tau slot of 6 us: 48 us + 100 us / 10,000 = 48.01 us; 8.4 uJ at 175 mW without the offset", () => {
    const activity = { inferences: 10000, inputSpikes: 0, neuronSpikes: 0, synapticEvents: 0, lastOutputSpike: new Float64Array(10000).fill(3) };
    const c = bss2CostEstimate(activity, { slotUnits: 8 });
    expect(c.timeUs).toBeCloseTo(48.01, 12);
    expect(c.energyUJ[0]).toBeCloseTo((175 * 48.01) / 1000, 12); // 8.40175
    expect(c.energyUJ[1]).toBeCloseTo((200 * 48.01) / 1000, 12); // 9.602
    expect(c.runs).toBe(1);
    const bare = bss2CostEstimate(activity, { slotUnits: 8, runOffsetUs: 0 });
    expect(bare.timeUs).toBe(48);
    expect(bare.energyUJ[0]).toBeCloseTo(8.4, 12);
    expect(c.notes.join(' ')).toMatch(/175 mW .*UNVERIFIED/);
    expect(c.notes.join(' ')).toMatch(/less than 200 mW/);
    expect(() => bss2CostEstimate({ ...activity, inferences: 0 })).toThrow(/inferences must be a finite integer > 0/);
    expect(() => bss2CostEstimate(activity, { powerMw: [200, 175] })).toThrow(/powerMw must be \[low, high\]/);
  });
});
