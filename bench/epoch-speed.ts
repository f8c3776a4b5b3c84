/**
 * Speed of one Yin-Yang epoch of the paper preset (5000 training samples with their backward pass, plus the
 * 1000 validation samples) on the ideal substrate, single-threaded and with worker threads.
 *
 *   npx tsx bench/epoch-speed.ts [--epochs 5] [--threads 1,2]
 */
import '../index.ts';
import { createModel, loadPresetData } from '../plugins/learning/experiment.ts';
import { YINYANG_PRESET } from '../plugins/learning/presets.ts';
import { train } from '../plugins/learning/trainer.ts';
import { idealSubstrate } from '../substrates/ideal/index.ts';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const epochs = Number(argument('epochs', '5'));
const data = loadPresetData(YINYANG_PRESET);
console.log(`node ${process.version}; Yin-Yang preset, ${data.train.n} training + ${data.validation.n} validation samples per epoch`);
for (const threads of argument('threads', '1,2').split(',').map(Number)) {
  const model = createModel(YINYANG_PRESET, 1);
  const seconds: number[] = [];
  let bumped = 0;
  await train(model, data.train, data.validation, idealSubstrate, {}, { ...YINYANG_PRESET.train, epochs, seed: 1, threads }, {
    onEpoch(r) {
      seconds.push(r.seconds);
      bumped += r.bumpedBatches;
    },
  });
  // the first epoch includes JIT warm-up (and worker start-up)
  const steady = seconds.slice(1);
  const mean = steady.reduce((a, b) => a + b, 0) / steady.length;
  console.log(
    `threads ${threads}: epoch 1 ${seconds[0].toFixed(2)} s, epochs 2-${epochs} mean ${mean.toFixed(3)} s, min ${Math.min(...steady).toFixed(3)} s (bumped batches ${bumped})`,
  );
}
