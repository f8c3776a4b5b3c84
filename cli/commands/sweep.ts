import { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { UsageError, type CliIo } from '../io.ts';
import { loadPlugins, pluginOption } from '../plugins.ts';

const SPEC_HELP = `
The spec (JSON; docs/sweeps.md):
  preset            training set-up (yinyang, yinyang-chip, mnist16)
  epochs            epochs of every training run
  seeds             training seeds; each point runs once per seed (chip seed = seed unless set)
  substrate         {"name": "imperfect", "options": {...}}: the substrate and its base options
  modes             any of "ideal-trained" (trained on ideal, tested on the point's substrate),
                    "in-the-loop" (trained and tested on it), "other-chip" (the in-the-loop model
                    tested on chip seed chipSeed + otherChipOffset, default 1000)
  axes              [{"name": option, "values": [...]}, ...]; or a zip of several options changed
                    together: {"name": label, "values": [labels], "zip": {option: [...], ...}}
  combine           "product" (every combination, default) or "each" (one axis at a time)
  trainSamples, testSamples   optional: only the first N samples (quick sweeps)

Example (4 points x 1 seed, in examples/sweeps/smoke.json):
  {"preset": "yinyang", "epochs": 1, "seeds": [1], "trainSamples": 300, "testSamples": 200,
   "substrate": {"name": "imperfect"}, "modes": ["ideal-trained", "in-the-loop"],
   "axes": [{"name": "thresholdSpread", "values": [0, 0.2]},
            {"name": "weights", "values": ["float", "3 bits"],
             "zip": {"weightBits": [null, 3], "weightRange": [null, 4]}}]}

  firstspike sweep smoke.json --out out/smoke                    all points, one worker per core
  firstspike sweep smoke.json --out out/s1 --shard 1/3           a third of the points (Slurm array task 1)
  firstspike sweep merge out/s1 out/s2 out/s3 --out out/smoke    results.json + results.csv

Each finished point is a file DIR/points/<key>.json; a rerun skips finished points. Results rows:
point, mode, seed, test_accuracy (0..1) and provenance (package version, spec hash, options, wall time).
`;

function workersOption(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 1024) throw new UsageError(`--workers: must be a whole number from 1 to 1024 (got '${text}')`);
  return n;
}

/** `firstspike sweep`: robustness sweeps over substrate options (logic in plugins/sweep/). */
export function sweepCommand(io: CliIo): Command {
  const cmd = new Command('sweep')
    .description('train and test over a grid of substrate options (robustness sweeps), sharded for job arrays')
    .argument('<spec>', 'sweep spec (JSON)')
    .option('-o, --out <dir>', 'folder of the sweep (required): spec.json, points/, models/, results.json, results.csv')
    .option('-w, --workers <n>', 'worker threads, one point each at a time (default: available cores)')
    .option('--shard <i/n>', 'run only shard i of n (a deterministic 1/n of the points; Slurm: $SLURM_ARRAY_TASK_ID/n)')
    .addOption(pluginOption())
    .addHelpText('after', SPEC_HELP)
    .action(async (specPath: string, opts: { out?: string; workers?: string; shard?: string; plugin?: string[] }) => {
      const out = opts.out;
      if (out === undefined) throw new UsageError('--out: required (the folder of the sweep)');
      const { loadSweepSpec, parseShard, runSweep, SweepStoreError } = await import('../../plugins/sweep/index.ts');
      const { startProgress } = await import('../progress.ts');
      const workers = workersOption(opts.workers);
      let shard = null;
      if (opts.shard !== undefined) {
        shard = parseShard(opts.shard);
        if (shard === null) throw new UsageError(`--shard: must be i/n with 1 <= i <= n (got '${opts.shard}')`);
      }
      let bar: ReturnType<typeof startProgress> | null = null;
      try {
        const plugins = await loadPlugins(opts.plugin);
        const spec = await loadSweepSpec(specPath);
        const run = await runSweep(
          { spec, outDir: out, workers, shard, plugins },
          {
            onStart(info) {
              const which = shard === null ? '' : ` (shard ${shard.index}/${shard.count}: ${info.shardJobs} of ${info.total})`;
              io.stderr(`sweep: ${info.total} points (one per point and seed)${which}; ${info.skipped} already finished, ${info.toRun} to run on ${Math.min(workers, Math.max(1, info.toRun))} workers\n`);
              if (io.interactive && info.toRun > 0) bar = startProgress(io, info.toRun, 'sweep', 'points');
            },
            onJob({ done, toRun, job, file, point }) {
              if (bar !== null) {
                bar.update(done);
                return;
              }
              const accuracies = file.results.map((r) => `${r.mode} ${(100 * r.testAccuracy).toFixed(2)}%`).join(', ');
              io.stderr(`[${done}/${toRun}] ${JSON.stringify(point)} seed ${job.seed}: ${accuracies} (${file.wallTimeS.toFixed(1)} s)\n`);
            },
          },
        );
        (bar as ReturnType<typeof startProgress> | null)?.stop();
        io.stdout(
          run.complete
            ? `sweep complete: ${out}/results.json and results.csv\n`
            : `sweep: this run's points are in ${out}/points; merge the shards with 'firstspike sweep merge'\n`,
        );
      } catch (error) {
        (bar as ReturnType<typeof startProgress> | null)?.stop();
        if (error instanceof SweepStoreError) throw new UsageError(error.message);
        throw error;
      }
    });
  cmd
    .command('merge')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .description('join the points of sweep folders (shards of one spec) into results.json and results.csv')
    .argument('<dirs...>', 'sweep folders written by firstspike sweep --out')
    .option('-o, --out <dir>', 'folder for results.json and results.csv (required)')
    .option('--partial', 'merge even when points are missing (the rows of finished points only)')
    .action(async (dirs: string[], opts: { out?: string; partial?: boolean }) => {
      // commander may hand a --out after `merge` to the parent command, which has an option of that name
      const out = opts.out ?? (cmd.opts() as { out?: string }).out;
      if (out === undefined) throw new UsageError('--out: required (the folder for results.json and results.csv)');
      const { collectResults, writeResults, SweepStoreError } = await import('../../plugins/sweep/index.ts');
      try {
        const { results, missing } = collectResults(dirs, opts.partial === true);
        const written = await writeResults(out, results);
        io.stdout(`merged ${results.rows.length} rows${missing > 0 ? ` (${missing} points missing)` : ''}: ${written.json}, ${written.csv}\n`);
      } catch (error) {
        if (error instanceof SweepStoreError) throw new UsageError(error.message);
        throw error;
      }
    });
  return cmd;
}
