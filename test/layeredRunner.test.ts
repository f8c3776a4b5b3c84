import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LayeredRunner } from '../core/engine/layeredRunner.ts';
import { runNetwork } from '../core/engine/runNetwork.ts';
import { lifDynamics } from '../core/lif/lifDynamics.ts';
import { lifParamArrays } from '../core/lif/params.ts';
import { modelToNetwork, type LayeredModel } from '../plugins/learning/model.ts';

const uniform = (min: number, max: number): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: 1_000_000 }).map((k) => min + ((max - min) * k) / 1_000_000);

describe('layered first-spike engine mode', () => {
  it('gives bit-identical first spikes to the general engine on the same network (ratios 1, 2 and 0.5)', () => {
    let spikes = 0;
    fc.assert(
      fc.property(
        fc.constantFrom([1, 1], [2, 1], [1, 2]),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.array(uniform(-0.5, 2.5), { minLength: 200, maxLength: 200 }),
        fc.array(uniform(0, 3), { minLength: 6, maxLength: 6 }),
        ([tauM, tauS], nIn, nHidden, nOut, withBias, pool, inputs) => {
          const biasTimes = withBias ? [0.9, 0.9] : [null, null];
          const pre1 = nIn + (withBias ? 1 : 0);
          const pre2 = nHidden + (withBias ? 1 : 0);
          const model: LayeredModel = {
            layerSizes: [nIn, nHidden, nOut],
            biasTimes,
            neuron: { tauMemMs: tauM, tauSynExcMs: tauS, tauSynInhMs: tauS, capacitanceNf: 1, vRestMv: 0, vResetMv: 0, vThreshMv: 1, tauRefracMs: 1000, iOffsetNa: 0 },
            weights: [Float64Array.from(pool.slice(0, pre1 * nHidden)), Float64Array.from(pool.slice(100, 100 + pre2 * nOut))],
          };
          const input = inputs.slice(0, nIn);
          const runner = new LayeredRunner(lifDynamics, lifParamArrays(nHidden + nOut, model.neuron), model.layerSizes, biasTimes);
          runner.weights[1].set(model.weights[0]);
          runner.weights[2].set(model.weights[1]);
          const out = [new Float64Array(nIn), new Float64Array(nHidden), new Float64Array(nOut)];
          runner.run(input, 20, out);
          const general = runNetwork({ network: modelToNetwork(model, input), dynamics: lifDynamics, durationMs: 20, recording: {} });
          const first = new Map<string, number>();
          general.spikes.timeMs.forEach((t, k) => {
            const key = `${general.spikes.population[k]}:${general.spikes.neuron[k]}`;
            if (!first.has(key)) first.set(key, t);
          });
          const hiddenPop = withBias ? 2 : 1;
          const outPop = withBias ? 4 : 2;
          for (let n = 0; n < nHidden; n++) expect(out[1][n]).toBe(first.get(`${hiddenPop}:${n}`) ?? Infinity);
          for (let n = 0; n < nOut; n++) expect(out[2][n]).toBe(first.get(`${outPop}:${n}`) ?? Infinity);
          spikes += [...out[1], ...out[2]].filter((t) => t < Infinity).length;
        },
      ),
      { numRuns: 300, seed: 21 },
    );
    expect(spikes).toBeGreaterThan(500);
  });

  it("the LIF fast path (firstSpikes) gives bitwise the generic sweep's times, ties and all tau ratios included", () => {
    const generic = { ...lifDynamics, firstSpikes: undefined };
    let spikes = 0;
    fc.assert(
      fc.property(
        fc.constantFrom([1, 1, 1], [2, 1, 1], [1, 2, 2], [1, 0.5, 2], [3, 1, 1 + 1e-9]),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(uniform(-0.8, 2.5), { minLength: 200, maxLength: 200 }),
        // few distinct times, so simultaneous inputs are common
        fc.array(fc.constantFrom(0, 0.15, 0.5, 0.5, 1, 2, 2), { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        ([tauM, tauE, tauI], nIn, nHidden, nOut, pool, inputs, uniform) => {
          const neuron = { tauMemMs: tauM, tauSynExcMs: tauE, tauSynInhMs: tauI, capacitanceNf: 1, vRestMv: 0, vResetMv: 0, vThreshMv: 1, tauRefracMs: 1000, iOffsetNa: 0 };
          const sizes = [nIn, nHidden, nOut];
          const biasTimes = [0.5, null];
          // identical neurons take the shared-constants loop; one different neuron per layer the general one
          const params = lifParamArrays(nHidden + nOut, neuron);
          if (!uniform) {
            params.tauMemMs[0] *= 1.1;
            params.vThreshMv[nHidden] = 0.9;
          }
          const fast = new LayeredRunner(lifDynamics, params, sizes, biasTimes);
          const slow = new LayeredRunner(generic, params, sizes, biasTimes);
          for (const r of [fast, slow]) {
            r.weights[1].set(pool.slice(0, (nIn + 1) * nHidden));
            r.weights[2].set(pool.slice(100, 100 + nHidden * nOut));
          }
          const a = sizes.map((n) => new Float64Array(n));
          const b = sizes.map((n) => new Float64Array(n));
          fast.run(inputs.slice(0, nIn), 30, a);
          slow.run(inputs.slice(0, nIn), 30, b);
          for (let l = 1; l < 3; l++) for (let n = 0; n < sizes[l]; n++) expect(Object.is(a[l][n], b[l][n])).toBe(true);
          spikes += [...a[1], ...a[2]].filter((t) => t < Infinity).length;
        },
      ),
      { numRuns: 400, seed: 5 },
    );
    expect(spikes).toBeGreaterThan(1000);
  });
});

describe('bss2 fast path of the layered mode', () => {
  it('gives bitwise the generic sweep on realised chips (mismatch, current caps, dead and spontaneous neurons)', async () => {
    const { bss2Dynamics, bss2Substrate } = await import('../substrates/bss2/index.ts');
    const { batchContext } = await import('../plugins/learning/batchGradient.ts');
    const { concatenatedLifParams } = await import('../core/network/network.ts');
    const { layersFromNetwork } = await import('../plugins/learning/model.ts');
    const generic = { ...bss2Dynamics, firstSpikes: undefined };
    let spikes = 0;
    let capped = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(0, 0.1),
        fc.array(uniform(-0.8, 2.5), { minLength: 200, maxLength: 200 }),
        fc.array(fc.constantFrom(0, 0.15, 0.5, 0.5, 1, 1.7, 2), { minLength: 4, maxLength: 4 }),
        (chipSeed, faults, pool, inputs) => {
          const nIn = 4;
          const nHidden = 10;
          const nOut = 3;
          const model: LayeredModel = {
            layerSizes: [nIn, nHidden, nOut],
            biasTimes: [0.5, null],
            neuron: { tauMemMs: 1, tauSynExcMs: 1, tauSynInhMs: 1, capacitanceNf: 1, vRestMv: 0, vResetMv: 0, vThreshMv: 1, tauRefracMs: 1000, iOffsetNa: 0 },
            weights: [Float64Array.from(pool.slice(0, (nIn + 1) * nHidden)), Float64Array.from(pool.slice(100, 100 + nHidden * nOut))],
          };
          // a low current cap so that saturation happens
          const options = { chipSeed, deadFraction: faults, spontaneousFraction: faults, synapticCurrentCap: 3 };
          const network = bss2Substrate.realise(modelToNetwork(model), batchContext(bss2Substrate, options, 1, 0));
          const params = concatenatedLifParams(network.populations);
          const { weights } = layersFromNetwork(model, network);
          const runners = [bss2Dynamics, generic].map((d) => {
            const r = new LayeredRunner(d, params, model.layerSizes, model.biasTimes, network);
            weights.forEach((w, l) => r.weights[l + 1].set(w));
            return r;
          });
          const outs = runners.map(() => model.layerSizes.map((n) => new Float64Array(n)));
          runners.forEach((r, k) => r.run(inputs, 30, outs[k]));
          for (let l = 1; l < 3; l++) for (let n = 0; n < model.layerSizes[l]; n++) expect(Object.is(outs[0][l][n], outs[1][l][n])).toBe(true);
          spikes += [...outs[0][1], ...outs[0][2]].filter((t) => t < Infinity).length;
          if (weights[0].reduce((a, w) => a + Math.max(0, w), 0) > 3) capped++;
        },
      ),
      { numRuns: 150, seed: 8 },
    );
    expect(spikes).toBeGreaterThan(500);
    expect(capped).toBeGreaterThan(30);
  });
});
