import { Piscina } from 'piscina';
import { baselineJob, shardJobs, sweepJobs, type Shard, type SweepJob } from './jobs.ts';
import { collectResults, writeResults } from './merge.ts';
import type { JobFile } from './results.ts';
import { openSweepFolder, readJobFile, sweepPaths, writeJobFile } from './store.ts';
import { specHash, type SweepSpec } from './spec.ts';
import type { SweepTask } from './sweepWorker.ts';
import { packageVersion } from './version.ts';
import { workerEntry } from '../../core/workers/workerEntry.ts';

/** How a sweep run reports. */
export interface SweepEvents {
  /** Once, before any job: jobs of this shard, how many were already finished (skipped), how many will run. */
  onStart?(info: { total: number; shardJobs: number; skipped: number; toRun: number }): void;
  /** After each finished job (in completion order). */
  onJob?(info: { done: number; toRun: number; job: SweepJob; file: JobFile; point: Readonly<Record<string, unknown>> }): void;
}

export interface SweepRunOptions {
  readonly spec: SweepSpec;
  readonly outDir: string;
  /** Worker threads (each runs one job at a time). */
  readonly workers: number;
  readonly shard: Shard | null;
  /** Modules (absolute URLs) every worker imports before its first task: plugins registering substrates. */
  readonly plugins?: readonly string[];
}

/**
 * Runs the jobs of a spec (or of one shard) that `outDir` does not hold yet, `workers` at a time on worker
 * threads, and writes each finished job as an atomic file DIR/points/<key>.json (a rerun skips them). The
 * `ideal` models that `ideal-trained` tests are trained first, once per seed (DIR/models/). When every job
 * of the spec is in the folder, writes DIR/results.json and results.csv. Returns the number of jobs run.
 */
export async function runSweep(options: SweepRunOptions, events: SweepEvents = {}): Promise<{ ran: number; skipped: number; complete: boolean }> {
  const { spec, outDir } = options;
  const hash = specHash(spec);
  await openSweepFolder(outDir, spec);
  const paths = sweepPaths(outDir);
  const { points, jobs, pointJobs } = sweepJobs(spec);
  const mine = shardJobs(jobs, options.shard);
  const toRun = mine.filter((j) => {
    const f = readJobFile(paths.job(j.key));
    return f === null || f.spec_hash !== hash;
  });
  events.onStart?.({ total: jobs.length, shardJobs: mine.length, skipped: mine.length - toRun.length, toRun: toRun.length });
  const firstPoint = new Map<string, Readonly<Record<string, unknown>>>();
  pointJobs.forEach((js, p) => js.forEach((j) => (firstPoint.has(jobs[j].key) ? undefined : firstPoint.set(jobs[j].key, points[p].point))));

  if (toRun.length > 0) {
    const pool = new Piscina({
      ...workerEntry(import.meta.url, 'sweepWorker'),
      minThreads: Math.min(options.workers, toRun.length),
      maxThreads: Math.min(options.workers, toRun.length),
    });
    try {
      const needsBaseline = spec.modes.includes('ideal-trained');
      const baselines = new Map<number, Promise<unknown>>();
      if (needsBaseline) {
        for (const seed of [...new Set(toRun.map((j) => j.seed))]) {
          const b = baselineJob(spec, seed);
          const task: SweepTask = { kind: 'baseline', job: b, path: paths.model(b.key), plugins: options.plugins ?? [] };
          baselines.set(seed, pool.run(task));
        }
      }
      let done = 0;
      const version = packageVersion();
      await Promise.all(
        toRun.map(async (job) => {
          if (needsBaseline) await baselines.get(job.seed);
          const task: SweepTask = {
            kind: 'job',
            job,
            plugins: options.plugins ?? [],
            baselinePath: needsBaseline ? paths.model(baselineJob(spec, job.seed).key) : null,
          };
          const outcome = (await pool.run(task)) as Awaited<ReturnType<typeof import('./runJob.ts').runSweepJob>>;
          const file: JobFile = {
            format: 'firstspike.sweep-job',
            spec_hash: hash,
            package_version: version,
            node_version: process.version,
            job,
            ...outcome,
          };
          await writeJobFile(outDir, file);
          done++;
          events.onJob?.({ done, toRun: toRun.length, job, file, point: firstPoint.get(job.key) ?? {} });
        }),
      );
    } finally {
      await pool.destroy();
    }
  }
  const { results, missing } = collectResults([outDir], true);
  if (missing === 0) await writeResults(outDir, results);
  return { ran: toRun.length, skipped: mine.length - toRun.length, complete: missing === 0 };
}
