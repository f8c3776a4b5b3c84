import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { loadModelOption } from '../modelOption.ts';
import { UsageError, writeFileAtomic, type CliIo } from '../io.ts';

/**
 * `firstspike plot <figure>`: figures as SVG or PNG (by the --out extension), specified in Vega-Lite and
 * rendered headless (plugins/plot). vega, vega-lite and resvg load inside the actions, so the CLI starts fast.
 */

export interface CommonOptions {
  out: string;
  title?: string;
  width?: string;
  height?: string;
  scale?: string;
}

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const v = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new UsageError(`--${name}: must be a whole number in [${min}, ${max}] (got '${text}')`);
  return v;
}

function positiveNumber(name: string, text: string, max: number): number {
  const v = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!(v > 0 && v <= max)) throw new UsageError(`--${name}: must be a number in (0, ${max}] (got '${text}')`);
  return v;
}

/** Checks the common options before any work: the format from --out's extension, the sizes. */
function common(opts: CommonOptions) {
  const m = /\.(svg|png)$/i.exec(opts.out);
  if (m === null) throw new UsageError(`--out: '${opts.out}' must end in .svg or .png (the format is taken from the extension)`);
  return {
    format: m[1].toLowerCase() as 'svg' | 'png',
    figure: {
      ...(opts.title !== undefined && { title: opts.title }),
      ...(opts.width !== undefined && { width: wholeNumber('width', opts.width, 50, 5000) }),
      ...(opts.height !== undefined && { height: wholeNumber('height', opts.height, 30, 5000) }),
    },
    scale: opts.scale === undefined ? 2 : positiveNumber('scale', opts.scale, 8),
  };
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new UsageError(`${path}: cannot read ${what} (${code})`);
  }
}

/** Reads and converts an input document; problems become one-line errors naming the file. */
async function readDocument<T>(path: string, expected: string, convert: (doc: unknown) => T): Promise<T> {
  const text = await readText(path, expected);
  const plot = await import('../../plugins/plot/index.ts');
  try {
    return convert(plot.parseJson(text, expected));
  } catch (error) {
    if (error instanceof plot.PlotInputError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
}

/** Renders and writes atomically; prints the path. */
async function writeFigure(io: CliIo, spec: import('vega-lite').TopLevelSpec, opts: CommonOptions, c: ReturnType<typeof common>): Promise<void> {
  const { renderFigure } = await import('../../plugins/plot/render.ts');
  const content = await renderFigure(spec, c.format, c.scale);
  await writeFileAtomic(opts.out, content);
  io.stdout(`wrote ${opts.out}\n`);
}

function withCommon(cmd: Command, io: CliIo): Command {
  return cmd
    .requiredOption('-o, --out <file>', 'figure to write: FILE.svg or FILE.png (written atomically)')
    .option('--title <text>', 'title instead of the default one')
    .option('--width <px>', 'width of each panel (px)')
    .option('--height <px>', 'height of each panel (px)')
    .option('--scale <factor>', 'PNG pixels per SVG unit (default 2)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
}

export interface ModelOptions extends CommonOptions {
  model: string;
  substrate?: string;
  substrateOptions?: string;
  chipSeed?: string;
  seed?: string;
  split: 'test' | 'validation' | 'train';
}

/** Loads a model file and resolves the substrate as `evaluate` does (default: the one it was trained on). */
async function modelRun(opts: ModelOptions) {
  const train = await import('./train.ts');
  const { model, meta } = await loadModelOption(opts.model);
  const t = meta.training;
  const preset = train.presetOption(meta.preset);
  const name = opts.substrate ?? t.substrate;
  const { substrate, options } = train.substrateOption(name, opts.substrateOptions, name === t.substrate ? t.substrateOptions : {}, train.chipSeedOption(opts.chipSeed));
  const seed = opts.seed === undefined ? t.seed : train.integerOption('seed', opts.seed, 0, 2 ** 32 - 1, 'an integer in [0, 2^32)');
  return { run: { model, preset, substrate, substrateOptions: options, seed }, meta, className: (k: number) => train.className(preset, k) };
}

function withModel(cmd: Command): Command {
  return cmd
    .requiredOption('-m, --model <file>', 'model file written by `firstspike train`')
    .option('-s, --substrate <name>', 'substrate of the forward passes (default: the one the model was trained on)')
    .option('--substrate-options <json>', "the substrate's options as a JSON object (default: the training run's, if the same substrate)")
    .option('--chip-seed <n>', 'which chip (bss2)')
    .option('--seed <n>', "seed of the substrate's realisation (default: the training seed)")
    .addOption(new Option('--split <split>', 'data split').choices(['test', 'validation', 'train']).default('test'));
}

/** `plot training`: loss and accuracy curves of one or more per-epoch logs. */
export async function plotTraining(io: CliIo, logs: readonly string[], opts: CommonOptions): Promise<void> {
  const c = common(opts);
  const { EpochLogError, parseEpochLog } = await import('../../plugins/learning/epochLog.ts');
  const plotLib = await import('../../plugins/plot/index.ts');
  const records = [];
  for (const path of logs) {
    const text = await readText(path, 'a training log');
    try {
      const r = parseEpochLog(text);
      if (r.length === 0) throw new EpochLogError("no epochs (expected a training log written by 'firstspike train')");
      records.push(r);
    } catch (error) {
      if (error instanceof EpochLogError) throw new UsageError(`${path}: ${error.message}`);
      throw error;
    }
  }
  const labels = plotLib.runLabels(records);
  await writeFigure(io, plotLib.trainingSpec(records.map((r, i) => ({ label: labels[i], records: r })), c.figure), opts, c);
}

/** `plot yinyang`: the decision map of a Yin-Yang model. */
export async function plotYinYang(io: CliIo, opts: ModelOptions & { resolution?: string }): Promise<void> {
  const c = common(opts);
  const resolution = opts.resolution === undefined ? 40 : wholeNumber('resolution', opts.resolution, 2, 200);
  const { run, meta } = await modelRun(opts);
  if (run.preset.dataset !== 'yinyang') throw new UsageError(`--model: '${opts.model}' is a '${meta.preset}' model (expected a Yin-Yang model)`);
  const { loadPresetData } = await import('../../plugins/learning/experiment.ts');
  const { yinYangDataset } = await import('../../plugins/datasets/yinYang.ts');
  const plotLib = await import('../../plugins/plot/index.ts');
  const data = loadPresetData(run.preset);
  const set = data[opts.split];
  const raw = yinYangDataset(opts.split);
  const onSet = plotLib.forwardSet(run, set);
  const grid = plotLib.yinYangGrid(resolution);
  const onGrid = plotLib.forwardSet(run, plotLib.encodeGrid(grid.dataset, run.preset));
  const L = run.model.layerSizes.length - 1;
  const xs = new Float64Array(raw.n);
  const ys = new Float64Array(raw.n);
  for (let s = 0; s < raw.n; s++) {
    xs[s] = raw.features[4 * s];
    ys[s] = raw.features[4 * s + 1];
  }
  const substrateText = `${run.substrate.name}${Object.keys(run.substrateOptions).length === 0 ? '' : ` ${JSON.stringify(run.substrateOptions)}`}`;
  const spec = plotLib.yinYangSpec(
    {
      classNames: ['yin', 'yang', 'dot'],
      points: { x: xs, y: ys, label: raw.labels, predicted: onSet.predicted },
      grid: { resolution, x: grid.x, y: grid.y, predicted: onGrid.predicted, outputTimes: onGrid.times[L] },
      what: `${opts.model.split('/').pop()} on ${substrateText}, ${opts.split} split`,
    },
    c.figure,
  );
  await writeFigure(io, spec, opts, c);
}

export function plotCommand(io: CliIo): Command {
  const plot = new Command('plot').description(
    'draw figures as SVG or PNG: raster, training, confusion, yinyang, spikes, sweep (see docs/plotting.md)',
  );

  plot.addCommand(
    withCommon(new Command('raster'), io)
      .description("raster plot of a 'simulate' result with population rates underneath and membrane traces (if recorded)")
      .argument('<result>', "JSON result of 'firstspike simulate'")
      .option('--config <file>', 'the config that was simulated: population sizes (rates per neuron) and threshold/reset lines on the traces')
      .option('--max-marks <n>', 'above this many spikes draw a density image instead (default 20000)')
      .option('--bin <ms>', 'bin width of the rate histogram (default: a round width giving about 100 bins)')
      .action(async (resultPath: string, opts: CommonOptions & { config?: string; maxMarks?: string; bin?: string }) => {
        const c = common(opts);
        const maxMarks = opts.maxMarks === undefined ? undefined : wholeNumber('max-marks', opts.maxMarks, 1, 10_000_000);
        const rateBinMs = opts.bin === undefined ? undefined : positiveNumber('bin', opts.bin, 1e9);
        const plotLib = await import('../../plugins/plot/index.ts');
        let data = await readDocument(resultPath, plotLib.SIMULATION_EXPECTED, plotLib.rasterDataFromDocument);
        if (opts.config !== undefined) {
          const { loadConfigFile } = await import('../../core/config/index.ts');
          const { substrateNames } = await import('../../core/substrate/registry.ts');
          const spec = await loadConfigFile(opts.config, { knownSubstrates: substrateNames() });
          data = {
            ...data,
            populations: spec.network.populations.map((p) =>
              p.kind === 'lif' ? { name: p.name, size: p.size, vThreshMv: p.params.vThreshMv, vResetMv: p.params.vResetMv } : { name: p.name, size: p.size },
            ),
          };
          for (const p of new Set(data.spikes.population)) {
            if (!data.populations!.some((q) => q.name === p)) throw new UsageError(`--config: has no population '${p}' of the result (is it the config that was simulated?)`);
          }
        }
        if (rateBinMs !== undefined && data.durationMs / rateBinMs > 100_000) throw new UsageError(`--bin: ${rateBinMs} ms gives more than 100000 bins`);
        await writeFigure(io, plotLib.rasterSpec(data, { ...c.figure, maxMarks, rateBinMs }), opts, c);
      }),
  );

  plot.addCommand(
    withCommon(new Command('training'), io)
      .description("loss and accuracy per epoch from 'train' logs (<model>.log.jsonl); several logs overlay runs (seeds)")
      .argument('<log...>', "per-epoch JSON-lines logs written by 'firstspike train'")
      .action(async (logs: string[], opts: CommonOptions) => plotTraining(io, logs, opts)),
  );

  plot.addCommand(
    withCommon(new Command('confusion'), io)
      .description("confusion matrix (counts and row-normalised) from 'evaluate --json' output")
      .argument('<evaluation>', "JSON written by 'firstspike evaluate --json'")
      .action(async (path: string, opts: CommonOptions) => {
        const c = common(opts);
        const plotLib = await import('../../plugins/plot/index.ts');
        const e = await readDocument(path, plotLib.EVALUATION_EXPECTED, plotLib.evaluationFromDocument);
        await writeFigure(io, plotLib.confusionSpec(e, c.figure), opts, c);
      }),
  );

  plot.addCommand(
    withModel(withCommon(new Command('yinyang'), io))
      .description('Yin-Yang decision map of a model: test points by predicted class (errors crossed), the plane by output first-spike times')
      .option('--resolution <n>', 'grid cells per side of the plane (default 40)')
      .action(async (opts: ModelOptions & { resolution?: string }) => plotYinYang(io, opts)),
  );

  plot.addCommand(
    withModel(withCommon(new Command('spikes'), io))
      .description('first-spike times of every layer of a model for one input sample (the time-to-first-spike picture)')
      .requiredOption('--sample <k>', 'index of the sample in the split (from 0)')
      .action(async (opts: ModelOptions & { sample: string }) => {
        const c = common(opts);
        const { run, meta, className } = await modelRun(opts);
        const plotLib = await import('../../plugins/plot/index.ts');
        const train = await import('./train.ts');
        const set = train.presetData(run.preset, meta.training.dataDir ?? null)[opts.split];
        const k = wholeNumber('sample', opts.sample, 0, set.n - 1);
        const one = { ...set, n: 1, times: set.times.subarray(k * set.inputs, (k + 1) * set.inputs), labels: set.labels.subarray(k, k + 1) };
        // trial k of the realisation, as `evaluate` runs sample k (the same answer as there on noisy substrates)
        const onOne = plotLib.forwardSet(run, one, k);
        const sizes = run.model.layerSizes;
        const L = sizes.length - 1;
        const spec = plotLib.layerSpikesSpec(
          {
            layers: sizes.map((_, l) => (l === 0 ? 'input' : l === L ? 'output' : L > 2 ? `hidden ${l}` : 'hidden')),
            times: onOne.times,
            classNames: Array.from({ length: sizes[L] }, (_, j) => className(j)),
            sample: `${opts.split} sample ${k} of ${opts.model.split('/').pop()}`,
            label: set.labels[k],
            predicted: onOne.predicted[0],
          },
          c.figure,
        );
        await writeFigure(io, spec, opts, c);
      }),
  );

  plot.addCommand(
    withCommon(new Command('sweep'), io)
      .description("test accuracy against a distortion level from 'sweep' results: mean over seeds with std error bars, one line per training mode")
      .argument('<results>', "sweep results JSON ({spec_hash, axes, rows}) written by 'firstspike sweep'")
      .option('--axis <name>', "axis on x (default: the results' first axis)")
      .action(async (path: string, opts: CommonOptions & { axis?: string }) => {
        const c = common(opts);
        const plotLib = await import('../../plugins/plot/index.ts');
        const results = await readDocument(path, plotLib.SWEEP_EXPECTED, plotLib.sweepFromDocument);
        if (opts.axis !== undefined && !results.axes.includes(opts.axis)) {
          throw new UsageError(`--axis: '${opts.axis}' is not an axis of ${path} (axes: ${results.axes.join(', ')})`);
        }
        await writeFigure(io, plotLib.sweepSpec(results, { ...c.figure, axis: opts.axis }), opts, c);
      }),
  );
  return plot;
}
