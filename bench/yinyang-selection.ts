/**
 * How should the model of a Yin-Yang run be selected? Records, for the paper preset on the ideal substrate,
 * every epoch's per-sample correctness on the validation and test splits (out/yysel/seed<S>.json; the
 * training is that of bench/yinyang-accuracy.ts, which selection does not change), then compares selection
 * rules without looking at the test split: each rule picks an epoch on a random half of the validation split
 * and is scored on the other half (30 random halvings x 2 per seed). The test accuracy each rule would give
 * is printed last, for the record.
 *
 * Rules: max = highest validation accuracy, the later epoch on ties (the presets' `keepBest`); smooth<w> =
 * highest mean over epochs e-w..e+w; trail<w> = highest mean over epochs e-w..e; max_after150 = max over
 * epochs 151-300; last = epoch 300.
 *
 *   npx tsx bench/yinyang-selection.ts --seeds 1,2,3,4,5 [--record]     (--record trains first: ~5 min per seed)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import '../index.ts';
import { randomStream } from '../core/rng.ts';
import { batchContext } from '../plugins/learning/batchGradient.ts';
import { createModel, loadPresetData } from '../plugins/learning/experiment.ts';
import { ForwardBackward, emptySampleResult } from '../plugins/learning/forwardBackward.ts';
import { YINYANG_PRESET } from '../plugins/learning/presets.ts';
import { train, type EncodedSet } from '../plugins/learning/trainer.ts';
import { idealSubstrate } from '../substrates/ideal/index.ts';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

interface EpochRecord {
  /** '1' / '0' per sample: correct or not. */
  readonly val: string;
  readonly test: string;
}

const seeds = argument('seeds', '1,2,3,4,5').split(',').map(Number);
const dir = 'out/yysel';

function correctness(fb: ForwardBackward, set: EncodedSet): string {
  const res = emptySampleResult();
  const x = new Float64Array(set.inputs);
  let bits = '';
  for (let s = 0; s < set.n; s++) {
    for (let j = 0; j < set.inputs; j++) x[j] = set.times[s * set.inputs + j];
    fb.forward(x, set.labels[s], res);
    bits += res.correct ? '1' : '0';
  }
  return bits;
}

async function record(seed: number): Promise<void> {
  const data = loadPresetData(YINYANG_PRESET);
  const model = createModel(YINYANG_PRESET, seed);
  const epochs: EpochRecord[] = [];
  await train(model, data.train, null, idealSubstrate, {}, { ...YINYANG_PRESET.train, seed, keepBest: false }, {
    onEpoch(r) {
      const fb = new ForwardBackward(model, YINYANG_PRESET.train.pass);
      fb.realise(idealSubstrate, batchContext(idealSubstrate, {}, seed, 0));
      epochs.push({ val: correctness(fb, data.validation), test: correctness(fb, data.test) });
      if (r.epoch % 50 === 0) console.log(`seed ${seed} epoch ${r.epoch} recorded`);
    },
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/seed${seed}.json`, JSON.stringify(epochs));
}

const accuracyOn = (bits: string, idx: readonly number[]): number => idx.reduce((a, i) => a + (bits[i] === '1' ? 1 : 0), 0) / idx.length;

/** The epoch (0-based) each rule picks from validation accuracies measured on `idx`. */
function pick(epochs: readonly EpochRecord[], idx: readonly number[]): Map<string, number> {
  const a = epochs.map((e) => accuracyOn(e.val, idx));
  const n = a.length;
  const argmax = (score: (i: number) => number, from = 0): number => {
    let best = from;
    for (let i = from; i < n; i++) if (score(i) >= score(best)) best = i;
    return best;
  };
  const mean = (from: number, to: number): number => {
    let s = 0;
    for (let i = from; i < to; i++) s += a[i];
    return s / (to - from);
  };
  const rules = new Map<string, number>([['max', argmax((i) => a[i])]]);
  for (const w of [1, 2, 3, 5]) {
    rules.set(`smooth${w}`, argmax((i) => mean(Math.max(0, i - w), Math.min(n, i + w + 1))));
    rules.set(`trail${w}`, argmax((i) => mean(Math.max(0, i - w), i + 1)));
  }
  rules.set('max_after150', argmax((i) => a[i], Math.min(150, n - 1)));
  rules.set('last', n - 1);
  return rules;
}

for (const seed of seeds) if (process.argv.includes('--record') || !existsSync(`${dir}/seed${seed}.json`)) await record(seed);
const runs = seeds.map((s) => JSON.parse(readFileSync(`${dir}/seed${s}.json`, 'utf8')) as EpochRecord[]);
const heldOut = new Map<string, number[]>();
const halving = randomStream(1, 'selection-study');
for (const epochs of runs) {
  const nVal = epochs[0].val.length;
  for (let k = 0; k < 30; k++) {
    const perm = Array.from({ length: nVal }, (_, i) => i);
    for (let i = nVal - 1; i > 0; i--) {
      const j = Math.floor(halving.next() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const halves = [perm.slice(0, nVal / 2), perm.slice(nVal / 2)];
    for (const [x, y] of [[0, 1], [1, 0]]) {
      for (const [rule, e] of pick(epochs, halves[x])) {
        if (!heldOut.has(rule)) heldOut.set(rule, []);
        heldOut.get(rule)!.push(accuracyOn(epochs[e].val, halves[y]));
      }
    }
  }
}
console.log(`held-out validation accuracy per rule (pick on one half, score on the other; ${seeds.length} seeds):`);
const avg = (xs: number[]): number => xs.reduce((p, q) => p + q, 0) / xs.length;
for (const [rule, xs] of [...heldOut].sort((p, q) => avg(q[1]) - avg(p[1]))) console.log(`  ${rule.padEnd(13)} ${(100 * avg(xs)).toFixed(2)}%`);
console.log('test accuracy of the epoch each rule picks on the whole validation split (epoch in brackets):');
runs.forEach((epochs, r) => {
  const all = Array.from({ length: epochs[0].val.length }, (_, i) => i);
  const test = Array.from({ length: epochs[0].test.length }, (_, i) => i);
  const parts = [...pick(epochs, all)].map(([rule, e]) => `${rule} ${(100 * accuracyOn(epochs[e].test, test)).toFixed(1)} (${e + 1})`);
  console.log(`  seed ${seeds[r]}: ${parts.join(', ')}`);
});
