import type { BaselineJob, SweepJob } from './jobs.ts';
import { runBaselineJob, runSweepJob, type JobOutcome } from './runJob.ts';

/** A task of the sweep's worker pool: train an ideal baseline model, or run one job. */
export type SweepTask =
  | { readonly kind: 'baseline'; readonly job: BaselineJob; readonly path: string; readonly plugins: readonly string[] }
  | { readonly kind: 'job'; readonly job: SweepJob; readonly baselinePath: string | null; readonly plugins: readonly string[] };

/** Runs one task in a worker thread (piscina). */
export default async function sweepTask(task: SweepTask): Promise<JobOutcome | null> {
  // plugin substrates (--plugin): imported once per worker (the module cache), before the substrate lookup
  for (const url of task.plugins) await import(url);
  if (task.kind === 'baseline') {
    await runBaselineJob(task.job, task.path);
    return null;
  }
  return runSweepJob(task.job, task.baselinePath);
}
