import { runCli } from './helpers/cliRun.ts';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../index.ts';
import { loadCheckpoint } from '../plugins/learning/checkpoint.ts';
import { createModel } from '../plugins/learning/experiment.ts';
import { formatDocument, loadModel, modelToDocument, saveModel, type ModelMeta } from '../plugins/learning/modelFile.ts';
import { TTFS_NEURON, YINYANG_PRESET } from '../plugins/learning/presets.ts';
import { substrateWeightLimit } from '../plugins/learning/weightLimit.ts';
import { getSubstrate } from '../core/substrate/registry.ts';

// Model documents are plain JSON mutated per case; `any` keeps the mutations short.
type Json = any;

const run = runCli;

/** Exit code 2 with exactly one line on stderr that contains `expected`, and nothing on stdout. */
async function expectBadInput(argv: readonly string[], expected: string | RegExp): Promise<string> {
  const r = await run(argv);
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  if (typeof expected === 'string') expect(r.err).toContain(expected);
  else expect(r.err).toMatch(expected);
  return r.err;
}

/** Exactly equal doubles, element by element (Object.is also tells 0 from -0). */
function expectSameDoubles(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  let differing = 0;
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) differing++;
  expect(differing).toBe(0);
}

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'firstspike-train-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const dir = join(root, `case-${counter++}`);
  await mkdir(dir);
  return dir;
}

const META: ModelMeta = {
  preset: 'yinyang',
  training: { seed: 7, epochsDone: 0, substrate: 'ideal', substrateOptions: {}, validationAccuracy: null },
};

describe('model file', () => {
  it('round-trips weights and meta exactly', async () => {
    const dir = await freshDir();
    const model = createModel(YINYANG_PRESET, 7);
    // awkward doubles: shortest round-trip formatting must reproduce each bit pattern (weights are bounded
    // by +-1e9, so the largest one is the double just below -1e9's bound rather than -MAX_VALUE)
    model.weights[0].set([0.1 + 0.2, 5e-324, -999999999.9999999, 1 / 3, -2.2250738585072014e-308]);
    const meta: ModelMeta = {
      preset: 'yinyang',
      training: { ...META.training, validationAccuracy: 0.5, testAccuracy: 0.25, trainSamples: 300, dataDir: null, seconds: 1.5 },
    };
    const path = join(dir, 'm.json');
    await saveModel(path, model, meta);
    const loaded = await loadModel(path);
    expect(loaded.model.layerSizes).toEqual(model.layerSizes);
    expect(loaded.model.biasTimes).toEqual(model.biasTimes);
    expect(loaded.model.neuron).toEqual(model.neuron);
    expect(loaded.model.weights).toHaveLength(model.weights.length);
    model.weights.forEach((w, l) => expectSameDoubles(loaded.model.weights[l], w));
    expect(loaded.meta).toEqual(meta);
    // atomic write: no temp file left behind
    expect(await readdir(dir)).toEqual(['m.json']);
    // the text keeps each weight layer on one line
    const text = await readFile(path, 'utf8');
    expect(JSON.parse(text).format).toBe('firstspike.model');
    expect(text.split('\n').length).toBeLessThan(40);
  });

  describe('bad model files exit with 2 and one line naming the JSON path', () => {
    let good: Json;
    let dir: string;
    beforeAll(async () => {
      dir = await freshDir();
      good = JSON.parse(formatDocument(modelToDocument(createModel(YINYANG_PRESET, 1), META)));
    });

    /** Writes `text` (or a variant of the good document) and runs `evaluate` on it. */
    async function evaluateBad(content: string | ((d: Json) => void), expected: string | RegExp): Promise<string> {
      const path = join(dir, `bad-${counter++}.json`);
      let text: string;
      if (typeof content === 'string') text = content;
      else {
        const d = structuredClone(good);
        content(d);
        text = formatDocument(d);
      }
      await writeFile(path, text);
      const err = await expectBadInput(['evaluate', '--model', path], expected);
      expect(err).toContain(`--model '${path}'`);
      return err;
    }

    it('wrong version', async () => {
      await evaluateBad((d) => (d.version = 2), '/version: unsupported version the number 2 (this build reads version 1)');
    });
    it('wrong format', async () => {
      await evaluateBad((d) => (d.format = 'firstspike.checkpoint'), '/format: must be "firstspike.model"');
    });
    it('wrong weight shape', async () => {
      await evaluateBad((d) => d.weights[0].pop(), '/weights/0: must have 600 weights (5 presynaptic x 120 neurons), got 599');
      await evaluateBad((d) => d.weights[1].push(0.5), '/weights/1: must have 363 weights (121 presynaptic incl. bias x 3 neurons), got 364');
      await evaluateBad((d) => d.weights.pop(), '/weights: must have one array per weight layer (2), got 1');
    });
    it('a number too large for a double (1e400 parses to Infinity)', async () => {
      const text = formatDocument(good).replace(/("weights": \[\n\s*\[)[^,]+,/, '$11e400,');
      expect(text).toContain('[1e400,');
      await evaluateBad(text, '/weights/0/0: must be a finite number (got Infinity');
    });
    it('truncated and corrupt JSON', async () => {
      const text = formatDocument(good);
      await evaluateBad(text.slice(0, Math.floor(text.length / 2)), /\/: invalid JSON in '.*' at line \d+, column \d+/);
      await evaluateBad('', "/: file '");
      await evaluateBad('{"format": "firstspike.model", "version": 1,, }', /\/: invalid JSON .* line 1, column 45/);
    });
    it('missing and mistyped fields', async () => {
      await evaluateBad((d) => delete d.neuron, "/: missing required property 'neuron'");
      await evaluateBad((d) => delete d.training.seed, "/training: missing required property 'seed'");
      await evaluateBad((d) => (d.neuron.tauMemMs = '1'), '/neuron/tauMemMs: must be a number (got the string "1")');
      await evaluateBad((d) => (d.neuron.capacitanceNf = 0), '/neuron/capacitanceNf: must be >= 1e-9');
      await evaluateBad((d) => (d.weights[1][3] = null), '/weights/1/3: must be a number (got null)');
      await evaluateBad((d) => (d.extra = 1), "/: unknown property 'extra'");
      await evaluateBad('[1, 2]', '/: must be an object');
    });
    it('unknown preset and a network that does not fit its preset', async () => {
      await evaluateBad((d) => (d.preset = 'cifar'), '/preset: unknown preset "cifar" (known: mnist16, yinyang, yinyang-chip)');
      await evaluateBad((d) => (d.preset = 'toString'), '/preset: unknown preset "toString"');
      await evaluateBad((d) => {
        d.layer_sizes[0] = 4;
        d.weights[0] = d.weights[0].slice(0, 480);
      }, "/layer_sizes/0: must be 5, the input count of preset 'yinyang' (got 4)");
    });
    it('a missing file', async () => {
      await expectBadInput(['evaluate', '--model', join(dir, 'nope.json')], /\/: cannot read file '.*nope\.json' \(ENOENT\)/);
    });
  });
});

describe('firstspike train / evaluate', () => {
  it('trains 2 epochs on 300 samples and evaluate reads the model (text and --json)', async () => {
    const dir = await freshDir();
    const out = join(dir, 'model.json');
    const r = await run(['train', '--preset', 'yinyang', '--epochs', '2', '--train-samples', '300', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^epoch 1\/2 {2}train loss \d\.\d{4} acc \d\.\d{3} {2}validation loss \d\.\d{4} acc \d\.\d{3} {2}lr 0\.005000 {2}\d+\.\d\d s$/m);
    expect(r.out).toMatch(/^epoch 2\/2 /m);
    expect(r.out).toMatch(/^test accuracy [01]\.\d{4} \(\d+\/1000\)/m);
    expect((await readdir(dir)).sort()).toEqual(['model.checkpoint.json', 'model.json', 'model.log.jsonl']);
    const { meta } = await loadModel(out);
    expect(meta.training).toMatchObject({ seed: 0, epochsDone: 2, substrate: 'ideal', trainSamples: 300 });

    const e = await run(['evaluate', '--model', out]);
    expect(e.code, e.err).toBe(0);
    const acc = Number(/^accuracy (\S+) \(\d+\/1000\)/m.exec(e.out)?.[1]);
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(1);
    expect(acc).toBeCloseTo(meta.training.testAccuracy as number, 10);
    expect(e.out).toMatch(/true\\pred +yin +yang +dot +none/);
    expect(e.out).toMatch(/^mean output spike time \d+\.\d+ tau_syn/m);
    expect(e.out).toMatch(/^spikes per inference \d+\.\d\d$/m);
    expect(e.out).toMatch(/^silent fraction [01]\.\d{4}/m);

    for (const [split, n] of [
      ['test', 1000],
      ['validation', 1000],
    ] as const) {
      const j = await run(['evaluate', '--model', out, '--split', split, '--json']);
      expect(j.code, j.err).toBe(0);
      const doc = JSON.parse(j.out);
      expect(doc).toMatchObject({ split, samples: n, preset: 'yinyang', substrate: 'ideal' });
      expect(doc.confusion.matrix).toHaveLength(3);
      for (const row of doc.confusion.matrix) expect(row).toHaveLength(4);
      const total = doc.confusion.matrix.flat().reduce((a: number, b: number) => a + b, 0);
      expect(total).toBe(n);
      const diagonal = doc.confusion.matrix.reduce((a: number, row: number[], k: number) => a + row[k], 0);
      expect(doc.accuracy).toBeCloseTo(diagonal / n, 12);
      expect(doc.silent_fraction).toBeCloseTo(doc.confusion.matrix.reduce((a: number, row: number[]) => a + row[3], 0) / n, 12);
      expect(doc.spikes_per_inference).toBeGreaterThan(0);
    }
  });

  it('writes one flushed JSON line per epoch to the log and continues it on resume, dropping epochs past the checkpoint', async () => {
    const dir = await freshDir();
    const common = ['train', '--preset', 'yinyang', '--train-samples', '200', '--seed', '3'];
    const straight = await run([...common, '--epochs', '3', '--out', join(dir, 'straight.json'), '--no-checkpoint']);
    expect(straight.code, straight.err).toBe(0);
    // default path: next to the model
    const log = (await readFile(join(dir, 'straight.log.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(log.map((r) => r.epoch)).toEqual([1, 2, 3]);
    // the same figures as the terminal lines
    const lines = straight.out.split('\n').filter((l) => /^epoch \d\/3/.test(l));
    log.forEach((r, k) => {
      expect(lines[k]).toContain(`train loss ${r.train_loss.toFixed(4)} acc ${r.train_accuracy.toFixed(3)}`);
      expect(lines[k]).toContain(`validation loss ${r.validation_loss.toFixed(4)} acc ${r.validation_accuracy.toFixed(3)}`);
      expect(lines[k]).toContain(`lr ${r.learning_rate.toPrecision(4)}`);
      expect(r).toMatchObject({ format: 'firstspike.epoch', preset: 'yinyang', substrate: 'ideal', seed: 3, epochs: 3 });
      expect(r.silent_fractions).toHaveLength(2); // 120 hidden, 3 output
      for (const f of r.silent_fractions) expect(f >= 0 && f <= 1).toBe(true);
      expect(Number.isInteger(r.bumped_batches) && r.bumped_batches >= 0 && r.bumped_batches <= 10).toBe(true);
    });
    // the preset selects on validation accuracy: selected_epoch is the latest epoch with the highest so far
    let best = 0;
    log.forEach((r) => {
      if (r.validation_accuracy >= log[best].validation_accuracy) best = r.epoch - 1;
      expect(r.selected_epoch).toBe(best + 1);
    });

    const partLog = join(dir, 'part.log.jsonl');
    const first = await run([...common, '--epochs', '1', '--out', join(dir, 'part.json'), '--checkpoint', join(dir, 'part.ckpt'), '--log', partLog]);
    expect(first.code, first.err).toBe(0);
    // as if killed after logging epoch 2 but before its checkpoint, mid-way through a line of epoch 3
    const logged = await readFile(partLog, 'utf8');
    await writeFile(partLog, `${logged}${JSON.stringify({ ...log[1], train_loss: 99 })}\n{"format":"firstspike.epo`);
    const resumed = await run(['train', '--resume', join(dir, 'part.ckpt'), '--epochs', '3', '--out', join(dir, 'part.json'), '--log', partLog]);
    expect(resumed.code, resumed.err).toBe(0);
    const continued = (await readFile(partLog, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
    const withoutSeconds = (r: Record<string, unknown>) => ({ ...r, seconds: 0, epochs: 0 }); // the first part was asked for 1 epoch
    expect(continued.map(withoutSeconds)).toEqual(log.map(withoutSeconds));

    const none = await run([...common, '--epochs', '1', '--out', join(dir, 'none.json'), '--no-checkpoint', '--no-log']);
    expect(none.code, none.err).toBe(0);
    expect((await readdir(dir)).filter((f) => f.startsWith('none'))).toEqual(['none.json']);
    await expectBadInput([...common, '--epochs', '1', '--out', join(dir, 'x.json'), '--log', join(dir, 'missing', 'x.log.jsonl')], "--log: folder");
  });

  it('resuming at an epoch boundary gives bit-identical weights and optimiser state', async () => {
    const dir = await freshDir();
    const common = ['train', '--preset', 'yinyang', '--train-samples', '300', '--seed', '5'];
    const straight = await run([...common, '--epochs', '4', '--out', join(dir, 'straight.json'), '--checkpoint', join(dir, 'straight.ckpt')]);
    expect(straight.code, straight.err).toBe(0);
    const first = await run([...common, '--epochs', '2', '--out', join(dir, 'half.json'), '--checkpoint', join(dir, 'half.ckpt')]);
    expect(first.code, first.err).toBe(0);
    const half = await loadCheckpoint(join(dir, 'half.ckpt'));
    expect(half.state.epoch).toBe(2);
    const resumed = await run([
      'train',
      '--resume',
      join(dir, 'half.ckpt'),
      '--epochs',
      '4',
      '--out',
      join(dir, 'resumed.json'),
      '--checkpoint',
      join(dir, 'resumed.ckpt'),
    ]);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toContain('after epoch 2');
    expect(resumed.out).not.toMatch(/^epoch 2\/4/m);
    expect(resumed.out).toMatch(/^epoch 3\/4/m);

    // per-epoch figures of epochs 3 and 4 are the same lines (apart from the seconds)
    const figures = (text: string) => text.split('\n').filter((l) => /^epoch [34]\/4/.test(l)).map((l) => l.replace(/ {2}[\d.]+ s$/, ''));
    expect(figures(resumed.out)).toEqual(figures(straight.out));

    const a = await loadModel(join(dir, 'straight.json'));
    const b = await loadModel(join(dir, 'resumed.json'));
    a.model.weights.forEach((w, l) => expectSameDoubles(b.model.weights[l], w));
    expect(b.meta.training.epochsDone).toBe(4);
    expect(b.meta.training.testAccuracy).toBe(a.meta.training.testAccuracy);
    const ca = await loadCheckpoint(join(dir, 'straight.ckpt'));
    const cb = await loadCheckpoint(join(dir, 'resumed.ckpt'));
    expect([cb.state.epoch, cb.state.batch, cb.state.adamStep]).toEqual([ca.state.epoch, ca.state.batch, ca.state.adamStep]);
    ca.state.adamM.forEach((m, l) => expectSameDoubles(cb.state.adamM[l], m));
    ca.state.adamV.forEach((v, l) => expectSameDoubles(cb.state.adamV[l], v));

    // a resumed run keeps its settings; a bad checkpoint is one line naming the JSON path
    await expectBadInput(['train', '--resume', join(dir, 'half.ckpt'), '--seed', '6'], '--seed: 6 differs from the checkpoint\'s 5');
    await expectBadInput(['train', '--resume', join(dir, 'half.ckpt'), '--epochs', '1'], '--epochs: the checkpoint has 2 epochs done already');
    const doc: Json = JSON.parse(await readFile(join(dir, 'half.ckpt'), 'utf8'));
    doc.state.adam_m[1].pop();
    await writeFile(join(dir, 'broken.ckpt'), JSON.stringify(doc));
    await expectBadInput(['train', '--resume', join(dir, 'broken.ckpt')], '/state/adam_m/1: must have 363 entries');
    await writeFile(join(dir, 'model-as.ckpt'), await readFile(join(dir, 'half.json')));
    await expectBadInput(['train', '--resume', join(dir, 'model-as.ckpt')], '/format: must be "firstspike.checkpoint"');
  });

  it('a short real training beats chance (5 epochs on 1500 samples)', async () => {
    const dir = await freshDir();
    const r = await run(['train', '--preset', 'yinyang', '--epochs', '5', '--train-samples', '1500', '--out', join(dir, 'm.json'), '--no-checkpoint', '--json']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.epochs).toHaveLength(5);
    expect(doc.checkpoint).toBeNull();
    expect(doc.log).toBe(join(dir, 'm.log.jsonl'));
    expect((await readdir(dir)).sort()).toEqual(['m.json', 'm.log.jsonl']);
    // observed with seed 0: validation 0.446, 0.576, 0.620, 0.669, 0.699; test 0.684 (chance is 1/3)
    const last = doc.epochs[4];
    expect(last.validation_accuracy).toBeGreaterThan(0.55);
    expect(doc.test.accuracy).toBeGreaterThan(0.55);
    expect(last.train_loss).toBeLessThan(doc.epochs[0].train_loss);
  });

  it('bss2 in the loop: --chip-seed selects the chip, float weights stay within the chip weight range, 2 threads give the same weights as 1', async () => {
    const dir = await freshDir();
    const common = ['train', '--preset', 'yinyang', '--substrate', 'bss2', '--chip-seed', '3', '--epochs', '1', '--train-samples', '300', '--no-checkpoint'];
    const one = await run([...common, '--threads', '1', '--out', join(dir, 'one.json')]);
    expect(one.code, one.err).toBe(0);
    // forced: the machine running the tests may have a single core
    const two = await run([...common, '--threads', '2', '--force-threads', '--out', join(dir, 'two.json')]);
    expect(two.code, two.err).toBe(0);
    const a = await loadModel(join(dir, 'one.json'));
    const b = await loadModel(join(dir, 'two.json'));
    expect(a.meta.training.substrateOptions).toEqual({ chipSeed: 3 });
    a.model.weights.forEach((w, l) => expectSameDoubles(b.model.weights[l], w));
    // the limit at the default normalisation (docs/substrates/bss2.md): a full-scale PSP of 2.1/(e 1.52) of the
    // threshold distance, on the TTFS neuron (unit PSP 1/e) the weight 2.1 / 1.52 = 1.38; the preset initialises
    // layer 1 with N(1.5, 0.8^2): more than half starts above it and is clamped
    const limit = substrateWeightLimit(getSubstrate('bss2'), {}, TTFS_NEURON);
    expect(limit).toBeCloseTo(2.1 / 1.52, 14);
    const all = a.model.weights.flatMap((w) => Array.from(w));
    expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(all.filter((x) => x === limit).length).toBeGreaterThan(20);
    // evaluating on another chip is one option away; on ideal there is no chip to choose
    const e = await run(['evaluate', '--model', join(dir, 'one.json'), '--chip-seed', '4', '--json']);
    expect(e.code, e.err).toBe(0);
    expect(JSON.parse(e.out).substrate_options).toEqual({ chipSeed: 4 });
    await expectBadInput(['evaluate', '--model', join(dir, 'one.json'), '--substrate', 'ideal', '--chip-seed', '4'], "--chip-seed: substrate 'ideal' has no chip seed");
    await expectBadInput([...common, '--chip-seed', '-1'], "--chip-seed: must be a whole number >= 0 (got '-1')");
  });

  it('the yinyang-chip preset gives each Yin-Yang input 5 times (25-120-3) and trains on bss2', async () => {
    const dir = await freshDir();
    const out = join(dir, 'chip.json');
    const r = await run(['train', '--preset', 'yinyang-chip', '--substrate', 'bss2', '--chip-seed', '2', '--epochs', '1', '--train-samples', '300', '--no-checkpoint', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const { model } = await loadModel(out);
    expect(model.layerSizes).toEqual([25, 120, 3]);
    // the copies of an input have weights of their own (rows i and i + 5 of the 25 x 120 matrix differ)
    const w0 = model.weights[0];
    expect(w0.length).toBe(25 * 120);
    expect(w0.subarray(0, 120)).not.toEqual(w0.subarray(5 * 120, 6 * 120));
    // on the bss2 chip the whole 25-120(+bias)-3 network fits (121 inputs per output neuron <= 256)
    const e = await run(['evaluate', '--model', out, '--json']);
    expect(e.code, e.err).toBe(0);
    const doc = JSON.parse(e.out) as { preset: string; layer_sizes: number[]; samples: number; substrate_options: unknown };
    expect(doc.preset).toBe('yinyang-chip');
    expect(doc.layer_sizes).toEqual([25, 120, 3]);
    expect(doc.samples).toBe(1000);
    expect(doc.substrate_options).toEqual({ chipSeed: 2 });
  });

  it('mnist16 trains on training + validation digits (8000); --hold-out-validation keeps the 1000 apart and resumes so', async () => {
    const dir = await freshDir();
    await expectBadInput(['train', '--preset', 'mnist16', '--train-samples', '8001', '--out', join(dir, 'm.json')], "--train-samples: the training set of 'mnist16' has only 8000 samples");
    await expectBadInput(
      ['train', '--preset', 'mnist16', '--hold-out-validation', '--train-samples', '7001', '--out', join(dir, 'm.json')],
      "--train-samples: the training set of 'mnist16' has only 7000 samples",
    );
    // the test split has 2000 digits; the runs below evaluate only the first 100 (--test-samples), since
    // evaluation is most of a short run's time
    await expectBadInput(['train', '--preset', 'mnist16', '--test-samples', '2001', '--out', join(dir, 'm.json')], "--test-samples: the test set of 'mnist16' has only 2000 samples (got 2001)");
    const merged = await run(['train', '--preset', 'mnist16', '--epochs', '1', '--train-samples', '80', '--test-samples', '100', '--out', join(dir, 'merged.json'), '--checkpoint', join(dir, 'merged.ckpt')]);
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toContain('80 training samples (1 batches of 80), the validation split is part of the training set (no validation figures), 100 test');
    expect(merged.out).toMatch(/^epoch 1\/1 +train loss \S+ acc \S+ +lr/m);
    expect(merged.out).not.toContain('validation loss');
    expect((await loadModel(join(dir, 'merged.json'))).meta.training.validationAccuracy).toBeNull();

    const held = ['train', '--preset', 'mnist16', '--hold-out-validation', '--train-samples', '80', '--test-samples', '100', '--json'];
    const first = await run([...held, '--epochs', '1', '--out', join(dir, 'held.json'), '--checkpoint', join(dir, 'held.ckpt')]);
    expect(first.code, first.err).toBe(0);
    const doc = JSON.parse(first.out);
    expect(doc.epochs[0].validation_accuracy).toBeGreaterThanOrEqual(0);
    expect(doc.selected_epoch).toBe(1);
    expect(doc.test.samples).toBe(100);
    expect((await loadCheckpoint(join(dir, 'held.ckpt'))).run.holdOutValidation).toBe(true);
    // the resumed run keeps the validation split apart without being told
    const resumed = await run(['train', '--resume', join(dir, 'held.ckpt'), '--epochs', '2', '--test-samples', '100', '--out', join(dir, 'held2.json'), '--no-checkpoint']);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toContain('80 training samples (1 batches of 80), 1000 validation, 100 test');
    expect(resumed.out).toMatch(/^test accuracy [01]\.\d{4} \(\d+\/100\)/m);
    expect(resumed.out).toMatch(/^epoch 2\/2 .*validation loss/m);
    await expectBadInput(['train', '--resume', join(dir, 'merged.ckpt'), '--epochs', '2', '--hold-out-validation'], "--hold-out-validation: the checkpoint's run trained on the validation split");
  });

  it('rejects bad arguments with exit 2 and one line', async () => {
    const dir = await freshDir();
    const base = ['train', '--preset', 'yinyang', '--out', join(dir, 'm.json')];
    await expectBadInput(['train', '--preset', 'cifar'], "--preset: unknown preset 'cifar' (known: mnist16, yinyang, yinyang-chip)");
    await expectBadInput(['train'], '--preset: required');
    await expectBadInput([...base, '--substrate', 'nope'], "--substrate: unknown substrate 'nope' (known: ");
    await expectBadInput([...base, '--epochs', '0'], "--epochs: must be a whole number >= 1 (got '0')");
    await expectBadInput([...base, '--epochs', '-3'], "--epochs: must be a whole number >= 1 (got '-3')");
    await expectBadInput([...base, '--epochs', '2.5'], "--epochs: must be a whole number >= 1 (got '2.5')");
    await expectBadInput([...base, '--train-samples', '0'], '--train-samples: must be a whole number >= 1');
    await expectBadInput([...base, '--train-samples', '9999'], '--train-samples: the training set of \'yinyang\' has only 5000 samples');
    await expectBadInput([...base, '--seed', 'x'], "--seed: must be an integer in [0, 2^32) (got 'x')");
    await expectBadInput([...base, '--substrate-options', '{oops'], '--substrate-options: invalid JSON');
    await expectBadInput([...base, '--substrate-options', '{"jitter": 1}'], "--substrate-options: /substrate/jitter: unknown option for substrate 'ideal'");
    await expectBadInput([...base, '--data-dir', dir], "--data-dir: preset 'yinyang' uses built-in data");
    await expectBadInput(['train', '--preset', 'yinyang', '--out', join(dir, 'missing', 'm.json')], '--out: folder');
    await expectBadInput(['evaluate', '--model', join(dir, 'nope.json'), '--split', 'dev'], /argument 'dev' is invalid|Allowed choices/);
    await expectBadInput([...base, '--threads', '0'], "--threads: must be a whole number from 1 to 256 (got '0')");
    await expectBadInput(['start', '--epochs', '0'], "--epochs: must be a whole number >= 1 (got '0')");
    expect(await readdir(dir)).toEqual([]);
  });

  it('--help lists train, evaluate and start', async () => {
    const root = await run(['--help']);
    expect(root.code).toBe(0);
    for (const name of ['train', 'evaluate', 'start', 'demo']) expect(root.out).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    const t = await run(['train', '--help']);
    expect(t.code).toBe(0);
    for (const option of ['--preset', '--substrate', '--substrate-options', '--epochs', '--seed', '--out', '--checkpoint', '--resume', '--data-dir', '--train-samples', '--json']) {
      expect(t.out).toContain(option);
    }
    const e = await run(['evaluate', '--help']);
    expect(e.code).toBe(0);
    expect(e.out).toContain('--split');
  });
});
