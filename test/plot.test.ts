import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../index.ts';
import { getSubstrate } from '../core/substrate/registry.ts';
import { epochLogRecord } from '../plugins/learning/epochLog.ts';
import { createModel, loadPresetData } from '../plugins/learning/experiment.ts';
import { saveModel } from '../plugins/learning/modelFile.ts';
import { YINYANG_PRESET } from '../plugins/learning/presets.ts';
import { evaluate, type EpochReport } from '../plugins/learning/trainer.ts';
import {
  confusionSpec,
  evaluationFromDocument,
  forwardSet,
  layerSpikesSpec,
  rasterSpec,
  renderSvg,
  svgToPng,
  sweepFromDocument,
  sweepSpec,
  sweepSummary,
  trainingSpec,
  yinYangSpec,
  type RasterData,
} from '../plugins/plot/index.ts';
import { runCli } from './helpers/cliRun.ts';

type Node = Record<string, unknown>;

/** Parses SVG text strictly (fails on malformed XML) into a tree with attributes as '@_name'. */
function parseSvg(svg: string): Node {
  const valid = XMLValidator.validate(svg);
  expect(valid).toBe(true);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false }).parse(svg) as Node;
}

/** Child elements of a node (attributes and text excluded), arrays flattened. */
function children(node: Node): Node[] {
  return Object.entries(node)
    .filter(([k]) => !k.startsWith('@_') && k !== '#text')
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]))
    .filter((v): v is Node => v !== null && typeof v === 'object');
}

/** All `<g>` groups whose class contains `cls`. */
function groups(node: Node, cls: string, found: Node[] = []): Node[] {
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@_')) continue;
    for (const c of Array.isArray(v) ? v : [v]) {
      if (c === null || typeof c !== 'object') continue;
      if (k === 'g' && String((c as Node)['@_class'] ?? '').split(' ').includes(cls)) found.push(c as Node);
      groups(c as Node, cls, found);
    }
  }
  return found;
}

/** Number of marks drawn by the mark group named `name` (vega's class `<name>_marks`). */
function markCount(svg: Node, name: string): number {
  const g = groups(svg, `${name}_marks`);
  expect(g.length, `mark group ${name}`).toBeGreaterThan(0);
  return g.reduce((a, x) => a + children(x).length, 0);
}

/** Width and height from a PNG's IHDR chunk (bytes 16-23, big-endian), after checking the signature. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  const v = new DataView(png.buffer, png.byteOffset);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

function svgSize(svg: Node): { width: number; height: number } {
  const root = svg.svg as Node;
  return { width: Number(root['@_width']), height: Number(root['@_height']) };
}

const RASTER: RasterData = {
  durationMs: 50,
  spikes: { population: ['a', 'b', 'a', 'a', 'b'], index: [0, 2, 3, 0, 1], timeMs: [1.5, 4, 10, 22.25, 40] },
  traces: [{ population: 'a', index: 0, dtMs: 0.5, vMv: Array.from({ length: 100 }, (_, k) => -65 + (k % 20)) }],
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'firstspike-plot-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('raster', () => {
  it('draws one tick per spike, a rate line per population, the trace with threshold and reset; same input, same bytes', async () => {
    const data: RasterData = {
      ...RASTER,
      populations: [
        { name: 'a', size: 4, vThreshMv: [-50, -50, -50, -50], vResetMv: [-70, -70, -70, -70] },
        { name: 'b', size: 3 },
      ],
    };
    const text = await renderSvg(rasterSpec(data));
    const svg = parseSvg(text);
    expect(markCount(svg, 'raster')).toBe(5);
    // the ticks sit at the spikes' times: x of each tick, in the order drawn, maps back to the data
    expect(text).toContain('5 spikes in 50 ms');
    expect(text).toContain('threshold -50 mV');
    expect(text).toContain('reset -70 mV');
    expect(text).toContain('rate (Hz/neuron)');
    const png = await svgToPng(text, 2);
    const size = svgSize(svg);
    expect(pngSize(png)).toEqual({ width: Math.round(2 * size.width), height: Math.round(2 * size.height) });
    // deterministic
    expect(await renderSvg(rasterSpec(data))).toBe(text);
    expect(Buffer.from(await svgToPng(text, 2)).equals(Buffer.from(png))).toBe(true);
  });

  it('above the mark limit draws a density image (one cell per occupied bin) and says so in the title', async () => {
    const n = 300;
    const data: RasterData = {
      durationMs: 100,
      spikes: { population: new Array(n).fill('p'), index: Array.from({ length: n }, (_, k) => k % 7), timeMs: Array.from({ length: n }, (_, k) => (k * 37) % 100) },
      traces: [],
    };
    const text = await renderSvg(rasterSpec(data, { maxMarks: 100, width: 60, height: 60 }));
    const svg = parseSvg(text);
    expect(text).toContain('density: 300 spikes &gt; 100 marks');
    // with width 60: 20 time bins of 5 ms; 7 neurons, height 60: 7 neuron bins of 1 -> count occupied cells by hand
    const cells = new Set<string>();
    for (let k = 0; k < n; k++) cells.add(`${Math.floor(((k * 37) % 100) / 5)},${k % 7}`);
    expect(markCount(svg, 'raster')).toBe(cells.size);
  });
});

function report(epoch: number, trainAcc: number, valAcc: number, best: number): EpochReport {
  return {
    epoch,
    trainLoss: 1 - trainAcc,
    trainAccuracy: trainAcc,
    validation: { accuracy: valAcc, loss: 1 - valAcc, confusion: [], meanOutputSpikeTime: 1, spikesPerInference: 1, silentFraction: 0 },
    learningRate: 0.005,
    seconds: 1,
    bumpedBatches: 0,
    silentFractions: [0.1, 0],
    bestEpoch: best,
  };
}

describe('training curves', () => {
  it('overlays runs: one line per (run, split), a rule and a diamond per selected epoch', async () => {
    const runs = [1, 2].map((seed) => ({
      label: `seed ${seed}`,
      records: [report(1, 0.5, 0.6, 1), report(2, 0.7, 0.8, 2), report(3, 0.75, 0.7, 2)].map((r) =>
        epochLogRecord({ preset: 'yinyang', substrate: 'ideal', seed, epochs: 3 }, r),
      ),
    }));
    const text = await renderSvg(trainingSpec(runs));
    const svg = parseSvg(text);
    // loss and accuracy panels: 2 runs x 2 splits lines each
    expect(groups(svg, 'mark-line').reduce((a, g) => a + children(g).length, 0)).toBe(8);
    expect(groups(svg, 'mark-rule').filter((g) => String(g['@_class']).includes('role-mark')).reduce((a, g) => a + children(g).length, 0)).toBe(4);
    expect(groups(svg, 'mark-symbol').filter((g) => String(g['@_class']).includes('role-mark')).reduce((a, g) => a + children(g).length, 0)).toBe(2);
    expect(text).toContain('2 runs, 3 epochs');
    expect(text).not.toContain('unfinished');
    // a log that ends before its planned epochs (a run still going) is named in the title
    const partial = [{ label: 'seed 7', records: [report(1, 0.5, 0.6, 1)].map((r) => epochLogRecord({ preset: 'yinyang', substrate: 'ideal', seed: 7, epochs: 300 }, r)) }];
    expect(await renderSvg(trainingSpec(partial))).toContain('unfinished: seed 7 at epoch 1/300');
  });
});

const EVAL_DOC = {
  model: 'm.json',
  substrate: 'ideal',
  split: 'test',
  accuracy: 0.8,
  confusion: { classes: ['yin', 'yang', 'dot'], columns: ['yin', 'yang', 'dot', 'none'], rows: 'true class', matrix: [[3, 1, 0, 0], [0, 4, 0, 1], [0, 0, 1, 0]] },
};

describe('confusion matrix', () => {
  it('one cell per (true, predicted) pair in each panel, counts and row fractions written in the cells', async () => {
    const e = evaluationFromDocument(EVAL_DOC);
    const text = await renderSvg(confusionSpec(e));
    const svg = parseSvg(text);
    expect(markCount(svg, 'counts_layer_0')).toBe(12);
    expect(markCount(svg, 'fractions_layer_0')).toBe(12);
    const texts = (name: string) => children(groups(svg, `${name}_marks`)[0]).map((t) => String(t['#text']));
    expect(texts('counts_layer_1')).toEqual(['3', '1', '0', '0', '0', '4', '0', '1', '0', '0', '1', '0']);
    expect(texts('fractions_layer_1')).toEqual(['0.75', '0.25', '0.00', '0.00', '0.00', '0.80', '0.00', '0.20', '0.00', '0.00', '1.00', '0.00']);
    expect(text).toContain('accuracy 80.00% (8/10)');
  });
});

describe('sweep', () => {
  const fixture = {
    spec_hash: 'abc123',
    axes: ['noise', 'chip'],
    rows: [0, 0.1, 0.2].flatMap((noise) =>
      ['ideal-trained', 'in-the-loop'].flatMap((mode) =>
        [1, 2, 3].map((seed) => ({ point: { noise, chip: 1 }, mode, seed, test_accuracy: 0.9 - noise * (mode === 'in-the-loop' ? 0.5 : 1) + seed * 0.01, provenance: 'fixture' })),
      ),
    ),
  };

  it('mean and std over seeds per (mode, level); a point and an error bar each', async () => {
    const results = sweepFromDocument(fixture);
    const s = sweepSummary(results, 'noise');
    expect(s).toHaveLength(6);
    // seeds add 0.01, 0.02, 0.03: mean +0.02, sample std 0.01
    const one = s.find((r) => r.mode === 'in-the-loop' && r.x === 0.2)!;
    expect(one.mean).toBeCloseTo(0.9 - 0.1 + 0.02, 12);
    expect(one.std).toBeCloseTo(0.01, 12);
    const svg = parseSvg(await renderSvg(sweepSpec(results)));
    expect(markCount(svg, 'means')).toBe(6);
    expect(markCount(svg, 'errorbars')).toBe(6);
  });
});

describe('model figures', () => {
  it('layer spikes: a dot per neuron that spiked, per layer', async () => {
    const svg = parseSvg(
      await renderSvg(
        layerSpikesSpec({
          layers: ['input', 'hidden', 'output'],
          times: [[0.1, 0.5, 1], [0.7, Infinity, 1.2, 0.9], [1.5, Infinity, 1.4]],
          classNames: ['yin', 'yang', 'dot'],
          sample: 'sample 0',
          label: 2,
          predicted: 2,
        }),
      ),
    );
    expect([markCount(svg, 'layer0'), markCount(svg, 'layer1'), markCount(svg, 'layer2')]).toEqual([3, 3, 2]);
  });

  it('yinyang map: a cell per grid square, a point per test sample, a cross per error', async () => {
    const svg = parseSvg(
      await renderSvg(
        yinYangSpec({
          classNames: ['yin', 'yang', 'dot'],
          points: { x: [0.1, 0.5, 0.9, 0.3], y: [0.2, 0.5, 0.5, 0.7], label: [0, 2, 1, 1], predicted: [0, 1, 1, -1] },
          grid: { resolution: 2, x: [0.25, 0.75, 0.25, 0.75], y: [0.25, 0.25, 0.75, 0.75], predicted: [0, 1, 2, 0], outputTimes: [1, 2, 3, 2, 1, 3, 3, 2, 1, 1, Infinity, 2] },
          what: 'a fixture',
        }),
      ),
    );
    expect(markCount(svg, 'regions')).toBe(4);
    expect(markCount(svg, 'points')).toBe(4);
    expect(markCount(svg, 'errors')).toBe(2);
  });

  it('forward passes of the figures agree with evaluate (same predictions as firstspike evaluate)', () => {
    const model = createModel(YINYANG_PRESET, 3);
    const data = loadPresetData(YINYANG_PRESET);
    const substrate = getSubstrate('ideal');
    const run = { model, preset: YINYANG_PRESET, substrate, substrateOptions: {}, seed: 3 };
    const r = forwardSet(run, data.test);
    let correct = 0;
    for (let s = 0; s < data.test.n; s++) if (r.predicted[s] === data.test.labels[s]) correct++;
    expect(correct / data.test.n).toBe(evaluate(model, data.test, substrate, {}, YINYANG_PRESET.train.pass, 3).accuracy);
  });
});

describe('firstspike plot (CLI)', () => {
  async function expectBadInput(argv: readonly string[], expected: string): Promise<void> {
    const r = await runCli(argv);
    expect(r.code, r.err).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n'), r.err).toHaveLength(1);
    expect(r.err).toContain(expected);
  }

  it('writes SVG or PNG by extension; the model figures from a model file', async () => {
    const result = join(root, 'result.json');
    await writeFile(
      result,
      JSON.stringify({ format: 'firstspike.simulation', version: 1, duration_ms: 50, spikes: { population: RASTER.spikes.population, index: RASTER.spikes.index, time_ms: RASTER.spikes.timeMs }, traces: [] }),
    );
    const r = await runCli(['plot', 'raster', result, '--out', join(root, 'r.PNG'), '--width', '200', '--height', '100', '--scale', '1']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`wrote ${join(root, 'r.PNG')}\n`);
    const svgOut = await runCli(['plot', 'raster', result, '--out', join(root, 'r.svg'), '--width', '200', '--height', '100', '--title', 'My <raster>']);
    expect(svgOut.code, svgOut.err).toBe(0);
    const svg = parseSvg(await readFile(join(root, 'r.svg'), 'utf8'));
    expect(pngSize(await readFile(join(root, 'r.PNG')))).toEqual(svgSize(svg));
    expect(await readFile(join(root, 'r.svg'), 'utf8')).toContain('My &lt;raster&gt;');

    const model = join(root, 'm.json');
    await saveModel(model, createModel(YINYANG_PRESET, 1), {
      preset: 'yinyang',
      training: { seed: 1, epochsDone: 0, substrate: 'ideal', substrateOptions: {}, validationAccuracy: null },
    });
    const yy = await runCli(['plot', 'yinyang', '--model', model, '--resolution', '6', '--out', join(root, 'yy.svg')]);
    expect(yy.code, yy.err).toBe(0);
    const yySvg = parseSvg(await readFile(join(root, 'yy.svg'), 'utf8'));
    expect(markCount(yySvg, 'regions')).toBe(36);
    expect(markCount(yySvg, 'points')).toBe(1000);
    const sp = await runCli(['plot', 'spikes', '--model', model, '--sample', '7', '--out', join(root, 'sp.png')]);
    expect(sp.code, sp.err).toBe(0);
    // the sweep fixture (5 mismatch levels x 3 modes x 3 seeds)
    const sw = await runCli(['plot', 'sweep', 'test/fixtures/sweep-results.json', '--out', join(root, 'sw.svg')]);
    expect(sw.code, sw.err).toBe(0);
    const swSvg = parseSvg(await readFile(join(root, 'sw.svg'), 'utf8'));
    expect([markCount(swSvg, 'means'), markCount(swSvg, 'errorbars')]).toEqual([15, 15]);
    await expectBadInput(['plot', 'sweep', 'test/fixtures/sweep-results.json', '--axis', 'chip', '--out', join(root, 'sw.svg')], "--axis: 'chip' is not an axis");
  });

  it('bad input: one line naming the file and what was expected, exit 2, no file written', async () => {
    const result = join(root, 'sim.json');
    await writeFile(result, JSON.stringify({ format: 'firstspike.simulation', version: 1, duration_ms: 5, spikes: { population: [], index: [], time_ms: [] }, traces: [] }));
    const evalPath = join(root, 'eval.json');
    await writeFile(evalPath, JSON.stringify(EVAL_DOC));
    const out = join(root, 'bad', 'x.svg');
    await expectBadInput(['plot', 'confusion', result, '--out', join(root, 'c.svg')], "expected the output of 'firstspike evaluate --json'");
    await expectBadInput(['plot', 'confusion', result, '--out', join(root, 'c.svg')], "got a 'firstspike.simulation' document");
    await expectBadInput(['plot', 'raster', evalPath, '--out', join(root, 'c.svg')], "expected a simulation result (format 'firstspike.simulation'");
    await expectBadInput(['plot', 'sweep', evalPath, '--out', join(root, 'c.svg')], 'expected sweep results');
    await expectBadInput(['plot', 'training', evalPath, '--out', join(root, 'c.svg')], 'not a training log line');
    await expectBadInput(['plot', 'yinyang', '--model', evalPath, '--out', join(root, 'c.svg')], "expected a model file written by 'firstspike train'");
    await expectBadInput(['plot', 'raster', join(root, 'missing.json'), '--out', join(root, 'c.svg')], 'missing.json: cannot read');
    await expectBadInput(['plot', 'raster', result, '--out', join(root, 'c.pdf')], '--out: ');
    await expectBadInput(['plot', 'raster', result, '--out', join(root, 'c.svg'), '--width', '0'], '--width: must be a whole number');
    await expectBadInput(['plot', 'raster', result, '--out', out], `--out: cannot write '${out}'`);
    await expectBadInput(['plot', 'confusion', evalPath, '--out', join(root, 'c.svg'), '--title', 'x', '--bogus'], "--bogus: unknown option");
    expect((await readdir(root)).filter((f) => f.startsWith('c.'))).toEqual([]);
  });
});
