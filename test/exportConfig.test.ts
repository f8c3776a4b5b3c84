import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSimulation, simulate, substrateNames } from '../index.ts';
import { getSubstrate } from '../core/substrate/registry.ts';
import { batchContext } from '../plugins/learning/batchGradient.ts';
import { createModel, loadPresetData } from '../plugins/learning/experiment.ts';
import { ForwardBackward, emptySampleResult } from '../plugins/learning/forwardBackward.ts';
import { saveModel } from '../plugins/learning/modelFile.ts';
import { YINYANG_PRESET } from '../plugins/learning/presets.ts';
import { runCli } from './helpers/cliRun.ts';

const SEED = 4;

/** First spike time of every neuron of `population` in a simulation result (Infinity: none). */
function firstSpikes(result: ReturnType<typeof simulate>, population: string, size: number): Float64Array {
  const p = result.populationNames.indexOf(population);
  const out = new Float64Array(size).fill(Infinity);
  const s = result.spikes;
  for (let k = 0; k < s.timeMs.length; k++) {
    if (s.population[k] === p && s.timeMs[k] < out[s.neuron[k]]) out[s.neuron[k]] = s.timeMs[k];
  }
  return out;
}

describe('firstspike export config: a trained model as a simulate config', () => {
  let dir: string;
  let modelPath: string;
  const model = createModel(YINYANG_PRESET, 12);
  const data = loadPresetData(YINYANG_PRESET);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-export-config-'));
    modelPath = join(dir, 'model.json');
    await saveModel(modelPath, model, {
      preset: 'yinyang',
      training: { seed: SEED, epochsDone: 0, substrate: 'ideal', substrateOptions: {}, validationAccuracy: null },
    });
  });

  it("simulating the config gives bit for bit the first-spike times of evaluate's forward pass", async () => {
    const substrate = getSubstrate('ideal');
    const fb = new ForwardBackward(model, YINYANG_PRESET.train.pass);
    fb.realise(substrate, batchContext(substrate, {}, SEED, 0));
    const set = data.test;
    const n0 = model.layerSizes[0];
    let spiking = 0;
    for (const k of [0, 7, 123]) {
      const out = join(dir, `sample${k}.json`);
      const r = await runCli(['export', 'config', '--model', modelPath, '--sample', String(k), '--out', out]);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(new RegExp(`sample ${k} of the test split`));
      const config = JSON.parse(await readFile(out, 'utf8'));
      const result = simulate(buildSimulation(config, { knownSubstrates: substrateNames() }));
      // evaluate runs sample k as trial k of the realisation with the training seed
      fb.forward(set.times.subarray(k * n0, (k + 1) * n0), set.labels[k], emptySampleResult(), k);
      for (let l = 1; l < model.layerSizes.length; l++) {
        const expected = fb.exactLayerTimes(l);
        const got = firstSpikes(result, `layer${l}`, model.layerSizes[l]);
        expect(Array.from(got)).toEqual(Array.from(expected));
        spiking += expected.filter((t) => t < Infinity).length;
      }
    }
    expect(spiking).toBeGreaterThan(50); // the comparison is about real spikes, not silence
  });

  it("on bss2 without trial noise, simulating it gives evaluate's recorded (observed) times bit for bit", async () => {
    const options = { chipSeed: 3, noiseScale: 0 };
    const bssPath = join(dir, 'model-bss2.json');
    await saveModel(bssPath, model, {
      preset: 'yinyang',
      training: { seed: SEED, epochsDone: 0, substrate: 'bss2', substrateOptions: options, validationAccuracy: null },
    });
    const substrate = getSubstrate('bss2');
    const fb = new ForwardBackward(model, YINYANG_PRESET.train.pass);
    fb.realise(substrate, batchContext(substrate, options, SEED, 0));
    const n0 = model.layerSizes[0];
    const k = 3;
    const r = await runCli(['export', 'config', '--model', bssPath, '--sample', String(k)]);
    expect(r.code).toBe(0);
    const config = JSON.parse(r.out);
    expect(config.substrate).toEqual({ name: 'bss2', ...options });
    const result = simulate(buildSimulation(config, { knownSubstrates: substrateNames() }));
    fb.forward(data.test.times.subarray(k * n0, (k + 1) * n0), data.test.labels[k], emptySampleResult(), k);
    for (let l = 1; l < model.layerSizes.length; l++) {
      expect(Array.from(firstSpikes(result, `layer${l}`, model.layerSizes[l]))).toEqual(Array.from(fb.layerTimes(l)));
    }
    // the chip's times are not the ideal ones (quantised inputs, weights and readout)
    expect(Array.from(fb.layerTimes(2))).not.toEqual(Array.from(fb.exactLayerTimes(2)));
  });

  it('takes inputs from a file, records traces with --trace-dt, and refuses bad input with one line', async () => {
    const inputs = join(dir, 'inputs.json');
    await writeFile(inputs, JSON.stringify([0.2, null, 1.5, 0.7, 0.9]));
    const r = await runCli(['export', 'config', '-m', modelPath, '--inputs', inputs, '--trace-dt', '0.5']);
    expect(r.code).toBe(0);
    const config = JSON.parse(r.out);
    expect(config.populations[0].spike_times).toEqual([[0.2], [], [1.5], [0.7], [0.9]]);
    expect(config.duration).toBe(YINYANG_PRESET.train.pass.tMax);
    const result = simulate(buildSimulation(config, { knownSubstrates: substrateNames() }));
    const hidden = result.traces.filter((t) => result.populationNames[t.population] === 'layer1');
    expect(hidden).toHaveLength(model.layerSizes[1]);
    expect(hidden[0].vMv.length).toBe(Math.ceil(config.duration / 0.5));
    for (const argv of [
      ['export', 'config', '-m', modelPath],
      ['export', 'config', '-m', modelPath, '--sample', '1', '--inputs', inputs],
      ['export', 'config', '-m', modelPath, '--sample', '99999'],
      ['export', 'config', '-m', join(dir, 'none.json'), '--sample', '0'],
    ]) {
      const bad = await runCli(argv);
      expect(bad.code).toBe(2);
      expect(bad.out).toBe('');
      expect(bad.err).toMatch(/^firstspike: error: /);
      expect(bad.err.trim().split('\n')).toHaveLength(1);
    }
    await writeFile(inputs, JSON.stringify([0.2, 1]));
    const short = await runCli(['export', 'config', '-m', modelPath, '--inputs', inputs]);
    expect(short.err).toMatch(/has 2 times but the model has 5 inputs/);
  });
});
